// The words for a transition or a prediction, for every surface that prints one (CLI report,
// hover, CodeLens, editor annotations, the runner's log, the panels' labels and lists): one
// place, so they never disagree. Numbers follow the one precision rule of core/text/numbers.
import type { RunSummary } from '../results/summary';
import type { AxisConfig } from '../config/types';
import { AXIS_WORDS, axisWords, type AxisId } from '../sweep/axis';
import { countText, durationText, fractionText, lambdaText, numText } from '../text/numbers';
import type { Prediction, Transition } from './types';

export { lambdaText };

/** "λc", "δc", "nc": the critical value's name on an axis. */
export const criticalName = (axis: AxisId): string => `${AXIS_WORDS[axis].symbol}c`;

/**
 * The knob whose critical values a prediction is of: the first axis when a theory is of it (λ; a
 * VAE's β, also per λ row), else λ when it is swept at all (δ × λ: the full split's λc), else the
 * first axis (whose prediction, if any, the notes explain).
 */
export const predictedAxis = (swept: AxisId[]): AxisId => (swept[0] === 'lambda' || swept[0] === 'beta' ? swept[0] : swept.includes('lambda') ? 'lambda' : swept[0]);

/** Where a point sits on the sweep: "λ = 0.5", "δ = 2.5", with a 2-D sweep's second coordinate ("λ = 0.01, δ = 2"). */
export function coordinatesText(p: { value: number; across?: number }, sweep: AxisConfig & { across?: AxisConfig }): string {
  const first = `${axisWords(sweep).symbol} = ${numText(p.value)}`;
  return sweep.across && p.across !== undefined ? `${first}, ${axisWords(sweep.across).symbol} = ${numText(p.across)}` : first;
}

/** A 2-D sweep's row of a transition or a per-row prediction, " at n = 120", or nothing. */
const rowText = (t: Pick<Transition, 'across' | 'acrossAxis'>): string => (t.across === undefined ? '' : ` at ${t.acrossAxis ? AXIS_WORDS[t.acrossAxis].symbol : 'row'} = ${numText(t.across)}`);

const modesText = (n: number) => (n === 0 ? 'the trivial solution' : `${n} mode${n === 1 ? '' : 's'}`);

/** A VAE's transition of its active latent units (the count of units whose KL exceeds the threshold). */
const latent = (t: Transition): boolean => t.observable === 'activeUnits';

/** "mode 2", or a VAE's "latent unit 2". */
const modeName = (t: Transition): string => `${latent(t) ? 'latent unit' : 'mode'} ${t.mode}`;

/** What changes, in two words, for the transitions that are not a mode switching: "spectral: 2 → 3 outliers", "feature learning", "KL kink". */
function otherKind(t: Transition): string | null {
  if (t.kind === 'spectral') return `spectral: ${t.phases[0]} → ${t.phases[1]} outliers`;
  if (t.kind === 'feature-learning') return 'feature learning';
  if (t.kind === 'kl') return `KL ${t.order === 'first' ? 'jump' : 'kink'}`;
  return null;
}

/** The compact form, for a line that must stay short (decorations, chart legends): "λc ≈ 0.3969 (first-order)". */
export function transitionLabel(t: Transition): string {
  return `${criticalName(t.axis)} ≈ ${numText(t.value)} (${otherKind(t) ?? `${t.order}-order`})`;
}

/** "λc ≈ 0.3969 (first-order, mode 2)", "βc ≈ 1.96 (second-order, latent unit 2)"; a 2-D sweep's row after it ("… at n = 120"). */
export function transitionHeadline(t: Transition): string {
  return `${criticalName(t.axis)} ≈ ${numText(t.value)} (${otherKind(t) ?? `${t.order}-order, ${modeName(t)}`})${rowText(t)}`;
}

/** Every transition's headline (with its row in a 2-D sweep), or that there is none (yet): the CodeLens and the panel's header. */
export function transitionsHeadline(ts: Transition[], live: boolean): string {
  if (ts.length === 0) return live ? 'no transition yet' : 'no transition found';
  return ts.map(transitionHeadline).join(', ');
}

/** The sweep line's decoration: λc and order per transition, nothing more (the hover has the rest). */
export function transitionsCompact(ts: Transition[], live: boolean): string {
  if (ts.length === 0) return live ? 'no transition yet' : 'no transition found';
  return ts.map(transitionLabel).join(' · ');
}

/** "first-order collapse (mode 1), confidence 0.85". */
export function transitionWords(t: Transition): string {
  const other = otherKind(t);
  if (other) return `${other}, confidence ${fractionText(t.confidence)}`;
  return `${t.order}-order ${t.kind} (${modeName(t)}), confidence ${fractionText(t.confidence)}`;
}

/**
 * What happens there: which branches cross (first-order: the global minimum switches between
 * the phase with a modes and the one with b) or which mode softens (second-order: its singular
 * value of E[∂f/∂x] goes continuously to zero).
 */
export function mechanismText(t: Transition): string {
  const [below, above] = t.phases;
  if (t.kind === 'spectral') return `the Hessian's outlier count goes from ${below} to ${above}: eigenvalues ${above > below ? 'leave' : 'join'} the bulk`;
  if (t.kind === 'feature-learning') {
    const [a, b] = t.levels ?? [NaN, NaN];
    return `the first layer's overlap with the latent subspace crosses halfway (${numText(a)} → ${numText(b)}): the features are ${b > a ? 'learned' : 'lost'}`;
  }
  if (t.kind === 'kl') {
    const [a, b] = t.levels ?? [NaN, NaN];
    const how = t.order === 'first' ? 'jumps' : 'kinks';
    return `the total KL ${how} (${numText(a)} → ${numText(b)} nats) where the active latent units go from ${below} to ${above}`;
  }
  if (latent(t)) {
    const units = (n: number) => `${n} active latent unit${n === 1 ? '' : 's'}`;
    const all = t.kind === 'collapse' ? ': the posterior collapses entirely (the decoder ignores z)' : '';
    if (t.order === 'first') return `the branches with ${units(below)} and ${units(above)} cross: ${modeName(t)} collapses by a jump${all}`;
    return `${modeName(t)}'s KL falls continuously below the threshold: posterior collapse of one unit${all}`;
  }
  const into = t.kind === 'collapse' ? ', into the trivial regime' : '';
  if (t.order === 'first') return `the branches with ${modesText(below)} and ${modesText(above)} cross: mode ${t.mode} switches off by a jump${into}`;
  return `mode ${t.mode} softens and switches off continuously${into}`;
}

/** Where the up and down chains switch, for a jump; null without hysteresis data. */
export function hysteresisText(t: Transition): string | null {
  const h = t.hysteresis;
  if (!h) return null;
  if (h.down === null) return `hysteresis: the up chain keeps ${modeName(t)} to ${numText(h.up)} (metastable), the down chain never regains it`;
  return `hysteresis ${numText(Math.min(h.up, h.down))}–${numText(Math.max(h.up, h.down))}`;
}

/** "in [0.3812, 0.4102]". */
export const bracketText = (t: Transition): string => `in [${numText(t.bracket[0])}, ${numText(t.bracket[1])}]`;

/** The nearest curvature change point, in words; null when there is none. */
export function curvatureText(t: Transition): string | null {
  const cp = t.curvatureChangePoint;
  if (!cp) return null;
  const away = t.linear ? `${numText(cp.distance)} away` : `${cp.distance.toFixed(3)} decades away`;
  return `curvature change (${cp.curve} ${cp.kind}) at ${AXIS_WORDS[t.axis].symbol} ≈ ${numText(cp.value)}, ${away}`;
}

/** The whole story in one line: headline, bracket, mechanism, hysteresis, curvature, confidence. */
export function transitionText(t: Transition): string {
  return [`${transitionHeadline(t)} ${bracketText(t)}`, mechanismText(t), hysteresisText(t), curvatureText(t), `${t.kind}, confidence ${fractionText(t.confidence)}`]
    .filter((x): x is string => x !== null)
    .join('; ');
}

/** "λc ≈ 0.3969 (first-order, exact)"; "βc ≈ 1.96 (…)" on another axis; a 2-D sweep's row after it ("… at δ = 2"). */
export function predictionHeadline(p: Prediction): string {
  return `${criticalName(p.axis ?? 'lambda')} ≈ ${lambdaText(p.lambda)} (${p.order}-order, ${p.exactness})${rowText(p)}`;
}

/**
 * What an empty prediction means: the λ theory found no transition (a λ axis), or there is no
 * theory of the swept knob's critical value (the notes say why).
 */
export function noPredictionText(swept: AxisId[]): string {
  return swept.includes('lambda') ? 'No transition expected' : `No prediction of ${criticalName(swept[0])}`;
}

/** The prediction with its basis and how far to trust it, in one line. */
export function predictionText(p: Prediction): string {
  return `${predictionHeadline(p)} from ${p.basis}; ${p.why}`;
}

/** A finished run in one sentence: the editor's completion message. */
export function runHeadline(s: Pick<RunSummary, 'name' | 'status' | 'transitions'> & { points: Pick<RunSummary['points'], 'finished'>; timings: Pick<RunSummary['timings'], 'wallSeconds'> }): string {
  return `L2 sweep ${s.name} ${s.status}: ${transitionsHeadline(s.transitions, false)} (${countText(s.points.finished, 'point')} in ${durationText(s.timings.wallSeconds)}).`;
}
