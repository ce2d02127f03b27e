// Tick values and labels for every axis of both views. Two rules hold on each axis: one notation
// for all its labels (plain decimals with one count of decimals, or powers of ten), and no two
// labels that collide (log and symlog ticks are picked by their measured widths; linear ticks are
// chart.js's, labelled with just enough decimals that no two read the same).
import { symexp, symlog } from './symlog';

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
const MINUS = '−';

const sup = (k: number) => String(k).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
const sign = (x: number) => (x < 0 ? MINUS : '');

/** Whether plain decimals read well for these values: every nonzero magnitude in [1e-3, 1e5). */
function decimalsFit(values: number[]): boolean {
  return values.every((v) => v === 0 || (Math.abs(v) >= 1e-3 - 1e-15 && Math.abs(v) < 1e5));
}

/** "5×10⁻⁴", "10³", "−2.5×10⁻²" with `digits` significant digits. */
function powerForm(x: number, digits: number): string {
  if (x === 0) return '0';
  const [m, e] = Math.abs(x)
    .toExponential(digits - 1)
    .split('e');
  const mant = Number(m);
  const k = Number(e);
  return `${sign(x)}${mant === 1 ? '' : `${mant}×`}10${sup(k)}`;
}

/**
 * Labels for one axis: decimals with the same number of places when every value fits, else
 * powers of ten; in both, the fewest digits that keep distinct values distinct (a flat loss
 * curve's ticks 0.6925, 0.693, 0.6935 never all read "0.693").
 */
export function tickLabels(values: number[], opts: { shortest?: boolean } = {}): string[] {
  // A label must read as its value (0.25 never as "0.3") and as no other tick's.
  const span = Math.max(...values.map(Math.abs), 0) || 1;
  const exact = (label: string, v: number) =>
    Math.abs(
      Number(
        label
          .replace(MINUS, '-')
          .replace(
            /^(-?)(?:([\d.]+)×)?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/,
            (_m: string, sg: string, mant: string | undefined, e: string) => `${sg}${mant ?? 1}e${[...e].map((c) => (c === '⁻' ? '-' : String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)))).join('')}`,
          ),
      ) - v,
    ) <=
    span * 1e-6;
  const distinct = (labels: string[]) => labels.every((l, i) => exact(l, values[i]) && (i === 0 || l !== labels[i - 1] || values[i] === values[i - 1]));
  // Log axes: each label as short as it can be ("0.05 0.1 0.2"), still decimals throughout.
  if (opts.shortest && decimalsFit(values)) return values.map((v) => (v === 0 ? '0' : `${sign(v)}${String(Number(Math.abs(v).toPrecision(6)))}`));
  if (decimalsFit(values)) {
    for (let places = 0; places <= 8; places++) {
      const labels = values.map((v) => (v === 0 ? '0' : `${sign(v)}${Math.abs(v).toFixed(places)}`));
      if (distinct(labels)) return labels;
    }
  }
  for (let digits = 1; digits <= 6; digits++) {
    const labels = values.map((v) => powerForm(v, digits));
    if (distinct(labels)) return labels;
  }
  return values.map((v) => powerForm(v, 6));
}

/** A candidate tick: its value (in the axis's own units) and the value it stands for. */
interface Candidate {
  value: number;
  shown: number;
  /** Lower is kept first when labels would collide. */
  rank: number;
}

export interface TickFit {
  /** Length of the axis in CSS pixels. */
  length: number;
  /** Where a value sits along the axis, 0 to 1. */
  fraction(value: number): number;
  /** The label's extent along the axis (its width across, its height up) in pixels. */
  extent(label: string): number;
  horizontal: boolean;
}

/** Space kept between two labels along the axis. */
const GAP = 8;

/**
 * Keeps candidates in rank order while their labels, laid along the axis, overlap no label kept
 * before (nor run off its ends by more than half a label); returns them with their labels.
 */
function fitCandidates(candidates: Candidate[], fit: TickFit): { value: number; label: string }[] {
  const labels = new Map<Candidate, string>();
  const texts = tickLabels(
    candidates.map((c) => c.shown),
    { shortest: true },
  );
  candidates.forEach((c, i) => labels.set(c, texts[i]));
  const kept: { c: Candidate; lo: number; hi: number }[] = [];
  for (const c of [...candidates].sort((a, b) => a.rank - b.rank || a.value - b.value)) {
    const at = fit.fraction(c.value) * fit.length;
    if (at < -0.5 || at > fit.length + 0.5) continue;
    const half = fit.extent(labels.get(c)!) / 2;
    const lo = at - half - GAP / 2;
    const hi = at + half + GAP / 2;
    if (kept.some((k) => lo < k.hi && hi > k.lo)) continue;
    kept.push({ c, lo, hi });
  }
  // The labels measured are the labels drawn: relabelling the kept set could widen them.
  return kept
    .map((k) => k.c)
    .sort((a, b) => a.value - b.value)
    .map((c) => ({ value: c.value, label: labels.get(c)! }));
}

/**
 * Ticks of a log axis over [min, max]: decades first, then 5 and 2 times them, as many as fit.
 * Falls back to the two ends when the range holds no decade. `integer` (an axis of counts): only
 * whole numbers, with every whole number of a short range as a last candidate, and the ends
 * rounded inwards.
 */
export function logTicks(min: number, max: number, fit: TickFit, opts: { integer?: boolean } = {}): { value: number; label: string }[] {
  const whole = (v: number) => !opts.integer || (v >= 1 && Number.isInteger(v));
  const candidates: Candidate[] = [];
  const k0 = Math.floor(Math.log10(min));
  const k1 = Math.ceil(Math.log10(max));
  const nDecades = k1 - k0;
  for (let k = k0; k <= k1; k++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v < min * (1 - 1e-9) || v > max * (1 + 1e-9)) continue;
      // Every other decade ranks below the rest when there are many, so thinning keeps a rhythm.
      const rank = m === 1 ? (nDecades > 6 && k % 2 !== 0 ? 1 : 0) : m === 5 ? 2 : 3;
      if (whole(v)) candidates.push({ value: v, shown: v, rank });
    }
  }
  if (opts.integer && max - min <= 60) for (let v = Math.max(1, Math.ceil(min)); v <= max; v++) if (!candidates.some((c) => c.value === v)) candidates.push({ value: v, shown: v, rank: 4 });
  const out = fitCandidates(candidates, fit);
  if (out.length >= 2) return out;
  const [lo, hi] = opts.integer ? [Math.ceil(min), Math.floor(max)] : [min, max];
  return fitCandidates(
    [
      { value: lo, shown: lo, rank: 0 },
      { value: hi, shown: hi, rank: 0 },
    ],
    fit,
  );
}

/**
 * Ticks at given values (a sweep's grid), as many as fit: the ends first, then every other value
 * down to every one, so a thinned axis keeps an even rhythm (`fit` places them: log or linear).
 */
export function gridTicks(values: number[], fit: TickFit): { value: number; label: string }[] {
  const n = values.length;
  // Rank by the largest power of two dividing the index (from the first value): 1, 2, 4, … apart.
  const rank = (i: number) => (i === 0 || i === n - 1 ? 0 : 1 + Math.log2(n) - Math.log2(i & -i));
  return fitCandidates(
    values.map((v, i) => ({ value: v, shown: v, rank: rank(i) })),
    fit,
  );
}

/**
 * Ticks of a symlog axis (values u = symlog(x, c)) over [min, max]: 0, then ±10^k with 10^k ≥ c on
 * each side the range reaches, the largest magnitude of each side first so both keep a label.
 */
export function symlogTickValues(min: number, max: number, c: number, fit: TickFit): { value: number; label: string }[] {
  const candidates: Candidate[] = [];
  if (min <= 0 && max >= 0) candidates.push({ value: 0, shown: 0, rank: 0 });
  const kLo = Math.ceil(Math.log10(c) - 1e-9);
  for (const s of [1, -1]) {
    const reach = s > 0 ? max : -min;
    if (reach <= 0) continue;
    const kHi = Math.floor(Math.log10(Math.max(symexp(reach, c), c)) + 1e-9);
    for (let k = kHi; k >= kLo; k--) {
      const u = s * symlog(10 ** k, c);
      if (u < min - 1e-9 || u > max + 1e-9) continue;
      candidates.push({ value: u, shown: s * 10 ** k, rank: k === kHi ? 1 : 2 + ((kHi - k) % 2) });
    }
  }
  return fitCandidates(candidates, fit);
}

/** The symlog range widened to whole decades on each side the data reach, so each side has a labelled tick. */
export function symlogBounds(min: number, max: number, c: number): [number, number] {
  const widen = (u: number) => {
    if (u === 0) return 0;
    const x = Math.abs(symexp(u, c));
    const k = Math.max(Math.ceil(Math.log10(x) - 1e-9), Math.ceil(Math.log10(c) - 1e-9));
    return Math.sign(u) * symlog(10 ** k, c);
  };
  return [Math.min(0, widen(min)), Math.max(0, widen(max))];
}
