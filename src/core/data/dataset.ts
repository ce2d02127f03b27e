import type { Task } from '../config/types';

/** One split: row-major matrices, x is n×inputDim, y is n×outputDim (one-hot for classes). */
export interface Split {
  n: number;
  x: Float64Array;
  y: Float64Array;
}

export interface Dataset {
  task: Task;
  inputDim: number;
  outputDim: number;
  train: Split;
  test: Split;
  /** Class names for classification, when the source has them. */
  classNames?: string[];
  /** The latent subspace (d×k, row-major) the targets depend on: multi-index Θ*, a teacher's first-layer directions. */
  latent?: { basis: Float64Array; k: number };
}

/** The JSON form written to `data.json` (plain nested arrays, so Python reads it directly). */
export interface DatasetJson {
  task: Task;
  train: { x: number[][]; y: number[][] };
  test: { x: number[][]; y: number[][] };
}

function rows(m: Float64Array, n: number, d: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(Array.from(m.subarray(i * d, (i + 1) * d)));
  return out;
}

export function datasetToJson(ds: Dataset): DatasetJson {
  const split = (s: Split) => ({ x: rows(s.x, s.n, ds.inputDim), y: rows(s.y, s.n, ds.outputDim) });
  return { task: ds.task, train: split(ds.train), test: split(ds.test) };
}
