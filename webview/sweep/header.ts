// The sweep panel's header text: run name and score kind, the transitions summary
// ("2 transitions: λc ≈ 0.46 first-order (hysteresis 0.40–0.49), λc ≈ 1.0 second-order"),
// the predictions, and the line describing the selected point.
import type { PointRecord } from '../../src/core/sweep/point';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import type { RunInfo } from '../../src/protocol/webview';
import { hysteresisText } from '../shared/annotations';
import { el } from '../shared/dom';
import { fmtLambda, fmtNum } from '../shared/format';

export function transitionsSummary(transitions: Transition[], live: boolean): string {
  if (transitions.length === 0) return live ? 'No transition detected yet.' : 'No transition detected.';
  const parts = transitions.map((t) => {
    const h = hysteresisText(t);
    return `λc ≈ ${fmtLambda(t.lambda)} ${t.order}-order${h ? ` (${h})` : ''}`;
  });
  return `${transitions.length} transition${transitions.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** One line per prediction; its `why` is the tooltip. */
export function predictionItems(predictions: Prediction[]): HTMLLIElement[] {
  return predictions.map((p) => el('li', { title: p.why }, `Predicted λc ≈ ${fmtLambda(p.lambda)} ${p.order}-order (${p.exactness}): ${p.basis}`));
}

export const scoreKindText = (run: RunInfo): string => (run.scoreKind === 'accuracy' ? 'score: accuracy' : 'score: R²');

export function selectionText(p: PointRecord | undefined): string {
  if (!p) return 'No point selected: click a point or focus a chart and press →.';
  const metrics = p.diverged ? 'diverged' : `test score ${fmtNum(p.testScore)}, Σ‖W‖² ${fmtNum(p.weightNorm)}${p.hessian ? `, ${p.hessian.morse.replace('-', ' ')}` : ''}`;
  return `Selected: λ = ${fmtLambda(p.lambda)} · ${p.direction} · seed ${p.seed} — ${metrics}`;
}
