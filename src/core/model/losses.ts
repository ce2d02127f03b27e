import type { LossKind } from '../config/types';
import type { Vec } from '../linalg/vec';

/**
 * Data losses with the project's conventions: MSE is the mean over samples of the squared
 * error summed over outputs (no ½); cross-entropy is the mean over samples of −Σ y log softmax(f).
 */
export interface LossFns {
  /** Loss over n rows of K outputs; when g is given, writes ∂L/∂f (n×K) into it. */
  valueGrad(f: Vec, y: Vec, n: number, k: number, g: Vec | null): number;
  /**
   * Multiplies the per-sample Hessian ∂²L/∂f² by rf (n×K) into out, in place-safe order.
   * Serves the Gauss–Newton term of Hessian-vector products.
   */
  hessianTimes(f: Vec, rf: Vec, n: number, k: number, out: Vec): void;
  /** ∂ℓ/∂f at f = 0 for one sample's target row, ℓ the per-sample loss (L = mean ℓ); λc predictions use it. */
  gradientAtZero(y: ArrayLike<number>, k: number): Float64Array;
}

const mse: LossFns = {
  valueGrad(f, y, n, k, g) {
    let s = 0;
    const len = n * k;
    const scale = 2 / n;
    for (let i = 0; i < len; i++) {
      const r = f[i] - y[i];
      s += r * r;
      if (g) g[i] = scale * r;
    }
    return s / n;
  },
  hessianTimes(_f, rf, n, k, out) {
    const scale = 2 / n;
    for (let i = 0; i < n * k; i++) out[i] = scale * rf[i];
  },
  gradientAtZero(y, k) {
    const g = new Float64Array(k);
    for (let j = 0; j < k; j++) g[j] = -2 * y[j];
    return g;
  },
};

/** Softmax of row `i` of f into p (length k); returns log Σ exp(f) for the row. */
function softmaxRow(f: Vec, i: number, k: number, p: Float64Array): number {
  const base = i * k;
  let max = -Infinity;
  for (let j = 0; j < k; j++) if (f[base + j] > max) max = f[base + j];
  let z = 0;
  for (let j = 0; j < k; j++) z += p[j] = Math.exp(f[base + j] - max);
  for (let j = 0; j < k; j++) p[j] /= z;
  return max + Math.log(z);
}

function crossEntropy(): LossFns {
  let p = new Float64Array(0);
  const probs = (k: number) => (p.length === k ? p : (p = new Float64Array(k)));
  return {
    valueGrad(f, y, n, k, g) {
      const q = probs(k);
      let s = 0;
      for (let i = 0; i < n; i++) {
        const lse = softmaxRow(f, i, k, q);
        for (let j = 0; j < k; j++) {
          const yj = y[i * k + j];
          if (yj !== 0) s -= yj * (f[i * k + j] - lse);
          if (g) g[i * k + j] = (q[j] - yj) / n;
        }
      }
      return s / n;
    },
    // Per sample ∂²L/∂f² = (diag p − p pᵀ)/n.
    hessianTimes(f, rf, n, k, out) {
      const q = probs(k);
      for (let i = 0; i < n; i++) {
        softmaxRow(f, i, k, q);
        let pr = 0;
        for (let j = 0; j < k; j++) pr += q[j] * rf[i * k + j];
        for (let j = 0; j < k; j++) out[i * k + j] = (q[j] * (rf[i * k + j] - pr)) / n;
      }
    },
    gradientAtZero(y, k) {
      const g = new Float64Array(k);
      for (let j = 0; j < k; j++) g[j] = 1 / k - y[j];
      return g;
    },
  };
}

export function lossFns(kind: LossKind): LossFns {
  return kind === 'mse' ? mse : crossEntropy();
}
