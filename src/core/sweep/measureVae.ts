import { analyzeVaePoint } from '../analysis/analyzeVaePoint';
import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import { activeNeurons } from '../measures/activeNeurons';
import { scoreKind } from '../measures/scores';
import { ACTIVE_UNIT_KL, vaeMeasures } from '../measures/vaeMeasures';
import { layerNorms, penalty } from '../model/layout';
import { splitTheta } from '../model/vaeLayout';
import type { VaeNoise } from '../model/vaeNoise';
import type { OptimizeResult } from '../train/objective';
import type { VaeProblem } from '../train/vaeProblem';
import { DIVERGED, featureMeasures, type PointIdentity } from './measure';
import type { PointRecord, VaeRecord } from './point';

/**
 * measurePoint for a VAE (point.ts's VaeRecord says what the shared fields mean for it), on the
 * float64 problem at the point's β and λ; the test split's reconstruction uses its own fixed
 * noise. Active hidden units are counted per network (encoder layers, then decoder layers: the
 * latent layer between them is counted by the KL instead); scores, modes and the geometric
 * complexity are an MLP's and null here.
 */
export function measureVaePoint(
  e: Experiment,
  ds: Dataset,
  problems: { exact: VaeProblem; fast: VaeProblem },
  testNoise: VaeNoise | null,
  who: PointIdentity,
  fit: OptimizeResult,
  escape: Pick<PointRecord, 'escapes' | 'saddle'>,
): PointRecord {
  const { exact } = problems;
  const threshold = e.analysis.activeKl ?? ACTIVE_UNIT_KL;
  const base = { ...who, converged: fit.converged, diverged: fit.diverged, steps: fit.steps, ...escape, scoreKind: scoreKind(ds.task), trainScore: null, testScore: null, modes: null };
  if (fit.diverged) {
    const vae: VaeRecord = { beta: exact.beta, kl: null, testKl: null, elbo: null, testElbo: null, klPerUnit: null, activeUnits: null, threshold, encoderLayers: exact.layout.encoder.layers.length };
    return { ...base, ...DIVERGED, vae };
  }
  const { vae: model, layout } = exact;
  const theta = fit.theta;
  const train = vaeMeasures(model, theta, exact.x, exact.n, exact.noise, threshold);
  const test = ds.test.n > 0 && testNoise ? vaeMeasures(model, theta, ds.test.x, ds.test.n, testNoise, threshold) : null;
  const norms = layerNorms(layout, theta);
  const th = splitTheta(layout, theta);
  const t = e.analysis.activeThreshold;
  return {
    ...base,
    gradNorm: fit.gradNorm,
    trainLoss: train.reconstruction,
    testLoss: test?.reconstruction ?? null,
    // Recomputed in float64: the optimizer's value may be float32.
    objective: train.reconstruction + exact.beta * train.kl + penalty(layout, theta, exact.lambda),
    weightNorm: norms.reduce((a, b) => a + b, 0),
    layerNorms: norms,
    activeNeurons: [...activeNeurons(layout.encoder, th.enc, t), ...activeNeurons(layout.decoder, th.dec, t)],
    ...featureMeasures(layout, theta, ds),
    geometricComplexity: null,
    ...(e.analysis.hessian.enabled ? analyzeVaePoint(problems, theta, e.analysis.hessian, e.seed, who.id) : { hessian: null, curvature: null }),
    vae: {
      beta: exact.beta,
      kl: train.kl,
      testKl: test?.kl ?? null,
      elbo: train.elbo,
      testElbo: test?.elbo ?? null,
      klPerUnit: train.klPerUnit,
      activeUnits: train.activeUnits,
      threshold,
      encoderLayers: layout.encoder.layers.length,
    },
  };
}
