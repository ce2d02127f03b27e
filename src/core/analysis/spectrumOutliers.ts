// The structure of a symmetric matrix's spectrum: the edges of its bulk and the outlier
// eigenvalues outside it (below and above). For a Hessian, outliers leaving the bulk are how a
// learning transition shows (Baik, Ben Arous & Péché 2005 for the spiked models; for networks
// Sagun et al. 2017, Papyan 2019, and the feature-learning threshold δ = n/d of issue 12).
//
// Exact eigenvalues: the soft-edge (Airy) law. At a soft edge E the density of a large random
// matrix vanishes like a square root, ρ(x) ≈ c·√(E − x), so the counting function is
// #{λ > x} ≈ (2/3)·c·N·(E − x)^{3/2} and the j-th largest bulk eigenvalue sits near
//   λ_(j) ≈ E − a·(j − ¼)^{2/3}
// (the classical locations of the Airy point process; −(3π(j − ¼)/2)^{2/3} is the asymptotic
// j-th zero of Ai, Abramowitz & Stegun 10.4.94). The largest bulk eigenvalue fluctuates around
// E on the Tracy–Widom scale s = a/(3π/2)^{2/3} (the same local density fixes both:
// λ_(j) ≈ E − s·(3π(j − ¼)/2)^{2/3}, and λ_(1) ≈ E + s·TW₁; Tracy & Widom 1996, Johnstone 2001
// for sample covariances). Both E and a are fitted by least squares to the J eigenvalues just
// inside the candidates — the fit of Onatski (2010, "Determining the number of factors from
// empirical distribution of eigenvalues", Rev. Econ. Stat. 92(4)), which regresses λ_j on
// (j − 1)^{2/3} for the same reason — so no model of the bulk (Marchenko–Pastur, semicircle)
// and no noise level is assumed, only a square-root edge, which Hessian bulks share with
// Wishart and Wigner matrices (Pennington & Bahri 2017).
//
// The test. The k largest values are outliers when the k-th is farther than `threshold`
// Tracy–Widom scales above the edge fitted to the next J (taken as bulk ranks 2…J+1, i.e. as if
// the k-th were the bulk's first); the count is the LARGEST such k up to `maxOutliers`
// (Onatski's r̂ = max{i ≤ r_max : …}, so a tight cluster of outliers, whose members do not stand
// out from each other, is found whole). Calibration (seeded GOE and Wishart matrices with no
// spike; J = clamp(⌊N/10⌋, 10, 20), maxOutliers ⌊N/10⌋, both sides tested): matrices with a false
// outlier, GOE N = 100: 5/1000 at threshold 2, 1/1000 at 3, 0/1000 at 4, 5 and 6; Wishart
// 100×400: 3/1000 at 3; GOE N = 300 and Wishart 200×800: 0/150 at 6. The default 6 leaves a
// margin for bulks less regular than these. The fitted edge lies within −1.5…+3.6 scales s of
// the true one (150 GOE, N = 500; 30 Wishart 500×2000: −0.6…+3.4). The price of the margin: an
// outlier closer than ~6 s (≈ 6·N^{-2/3} × the bulk's width) to the edge is not separated —
// which is also where, at finite N, it cannot be told from the bulk's top eigenvalue.
//
// Below the edge the same is done on −λ.
//
// Atoms. A point mass — at least ⌈J/2⌉ eigenvalues equal within `minScale` (neighbours in
// sorted order no farther apart), e.g. the 2λ of every direction the data do not touch, 40–50%
// of a Hessian at n ≪ P — is part of the bulk, never an outlier, and not a soft edge: a fit
// window inside it has slope 0, the scale collapses to minScale, and the count swung between 0
// and its cap as the atom did or did not fill the window (issue 12). So the soft-edge test runs
// on the continuous part only (the eigenvalues outside the atoms, ranked among themselves), and
// a candidate must lie beyond every atom, by t·minScale too (an atom is a bulk of width 0); with
// fewer than J continuous values left to fit, the atom alone is the bulk. The bulk is the union
// of the atoms and the fitted continuous bulk. Why ⌈J/2⌉: a group filling half the window
// flattens the fit as well (groups of 18–19 equal values at a GOE/Wishart edge, J = 20, made a
// false outlier; groups of 2–9 at either edge or inside, 288 cases, none), while smaller exact
// multiplets — symmetry orbits, a degenerate cluster beyond the bulk — stay outliers when they
// stand out. Without atoms the rule is the one above, unchanged. Not settled by this: a
// continuous part of several components (a Hessian at n ≲ P/5: its ~n data eigenvalues far
// above the residual term's, packed about 2λ, and sparse ones below) has counts set by the cap.

/** The bulk and the outliers of a spectrum. */
export interface SpectrumOutliers {
  /** [lo, hi]: the bulk's lower and upper edge (same units as the eigenvalues). */
  bulk: [number, number];
  /** Outliers below the bulk (ascending: most negative first) and above it (descending: largest first). */
  outliers: { below: number[]; above: number[] };
  /** below.length + above.length. */
  count: number;
  /** Which rule found them: the soft-edge fit to all eigenvalues, or the SLQ density's support. */
  method: 'exact' | 'slq';
}

export interface ExactOutlierOptions {
  /** Distance beyond the fitted edge, in Tracy–Widom scales s, that makes an outlier. Default 6 (see the calibration above). */
  threshold?: number;
  /** Eigenvalues the edge fit uses, J. Default clamp(⌊N/10⌋, 10, 20). */
  fitCount?: number;
  /** Largest number of outliers looked for on each side. Default ⌊N/10⌋ (at least 1 when N ≥ J + 2). */
  maxOutliers?: number;
  /**
   * Smallest Tracy–Widom scale s, absolute, and the tolerance within which eigenvalues are equal
   * (an atom, see the header). Default 1e-9·max|λ|: rounding is not a gap. Pass the Morse
   * threshold (tolerance·max|λ|) to make "outside the bulk" agree with the Morse index's idea of
   * zero.
   */
  minScale?: number;
}

/** Least-squares fit λ = E − a·x over the points (x_i, y_i). */
function fitEdge(xs: number[], ys: number[]): { edge: number; slope: number } {
  const n = xs.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) * (xs[i] - mx);
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const b = sxy / sxx; // y = edge + b·x, b = −a ≤ 0 for a soft edge
  return { edge: my - b * mx, slope: -b };
}

/** (3π/2)^{2/3}: λ_(j) ≈ E − s·(3π(j − ¼)/2)^{2/3}, so a = s·(3π/2)^{2/3}. */
const AIRY = Math.pow(1.5 * Math.PI, 2 / 3);

interface SideResult {
  /** How many of the leading values are outliers. */
  count: number;
  /** The bulk's edge at that count (in the side's orientation): the fitted soft edge, or the atoms' when nothing is fitted. */
  edge: number;
}

/**
 * One side: `desc` the continuous part descending (the top side as is, the bottom side negated),
 * `floor` the outermost atom on this side (−∞ without atoms). Returns the largest k ≤ kMax with
 * desc[k−1] > E_k + t·s_k, E_k and s_k fitted to desc[k … k+J−1] as bulk ranks 2…J+1 (skipped
 * when fewer than J values remain), and desc[k−1] > floor + t·minScale; and the edge for that k
 * (for k = 0, fitted to desc[0 … J−1] as ranks 1…J), never inside the atoms.
 */
function side(desc: ArrayLike<number>, J: number, kMax: number, t: number, minScale: number, floor: number): SideResult {
  const xs = Array.from({ length: J }, (_, i) => Math.pow(i + 2 - 0.25, 2 / 3));
  const fitAt = (k: number) => {
    if (k + J > desc.length) return { edge: -Infinity, scale: 0 };
    const ys = Array.from({ length: J }, (_, i) => desc[k + i]);
    const f = fitEdge(xs, ys);
    return { edge: f.edge, scale: Math.max(minScale, f.slope / AIRY) };
  };
  for (let k = kMax; k >= 1; k--) {
    const f = fitAt(k);
    if (desc[k - 1] > Math.max(f.edge + t * f.scale, floor + t * minScale)) return { count: k, edge: Math.max(f.edge, floor) };
  }
  // No outlier: the edge fitted to the top J with the candidate's rank 1 included.
  if (desc.length < J) return { count: 0, edge: floor };
  const xs1 = Array.from({ length: J }, (_, i) => Math.pow(i + 1 - 0.25, 2 / 3));
  const edge = fitEdge(
    xs1,
    Array.from({ length: J }, (_, i) => desc[i]),
  ).edge;
  return { count: 0, edge: Math.max(edge, floor) };
}

/** The atoms of an ascending spectrum: maximal runs of at least minSize values whose neighbours are within tol, as [start, end) index ranges. */
function atoms(asc: Float64Array, minSize: number, tol: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < asc.length;) {
    let j = i + 1;
    while (j < asc.length && asc[j] - asc[j - 1] <= tol) j++;
    if (j - i >= minSize) runs.push([i, j]);
    i = j;
  }
  return runs;
}

/**
 * Bulk edges and outliers of a spectrum given ALL its eigenvalues (any order; e.g.
 * `symmetricEigen(...).values`, an `exact` HessianRecord's `eigenvalues`), by the soft-edge test
 * of the header on each side, on the values outside the atoms. Everything is in the eigenvalues'
 * own units; the rule is invariant under λ → aλ + b (a > 0), apart from `minScale`. Needs
 * N ≥ J + 2 eigenvalues to test anything; with fewer, the bulk is [min, max] and there are no
 * outliers. N = 0: bulk [NaN, NaN].
 */
export function spectrumOutliers(eigenvalues: ArrayLike<number>, opts: ExactOutlierOptions = {}): SpectrumOutliers & { method: 'exact' } {
  const asc = Float64Array.from(eigenvalues).sort();
  const N = asc.length;
  for (let i = 0; i < N; i++) if (!Number.isFinite(asc[i])) throw new Error(`spectrumOutliers: non-finite eigenvalue ${asc[i]}`);
  if (N === 0) return { bulk: [NaN, NaN], outliers: { below: [], above: [] }, count: 0, method: 'exact' };
  const J = opts.fitCount ?? Math.min(20, Math.max(10, Math.floor(N / 10)));
  const t = opts.threshold ?? 6;
  const scaleMag = Math.max(Math.abs(asc[0]), Math.abs(asc[N - 1]));
  const minScale = opts.minScale ?? 1e-9 * scaleMag;
  if (!Number.isInteger(J) || J < 3) throw new Error(`spectrumOutliers: fitCount must be an integer ≥ 3, got ${J}`);
  if (!(t > 0)) throw new Error(`spectrumOutliers: threshold must be positive, got ${t}`);
  if (N < J + 2) return { bulk: [asc[0], asc[N - 1]], outliers: { below: [], above: [] }, count: 0, method: 'exact' };
  const kMax = opts.maxOutliers ?? Math.max(1, Math.floor(N / 10));
  const runs = atoms(asc, Math.ceil(J / 2), minScale);
  const desc = Float64Array.from(asc).reverse();
  let top: SideResult;
  let bottom: SideResult;
  if (runs.length === 0) {
    // The two sides must not claim the same eigenvalues: each leaves at least J + 1 to the bulk.
    top = side(desc, J, Math.min(kMax, N - J - 1), t, minScale, -Infinity);
    bottom = side(
      asc.map((v) => -v),
      J,
      Math.min(kMax, N - top.count - J - 1),
      t,
      minScale,
      -Infinity,
    );
  } else {
    // The continuous part; candidates are the values beyond the outermost atoms (see the header).
    const [atomLo, atomHi] = [asc[runs[0][0]], asc[runs[runs.length - 1][1] - 1]];
    const rest = asc.filter((_, i) => !runs.some(([a, b]) => i >= a && i < b));
    const above = rest.filter((v) => v > atomHi).length;
    const below = rest.filter((v) => v < atomLo).length;
    top = side(Float64Array.from(rest).reverse(), J, Math.min(kMax, above), t, minScale, atomHi);
    bottom = side(
      rest.map((v) => -v),
      J,
      Math.min(kMax, below),
      t,
      minScale,
      -atomLo,
    );
  }
  const above = Array.from(desc.subarray(0, top.count));
  const below = Array.from(asc.subarray(0, bottom.count));
  // The bulk's edges are the fitted soft edges (or the atoms'), widened to the bulk's own extreme
  // eigenvalues when those fluctuate past them (Tracy–Widom puts λ_(1) above E ~17% of the time),
  // so the bulk always contains its eigenvalues. An outlier lies beyond E + t·s by construction.
  const hi = Math.max(desc[top.count], top.edge);
  const lo = Math.min(asc[bottom.count], -bottom.edge);
  return { bulk: [lo, hi], outliers: { below, above }, count: above.length + below.length, method: 'exact' };
}

/** What the SLQ path needs: the point record's density and extreme Ritz values. */
export interface SlqSpectrum {
  /** Matrix size P (the number of eigenvalues the density stands for). */
  size: number;
  /** The SLQ density on a uniform grid, normalized to integrate to ≈ 1 (`spectralDensity`'s grid/density). */
  grid: ArrayLike<number>;
  density: ArrayLike<number>;
  /** Standard deviation of its Gaussian kernel (`spectralDensity(...).sigma`). */
  sigma: number;
  /**
   * Extreme Ritz values, any order: e.g. `extremeEigenvalues(...).bottom` and `.top` together (a
   * `lanczos` HessianRecord's `eigenvalues`). Only these can be reported as outliers, each once
   * (single-vector Lanczos does not see multiplicities); `estimated` counts the rest.
   */
  extremes: ArrayLike<number>;
}

export interface SlqOutlierOptions {
  /**
   * The bulk is where the density is at least this fraction of ρ₁ = 1/(P·σ·√(2π)), the peak
   * one eigenvalue alone gives it. Default 1: the bulk holds more than one eigenvalue per kernel.
   */
  densityFraction?: number;
}

/**
 * Bulk edges and outliers of a large spectrum from its SLQ density (see the header): the bulk is
 * the run of grid points with density ≥ densityFraction·ρ₁ that holds the most mass, its edges
 * the run's ends, linearly interpolated to the crossing (an estimate at resolution σ: it lies
 * outside a square-root edge, by 0.7–1.3σ for a semicircle with P = 1000, σ = 0.05, 8 probes).
 * Outliers are the extreme Ritz values outside it.
 * `estimated` is P × the density's mass below and above the bulk: the number of eigenvalues
 * there, including any the extreme Ritz values did not reach (Lin, Saad & Yang 2016; its
 * standard error is about √(2/probes) per isolated eigenvalue, and it includes the smoothed
 * bulk's tail beyond the crossing, 0.05–0.15 eigenvalues in the case above).
 */
export function spectrumOutliersSlq(s: SlqSpectrum, opts: SlqOutlierOptions = {}): SpectrumOutliers & { method: 'slq'; estimated: { below: number; above: number } } {
  const { size: P, grid, density, sigma } = s;
  const G = grid.length;
  if (!(P >= 1) || !Number.isInteger(P)) throw new Error(`spectrumOutliersSlq: size must be a positive integer, got ${P}`);
  if (G < 2 || density.length !== G) throw new Error(`spectrumOutliersSlq: need a grid of ≥ 2 points and one density value per point (${G}, ${density.length})`);
  if (!(sigma > 0)) throw new Error(`spectrumOutliersSlq: sigma must be positive, got ${sigma}`);
  const fraction = opts.densityFraction ?? 1;
  const level = fraction / (P * sigma * Math.sqrt(2 * Math.PI));
  // Runs of grid points at or above the level; the bulk is the one with the most mass (trapezoid).
  let best: { a: number; b: number; mass: number } | undefined;
  for (let g = 0; g < G;) {
    if (!(density[g] >= level)) {
      g++;
      continue;
    }
    const a = g;
    while (g + 1 < G && density[g + 1] >= level) g++;
    const b = g;
    let mass = 0;
    for (let i = a; i < b; i++) mass += 0.5 * (density[i] + density[i + 1]) * (grid[i + 1] - grid[i]);
    if (!best || mass > best.mass) best = { a, b, mass };
    g++;
  }
  const extremes = Array.from(s.extremes);
  if (!best) {
    // Nothing is denser than one eigenvalue per kernel: no bulk to stand outside of.
    const lo = Math.min(...extremes, grid[0]);
    const hi = Math.max(...extremes, grid[G - 1]);
    return { bulk: [lo, hi], outliers: { below: [], above: [] }, count: 0, method: 'slq', estimated: { below: 0, above: 0 } };
  }
  // Interpolate the crossings between the run's end points and their outside neighbours.
  const cross = (inside: number, outside: number) => {
    const di = density[inside] - level;
    const dout = density[outside] - level;
    return grid[inside] + ((grid[outside] - grid[inside]) * di) / (di - dout);
  };
  const lo = best.a > 0 ? cross(best.a, best.a - 1) : grid[0];
  const hi = best.b < G - 1 ? cross(best.b, best.b + 1) : grid[G - 1];
  let massBelow = 0;
  let massAbove = 0;
  for (let i = 0; i + 1 < G; i++) {
    const m = 0.5 * (density[i] + density[i + 1]) * (grid[i + 1] - grid[i]);
    if (grid[i + 1] <= lo) massBelow += m;
    else if (grid[i] >= hi) massAbove += m;
  }
  const unique = [...new Set(extremes)];
  const below = unique.filter((v) => v < lo).sort((x, y) => x - y);
  const above = unique.filter((v) => v > hi).sort((x, y) => y - x);
  return { bulk: [lo, hi], outliers: { below, above }, count: below.length + above.length, method: 'slq', estimated: { below: P * massBelow, above: P * massAbove } };
}
