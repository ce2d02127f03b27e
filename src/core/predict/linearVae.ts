// Posterior collapse of a LINEAR VAE, closed form (after Lucas, Tucker, Grosse & Norouzi 2019,
// "Don't blame the ELBO! A linear VAE perspective on posterior collapse"), with model/vae.ts's
// conventions: encoder μ = xA + a, s = log σ_q² = xC + c (no hidden layers, or linear ones),
// decoder x̂ = zW + b (rows w_j of W, one per latent unit), gaussian observation model of
// variance σ², reconstruction ‖x − x̂‖²/(2σ²) without constants, and
//   J = (1/n)Σ_i [ (1/S)Σ_k ‖x_i − z_ik W − b‖²/(2σ²) + β·½Σ_j(μ_ij² + σ_ij² − 1 − log σ_ij²) ] + λ(‖A‖² + ‖C‖² + ‖W‖²).
//
// 0. Noise. With moment-matched noise (vaeNoise.ts's drawNoise(…, true): per row Σ_k ε = 0 and
//    (1/S)Σ_k εεᵀ = I) the mean over draws is the expectation over q exactly:
//    (1/S)Σ_k ‖r − (σ_q ⊙ ε)W‖² = ‖r‖² + Σ_j σ_j²‖w_j‖²,  r = x − μW − b.  Raw draws give it only as
//    nS → ∞, and the trained units can lean toward the draws' least-spread directions: measured on
//    the test's data (n = 160, d = 4, L = 3), the count drops 3–50% later than below for S = 1…64.
// 1. σ_q. Per row and unit σ_j² enters as σ_j²(‖w_j‖²/(2σ²) + β/2) − (β/2)log σ_j², least at
//    σ_j² = βσ²/(‖w_j‖² + βσ²), the same for every row (C = 0, the bias c gives it), where the σ
//    terms with the KL's −½β are (β/2)·log(1 + ‖w_j‖²/(βσ²)).
// 2. μ (λ = 0). Per row, min_μ ‖x − μW − b‖²/(2σ²) + (β/2)‖μ‖² is ridge regression: μ is affine in
//    x (the encoder reaches it) with value (x − b)(I + WᵀW/(βσ²))⁻¹(x − b)ᵀ/(2σ²); b = x̄. So with
//    Σ = (1/n)Σ_i (x_i − x̄)ᵀ(x_i − x̄), the covariance with 1/n (J is a mean over rows), centered:
//      J(W) = tr[(I + WᵀW/(βσ²))⁻¹ Σ]/(2σ²) + (β/2)Σ_j log(1 + ‖w_j‖²/(βσ²)) + const.
// 3. Directions. At the optimum the rows w_j are orthogonal along eigenvectors of Σ (Lucas et al.
//    2019: the linear VAE's global optimum is pPCA's); with ρ = ‖w_j‖² along eigenvalue ℓ each unit adds
//      g(ρ) = −(ℓ/(2σ²))·ρ/(ρ + βσ²) + (β/2)log(1 + ρ/(βσ²)),   g'(ρ) = (β/2)(ρ + βσ² − ℓ)/(ρ + βσ²)²,
//    so ρ* = max(0, ℓ − βσ²).
// STATEMENT (λ = 0, biases): with ℓ₁ > ℓ₂ > … the eigenvalues of the centered 1/n covariance of
// the training rows, latent direction i is active iff β·σ² < ℓ_i and collapses continuously at
//      β_i = ℓ_i / σ²;
// on the active side its unit has σ_q² = βσ²/ℓ_i, E[μ²] = 1 − βσ²/ℓ_i, and average KL
//      KL_i = ½·log(ℓ_i/(βσ²)),
// so a count of units with KL > τ drops at β_i·e^{−2τ} (0.98·β_i for τ = 0.01 nats). Only the
// top latentDim directions can be active. Bias regularization plays no part at λ = 0.
// Without biases (b = a = c = 0): x̄ is not removed and σ_q² = exp(xC) cannot be a constant ≠ 1;
// the collapsed point (A = C = W = 0) is a local minimum iff β·σ² ≥ m_i, the eigenvalues of the
// uncentered (1/n)XᵀX (the expansion below with λ = 0 and Σ → M): an exact onset only.
// λ > 0 (biases unpenalized, directions aligned as at λ = 0: the penalty is rotation-invariant).
// Per direction, μ_j = α(x − x̄)u, w_j = ωu, σ_j²:
//      h = (ω²α²ℓ − 2ωαℓ + ω²σ_j²)/(2σ²) + (β/2)(α²ℓ + σ_j² − 1 − log σ_j²) + λ(α² + ω²).
// At the collapsed point (0, 0, 1) the (α, ω) Hessian is [[βℓ + 2λ, −ℓ/σ²], [−ℓ/σ², 1/σ² + 2λ]]
// (σ_j² decouples at second order); it is positive semidefinite iff
//      β ≥ β_i(λ) = ℓ_i/(σ²(1 + 2λσ²)) − 2λ/ℓ_i     (β_i(λ) ≤ 0: locally stable at every β),
// exactly (collapsed units are also stable along the active directions: their residual
// covariance there is smaller). Eliminating σ_j² and α exactly leaves, with u = ω²,
//      h(u) = −ℓ²u/(2σ²(uℓ + (βℓ + 2λ)σ²)) + (β/2)log(1 + u/(βσ²)) + λu,
// whose curvature at u = 0 and β_i(λ) is positive iff ℓ_i²(1 + 4λσ²) > 4λσ²(1 + 2λσ²)². Then the
// collapse is continuous at β_i(λ); otherwise it is first order, the active minimum outliving
// β_i(λ) (the collapsed point is a saddle below β_i(λ), a local minimum above). Both cases checked against a global minimization of h(u) on a grid, 6000 random
// (ℓ, σ², λ) over 3–5 decades each: no exception. The first-order collapse itself is at the β*
// where the active branch's min_u h(u) reaches 0 (the collapsed point's h), found numerically; it
// can exist even where β_i(λ) ≤ 0 (the collapsed point stable at every β, the active branch lower below β*).
// Unit KL at λ > 0: the active minimum's u solves h'(u) = −ℓ²B/(2(uℓ + Bσ²)²) + β/(2(βσ² + u)) + λ = 0,
// B = βℓ + 2λ, and the eliminated variables are α = ωℓ/(uℓ + Bσ²), σ_j² = βσ²/(βσ² + u), so
// KL_i = ½(α²ℓ + σ_j² − 1 − log σ_j²) (½·log(ℓ/(βσ²)) at λ = 0). It falls to 0 at a continuous
// collapse, so the count drops where it crosses τ (bisection in β); at a jump from above τ, at β*.

import { ACTIVE_UNIT_KL } from '../measures/vaeMeasures';
import { symmetricEigen } from '../linalg/symmetricEigen';
import type { Exactness } from './types';

export interface LinearVaeOptions {
  latentDim: number;
  /** σ² of the gaussian observation model. */
  observationVariance: number;
  /** L2 strength λ (biases unpenalized). Default 0. */
  lambda?: number;
  /** The model has biases (the centered covariance). Default true. */
  bias?: boolean;
  /** KL threshold (nats) of the active-unit count, for `activeUntil`. Default ACTIVE_UNIT_KL. */
  threshold?: number;
}

/** One latent direction's collapse. */
export interface LinearVaeCollapse {
  /** 0-based rank of the direction (by eigenvalue, largest first). */
  direction: number;
  /** ℓ_i: the covariance's eigenvalue (1/n; centered with biases, else the second moment). */
  eigenvalue: number;
  /** β_i(λ): where the collapsed point becomes locally stable (the collapse itself when continuous). */
  beta: number;
  /** With biases: where the global minimum collapses (β_i(λ), or the first-order β* above it); null without biases or when collapsed at every β. */
  collapse: number | null;
  /** The collapse is a jump (the active branch outlives β_i(λ) as the global minimum up to β*). */
  firstOrder: boolean;
  /** With biases: the β below which the unit's KL exceeds the threshold (β_i·e^{−2τ} at λ = 0; the collapse itself when the KL jumps from above it); otherwise null. */
  activeUntil: number | null;
  exactness: Exactness;
}

/** β_i(λ) = ℓ/(σ²(1 + 2λσ²)) − 2λ/ℓ; ℓ/σ² at λ = 0. */
export function linearVaeCriticalBeta(eigenvalue: number, variance: number, lambda = 0): number {
  return eigenvalue / (variance * (1 + 2 * lambda * variance)) - (lambda > 0 ? (2 * lambda) / eigenvalue : 0);
}

/**
 * λ > 0, biases: the active branch at β, the lowest local minimum u > 0 of h(u) (header), with
 * h there (the collapsed point has h = 0); null when h has no minimum in u > 0. h' has at most
 * three zeros (a cubic over positive factors), so a log grid over 15 decades of u brackets each.
 */
function activeBranch(l: number, beta: number, s2: number, lambda: number): { u: number; h: number } | null {
  const b = beta * l + 2 * lambda;
  const h = (u: number) => (-l * l * u) / (2 * s2 * (u * l + b * s2)) + (beta / 2) * Math.log1p(u / (beta * s2)) + lambda * u;
  const dh = (u: number) => (-l * l * b) / (2 * (u * l + b * s2) ** 2) + beta / (2 * (beta * s2 + u)) + lambda;
  let best: { u: number; h: number } | null = null;
  const at = (k: number) => l * Math.pow(10, -12 + (15 * k) / 600);
  for (let k = 0; k < 600; k++) {
    let [lo, hi] = [at(k), at(k + 1)];
    if (!(dh(lo) < 0 && dh(hi) >= 0)) continue;
    for (let j = 0; j < 100 && hi - lo > 1e-15 * hi; j++) {
      const mid = (lo + hi) / 2;
      if (dh(mid) < 0) lo = mid;
      else hi = mid;
    }
    const u = (lo + hi) / 2;
    if (!best || h(u) < best.h) best = { u, h: h(u) };
  }
  return best;
}

/** With biases: a unit's average KL along eigenvalue ℓ at the global minimum, 0 once collapsed (½·log(ℓ/(βσ²)) at λ = 0). */
export function linearVaeUnitKl(eigenvalue: number, beta: number, variance: number, lambda = 0): number {
  if (lambda === 0) return Math.max(0, 0.5 * Math.log(eigenvalue / (beta * variance)));
  const active = activeBranch(eigenvalue, beta, variance, lambda);
  if (!active || !(active.h < 0)) return 0;
  const { u } = active;
  const l = eigenvalue;
  const mean2 = (u * l ** 3) / (u * l + (beta * l + 2 * lambda) * variance) ** 2;
  const s2q = (beta * variance) / (beta * variance + u);
  return Math.max(0, 0.5 * (mean2 + s2q - 1 - Math.log(s2q)));
}

/**
 * λ > 0, biases: where the global minimum collapses. Continuous: β_i(λ). First order: the β* above
 * β_i(λ) (or above 0 when β_i(λ) ≤ 0: the collapsed point is then stable at every β, yet the active
 * branch can still be lower) where the active branch's h reaches 0, by bisection; it is below ℓ/σ²,
 * beyond which h ≥ its λ = 0 form ≥ 0. Null when the active branch is never the lower.
 */
function collapseBeta(l: number, s2: number, lambda: number, continuous: boolean): number | null {
  const onset = linearVaeCriticalBeta(l, s2, lambda);
  if (continuous) return onset > 0 ? onset : null;
  const below = (beta: number) => (activeBranch(l, beta, s2, lambda)?.h ?? 0) < 0;
  const lo = Math.max(onset, 1e-9 * (l / s2));
  const hi = l / s2;
  if (!below(lo)) return null;
  return bisectLog(lo, hi, below, 1e-10);
}

/** λ > 0, biases: where the active-unit count (KL > τ) drops: at the collapse when the KL jumps there from above τ, else where it falls to τ (bisection in log β). */
function klThresholdBeta(l: number, s2: number, lambda: number, collapse: number, tau: number): number | null {
  const kl = (beta: number) => linearVaeUnitKl(l, beta, s2, lambda);
  const hi = collapse;
  if (kl(hi * (1 - 1e-9)) > tau) return hi;
  let lo = hi / 2;
  for (let k = 0; kl(lo) <= tau; k++) {
    if (k > 60) return null;
    lo /= 2;
  }
  return bisectLog(lo, hi, (beta) => kl(beta) > tau, 1e-12);
}

/** The β in [lo, hi] where `holds` turns false (true at lo, false at hi), by bisection in log β to relative width `tol`. */
function bisectLog(lo: number, hi: number, holds: (beta: number) => boolean, tol: number): number {
  while (hi / lo - 1 > tol) {
    const mid = Math.sqrt(lo * hi);
    if (holds(mid)) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** The 1/n covariance of the n×d rows (centered) or their second moment (1/n)XᵀX, d×d. */
export function dataCovariance(x: ArrayLike<number>, n: number, d: number, centered: boolean): Float64Array {
  const mean = new Float64Array(d);
  if (centered) {
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a] / n;
  }
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = x[i * d + a] - mean[a];
      for (let b = 0; b <= a; b++) c[a * d + b] += (xa * (x[i * d + b] - mean[b])) / n;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) c[b * d + a] = c[a * d + b];
  return c;
}

/**
 * The covariance's eigenvalues, descending, kept per data array: the rows of a β × λ sweep
 * (predict/rows.ts) share one training split, and its O(n·d²) covariance is the prediction's cost.
 */
const spectra = new WeakMap<object, Map<string, number[]>>();
function covarianceSpectrum(x: ArrayLike<number>, n: number, d: number, centered: boolean): number[] {
  const byShape = spectra.get(x) ?? new Map<string, number[]>();
  spectra.set(x, byShape);
  const key = `${n}|${d}|${centered}`;
  let values = byShape.get(key);
  if (!values) byShape.set(key, (values = Array.from(symmetricEigen(dataCovariance(x, n, d, centered), d).values).reverse()));
  return values;
}

/** The collapse of each of the top min(latentDim, d) directions of the data x (n×d), in ascending β. */
export function linearVaeCollapses(x: ArrayLike<number>, n: number, d: number, opts: LinearVaeOptions): LinearVaeCollapse[] {
  const { latentDim, observationVariance: s2 } = opts;
  const lambda = opts.lambda ?? 0;
  const bias = opts.bias ?? true;
  const tau = opts.threshold ?? ACTIVE_UNIT_KL;
  const values = covarianceSpectrum(x, n, d, bias);
  return values.slice(0, Math.min(latentDim, d)).map((l, direction) => {
    const g = 2 * lambda * s2;
    const continuous = lambda === 0 || l * l * (1 + 2 * g) > 2 * g * (1 + g) * (1 + g);
    const beta = linearVaeCriticalBeta(l, s2, lambda);
    if (!bias) return { direction, eigenvalue: l, beta, collapse: null, firstOrder: false, activeUntil: null, exactness: 'exact-onset' };
    const collapse = lambda === 0 ? beta : collapseBeta(l, s2, lambda, continuous);
    const until = collapse === null ? null : lambda === 0 ? beta * Math.exp(-2 * tau) : klThresholdBeta(l, s2, lambda, collapse, tau);
    return { direction, eigenvalue: l, beta, collapse, firstOrder: !continuous, activeUntil: until, exactness: 'exact' };
  });
}
