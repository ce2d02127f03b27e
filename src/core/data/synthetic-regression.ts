// Regression teachers: linear (optionally with prescribed singular values and exactly white
// training inputs), a random MLP, and a multi-index model. Each draws x ~ N(0, I) on stream
// "data/x", the teacher on "data/teacher" and the label noise on "data/noise", so e.g. changing
// the noise level never changes x or the teacher.

import type { Activation, DataConfig } from '../config/types';
import { Rng } from '../random';
import { DataError } from './dataError';
import { whitenSecondMoment } from './preprocess';
import type { RawData } from './split';

/**
 * `cols` orthonormal vectors in R^rows as the columns of a row-major rows×cols matrix: modified
 * Gram–Schmidt on Gaussian vectors, applied twice ("twice is enough") for orthogonality to
 * rounding level. Gaussian columns make the result Haar-distributed on the Stiefel manifold.
 */
export function randomOrthonormal(rows: number, cols: number, rng: Rng): Float64Array {
  if (cols > rows) throw new Error(`cannot draw ${cols} orthonormal vectors in ${rows} dimensions`);
  const q = rng.fillNormal(new Float64Array(rows * cols)) as Float64Array;
  for (let k = 0; k < cols; k++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += q[i * cols + j] * q[i * cols + k];
        for (let i = 0; i < rows; i++) q[i * cols + k] -= dot * q[i * cols + j];
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += q[i * cols + k] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) q[i * cols + k] /= norm;
  }
  return q;
}

/** gelu uses the tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function activate(kind: Activation, z: number): number {
  switch (kind) {
    case 'linear':
      return z;
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
  }
}

function gaussianInputs(cfg: DataConfig, seed: number): Float64Array {
  return new Rng(seed, 'data/x').fillNormal(new Float64Array(cfg.n * cfg.inputDim));
}

/** y += noise·N(0, 1), entrywise, on its own stream. */
function addLabelNoise(y: Float64Array, noise: number, seed: number): void {
  const rng = new Rng(seed, 'data/noise');
  for (let i = 0; i < y.length; i++) y[i] += noise * rng.normal();
}

/** The teacher W (outputDim×inputDim, row-major): U diag(s) Vᵀ when singular values are given, else N(0, 1/inputDim). */
function linearTeacher(cfg: DataConfig, rng: Rng): Float64Array {
  const { inputDim: din, outputDim: dout, singularValues: s } = cfg;
  if (!s) return rng.fillNormal(new Float64Array(dout * din), 1 / Math.sqrt(din));
  const r = s.length;
  if (r > Math.min(din, dout)) {
    throw new DataError(`linear: ${r} singular values given but W is ${dout}×${din}, which has at most ${Math.min(din, dout)}`, ['data', 'singularValues']);
  }
  if (s.some((v) => !Number.isFinite(v) || v < 0)) throw new DataError('linear: singularValues must be finite and non-negative', ['data', 'singularValues']);
  const u = randomOrthonormal(dout, r, rng);
  const v = randomOrthonormal(din, r, rng);
  const w = new Float64Array(dout * din);
  for (let o = 0; o < dout; o++) {
    for (let i = 0; i < din; i++) {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += u[o * r + k] * s[k] * v[i * r + k];
      w[o * din + i] = sum;
    }
  }
  return w;
}

/** y = W x + noise·ε. With `whiten` (default) x is ZCA-whitened on the training rows first. */
export function linearData(cfg: DataConfig, seed: number, trainRows: Int32Array): RawData {
  const { n, inputDim: din, outputDim: dout } = cfg;
  const x = gaussianInputs(cfg, seed);
  const w = linearTeacher(cfg, new Rng(seed, 'data/teacher'));
  if (cfg.whiten ?? true) whitenSecondMoment(x, din, trainRows);
  const y = new Float64Array(n * dout);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < dout; o++) {
      let sum = 0;
      for (let i = 0; i < din; i++) sum += w[o * din + i] * x[r * din + i];
      y[r * dout + o] = sum;
    }
  }
  addLabelNoise(y, cfg.noise, seed);
  return { x, y };
}

/** A random MLP inputDim → teacherHidden… → outputDim, N(0, 1/fanIn) weights, zero biases, linear output layer. */
export function teacherData(cfg: DataConfig, seed: number): RawData {
  const { n, inputDim: din, outputDim: dout } = cfg;
  const hidden = cfg.teacherHidden ?? [32];
  const act = cfg.teacherActivation ?? 'tanh';
  if (hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new DataError('teacher: teacherHidden widths must be positive integers', ['data', 'teacherHidden']);
  const widths = [din, ...hidden, dout];
  const rng = new Rng(seed, 'data/teacher');
  const weights = widths.slice(1).map((out, l) => rng.fillNormal(new Float64Array(out * widths[l]), 1 / Math.sqrt(widths[l])) as Float64Array);

  const x = gaussianInputs(cfg, seed);
  const y = new Float64Array(n * dout);
  for (let r = 0; r < n; r++) {
    let h: Float64Array = x.subarray(r * din, r * din + din);
    weights.forEach((w, l) => {
      const fanIn = widths[l];
      const out = new Float64Array(widths[l + 1]);
      const last = l === weights.length - 1;
      for (let o = 0; o < out.length; o++) {
        let sum = 0;
        for (let i = 0; i < fanIn; i++) sum += w[o * fanIn + i] * h[i];
        out[o] = last ? sum : activate(act, sum);
      }
      h = out;
    });
    y.set(h, r * dout);
  }
  addLabelNoise(y, cfg.noise, seed);
  // The first layer's rows are the input directions the teacher reads (Gaussian inputs, not preprocessed).
  const w0 = weights[0];
  const basis = new Float64Array(din * hidden[0]);
  for (let o = 0; o < hidden[0]; o++) for (let i = 0; i < din; i++) basis[i * hidden[0] + o] = w0[o * din + i];
  return { x, y, latent: { basis, k: hidden[0] } };
}

/**
 * Multi-index model: z = Uᵀx with U a random orthonormal inputDim×k, and
 *   y_j = Σ_{i<k} a_ji·tanh(z_i) + [k ≥ 2]·z_1·z_2 + noise·ε_j,
 * a_ji ~ N(0, 1/k) fixed (stream "data/teacher", drawn after U). The product term (the same for
 * every output j) makes the target depend on the k-dimensional subspace non-additively.
 */
export function multiIndexData(cfg: DataConfig, seed: number): RawData {
  const { n, inputDim: din, outputDim: dout } = cfg;
  const k = cfg.indexDim ?? 2;
  if (!Number.isInteger(k) || k < 1 || k > din) throw new DataError(`multi-index: indexDim must be an integer in 1..inputDim (${din}), got ${k}`, ['data', 'indexDim']);
  const rng = new Rng(seed, 'data/teacher');
  const u = randomOrthonormal(din, k, rng);
  const a = rng.fillNormal(new Float64Array(dout * k), 1 / Math.sqrt(k)) as Float64Array;

  const x = gaussianInputs(cfg, seed);
  const y = new Float64Array(n * dout);
  const z = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < din; i++) sum += u[i * k + j] * x[r * din + i];
      z[j] = sum;
    }
    const product = k >= 2 ? z[0] * z[1] : 0;
    for (let o = 0; o < dout; o++) {
      let sum = product;
      for (let j = 0; j < k; j++) sum += a[o * k + j] * Math.tanh(z[j]);
      y[r * dout + o] = sum;
    }
  }
  addLabelNoise(y, cfg.noise, seed);
  return { x, y, latent: { basis: u, k } };
}
