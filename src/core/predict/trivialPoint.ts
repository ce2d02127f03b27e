// The trivial point: every weight matrix 0, the biases at their optimum. There f(x) = f₀ is the
// same constant for every sample, so the loss derivatives there are simple functions of y:
//
//   per-sample loss ℓ      g = ∂ℓ/∂f        H = ∂²ℓ/∂f²          r := −g/2
//   MSE  ‖f − y‖²          2(f₀ − y)        2I                   y − f₀
//   CE   −yᵀ log softmax f  q − y, q = softmax(f₀)   diag q − q qᵀ   (y − q)/2
//
// (losses.ts: MSE has no ½, CE is the mean over samples.) The trivial output f₀:
// - no biases: f₀ = 0 (so r = y for MSE, (y − 1/K)/2 for CE);
// - free (unregularized) biases: the output bias minimizes E ℓ(b): f₀ = ȳ (MSE) or
//   softmax(b) = ȳ, the class frequencies (CE); then E[g] = 0. The hidden biases b₁ see no loss
//   at all while W₂ = 0, so the trivial point is a flat manifold in b₁ (slope.ts picks b₁);
// - regularized biases: the output bias minimizes E ℓ(b) + λ‖b‖²: ȳ/(1 + λ) (MSE: 2(b − ȳ) +
//   2λb = 0) or the Newton solution of q(b) − ȳ + 2λb = 0 (CE); the hidden biases are pinned at
//   0 by their penalty. A regularized hidden bias is exactly a weight on a constant input:
//   x·w₁ + b₁ = x̃·w̃₁ with x̃ = (x, 1), w̃₁ = (w₁, b₁), penalty λ‖w̃₁‖². So with regularized biases
//   the moment is taken over x̃ and has the extra row E[r]ᵀ (≠ 0 now, since b is shrunk): that
//   row is the b₁–W₂ coupling σ'(0)·δb₁·E[g]ᵀw₂ of the second-order expansion.
//
// The instability analysis (oneHidden.ts, deep.ts) needs R = E[x̃ rᵀ] (dim×K) and vᵀHv.

import type { LossKind, ModelConfig } from '../config/types';
import type { Moments } from './moments';

export type BiasMode = 'none' | 'free' | 'regularized';

export function biasMode(model: Pick<ModelConfig, 'bias' | 'regularizeBias'>): BiasMode {
  if (!model.bias) return 'none';
  return model.regularizeBias ? 'regularized' : 'free';
}

export interface TrivialPoint {
  mode: BiasMode;
  loss: LossKind;
  /** The λ the (regularized) output bias was solved at; irrelevant for the other modes. */
  lambda: number;
  /** MSE: the trivial output f₀; CE: q = softmax(f₀). */
  out: Float64Array;
  /** E[r]; 0 for free biases. */
  meanR: Float64Array;
  /** x̃ = (x, 1) (regularized biases) or x. */
  augmented: boolean;
  /** Rows of R: d, or d + 1 when augmented. */
  dim: number;
  /** E[x̃ rᵀ], dim×K row-major. */
  R: Float64Array;
  /** E[‖r‖²]. */
  meanSquareR: number;
  /** E[‖r‖²]·E[‖x̃‖²] ≥ ‖R‖²_F (Cauchy–Schwarz): the scale against which R counts as small. */
  scale2: number;
  /** vᵀ H v with H = ∂²ℓ/∂f² at f₀ (the same for every sample there). */
  curvature(v: ArrayLike<number>): number;
  /** r for training row i, written into out (length K). */
  residual(i: number, out: Float64Array): void;
  /** What r is, for the explanations: "y − ȳ", "y", "(y − q)/2 with q the class frequencies", … */
  rText: string;
}

function softmax(b: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of b) max = Math.max(max, v);
  const q = b.map((v) => Math.exp(v - max));
  const z = q.reduce((a, v) => a + v, 0);
  return q.map((v) => v / z);
}

/** Solves the symmetric positive definite system A x = b (K×K, small) by Cholesky. */
function solveSpd(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
      l[i * k + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * k + j];
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[i * k + p] * z[p];
    z[i] = s / l[i * k + i];
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
    x[i] = s / l[i * k + i];
  }
  return x;
}

/**
 * The regularized CE output bias: minimizes −ȳᵀb + S·lse(b) + λ‖b‖² (S = Σȳ, 1 for one-hot
 * labels), strictly convex for λ > 0. Newton: gradient S·q − ȳ + 2λb, Hessian S(diag q − qqᵀ) + 2λI.
 */
function regularizedSoftmaxBias(yMean: Float64Array, lambda: number): Float64Array {
  const k = yMean.length;
  const S = yMean.reduce((a, v) => a + v, 0);
  const b = new Float64Array(k);
  const value = (bb: Float64Array) => {
    let max = -Infinity;
    for (const v of bb) max = Math.max(max, v);
    let z = 0;
    for (const v of bb) z += Math.exp(v - max);
    let s = S * (max + Math.log(z));
    for (let j = 0; j < k; j++) s += -yMean[j] * bb[j] + lambda * bb[j] * bb[j];
    return s;
  };
  for (let it = 0; it < 100; it++) {
    const q = softmax(b);
    const grad = b.map((bj, j) => S * q[j] - yMean[j] + 2 * lambda * bj);
    const gn = Math.sqrt(grad.reduce((a, v) => a + v * v, 0));
    if (gn <= 1e-15 * (1 + S)) break;
    const h = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) h[i * k + j] = -S * q[i] * q[j] + (i === j ? S * q[i] + 2 * lambda : 0);
    }
    const step = solveSpd(h, grad, k);
    // Damped Newton: halve until the objective does not increase (it converges quadratically after).
    const f0 = value(b);
    let t = 1;
    let next = b.map((v, j) => v - t * step[j]);
    while (value(next) > f0 && t > 1e-12) {
      t /= 2;
      next = b.map((v, j) => v - t * step[j]);
    }
    b.set(next);
    if (t * Math.sqrt(step.reduce((a, v) => a + v * v, 0)) < 1e-16) break;
  }
  return b;
}

/** The trivial point for this loss and bias mode; `lambda` matters only for regularized biases. */
export function trivialPoint(m: Moments, loss: LossKind, mode: BiasMode, lambda: number): TrivialPoint {
  const { d, k, xMean, yMean, xy, y } = m;
  const mse = loss === 'mse';
  let out: Float64Array;
  let rText: string;
  if (mse) {
    const scale = mode === 'none' ? 0 : mode === 'free' ? 1 : 1 / (1 + lambda);
    out = yMean.map((v) => scale * v);
    rText = mode === 'none' ? 'r = y' : mode === 'free' ? 'r = y − ȳ' : 'r = y − ȳ/(1+λ)';
  } else {
    if (mode === 'none') out = new Float64Array(k).fill(1 / k);
    else if (mode === 'free') {
      const S = yMean.reduce((a, v) => a + v, 0);
      out = yMean.map((v) => v / S);
    } else out = softmax(regularizedSoftmaxBias(yMean, lambda));
    rText = mode === 'none' ? 'r = (y − 1/K)/2' : mode === 'free' ? 'r = (y − q)/2, q the class frequencies' : 'r = (y − q)/2, q = softmax of the λ-shrunk output bias';
  }
  // r = α(y − out): α = 1 (MSE), ½ (CE).
  const alpha = mse ? 1 : 0.5;
  const augmented = mode === 'regularized';
  const dim = augmented ? d + 1 : d;
  const meanR = yMean.map((v, j) => alpha * (v - out[j]));
  const R = new Float64Array(dim * k);
  for (let a = 0; a < d; a++) for (let j = 0; j < k; j++) R[a * k + j] = alpha * (xy[a * k + j] - xMean[a] * out[j]);
  if (augmented) R.set(meanR, d * k);
  const S = yMean.reduce((a, v) => a + v, 0);
  let yOut = 0;
  let outOut = 0;
  for (let j = 0; j < k; j++) {
    yOut += yMean[j] * out[j];
    outOut += out[j] * out[j];
  }
  const meanSquareR = alpha * alpha * Math.max(0, m.yy - 2 * yOut + outOut);
  return {
    mode,
    loss,
    lambda,
    out,
    meanR,
    augmented,
    dim,
    R,
    meanSquareR,
    scale2: meanSquareR * (m.xx + (augmented ? 1 : 0)),
    rText,
    curvature(v) {
      let vv = 0;
      let qv = 0;
      let qvv = 0;
      for (let j = 0; j < k; j++) {
        vv += v[j] * v[j];
        qv += out[j] * v[j];
        qvv += out[j] * v[j] * v[j];
      }
      return mse ? 2 * vv : S * (qvv - qv * qv);
    },
    residual(i, r) {
      for (let j = 0; j < k; j++) r[j] = alpha * (y[i * k + j] - out[j]);
    },
  };
}
