// Extreme eigenvalues (and optionally eigenvectors) of a large symmetric operator from the Ritz
// pairs of ONE Lanczos run with full reorthogonalization (Golub & Van Loan, "Matrix
// Computations", 4th ed., ch. 10; Parlett, "The Symmetric Eigenvalue Problem", 1998). Both ends of the spectrum converge first
// (Kaniel–Paige–Saad bounds), so the top-k and bottom-k come from the same Krylov space.
//
// Error control: for a Ritz pair (θ, y = Q_m s) the Lanczos relation gives the exact residual
// ‖A y − θ y‖ = β_m |s_m| (s_m = last component of the unit eigenvector s of T_m), reported as
// `topResiduals` / `bottomResiduals` without extra products. Some eigenvalue of A lies within that
// residual of θ, and within residual²/gap when θ is separated by `gap` from the rest of the
// spectrum (Kahan–Parlett–Jiang bounds, in Parlett 1998).
//
// The two ends do not converge alike on a Hessian: its top eigenvalues are outliers far apart,
// resolved in a few dozen steps, while the bottom ones (negative modes of a saddle, flat modes)
// sit at the edge of a dense bulk near zero, and the Kaniel–Paige–Saad rate there is set by their
// tiny gaps relative to the whole spectral range. A fixed step count then returns a bottom Ritz
// value still well above λmin (measured: 50 negative eigenvalues 0.001 apart below a bulk in
// [0, 1] and outliers up to 100, the bottom off by up to 2% after 80 steps and by 1e-10 after 160;
// a trained [40,40] tanh net, λmin = −8.5e-6: +5.4e-6 after 80 steps, exact after 320). So with
// `maxSteps` the run goes on past `steps` until the extreme Ritz pair at EACH end has a residual
// below `tolerance`·‖A‖: one Krylov space serves both ends, so the only extra products are the
// steps the slower end needs.
//
// Limitation inherent to single-vector Lanczos: it sees only the eigen-directions present in the
// start vector, so each eigenvalue appears once regardless of multiplicity, and on breakdown
// (start vector in an invariant subspace) fewer than k values may come back.

import { lanczos, type MatVec } from './lanczos';
import { tridiagonalEigen } from './tridiagonalEigen';

export interface ExtremeEigenOptions {
  /** How many eigenvalues to report at each end. */
  k: number;
  /** Lanczos steps m. Default max(2k + 20, 60), capped at n. More steps → tighter interior Ritz values. */
  steps?: number;
  /**
   * Budget of steps (capped at n): past `steps` the run continues until the smallest and the
   * largest Ritz pairs both have ‖A y − θ y‖ ≤ tolerance · max|θ|, or the budget is spent.
   * Default `steps` (a fixed-length run).
   */
  maxSteps?: number;
  /** Relative residual at which both extreme Ritz pairs count as converged (with `maxSteps`). Default 1e-8. */
  tolerance?: number;
  /** Seed of the Gaussian start vector (stream 'lanczos/start'). Default 0. Ignored if `start` is given. */
  seed?: number;
  /** Explicit start vector (normalized internally). */
  start?: Float64Array;
  /** Also return the Ritz vectors of the reported values. Default false. */
  vectors?: boolean;
  /** Passed to `lanczos` (relative breakdown threshold, default 1e-10). */
  breakdownTol?: number;
}

export interface ExtremeEigenResult {
  /** min(k, m) largest Ritz values, descending. */
  top: Float64Array;
  /** min(k, m) smallest Ritz values, ascending. */
  bottom: Float64Array;
  /** ‖A y − θ y‖ of each top Ritz pair (β_m |s_m|; exact up to rounding with full reorthogonalization). */
  topResiduals: Float64Array;
  /** Same for `bottom`. */
  bottomResiduals: Float64Array;
  /** Unit Ritz vectors for `top` (sign: largest-magnitude entry positive). With `vectors`. */
  topVectors?: Float64Array[];
  /** Unit Ritz vectors for `bottom`. With `vectors`. */
  bottomVectors?: Float64Array[];
  /** All m Ritz values, ascending. */
  ritzValues: Float64Array;
  /** Lanczos steps actually run (m: from `steps` to `maxSteps`; fewer on breakdown). */
  steps: number;
  /** True if Lanczos found an invariant subspace (then the Ritz values are exact eigenvalues). */
  breakdown: boolean;
}

/**
 * Whether the smallest and the largest Ritz pairs of T_k (diagonal α, off-diagonal β_0…β_{k−2}, and
 * β_{k−1} the residual norm) both have residual β_{k−1}|s_k| ≤ tolerance · max|θ|. The last
 * components s_k are the first components of the eigenvectors of T_k with its order reversed.
 */
function extremesConverged(alpha: Float64Array, beta: Float64Array, tolerance: number): boolean {
  const k = alpha.length;
  const reversed = tridiagonalEigen(alpha.slice().reverse(), beta.slice(0, k - 1).reverse(), { firstComponents: true });
  const last = reversed.firstComponents as Float64Array;
  const values = reversed.values;
  const bound = tolerance * Math.max(Math.abs(values[0]), Math.abs(values[k - 1]));
  const rk = beta[k - 1];
  return rk * Math.abs(last[0]) <= bound && rk * Math.abs(last[k - 1]) <= bound;
}

/**
 * k largest and k smallest eigenvalues of the symmetric operator `matvec` (out ← A·v) of size n,
 * with residual norms and optionally Ritz vectors, from one fully reorthogonalized Lanczos run.
 */
export function extremeEigenvalues(matvec: MatVec, n: number, opts: ExtremeEigenOptions): ExtremeEigenResult {
  const k = opts.k;
  if (!Number.isInteger(k) || k < 1) throw new Error(`extremeEigenvalues: k must be a positive integer, got ${k}`);
  const steps = Math.min(n, opts.steps ?? Math.max(2 * k + 20, 60));
  const maxSteps = Math.min(n, Math.max(steps, opts.maxSteps ?? steps));
  const tolerance = opts.tolerance ?? 1e-8;
  const wantVectors = opts.vectors === true;
  const lz = lanczos(matvec, n, {
    steps: maxSteps,
    seed: opts.seed ?? 0,
    start: opts.start,
    reorthogonalize: 'full',
    keepBasis: wantVectors,
    breakdownTol: opts.breakdownTol,
    // A check costs O(k²) (values and last components of T_k), far below ten products.
    stop: (alpha, beta, done) => done >= steps && (done - steps) % 10 === 0 && extremesConverged(alpha, beta, tolerance),
  });
  const m = lz.alpha.length;
  const eig = tridiagonalEigen(lz.alpha, lz.beta, { vectors: true });
  const s = eig.vectors as Float64Array; // m×m, column j ↔ eig.values[j]
  const kk = Math.min(k, m);
  const top = new Float64Array(kk);
  const bottom = new Float64Array(kk);
  const topResiduals = new Float64Array(kk);
  const bottomResiduals = new Float64Array(kk);
  const last = (m - 1) * m;
  for (let t = 0; t < kk; t++) {
    const jt = m - 1 - t;
    top[t] = eig.values[jt];
    topResiduals[t] = lz.residualNorm * Math.abs(s[last + jt]);
    bottom[t] = eig.values[t];
    bottomResiduals[t] = lz.residualNorm * Math.abs(s[last + t]);
  }
  const result: ExtremeEigenResult = {
    top,
    bottom,
    topResiduals,
    bottomResiduals,
    ritzValues: eig.values,
    steps: m,
    breakdown: lz.breakdown,
  };
  if (wantVectors) {
    const basis = lz.basis as Float64Array[];
    const ritzVector = (j: number): Float64Array => {
      // y = Σ_i s_ij q_i, renormalized (‖y‖ = 1 up to the O(ε) loss of orthogonality).
      const y = new Float64Array(n);
      for (let i = 0; i < m; i++) {
        const c = s[i * m + j];
        const qi = basis[i];
        for (let t = 0; t < n; t++) y[t] += c * qi[t];
      }
      let nrm = 0;
      let big = 0;
      let bigAbs = -1;
      for (let t = 0; t < n; t++) {
        nrm += y[t] * y[t];
        const a = Math.abs(y[t]);
        if (a > bigAbs) {
          bigAbs = a;
          big = y[t];
        }
      }
      const scale = (big < 0 ? -1 : 1) / Math.sqrt(nrm);
      for (let t = 0; t < n; t++) y[t] *= scale;
      return y;
    };
    result.topVectors = Array.from({ length: kk }, (_, t) => ritzVector(m - 1 - t));
    result.bottomVectors = Array.from({ length: kk }, (_, t) => ritzVector(t));
  }
  return result;
}
