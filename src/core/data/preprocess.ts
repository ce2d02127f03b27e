// Input transforms fitted on the training rows only and applied to every row, so the test split
// never leaks into the statistics.

import { symmetricEigen } from '../linalg/symmetricEigen';
import { DataError } from './dataError';

/**
 * Standardize each column of the n×d matrix x in place to zero mean, unit variance (1/n_train)
 * over the training rows. A constant column is only centred (dividing by 0 would make NaN).
 */
export function standardizeColumns(x: Float64Array, d: number, trainRows: Int32Array): void {
  const n = x.length / d;
  const nt = trainRows.length;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (const r of trainRows) mean += x[r * d + j];
    mean /= nt;
    let variance = 0;
    for (const r of trainRows) variance += (x[r * d + j] - mean) ** 2;
    variance /= nt;
    const inv = variance > 0 ? 1 / Math.sqrt(variance) : 1;
    for (let i = 0; i < n; i++) x[i * d + j] = (x[i * d + j] - mean) * inv;
  }
}

/**
 * ZCA-whiten x in place: x ← C^{-1/2} x with C = (1/n_train) Σ_train x xᵀ (second moment, no mean
 * removal), so that the training rows' sample second moment is exactly I. The symmetric inverse
 * square root keeps the whitened inputs as close as possible to the raw ones.
 */
export function whitenSecondMoment(x: Float64Array, d: number, trainRows: Int32Array): void {
  const nt = trainRows.length;
  if (d > nt) {
    throw new DataError(`cannot whiten: inputDim ${d} exceeds the ${nt} training samples, so the sample second moment is singular ` + `(increase n, lower testFraction, or set "whiten": false)`, [
      'data',
      'n',
    ]);
  }
  const c = new Float64Array(d * d);
  for (const r of trainRows) {
    const row = x.subarray(r * d, r * d + d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) c[i * d + j] += row[i] * row[j];
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      c[i * d + j] /= nt;
      c[j * d + i] = c[i * d + j];
    }
  }
  const { values, vectors } = symmetricEigen(c, d, { vectors: true });
  const maxEig = values[d - 1];
  if (!(values[0] > maxEig * 1e-12)) {
    throw new DataError(`cannot whiten: the training inputs' second moment is (numerically) singular (smallest eigenvalue ${values[0]}): raise data.n, or set "whiten": false`, ['data', 'n']);
  }
  // T = V diag(λ^{-1/2}) Vᵀ
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (vectors[i * d + k] * vectors[j * d + k]) / Math.sqrt(values[k]);
      t[i * d + j] = s;
      t[j * d + i] = s;
    }
  }
  const n = x.length / d;
  const tmp = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * d, r * d + d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += t[i * d + j] * row[j];
      tmp[i] = s;
    }
    row.set(tmp);
  }
}
