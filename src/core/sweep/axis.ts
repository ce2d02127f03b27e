// The swept knob: what a sweep's coordinate means, its grid, and the words for it. One module
// owns the axis, so the grid the runner walks, the one validation checks and the symbol every
// view prints (λ, δ, n, w, σ, α, β) cannot disagree.
import type { AxisConfig, SweepParameter } from '../config/types';
import { numText } from '../text/numbers';

/** An axis as the views name it: the parameter, with `samples` split by whether it counts n or the ratio δ = n/d. */
export type AxisId = 'lambda' | 'delta' | 'samples' | 'width' | 'noise' | 'initScale' | 'beta';

export interface AxisWords {
  /** The coordinate's symbol: "λc ≈ 0.4", "δc ≈ 2.1". */
  symbol: string;
  /** An axis title: "λ (L2 strength)". */
  title: string;
}

export const AXIS_WORDS: Record<AxisId, AxisWords> = {
  lambda: { symbol: 'λ', title: 'λ (L2 strength)' },
  delta: { symbol: 'δ', title: 'δ = n/d (samples per input dimension)' },
  samples: { symbol: 'n', title: 'n (training samples)' },
  width: { symbol: 'w', title: 'w (hidden width)' },
  noise: { symbol: 'σ', title: 'σ (label noise)' },
  initScale: { symbol: 'α', title: 'α (init scale)' },
  beta: { symbol: 'β', title: 'β (KL weight)' },
};

export function axisId(a: Pick<AxisConfig, 'parameter' | 'ratio'>): AxisId {
  return a.parameter === 'samples' && a.ratio ? 'delta' : a.parameter;
}

/** The axes a sweep walks: its own, then a 2-D sweep's second. */
export const sweptAxes = (s: Pick<AxisConfig, 'parameter' | 'ratio'> & { across?: Pick<AxisConfig, 'parameter' | 'ratio'> }): AxisId[] => [axisId(s), ...(s.across ? [axisId(s.across)] : [])];

export const axisWords = (a: Pick<AxisConfig, 'parameter' | 'ratio'>): AxisWords => AXIS_WORDS[axisId(a)];

/** "10 λ values from 0.001 to 3", and a 2-D sweep's second axis after "×": the grid `l2exp validate` says it will walk. */
export function gridText(s: AxisConfig & { across?: AxisConfig }): string {
  const one = (a: AxisConfig) => `${a.points} ${axisWords(a).symbol} value${a.points === 1 ? '' : 's'} from ${numText(a.from)} to ${numText(a.to)}`;
  return s.across ? `${one(s)} × ${one(s.across)}` : one(s);
}

/** Axes whose points are counts (a width, n samples; not δ): their grid is rounded and their ticks are whole numbers. */
export const countsAxis = (id: AxisId): boolean => id === 'width' || id === 'samples';

export const isIntegerAxis = (a: Pick<AxisConfig, 'parameter' | 'ratio'>): boolean => countsAxis(axisId(a));

/**
 * Parameters a warm start can follow: λ, β, samples, width (padded or trimmed) and noise change
 * the objective continuously enough for continuation; a new init scale is a new initialization,
 * so each of its points starts fresh.
 */
export const warmStartable = (p: SweepParameter): boolean => p !== 'initScale';

/** The unrounded grid: geometric on a log scale (every decade gets equal points), even on a linear one, endpoints exact. */
function rawGrid(a: Pick<AxisConfig, 'from' | 'to' | 'points' | 'scale'>): number[] {
  if (a.points === 1) return [a.from];
  const out: number[] = [];
  for (let i = 0; i < a.points; i++) {
    const u = i / (a.points - 1);
    out.push(a.scale === 'log' ? Math.exp(Math.log(a.from) + u * (Math.log(a.to) - Math.log(a.from))) : a.from + u * (a.to - a.from));
  }
  out[0] = a.from;
  out[out.length - 1] = a.to;
  return out;
}

/** The ascending grid of an axis: counts rounded to integers. Validation rejects grids whose rounding repeats a value (`repeatedGridValue`). */
export function axisGrid(a: AxisConfig): number[] {
  const raw = rawGrid(a);
  return isIntegerAxis(a) ? raw.map(Math.round) : raw;
}

/** The first value a count axis's rounding gives twice (two points would train the same thing), or null. */
export function repeatedGridValue(a: AxisConfig, inputDim: number): number | null {
  const counts = a.parameter === 'samples' ? axisGrid(a).map((v) => sampleCount(a, v, inputDim)) : isIntegerAxis(a) ? axisGrid(a) : [];
  const seen = new Set<number>();
  for (const c of counts) {
    if (seen.has(c)) return c;
    seen.add(c);
  }
  return null;
}

/** The training samples of a `samples` point: the value, or round(δ·d) for a ratio. */
export function sampleCount(a: Pick<AxisConfig, 'ratio'>, value: number, inputDim: number): number {
  return a.ratio ? Math.round(value * inputDim) : Math.round(value);
}

/**
 * A value strictly between lo and hi to bisect a bracket at (geometric on a log axis,
 * arithmetic on a linear one; a count's midpoint rounded), or null when the bracket holds none
 * (adjacent counts: the bracket is as narrow as it gets).
 */
export function axisMidpoint(a: AxisConfig, lo: number, hi: number, inputDim: number): number | null {
  const mid = a.scale === 'log' && lo > 0 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
  if (isIntegerAxis(a)) {
    const m = Math.round(mid);
    return m > lo && m < hi ? m : null;
  }
  if (a.parameter === 'samples') {
    // A ratio whose n lies strictly between the ends' n.
    const [nLo, nHi, n] = [sampleCount(a, lo, inputDim), sampleCount(a, hi, inputDim), sampleCount(a, mid, inputDim)];
    return n > nLo && n < nHi ? n / inputDim : null;
  }
  return mid;
}

/** Whether a bracket is narrow enough: hi/lo − 1 ≤ width on a log axis, (hi − lo)/(to − from) ≤ width on a linear one. */
export function bracketNarrow(a: AxisConfig, lo: number, hi: number, width: number): boolean {
  if (a.scale === 'log' && lo > 0) return hi / lo - 1 <= width;
  return (hi - lo) / Math.max(a.to - a.from, Number.MIN_VALUE) <= width;
}

/**
 * The geometry a detector reads an axis in: log λ on a log axis (midpoints geometric,
 * interpolation and slopes in log x, distances in decades), x itself on a linear one.
 */
export interface AxisScale {
  readonly log: boolean;
  /** The coordinate that is spaced evenly: ln x, or x. */
  u(x: number): number;
  /** Its inverse. */
  x(u: number): number;
  /** A distance as printed: decades on a log axis, x units on a linear one. */
  distance(a: number, b: number): number;
  /** The stretch around a bracket [lo, hi] that a crossing may be interpolated from: a factor 2 each way, or one bracket width. */
  around(lo: number, hi: number): [number, number];
}

export const LOG_SCALE: AxisScale = {
  log: true,
  u: Math.log,
  x: Math.exp,
  distance: (a, b) => Math.abs(Math.log10(a / b)),
  around: (lo, hi) => [lo / 2, hi * 2],
};

export const LINEAR_SCALE: AxisScale = {
  log: false,
  u: (x) => x,
  x: (u) => u,
  distance: (a, b) => Math.abs(a - b),
  around: (lo, hi) => [lo - (hi - lo), hi + (hi - lo)],
};

export const axisScale = (a: Pick<AxisConfig, 'scale'>): AxisScale => (a.scale === 'log' ? LOG_SCALE : LINEAR_SCALE);

/** The midpoint of [a, b] in the axis's own spacing (the geometric mean on a log axis). */
export const scaleMid = (s: AxisScale, a: number, b: number): number => s.x((s.u(a) + s.u(b)) / 2);
