// Stochastic Lanczos quadrature (SLQ) estimate of the spectral density of a large symmetric
// operator (Golub & Meurant, "Matrices, Moments and Quadrature", 2010; Lin, Saad & Yang, SIAM Rev. 2016; Ubaru, Chen & Saad,
// SIAM J. Matrix Anal. Appl. 38(4), 2017), as used for neural-network Hessians by Ghorbani,
// Krishnan & Xiao, ICML 2019, and PyHessian (Yao et al. 2020).
//
// For a unit probe v, m Lanczos steps from v give T_m = S Θ Sᵀ; the Ritz values θ_i with weights
// τ_i² = S[0,i]² are the m-point Gauss quadrature rule of the spectral measure
// μ_v = Σ_j (vᵀx_j)² δ_{λ_j}, i.e. Σ_i τ_i² f(θ_i) ≈ vᵀ f(A) v, exact for polynomials of degree
// ≤ 2m−1. With Rademacher v = z/√n, E[vᵀ f(A) v] = tr f(A)/n, so averaging the rules of several
// probes estimates the normalized spectral measure (1/n) Σ_j δ_{λ_j}; smoothing it with a
// Gaussian kernel gives a density (Ghorbani et al. 2019).

import { Rng } from '../random';
import { lanczos, type MatVec } from './lanczos';
import { tridiagonalEigen } from './tridiagonalEigen';

export interface SpectralDensityOptions {
  /** Number of Rademacher probe vectors. Default 8. */
  probes?: number;
  /** Lanczos steps per probe (number of quadrature nodes). Default 80, capped at n. */
  steps?: number;
  /** Points of the uniform output grid. Default 256. */
  gridPoints?: number;
  /**
   * Standard deviation of the Gaussian smoothing kernel. Default 0.01·(λmax − λmin), where
   * λmin/λmax are the extreme Ritz values over all probes (if that range is 0: 0.01·max|λ|, and
   * 0.01 if everything is 0). Why: PyHessian uses a kernel VARIANCE of 1e-5·max(1, λmax − λmin)
   * on a 10,000-point grid; that width depends on the units of the loss and is unresolvable on a
   * 256-point grid. A width proportional to the spectral range is invariant to rescaling the loss,
   * is ≈ 2.4 grid spacings with the default grid and padding (the trapezoid rule's error on a
   * Gaussian sampled at spacing h decays like exp(−2π²σ²/h²), negligible here), and is close
   * to the spacing of interior Ritz values (≈ range/steps = 0.0125·range at 80 steps), so
   * unconverged interior nodes blur into a smooth bulk instead of a comb.
   */
  sigma?: number;
  /** Seed of the probes; probe p uses stream `slq/probe-p`, so adding probes keeps earlier ones. Default 0. */
  seed?: number;
  /**
   * Grid margin beyond [λmin, λmax], in kernel widths. Default 4: a point mass at an extreme
   * Ritz value then loses 3e-5 of its kernel outside the grid, so the density integrates to 1
   * within 1e-4 even when the extremes carry most of the weight (with 3σ it would lose 1.3e-3
   * per end in that case).
   */
  padding?: number;
  /** Explicit grid interval [lo, hi] (e.g. shared across a sweep for comparable plots). Overrides `padding`. */
  gridRange?: [number, number];
}

export interface SpectralDensityResult {
  /** Uniform grid (gridPoints values). */
  grid: Float64Array;
  /** Smoothed density on `grid`: (1/probes) Σ_p Σ_i w_pi N(x; θ_pi, σ²). Integrates to ≈ 1 if the grid covers the support. */
  density: Float64Array;
  /** Ritz values (quadrature nodes) of each probe, ascending. */
  nodes: Float64Array[];
  /** Quadrature weights τ² of each probe (sum to 1 per probe). */
  weights: Float64Array[];
  /** Smallest / largest Ritz value over all probes (inside [λmin(A), λmax(A)], converge fastest). */
  lambdaMin: number;
  lambdaMax: number;
  /** Kernel standard deviation actually used. */
  sigma: number;
}

/**
 * Spectral density of the symmetric operator `matvec` (out ← A·v) of size n by stochastic Lanczos
 * quadrature with fully reorthogonalized Lanczos per probe.
 */
export function spectralDensity(matvec: MatVec, n: number, opts: SpectralDensityOptions = {}): SpectralDensityResult {
  const probes = opts.probes ?? 8;
  const steps = Math.min(n, opts.steps ?? 80);
  const gridPoints = opts.gridPoints ?? 256;
  const seed = opts.seed ?? 0;
  const padding = opts.padding ?? 4;
  if (!Number.isInteger(probes) || probes < 1) throw new Error(`spectralDensity: probes must be a positive integer, got ${probes}`);
  if (!Number.isInteger(gridPoints) || gridPoints < 2) throw new Error(`spectralDensity: gridPoints must be an integer ≥ 2, got ${gridPoints}`);

  const nodes: Float64Array[] = [];
  const weights: Float64Array[] = [];
  let lambdaMin = Infinity;
  let lambdaMax = -Infinity;
  const v = new Float64Array(n);
  const invSqrtN = 1 / Math.sqrt(n);
  for (let p = 0; p < probes; p++) {
    const rng = new Rng(seed, `slq/probe-${p}`);
    rng.fillSigns(v, invSqrtN);
    const lz = lanczos(matvec, n, { steps, start: v, reorthogonalize: 'full' });
    const eig = tridiagonalEigen(lz.alpha, lz.beta, { firstComponents: true });
    const fc = eig.firstComponents as Float64Array;
    const w = new Float64Array(fc.length);
    for (let i = 0; i < fc.length; i++) w[i] = fc[i] * fc[i];
    nodes.push(eig.values);
    weights.push(w);
    lambdaMin = Math.min(lambdaMin, eig.values[0]);
    lambdaMax = Math.max(lambdaMax, eig.values[eig.values.length - 1]);
  }

  let sigma = opts.sigma;
  if (sigma === undefined) {
    const range = lambdaMax - lambdaMin;
    const mag = Math.max(Math.abs(lambdaMin), Math.abs(lambdaMax));
    sigma = range > 0 ? 0.01 * range : mag > 0 ? 0.01 * mag : 0.01;
  }
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`spectralDensity: sigma must be positive, got ${sigma}`);

  const [lo, hi] = opts.gridRange ?? [lambdaMin - padding * sigma, lambdaMax + padding * sigma];
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`spectralDensity: bad grid range [${lo}, ${hi}]`);
  const grid = new Float64Array(gridPoints);
  const hstep = (hi - lo) / (gridPoints - 1);
  for (let g = 0; g < gridPoints; g++) grid[g] = lo + g * hstep;
  grid[gridPoints - 1] = hi;

  // density(x) = (1/P) Σ_p Σ_i w_pi exp(−(x−θ)²/(2σ²)) / (σ√(2π)); terms beyond 12σ (< 1e-31) skipped.
  const density = new Float64Array(gridPoints);
  const norm = 1 / (probes * sigma * Math.sqrt(2 * Math.PI));
  const inv2s2 = 1 / (2 * sigma * sigma);
  const cutoff = 12 * sigma;
  for (let p = 0; p < probes; p++) {
    const th = nodes[p];
    const wt = weights[p];
    for (let i = 0; i < th.length; i++) {
      const c = th[i];
      const wi = wt[i] * norm;
      if (wi === 0) continue;
      const g0 = Math.max(0, Math.ceil((c - cutoff - lo) / hstep));
      const g1 = Math.min(gridPoints - 1, Math.floor((c + cutoff - lo) / hstep));
      for (let g = g0; g <= g1; g++) {
        const dx = grid[g] - c;
        density[g] += wi * Math.exp(-dx * dx * inv2s2);
      }
    }
  }
  return { grid, density, nodes, weights, lambdaMin, lambdaMax, sigma };
}

export interface MomentEstimate {
  /** Mean over probes. */
  estimate: number;
  /** Standard error of the mean: sample standard deviation / √probes (NaN for one probe). */
  stdErr: number;
}

export interface SlqMoments {
  /** tr(A)/n (mean eigenvalue): per probe Σ τ²θ = vᵀAv, Hutchinson's estimator. */
  meanEigenvalue: MomentEstimate;
  /** tr(A²)/n (mean squared eigenvalue; ‖A‖_F²/n): per probe Σ τ²θ² = vᵀA²v (exact for ≥ 2 steps). */
  meanSquaredEigenvalue: MomentEstimate;
  probes: number;
}

/**
 * Moments of the SLQ spectral measure with across-probe standard errors. Gauss quadrature with m
 * nodes is exact for degree ≤ 2m−1, so per probe these equal vᵀAv and vᵀA²v up to rounding; the
 * only error is the Monte-Carlo error of the probes (Hutchinson 1989; Ubaru–Chen–Saad 2017).
 * Note the smoothed density has ∫x²ρ = meanSquaredEigenvalue + σ² (the kernel adds its variance).
 */
export function slqMoments(nodes: Float64Array[], weights: Float64Array[]): SlqMoments {
  const P = nodes.length;
  if (P === 0 || weights.length !== P) throw new Error('slqMoments: need one weight array per node array, at least one probe');
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const th = nodes[p];
    const w = weights[p];
    if (w.length !== th.length) throw new Error(`slqMoments: probe ${p} has ${th.length} nodes but ${w.length} weights`);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < th.length; i++) {
      s1 += w[i] * th[i];
      s2 += w[i] * th[i] * th[i];
    }
    m1[p] = s1;
    m2[p] = s2;
  }
  const summarize = (x: Float64Array): MomentEstimate => {
    let mean = 0;
    for (let p = 0; p < P; p++) mean += x[p];
    mean /= P;
    if (P < 2) return { estimate: mean, stdErr: NaN };
    let ss = 0;
    for (let p = 0; p < P; p++) ss += (x[p] - mean) * (x[p] - mean);
    return { estimate: mean, stdErr: Math.sqrt(ss / (P - 1) / P) };
  };
  return { meanEigenvalue: summarize(m1), meanSquaredEigenvalue: summarize(m2), probes: P };
}
