import { analyzePoint } from '../analysis/analyzePoint';
import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import { activeNeurons } from '../measures/activeNeurons';
import { modeSpectrum } from '../measures/modeSpectrum';
import { score, scoreKind } from '../measures/scores';
import { principalAngles, stableRank, subspaceOverlap } from '../measures/featureLearning';
import { norm2 } from '../linalg/vec';
import { layerNorms, penalty, type Layout } from '../model/layout';
import type { OptimizeResult } from '../train/objective';
import type { Mlp } from '../model/mlp';
import type { TrainingProblem } from '../train/problem';
import type { ChainDirection, PointRecord, TrajectoryRecord } from './point';

/** The first layer's overlap and principal angles with the data's latent subspace (where known) and every layer's stable rank. */
export function featureMeasures(layout: Layout, theta: Float64Array, ds: Dataset): Pick<PointRecord, 'featureOverlap' | 'principalAngles' | 'stableRanks'> {
  const weightsOf = (l: Layout['layers'][number]) => theta.subarray(l.wOffset, l.wOffset + l.fanIn * l.fanOut);
  const first = layout.layers[0];
  const overlap = ds.latent ? subspaceOverlap(weightsOf(first), first.fanIn, first.fanOut, ds.latent.basis, ds.latent.k) : null;
  // An exactly zero layer has no direction: its overlap and stable rank are undefined (NaN) and it has no angles, recorded as null.
  const angles = ds.latent ? principalAngles(weightsOf(first), first.fanIn, first.fanOut, ds.latent.basis, ds.latent.k) : [];
  const ranks = layout.layers.map((l) => stableRank(weightsOf(l), l.fanIn, l.fanOut));
  return {
    featureOverlap: overlap !== null && Number.isFinite(overlap) ? overlap : null,
    principalAngles: angles.length > 0 ? angles : null,
    stableRanks: ranks.every(Number.isFinite) ? ranks : null,
  };
}

export interface PointIdentity {
  id: string;
  index: number;
  value: number;
  across?: number;
  lambda: number;
  direction: ChainDirection;
  seed: number;
}

/** What a diverged point measures: nothing (JSON has no NaN). An MLP's and a VAE's record alike (measureVae adds its own). */
export const DIVERGED = {
  gradNorm: null,
  trainLoss: null,
  testLoss: null,
  objective: null,
  trainScore: null,
  testScore: null,
  weightNorm: null,
  layerNorms: null,
  modes: null,
  activeNeurons: null,
  featureOverlap: null,
  principalAngles: null,
  stableRanks: null,
  geometricComplexity: null,
  hessian: null,
  curvature: null,
} as const satisfies Partial<PointRecord>;

/**
 * Everything the point record says about a trained θ (the problem's λ must be the point's, and
 * `ds` the point's data: its training split is the one it trained on).
 * The problem's model should be float64: these are the numbers the views and the science use;
 * `fast` (the training model) serves the matrix-free Hessian analysis of large networks.
 */
export function measurePoint(e: Experiment, ds: Dataset, problem: TrainingProblem, fast: Mlp, who: PointIdentity, fit: OptimizeResult, escape: Pick<PointRecord, 'escapes' | 'saddle'>): PointRecord {
  const base = { ...who, converged: fit.converged, diverged: fit.diverged, steps: fit.steps, ...escape, scoreKind: scoreKind(ds.task) };
  if (fit.diverged) return { ...base, ...DIVERGED };
  const { model, layout } = problem;
  const theta = fit.theta;
  const k = layout.outputDim;
  const fTrain = model.forward(theta, problem.x, problem.n);
  const trainScore = score(ds.task, fTrain, problem.y, problem.n, k);
  const trainLoss = model.loss.valueGrad(fTrain, problem.y, problem.n, k, null);
  let testLoss: number | null = null;
  let testScore: number | null = null;
  if (ds.test.n > 0) {
    const xt = model.toModel(ds.test.x);
    const ft = model.forward(theta, xt, ds.test.n);
    testLoss = model.loss.valueGrad(ft, ds.test.y, ds.test.n, k, null);
    testScore = score(ds.task, ft, ds.test.y, ds.test.n, k);
  }
  const norms = layerNorms(layout, theta);
  const weightNorm = norms.reduce((a, b) => a + b, 0);
  return {
    ...base,
    gradNorm: fit.gradNorm,
    trainLoss,
    testLoss,
    // Recomputed in float64: the optimizer's value may be float32.
    objective: trainLoss + penalty(layout, theta, who.lambda),
    trainScore,
    testScore,
    weightNorm,
    layerNorms: norms,
    modes: modeSpectrum(model, theta, problem.x, problem.n),
    activeNeurons: activeNeurons(layout, theta, e.analysis.activeThreshold),
    ...featureMeasures(layout, theta, ds),
    geometricComplexity: e.analysis.geometricComplexity ? model.inputGradientNormSq(theta, problem.x, problem.n) : null,
    ...(e.analysis.hessian.enabled
      ? analyzePoint({ exact: model, fast }, theta, ds.train.x, ds.train.y, problem.n, who.lambda, e.analysis.hessian, e.seed, who.id)
      : { hessian: null, curvature: null }),
  };
}

/** The training path's snapshots (θ after `step` steps) measured as TrajectoryRecords, on the point's float64 problem at its λ. */
export function measureTrajectory(e: Experiment, ds: Dataset, problem: TrainingProblem, fast: Mlp, who: PointIdentity, path: { step: number; theta: Float64Array }[]): TrajectoryRecord[] {
  const grad = new Float64Array(problem.size);
  return path.map(({ step, theta }) => {
    const objective = problem.valueGrad(theta, grad);
    const gradNorm = norm2(grad);
    // A path that diverged has nothing to measure from there on (JSON has no NaN).
    if (!Number.isFinite(objective) || !Number.isFinite(gradNorm)) return { step, objective: null, gradNorm: null, featureOverlap: null, hessian: null };
    const analysis = e.analysis.hessian.enabled
      ? analyzePoint({ exact: problem.model, fast }, theta, ds.train.x, ds.train.y, problem.n, who.lambda, e.analysis.hessian, e.seed, `${who.id}/step${step}`)
      : null;
    return { step, objective, gradNorm, featureOverlap: featureMeasures(problem.layout, theta, ds).featureOverlap, hessian: analysis?.hessian ?? null };
  });
}
