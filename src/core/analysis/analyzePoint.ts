import type { HessianSettings } from '../config/types';
import { extremeEigenvalues } from '../linalg/extremeEigenpairs';
import type { MatVec } from '../linalg/lanczos';
import { spectralDensity } from '../linalg/slq';
import { symmetricEigen } from '../linalg/symmetricEigen';
import type { Kernels } from '../kernels/kernels';
import { assembleHessian, DataHessian } from '../model/hessian';
import { addPenaltyHessian, penalty, type Layout } from '../model/layout';
import type { Mlp } from '../model/mlp';
import { dot } from '../linalg/vec';
import { Rng } from '../random';
import { normalCurvature, scalarCurvature, scalarCurvatureStdErr, type CurvatureInputs } from './curvature';
import { hutchinson } from './hutchinson';
import { morseCheck, morseClass, type MorseClass } from './morse';
import { spectrumOutliers, spectrumOutliersSlq, type SpectrumOutliers } from './spectrumOutliers';

/** The spectrum of the objective's Hessian at a trained point (a point record's `hessian`). */
export interface HessianRecord {
  of: 'objective';
  size: number;
  method: 'exact' | 'lanczos';
  /** exact: all P eigenvalues; lanczos: the bottom-k and top-k Ritz values. Ascending. */
  eigenvalues: number[];
  /** lanczos: SLQ spectral density on a grid (integrates to 1), with its Gaussian width. */
  density?: { grid: number[]; values: number[]; sigma: number };
  trace: number;
  traceStdErr?: number;
  /** Morse index: eigenvalues below −threshold (lanczos: P × the SLQ mass there, rounded). */
  negativeCount: number;
  nullity: number;
  morse: MorseClass;
  /** Relative tolerance (setting) and the absolute threshold it gave: tolerance × max|λ|. */
  tolerance: number;
  threshold: number;
  /** True when the counts come from the SLQ density rather than from all eigenvalues. */
  countsEstimated: boolean;
  /**
   * The spectrum's structure (analysis/spectrumOutliers): the bulk's edges and the eigenvalues
   * outside it, below and above (lanczos: the extreme Ritz values outside the SLQ bulk). Absent
   * in records written before it was recorded.
   */
  outliers?: { bulk: [number, number]; below: number[]; above: number[]; count: number };
}

/** Scalar curvature of the error (data loss) and objective landscapes, and normal curvatures of the objective. */
export interface CurvatureRecord {
  error: number;
  objective: number;
  errorStdErr?: number;
  objectiveStdErr?: number;
  /** Normal curvature of the objective's graph along its top and bottom Hessian eigenvectors. */
  alongTop: number;
  alongBottom: number;
}

export interface PointAnalysis {
  hessian: HessianRecord;
  curvature: CurvatureRecord;
}

/** The record's form of a spectrum's structure. */
function structure(o: SpectrumOutliers): HessianRecord['outliers'] {
  return { bulk: o.bulk, below: o.outliers.below, above: o.outliers.above, count: o.count };
}

type Apply = MatVec;

/** gᵀHg, ‖Hg‖² and ‖g‖² from one product. */
function gradientTerms(apply: Apply, g: Float64Array): Pick<CurvatureInputs, 'gHg' | 'gH2g' | 'g2'> {
  const hg = new Float64Array(g.length);
  apply(g, hg);
  return { gHg: dot(g, hg), gH2g: dot(hg, hg), g2: dot(g, g) };
}

function denseApply(h: Float64Array, size: number): Apply {
  return (v, out) => {
    for (let i = 0; i < size; i++) {
      let s = 0;
      const r = i * size;
      for (let j = 0; j < size; j++) s += h[r + j] * v[j];
      out[i] = s;
    }
  };
}

/** One landscape's data terms at θ, as the analysis reads them: exact products, the gradient, and (exact path) the dense Hessian. */
export interface LandscapeTerms {
  apply: Apply;
  gradient: Float64Array;
  /** The P×P Hessian, row-major (called on the exact path only). */
  assemble(): Float64Array;
}

/** What analyzeLandscape needs of a model at θ, on the exact (float64) or the fast (training) model. */
export interface LandscapeOperators {
  kernels: Kernels;
  /** The objective's data terms (without the penalty): an MLP's data loss, a VAE's reconstruction + β·KL. */
  data: LandscapeTerms;
  /** The error landscape, where it differs from the data terms (a VAE's reconstruction); absent: the data terms. */
  error?: LandscapeTerms;
}

/**
 * Hessian spectrum, Morse check and curvatures at θ for the objective data loss + λ·penalty.
 * Up to `exactLimit` parameters everything is float64 (`exact`, a float64 model): nullity
 * needs eigenvalues resolved far below 1e-6·max|λ|, and float32 assembly errs by ~3e-7 of it
 * (measured). Above it the matrix-free path runs on `fast` (the training model, float32 on the
 * fast kernels): float64 products would take minutes there, and its counts are estimates anyway.
 * `seed` and `point` (the point's id) name every random stream (Lanczos start, SLQ and Hutchinson
 * probes): reproducible per point, and independent between the points of a sweep, whose errors
 * would otherwise all lean the same way (one draw of the probes seen through similar Hessians).
 */
export function analyzePoint(
  models: { exact: Mlp; fast: Mlp },
  theta: ArrayLike<number>,
  x: Float64Array,
  y: Float64Array,
  n: number,
  lambda: number,
  s: HessianSettings,
  seed: number,
  point = '',
): PointAnalysis {
  const { layout } = models.exact;
  const operators = (exact: boolean): LandscapeOperators => {
    const model = exact ? models.exact : models.fast;
    const hd = new DataHessian(model, theta, model.toModel(x), model.toModel(y), n);
    return { kernels: model.kernels, data: { apply: (v, out) => hd.apply(v, out), gradient: hd.gradient, assemble: () => assembleHessian(hd, layout) } };
  };
  return analyzeLandscape(layout, operators, theta, lambda, s, seed, point);
}

/**
 * analyzePoint for any model: the spectrum of the objective data terms + λ·penalty (layout.ts's
 * penalty on `layout`) and the curvatures of the error and objective landscapes, from the
 * model's operators at θ (`operators(true)`: float64, up to `exactLimit` parameters; else the
 * training model's).
 */
export function analyzeLandscape(
  layout: Layout,
  operators: (exact: boolean) => LandscapeOperators,
  theta: ArrayLike<number>,
  lambda: number,
  s: HessianSettings,
  seed: number,
  point = '',
): PointAnalysis {
  const pointSeed = new Rng(seed, `analysis/${point}`).nextUint32();
  // Lanczos runs past lanczosSteps until both extreme Ritz pairs have converged (the bottom of a
  // Hessian, at the edge of its bulk, takes longer: a [40,40] tanh net needed 160–320 steps), to
  // a residual of 1% of the Morse threshold, which then cannot move a count across it.
  const lanczosOptions = { maxSteps: 4 * s.lanczosSteps, tolerance: 0.01 * s.tolerance, vectors: true, seed: pointSeed };
  const size = layout.size;
  const ops = operators(size <= s.exactLimit);
  const errorTerms = ops.error ?? ops.data;
  const applyError: Apply = errorTerms.apply;
  const applyObjective: Apply = (v, out) => {
    ops.data.apply(v, out);
    for (const [a, b] of layout.penalized) for (let i = a; i < b; i++) out[i] += 2 * lambda * v[i];
  };
  const gError = errorTerms.gradient;
  const gObjective = Float64Array.from(ops.data.gradient);
  penalty(layout, theta, lambda, gObjective);
  const g2 = dot(gObjective, gObjective);
  /** Normal curvature along a unit eigenvector (the eigenvalue itself when no vector came back). */
  const along = (u: Float64Array | undefined, eigenvalue: number) => (u ? normalCurvature(eigenvalue, dot(gObjective, u), g2) : eigenvalue);

  if (size <= s.exactLimit) {
    const hData = ops.data.assemble();
    const he = ops.error ? ops.error.assemble() : hData;
    const ho = Float64Array.from(hData);
    addPenaltyHessian(layout, ho, lambda);
    const values = symmetricEigen(ho, size, { kernels: ops.kernels }).values;
    const check = morseCheck(values, s.tolerance);
    const traces = (h: Float64Array) => {
      let trH = 0;
      let trH2 = 0;
      for (let i = 0; i < size; i++) trH += h[i * size + i];
      for (let i = 0; i < h.length; i++) trH2 += h[i] * h[i];
      return { trH, trH2 };
    };
    const to = traces(ho);
    // Extreme eigenvectors of the dense matrix by Lanczos: cheap, unlike all P vectors.
    const ext = extremeEigenvalues(denseApply(ho, size), size, { k: 1, ...lanczosOptions });
    return {
      hessian: {
        of: 'objective',
        size,
        method: 'exact',
        eigenvalues: Array.from(values),
        trace: to.trH,
        negativeCount: check.negativeCount,
        nullity: check.nullity,
        morse: check.morse,
        tolerance: s.tolerance,
        threshold: check.threshold,
        countsEstimated: false,
        // The Morse threshold as the smallest scale: "outside the bulk" agrees with the Morse index's zero.
        outliers: structure(spectrumOutliers(values, { minScale: check.threshold })),
      },
      curvature: {
        error: scalarCurvature({ ...traces(he), ...gradientTerms(denseApply(he, size), gError) }),
        objective: scalarCurvature({ ...to, ...gradientTerms(denseApply(ho, size), gObjective) }),
        alongTop: along(ext.topVectors?.[0], values[size - 1]),
        alongBottom: along(ext.bottomVectors?.[0], values[0]),
      },
    };
  }

  const ext = extremeEigenvalues(applyObjective, size, { k: s.topK, steps: s.lanczosSteps, ...lanczosOptions });
  const slq = spectralDensity(applyObjective, size, { probes: s.slqProbes, steps: s.lanczosSteps, gridPoints: s.slqGridPoints, seed: pointSeed });
  const scale = Math.max(Math.abs(ext.top[0] ?? 0), Math.abs(ext.bottom[0] ?? 0));
  const threshold = s.tolerance * scale;
  let negMass = 0;
  let zeroMass = 0;
  slq.nodes.forEach((nodes, p) =>
    nodes.forEach((t, i) => {
      if (t < -threshold) negMass += slq.weights[p][i];
      else if (t <= threshold) zeroMass += slq.weights[p][i];
    }),
  );
  const negativeCount = Math.round((size * negMass) / slq.nodes.length);
  const nullity = Math.round((size * zeroMass) / slq.nodes.length);
  // The top Ritz vectors carry most of the probes' variance; their part of each trace is exact.
  const probes = { probes: s.hutchinsonProbes, seed: pointSeed, deflate: ext.topVectors };
  const ho = hutchinson(applyObjective, size, { ...probes, stream: 'hutchinson/objective' });
  const he = hutchinson(applyError, size, { ...probes, stream: 'hutchinson/error' });
  const inputs = (t: typeof ho, apply: Apply, g: Float64Array): CurvatureInputs => ({ trH: t.trace, trH2: t.trace2, ...gradientTerms(apply, g) });
  const ci = inputs(ho, applyObjective, gObjective);
  const ce = inputs(he, applyError, gError);
  const eigenvalues = [...Array.from(ext.bottom), ...Array.from(ext.top)].sort((a, b) => a - b);
  return {
    hessian: {
      of: 'objective',
      size,
      method: 'lanczos',
      eigenvalues: eigenvalues.filter((v, i) => i === 0 || v !== eigenvalues[i - 1]),
      density: { grid: Array.from(slq.grid), values: Array.from(slq.density), sigma: slq.sigma },
      trace: ho.trace,
      traceStdErr: ho.traceStdErr,
      negativeCount,
      nullity,
      morse: morseClass(negativeCount, nullity),
      tolerance: s.tolerance,
      threshold,
      countsEstimated: true,
      outliers: structure(spectrumOutliersSlq({ size, grid: slq.grid, density: slq.density, sigma: slq.sigma, extremes: [...ext.bottom, ...ext.top] })),
    },
    curvature: {
      error: scalarCurvature(ce),
      objective: scalarCurvature(ci),
      errorStdErr: scalarCurvatureStdErr(ce, he.traceStdErr, he.trace2StdErr),
      objectiveStdErr: scalarCurvatureStdErr(ci, ho.traceStdErr, ho.trace2StdErr),
      alongTop: along(ext.topVectors?.[0], ext.top[0]),
      alongBottom: along(ext.bottomVectors?.[0], ext.bottom[0]),
    },
  };
}
