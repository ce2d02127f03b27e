// A user's NumPy arrays: data.path an .npz holding arrays "x" (inputs) and "y" (targets), or
// an .npy of the inputs with data.targetPath the .npy of the targets. Inputs are (n, d) or
// (n, …) flattened per sample (images (n, 28, 28) → 784 inputs); targets (n,) or (n, 1) are
// class labels when every value is an integer (unless data.task says regression), (n, k)
// are k regression outputs. Read the same way by validation and by the run.

import { readFileSync } from 'node:fs';
import type { DataConfig, Task } from '../config/types';
import { describeFsError } from '../errors';
import { decodeNpy, decodeNpz, NpyError, type NpyArray } from '../npy/npy';
import { Rng } from '../random';
import { DataError } from './dataError';
import { checkDataPath } from './dataPath';
import { standardizeColumns } from './preprocess';
import { oneHot, seededSubset, type RawData } from './split';

/** The arrays as the run uses them, checked. */
export interface NpyTable {
  n: number;
  /** Inputs per sample. */
  d: number;
  /** n × d, row-major. */
  x: Float64Array;
  /** Target columns: 1 for labels or a scalar target. */
  k: number;
  /** n × k, row-major. */
  y: Float64Array;
  task: Task;
  /** Classification: the distinct label values (as text, ascending) and each sample's class. */
  classNames?: string[];
  labels?: Int32Array;
}

function readBytes(path: string, field: readonly string[]): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new DataError(`NumPy file not found: ${path} (paths are relative to the config file's folder): fix ${field.join('.')}, or move the file there`, field);
    throw new DataError(`NumPy file ${describeFsError(err, path) ?? `${path}: ${e.message}`}`, field);
  }
}

function decode(bytes: Uint8Array, path: string, field: readonly string[], npz: boolean): NpyArray | Map<string, NpyArray> {
  try {
    return npz ? decodeNpz(bytes) : decodeNpy(bytes);
  } catch (err) {
    if (err instanceof NpyError) throw new DataError(`${path}: ${err.message}`, field);
    throw err;
  }
}

/** The two arrays the config names, each with the setting that names it. */
function arrays(cfg: DataConfig, configDir: string, root: string | null): { x: NpyArray; y: NpyArray; xName: string; yName: string } {
  if (!cfg.path) throw new DataError('data kind "npy" needs data.path: an .npz with arrays "x" and "y", or the .npy of the inputs (with data.targetPath the .npy of the targets)', ['data', 'kind']);
  const at = (p: string, field: string[]) => {
    const where = checkDataPath(configDir, p, root);
    if ('problem' in where) throw new DataError(where.problem, field);
    return where.path;
  };
  const path = at(cfg.path, ['data', 'path']);
  if (/\.npz$/i.test(path)) {
    if (cfg.targetPath) throw new DataError(`data.targetPath is for an .npy of inputs; ${cfg.path} is an .npz, whose array "y" holds the targets: remove data.targetPath`, ['data', 'targetPath']);
    const all = decode(readBytes(path, ['data', 'path']), path, ['data', 'path'], true) as Map<string, NpyArray>;
    const get = (name: string) => {
      const a = all.get(name);
      if (!a)
        throw new DataError(`${path} has no array "${name}" (it holds ${[...all.keys()].map((k) => `"${k}"`).join(', ') || 'none'}): save it with np.savez(path, x=inputs, y=targets)`, [
          'data',
          'path',
        ]);
      return a;
    };
    return { x: get('x'), y: get('y'), xName: `${cfg.path}["x"]`, yName: `${cfg.path}["y"]` };
  }
  if (!cfg.targetPath) throw new DataError(`${cfg.path} holds the inputs only: set data.targetPath to the .npy of the targets, or give an .npz with arrays "x" and "y"`, ['data', 'path']);
  const targets = at(cfg.targetPath, ['data', 'targetPath']);
  return {
    x: decode(readBytes(path, ['data', 'path']), path, ['data', 'path'], false) as NpyArray,
    y: decode(readBytes(targets, ['data', 'targetPath']), targets, ['data', 'targetPath'], false) as NpyArray,
    xName: cfg.path,
    yName: cfg.targetPath,
  };
}

/** Reads and checks the arrays: shapes that agree, finite values, a usable target. */
export function readNpyTable(cfg: Pick<DataConfig, 'path' | 'targetPath' | 'task'>, configDir: string, root: string | null): NpyTable {
  const { x, y, xName, yName } = arrays(cfg as DataConfig, configDir, root);
  const yField = cfg.targetPath ? ['data', 'targetPath'] : ['data', 'path'];
  const shape = (a: NpyArray) => `(${a.shape.join(', ')})`;
  if (x.shape.length < 2) throw new DataError(`the inputs ${xName} have shape ${shape(x)}: give one row per sample, (n, d) (reshape a single feature to (n, 1))`, ['data', 'path']);
  const n = x.shape[0];
  const d = x.data.length / Math.max(1, n);
  if (n < 1 || d < 1) throw new DataError(`the inputs ${xName} are empty (shape ${shape(x)})`, ['data', 'path']);
  if (y.shape.length < 1 || y.shape.length > 2 || y.shape[0] !== n)
    throw new DataError(`the targets ${yName} have shape ${shape(y)}, the inputs ${shape(x)}: give (${n},) labels or values, or (${n}, k) for k outputs`, yField);
  for (const [a, name, field] of [
    [x, xName, ['data', 'path']],
    [y, yName, yField],
  ] as const) {
    const bad = a.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataError(`${name} holds a non-finite value (${a.data[bad]}) at flat index ${bad}: clean the data (NaN and ±inf cannot be trained on)`, field);
  }
  const k = y.shape.length === 2 ? y.shape[1] : 1;
  const integers = k === 1 && y.data.every(Number.isInteger);
  const task: Task = cfg.task ?? (integers ? 'classification' : 'regression');
  const table: NpyTable = { n, d, x: x.data, k, y: y.data, task };
  if (task === 'regression') return table;
  if (k !== 1)
    throw new DataError(`the targets ${yName} have ${k} columns: classes are one label per sample, shape (${n},); remove data.task "classification" for ${k} regression outputs`, ['data', 'task']);
  if (!integers) throw new DataError(`data.task is "classification" but ${yName} holds non-integer values: give integer class labels`, ['data', 'task']);
  const distinct = [...new Set(y.data)].sort((a, b) => a - b);
  if (distinct.length < 2)
    throw new DataError(`the targets ${yName} hold a single class (${distinct[0]}) in all ${n} samples: a classifier needs at least 2${cfg.task ? '' : ', or set data.task "regression"'}`, yField);
  const index = new Map(distinct.map((v, i) => [v, i]));
  return { ...table, classNames: distinct.map(String), labels: Int32Array.from(y.data, (v) => index.get(v)!) };
}

/** The run's arrays: n ≤ the samples (a seeded subset, stream "data/subset", as for csv), inputs standardized on the training rows. */
export function npyData(cfg: DataConfig, seed: number, configDir: string, trainRows: Int32Array, root: string | null): RawData & { task: Task } {
  const t = readNpyTable(cfg, configDir, root);
  let rows = Array.from({ length: t.n }, (_, i) => i);
  if (cfg.n < rows.length) rows = Array.from(seededSubset(rows.length, cfg.n, new Rng(seed, 'data/subset')));
  const x = new Float64Array(cfg.n * t.d);
  rows.forEach((src, i) => x.set(t.x.subarray(src * t.d, (src + 1) * t.d), i * t.d));
  standardizeColumns(x, t.d, trainRows);
  if (t.task === 'regression') {
    const y = new Float64Array(cfg.n * t.k);
    rows.forEach((src, i) => y.set(t.y.subarray(src * t.k, (src + 1) * t.k), i * t.k));
    return { task: 'regression', x, y };
  }
  return {
    task: 'classification',
    x,
    y: oneHot(
      Int32Array.from(rows, (src) => t.labels![src]),
      t.classNames!.length,
    ),
    classNames: t.classNames,
  };
}
