// Change points of a sampled curve y(x) along the swept parameter: jumps of y and kinks (jumps
// of dy/dx), judged against the curve's own noise so that one noisy point never makes a
// transition. x is read in the axis's geometry (sweep/axis.ts: log x on a log axis).
import { LOG_SCALE, scaleMid, type AxisScale } from '../sweep/axis';

export interface Curve {
  x: number[];
  y: number[];
  /** Default: a log axis (λ). */
  scale?: AxisScale;
}

export interface ChangePoint {
  kind: 'jump' | 'kink' | 'sign';
  /** The change lies between these x (a jump or sign change: one interval; a kink: the point's neighbours). */
  bracket: [number, number];
  /** Best single x for it. */
  value: number;
  /** Its size in y units (the excess change of a jump, the chord deviation of a kink). */
  size: number;
  /** size over the significance threshold (≥ 1 to be reported). */
  significance: number;
}

/**
 * Noise scale of a curve: third differences cancel a smooth curve almost entirely (on a
 * geometric grid even a straight line in λ leaves second differences ∝ (r−1)², but third ones
 * only ∝ (r−1)³), while independent noise of scale σ adds √20·σ to them (1, −3, 3, −1). Their
 * median absolute value, robust to the few change points, over 0.6745·√20 estimates σ (MAD).
 */
export function noiseScale(y: number[]): number {
  const d3: number[] = [];
  for (let i = 0; i + 3 < y.length; i++) d3.push(Math.abs(y[i + 3] - 3 * y[i + 2] + 3 * y[i + 1] - y[i]));
  if (d3.length === 0) return 0;
  d3.sort((a, b) => a - b);
  return d3[Math.floor(d3.length / 2)] / (0.6745 * Math.sqrt(20));
}

export interface ChangeOptions {
  /** A change must exceed this many noise scales. Default 5. */
  noiseFactor?: number;
  /** …and this fraction of the curve's local magnitude |y| around it. Default 0.02. */
  localFraction?: number;
  /** …and this absolute size (the numerical floor, e.g. a fraction of another curve's scale). */
  minSize?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

/**
 * Jumps and kinks of y(x) on a (typically geometric) grid. A jump is an interval whose
 * change exceeds what its neighbours' slopes explain, e = |Δy| − Δx·max(|s_prev|, |s_next|).
 * A kink is an abrupt change of the slope in the axis's coordinate u (log x on a log axis): consecutive log-space slopes change by a
 * ratio q that is an outlier (robust z > 5, and more than 10%) among the ratios along the curve
 * (a smooth curve's ratios drift slowly; a piecewise-linear one's are all equal off its kinks),
 * with the point off the chord of its neighbours by more than the noise. Jumps must also clear
 * a fraction of the curve's local magnitude, so one noisy point never makes a change point.
 * Overlapping detections of one event are merged into the strongest.
 */
export function changePoints(c: Curve, opts: ChangeOptions = {}): ChangePoint[] {
  const { x: l, y } = c;
  const sc = c.scale ?? LOG_SCALE;
  const n = y.length;
  if (n < 3) return [];
  const noise = (opts.noiseFactor ?? 5) * noiseScale(y);
  const threshold = (i: number, j: number) => Math.max(noise, (opts.localFraction ?? 0.02) * Math.max(Math.abs(y[i]), Math.abs(y[j])), opts.minSize ?? 0, 1e-300);
  const slope = (i: number) => (y[i + 1] - y[i]) / (l[i + 1] - l[i]);
  const found: ChangePoint[] = [];
  // A jump needs a neighbouring interval on each side to be judged against: one at an end of
  // the curve rests on a single point (e.g. a chain's freshly initialized first point).
  for (let i = 1; i + 2 < n; i++) {
    const neighbours = [Math.abs(slope(i - 1)), Math.abs(slope(i + 1))];
    const excess = Math.abs(y[i + 1] - y[i]) - (l[i + 1] - l[i]) * Math.max(...neighbours);
    const t = threshold(i, i + 1);
    if (excess > t) found.push({ kind: 'jump', bracket: [l[i], l[i + 1]], value: scaleMid(sc, l[i], l[i + 1]), size: excess, significance: excess / t });
  }
  // Slopes in u and the log of their consecutive ratios (undefined across a sign change or zero slope).
  const logSlope = (i: number) => (y[i + 1] - y[i]) / (sc.u(l[i + 1]) - sc.u(l[i]));
  const logRatio: (number | null)[] = [null];
  for (let i = 1; i + 1 < n; i++) {
    const a = logSlope(i - 1);
    const b = logSlope(i);
    logRatio.push(a !== 0 && b !== 0 && Math.sign(a) === Math.sign(b) ? Math.log(b / a) : null);
  }
  const valid = logRatio.filter((r): r is number => r !== null);
  const centre = median(valid);
  const spread = 1.4826 * median(valid.map((r) => Math.abs(r - centre)));
  for (let i = 1; i + 1 < n; i++) {
    const r = logRatio[i];
    const abrupt = r === null ? logSlope(i - 1) !== 0 || logSlope(i) !== 0 : Math.abs(r - centre) > Math.max(5 * spread, Math.log(1.1));
    if (!abrupt) continue;
    const f = (l[i] - l[i - 1]) / (l[i + 1] - l[i - 1]);
    const deviation = Math.abs(y[i] - (y[i - 1] + f * (y[i + 1] - y[i - 1])));
    // Abruptness is the test; the deviation (≈ Δslope·Δx/4, small on a fine grid) need only
    // clear the noise and the numerical floor.
    const t = Math.max(noise, opts.minSize ?? 0, 1e-300);
    const nearJump = found.some((p) => p.kind === 'jump' && (p.bracket[0] === l[i] || p.bracket[1] === l[i]));
    if (deviation > t && !nearJump) found.push({ kind: 'kink', bracket: [l[i - 1], l[i + 1]], value: l[i], size: deviation, significance: deviation / t });
  }
  return mergeAdjacent(found);
}

/** Sign changes of y, located by linear interpolation in u (log x on a log axis). */
export function signChanges(c: Curve): ChangePoint[] {
  const out: ChangePoint[] = [];
  const sc = c.scale ?? LOG_SCALE;
  const scale = Math.max(...c.y.map(Math.abs));
  for (let i = 0; i + 1 < c.y.length; i++) {
    const a = c.y[i];
    const b = c.y[i + 1];
    // Values within 1e-9 of the scale are zero for this purpose (rounding, the trivial point).
    if (Math.abs(a) <= 1e-9 * scale || Math.abs(b) <= 1e-9 * scale || Math.sign(a) === Math.sign(b)) continue;
    const t = a / (a - b);
    const value = sc.x(sc.u(c.x[i]) + t * (sc.u(c.x[i + 1]) - sc.u(c.x[i])));
    out.push({ kind: 'sign', bracket: [c.x[i], c.x[i + 1]], value, size: Math.abs(a - b), significance: 1 });
  }
  return out;
}

/** Overlapping brackets describe one event: keep the most significant. */
function mergeAdjacent(points: ChangePoint[]): ChangePoint[] {
  const sorted = [...points].sort((a, b) => a.bracket[0] - b.bracket[0]);
  const out: ChangePoint[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.bracket[0] < last.bracket[1]) {
      if (p.significance > last.significance) out[out.length - 1] = p;
    } else out.push(p);
  }
  return out;
}
