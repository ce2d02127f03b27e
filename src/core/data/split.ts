// The seeded train/test split and the row bookkeeping shared by every data kind. The split is
// drawn before the data are finished because some kinds (whitening, standardization) must see
// which rows are training rows.

import { Rng } from '../random';
import type { Split } from './dataset';

/** A kind's full sample before the split: all n rows. */
export interface RawData {
  /** Row-major n×inputDim. */
  x: Float64Array;
  /** Row-major n×outputDim (one-hot for classes). */
  y: Float64Array;
  classNames?: string[];
  /** The input subspace the targets depend on, where the generator knows it: d×k, row-major, columns spanning it. */
  latent?: { basis: Float64Array; k: number };
}

export interface SplitIndices {
  /** Row indices into the full n-row sample, in the (shuffled) order they appear in the split. */
  train: Int32Array;
  test: Int32Array;
}

/** round(n·testFraction) rows go to test, chosen by the permutation on stream "split"; the rest train. */
export function splitIndices(n: number, testFraction: number, seed: number): SplitIndices {
  const nTest = Math.round(n * testFraction);
  const perm = new Rng(seed, 'split').permutation(n);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}

/** The rows `rows` of the row-major matrix m (d columns), in that order. */
export function takeRows(m: Float64Array, d: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(m.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return out;
}

export function makeSplit(x: Float64Array, y: Float64Array, inputDim: number, outputDim: number, rows: Int32Array): Split {
  return { n: rows.length, x: takeRows(x, inputDim, rows), y: takeRows(y, outputDim, rows) };
}

/** k distinct indices of 0..total-1 (partial Fisher–Yates), returned ascending so source order is kept. */
export function seededSubset(total: number, k: number, rng: Rng): Int32Array {
  if (k > total) throw new Error(`cannot choose ${k} of ${total} items`);
  const p = new Int32Array(total);
  for (let i = 0; i < total; i++) p[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(total - i);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p.slice(0, k).sort();
}

/** Class sizes for n samples over k classes, as equal as possible (the first n mod k get one more). */
export function balancedCounts(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/** Row-major n×k one-hot matrix of the labels. */
export function oneHot(labels: ArrayLike<number>, k: number): Float64Array {
  const y = new Float64Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) y[i * k + labels[i]] = 1;
  return y;
}
