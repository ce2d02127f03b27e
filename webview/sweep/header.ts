// The sweep panel's header text: run name and score kind, the transitions summary
// in the CodeLens's words ("2 transitions: λc ≈ 0.4642 (first-order, mode 1), λc ≈ 1.02
// (second-order, mode 1)", then the hysteresis loops),
// the predictions, and the line describing the selected point.
import { pointAt } from '../shared/axis';
import type { PointRecord } from '../../src/core/sweep/point';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import type { RunInfo } from '../../src/protocol/webview';
import { hysteresisText, predictionHeadline, transitionsHeadline } from '../../src/core/transitions/text';
import { el } from '../shared/dom';
import { fmtNum } from '../shared/format';

/** The same text as the CodeLens above the config (transitionsHeadline), so the two can be compared. */
export function transitionsSummary(transitions: Transition[], live: boolean): string {
  if (transitions.length === 0) return live ? 'No transition detected yet.' : 'No transition detected.';
  return `${transitions.length} transition${transitions.length === 1 ? '' : 's'}: ${transitionsHeadline(transitions, live)}`;
}

/** The hysteresis loops, one per jump that has one: the summary's tooltip. */
export function hysteresisSummary(transitions: Transition[]): string {
  return transitions
    .map(hysteresisText)
    .filter((h): h is string => h !== null)
    .join('; ');
}

/** One line per prediction; its `why` is the tooltip. */
export function predictionItems(predictions: Prediction[]): HTMLLIElement[] {
  return predictions.map((p) => el('li', { title: p.why }, `Predicted ${predictionHeadline(p)}: ${p.basis}`));
}

export const scoreKindText = (run: RunInfo): string => (run.model === 'vae' ? 'variational autoencoder' : run.scoreKind === 'accuracy' ? 'score: accuracy' : 'score: R²');

/** What the selection line says of a trained point: a VAE's reconstruction, KL and active units, an MLP's test score; both Σ‖W‖² and the Morse data. */
function pointMetrics(p: PointRecord): string {
  const v = p.vae;
  const head = v ? `test reconstruction ${fmtNum(p.testLoss)}, KL ${fmtNum(v.kl)}, ${v.activeUnits ?? '?'} of ${v.klPerUnit?.length ?? '?'} latent units active` : `test score ${fmtNum(p.testScore)}`;
  return `${head}, Σ‖W‖² ${fmtNum(p.weightNorm)}${p.hessian ? `, ${p.hessian.morse.replace('-', ' ')}` : ''}`;
}

export function selectionText(p: PointRecord | undefined): string {
  if (!p) return 'No point selected: click a point or focus a chart and press →.';
  const metrics = p.diverged ? 'diverged' : pointMetrics(p);
  return `Selected: ${pointAt(p)} · ${p.direction} · seed ${p.seed} — ${metrics}`;
}
