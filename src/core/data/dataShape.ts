// Whether a data section's sizes can work, before anything is generated: the split leaves both
// sets usable, whitening has enough training samples, a packaged data set is large enough.
// loadDataset throws the first of these and validation reports them all, each at its setting,
// so `l2exp validate` rejects exactly the shapes a run would.

import { IRIS_SAMPLES, MNIST_SAMPLES } from '../config/defaults';
import type { DataKind } from '../config/types';
import { DataError } from './dataError';

/** The sizes a data section resolves to (the defaults applied). */
export interface DataShape {
  kind: DataKind;
  n: number;
  testFraction: number;
  inputDim: number;
  /** linear only; default true. */
  whiten?: boolean;
}

/** The kinds drawn in the plane: their first two inputs are the shape. */
export const PLANAR_KINDS: ReadonlySet<DataKind> = new Set(['two-moons', 'spirals', 'xor', 'gaussian-mixture']);

/** round(n·testFraction) test samples (splitIndices), the rest train. */
export function splitSizes(n: number, testFraction: number): { train: number; test: number } {
  const test = Math.round(n * testFraction);
  return { train: n - test, test };
}

/** The smallest n ≥ from whose split has at least `train` training and (when testFraction > 0) one test sample. */
function smallestN(from: number, testFraction: number, train: number): number {
  for (let n = Math.max(2, from); n < from + 1e6; n++) {
    const s = splitSizes(n, testFraction);
    if (s.train >= train && (testFraction === 0 || s.test >= 1)) return n;
  }
  return from;
}

export function dataShapeProblems(d: DataShape): DataError[] {
  const out: DataError[] = [];
  const { n, testFraction: tf, inputDim } = d;
  if (!(Number.isInteger(n) && n >= 1 && tf >= 0 && tf < 1 && Number.isInteger(inputDim) && inputDim >= 1)) return out;
  const s = splitSizes(n, tf);
  const split = `data.n ${n} with testFraction ${tf} splits into ${s.train} training and ${s.test} test samples`;
  if (s.train < 1) {
    out.push(new DataError(`${split}: the training set is empty; lower testFraction, or raise n to at least ${smallestN(n, tf, 1)}`, ['data', 'testFraction']));
  } else if (tf > 0 && s.test < 1) {
    out.push(new DataError(`${split}: the test set is empty; raise n to at least ${smallestN(n, tf, 1)} or testFraction, or set testFraction 0 for no test set`, ['data', 'testFraction']));
  }
  if (d.kind === 'linear' && (d.whiten ?? true) && s.train >= 1 && s.train < inputDim) {
    out.push(
      new DataError(
        `linear data are whitened on the training samples, which needs at least inputDim (${inputDim}) of them, but ${split}: raise n to at least ${smallestN(n, tf, inputDim)}, lower inputDim or testFraction, or set "whiten": false`,
        ['data', 'n'],
      ),
    );
  }
  if (PLANAR_KINDS.has(d.kind) && inputDim < 2) {
    out.push(new DataError(`data.inputDim is ${inputDim}, but ${d.kind} is a 2-D shape: inputDim must be ≥ 2 (inputs beyond the first 2 are noise)`, ['data', 'inputDim']));
  }
  if (d.kind === 'mnist' && n > MNIST_SAMPLES) {
    out.push(new DataError(`data.n is ${n}, but the mnist package holds ${MNIST_SAMPLES} images: use at most ${MNIST_SAMPLES}`, ['data', 'n']));
  }
  if (d.kind === 'iris' && n > IRIS_SAMPLES) {
    out.push(new DataError(`data.n is ${n}, but iris has only ${IRIS_SAMPLES} samples: use at most ${IRIS_SAMPLES}, or remove data.n`, ['data', 'n']));
  }
  return out;
}

/**
 * A classifier's training split must hold at least two classes (with one, every score is
 * trivially 1). `trainLabels` are the training rows' class indices.
 */
export function singleClassProblem(trainLabels: ArrayLike<number>, names?: readonly string[]): DataError | null {
  const first = trainLabels[0];
  for (let i = 1; i < trainLabels.length; i++) if (trainLabels[i] !== first) return null;
  if (trainLabels.length === 0) return null;
  const only = names?.[first] ?? String(first);
  return new DataError(
    `the ${trainLabels.length} training sample(s) all belong to one class ("${only}"), so there is nothing to classify: raise data.n or lower data.testFraction (or, for a csv, mix the classes across its rows)`,
    ['data', 'n'],
  );
}
