// The words for a transition, for every surface that prints one (CLI report, hover, CodeLens,
// editor annotations, the panels' lists): one place, so they never disagree.
import type { Transition } from './types';

/** λ with four significant digits: a bracket refined to 2% needs three, the fourth shows where in it. */
export const lambdaText = (x: number): string => x.toPrecision(4);

const modesText = (n: number) => (n === 0 ? 'the trivial solution' : `${n} mode${n === 1 ? '' : 's'}`);

/** "λc ≈ 0.3969 (first-order, mode 2)". */
export function transitionHeadline(t: Transition): string {
  return `λc ≈ ${lambdaText(t.lambda)} (${t.order}-order, mode ${t.mode})`;
}

/**
 * What happens there: which branches cross (first-order: the global minimum switches between
 * the phase with a modes and the one with b) or which mode softens (second-order: its singular
 * value of E[∂f/∂x] goes continuously to zero).
 */
export function mechanismText(t: Transition): string {
  const [below, above] = t.phases;
  const into = t.kind === 'collapse' ? ', into the trivial regime' : '';
  if (t.order === 'first') return `the branches with ${modesText(below)} and ${modesText(above)} cross: mode ${t.mode} switches off by a jump${into}`;
  return `mode ${t.mode} softens and switches off continuously${into}`;
}

/** Where the up and down chains switch, for a jump; null without hysteresis data. */
export function hysteresisText(t: Transition): string | null {
  const h = t.hysteresis;
  if (!h) return null;
  if (h.down === null) return `hysteresis: the up chain keeps mode ${t.mode} to ${lambdaText(h.up)} (metastable), the down chain never regains it`;
  return `hysteresis ${lambdaText(Math.min(h.up, h.down))}–${lambdaText(Math.max(h.up, h.down))}`;
}

/** The whole story in one line: headline, bracket, mechanism, hysteresis, curvature, confidence. */
export function transitionText(t: Transition): string {
  const cp = t.curvatureChangePoint;
  return [
    `${transitionHeadline(t)} in [${lambdaText(t.bracket[0])}, ${lambdaText(t.bracket[1])}]`,
    mechanismText(t),
    hysteresisText(t),
    cp ? `curvature change (${cp.curve} ${cp.kind}) ${cp.distanceLog10.toFixed(3)} decades away` : null,
    `confidence ${t.confidence}`,
  ]
    .filter((x): x is string => x !== null)
    .join('; ');
}
