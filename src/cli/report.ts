import type { RunSummary } from '../core/results/summary';
import type { Experiment, SweepConfig } from '../core/config/types';
import { axisWords, sweptAxes, type AxisId } from '../core/sweep/axis';
import type { PointRecord } from '../core/sweep/point';
import { durationText, numText } from '../core/text/numbers';
import { noPredictionText, predictionText, transitionText } from '../core/transitions/text';
import type { Prediction } from '../core/transitions/types';

const num = (v: number | null, digits?: number) => (v === null ? '—' : numText(v, digits));

/**
 * The table a person reads after a run: one row per point, in canonical order. A VAE's columns
 * are its reconstruction (the losses), KL, ELBO and active latent units in place of the score,
 * the hidden units and the geometric complexity.
 */
export function pointsTable(points: PointRecord[], sweep: SweepConfig): string {
  const vae = points.some((p) => p.vae);
  const middle = vae
    ? ['train rec', 'test rec', 'KL', 'test ELBO', '‖W‖²', 'active z']
    : ['train loss', 'test loss', points[0]?.scoreKind === 'accuracy' ? 'test acc' : 'test R²', '‖W‖²', 'active', 'GC'];
  const head = [axisWords(sweep).symbol, ...(sweep.across ? [axisWords(sweep.across).symbol] : []), 'dir', 'seed', ...middle, 'steps', 'ok'];
  const measures = (p: PointRecord): string[] =>
    p.vae
      ? [num(p.trainLoss), num(p.testLoss), num(p.vae.kl), num(p.vae.testElbo), num(p.weightNorm), p.vae.activeUnits === null ? '—' : String(p.vae.activeUnits)]
      : [num(p.trainLoss), num(p.testLoss), num(p.testScore, 3), num(p.weightNorm), p.activeNeurons ? p.activeNeurons.join('/') : '—', num(p.geometricComplexity)];
  const rows = points.map((p) => [
    numText(p.value),
    ...(sweep.across ? [numText(p.across ?? NaN)] : []),
    p.direction,
    String(p.seed),
    ...measures(p),
    String(p.steps),
    p.diverged ? 'diverged' : p.converged ? 'yes' : 'no',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const text = sweep.across ? 4 : 3;
  const fmt = (r: string[]) => r.map((c, i) => (i < text ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

/** One line per prediction: λc, order, how exact, and why; for none, what that means on the swept axes. */
export function predictionLines(predictions: Prediction[], swept: AxisId[]): string[] {
  if (predictions.length === 0) return [`predicted: ${noPredictionText(swept).toLowerCase()}`];
  return predictions.map((p) => `predicted: ${predictionText(p)}`);
}

/** One line per transition (transitions/text.ts). */
export function transitionLines(s: RunSummary): string[] {
  if (s.transitionsWithheld) return [`transitions: not here: ${s.transitionsWithheld}`];
  if (s.transitions.length === 0) return ['transitions: none found'];
  return s.transitions.map((t) => `transition: ${transitionText(t)}`);
}

export function summaryLines(s: RunSummary, outDir: string, e: Pick<Experiment, 'sweep' | 'model'>): string {
  const p = s.points;
  const sweep = e.sweep;
  // Jacot et al.'s bound is of an L2-regularized MLP's hidden layers.
  const bound = e.model.kind === 'vae' ? '' : `; active units per layer are bounded by N(N+1) = ${s.activeNeuronBound} (N = ${s.dataset.nTrain} training samples)`;
  return [
    `${s.name}: ${s.status}, ${p.finished}/${p.expected} points (${p.converged} converged, ${p.diverged} diverged) in ${durationText(s.timings.wallSeconds)}`,
    `backend: ${s.backend.join('; ') || 'none (nothing left to train)'}`,
    `parameters: ${s.parameterCount}${bound}`,
    ...predictionLines(s.predictions, sweptAxes(sweep)),
    ...transitionLines(s),
    ...s.errors.map((e) => `error: ${e}`),
    `results: ${outDir}`,
  ].join('\n');
}
