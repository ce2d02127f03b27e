import type { Experiment, TransitionObservable } from '../config/types';
import { LOG_SCALE, axisId, axisScale, scaleMid, type AxisId, type AxisScale } from '../sweep/axis';
import type { PointRecord } from '../sweep/point';
import { bestIn, globalBranch, modeValue, phaseOf, scalesOf, sites, usable, type Scales, type Site, type Usable } from './branches';
import { changePoints, signChanges, type Curve } from './curve';
import { klTransitions, outlierTransitions, overlapTransitions } from './observables';
import type { Transition } from './types';

/** A phase change of the global branch between two neighbouring sites: one mode switching. */
export interface PhaseChange {
  lo: Site;
  hi: Site;
  /** Phases (mode counts) below and above. */
  below: number;
  above: number;
  /** The mode that switches (0-based): off with a growing swept value when below > above. */
  mode: number;
  /** The site before `lo` (or after `hi` when the mode switches on with λ) in the same phase, for the slope. */
  outer: Site | null;
}

/** Every phase change of the global branch, one per mode (a bracket that holds two gives two). */
export function phaseChanges(branch: Site[]): PhaseChange[] {
  const out: PhaseChange[] = [];
  for (let i = 0; i + 1 < branch.length; i++) {
    const [lo, hi] = [branch[i], branch[i + 1]];
    if (lo.phase === hi.phase) continue;
    const off = lo.phase > hi.phase;
    const outer = off ? branch[i - 1] : branch[i + 2];
    const sameSide = outer && outer.phase === (off ? lo.phase : hi.phase) ? outer : null;
    const [from, to] = off ? [hi.phase, lo.phase] : [lo.phase, hi.phase];
    for (let k = from; k < to; k++) out.push({ lo, hi, below: lo.phase, above: hi.phase, mode: k, outer: sameSide });
  }
  return out;
}

/**
 * Ehrenfest order of a mode switching off: first-order when its last value on the on side is
 * more than 1.5× what the slope from the site before can take to zero within the bracket (a
 * jump) and the two phases coexist as minima at an end of the bracket (hysteresis), unless
 * refinement never tried to continue one phase into the other; else second-order. λc: for a
 * jump, where the objectives of the two phases cross (the global minimum changes branch; the
 * envelope theorem makes dF/dλ = Σ‖W‖² jump there);
 * for a kink, where the mode's value extrapolates linearly to zero (m ∝ λc − λ, Landau).
 */
function locate(c: PhaseChange, s: Scales, all: Site[], sc: AxisScale): { order: Transition['order']; value: number } {
  const off = c.below > c.above;
  const [on, away] = off ? [c.lo, c.hi] : [c.hi, c.lo];
  const v = modeValue(on.best, c.mode);
  const slope = c.outer ? (modeValue(c.outer.best, c.mode) - v) / Math.abs(c.outer.value - on.value) : 0;
  const reach = slope > 0 ? slope * Math.abs(away.value - on.value) : 0;
  const ends = [c.lo, c.hi];
  const coexist = ends.some((x) => bestIn(x, c.below, s) && bestIn(x, c.above, s));
  const tried = ends.some((x) => x.points.some((p) => p.index < 0));
  if (v > 1.5 * reach && (coexist || !tried)) return { order: 'first', value: crossing(c, s, all, sc) };
  const zero = off ? on.value + v / slope : on.value - v / slope;
  return { order: 'second', value: Math.min(Math.max(zero, c.lo.value), c.hi.value) };
}

/**
 * Where the best points of the two phases have equal objectives, interpolated linearly in u
 * (log λ on a log axis) between the nearest sites (around the bracket: AxisScale.around) that
 * hold both phases and disagree on which is lower; the bracket's midpoint when no such sites exist.
 */
function crossing(c: PhaseChange, s: Scales, all: Site[], sc: AxisScale): number {
  const [lo, hi] = [c.lo.value, c.hi.value];
  const [from, to] = sc.around(lo, hi);
  const mid = scaleMid(sc, lo, hi);
  const diff = (site: Site) => {
    const a = bestIn(site, c.below, s);
    const b = bestIn(site, c.above, s);
    return a && b ? a.objective - b.objective : null;
  };
  const rows = all
    .filter((x) => x.value >= from && x.value <= to)
    .map((x) => ({ value: x.value, d: diff(x) }))
    .filter((r): r is { value: number; d: number } => r.d !== null);
  let best: number | null = null;
  for (let i = 0; i + 1 < rows.length; i++) {
    const [a, b] = [rows[i], rows[i + 1]];
    if (!(a.d <= 0 && b.d > 0)) continue;
    const t = -a.d / (b.d - a.d);
    const at = sc.x(sc.u(a.value) + t * (sc.u(b.value) - sc.u(a.value)));
    if (best === null || sc.distance(at, mid) < sc.distance(best, mid)) best = at;
  }
  return best === null ? mid : Math.min(Math.max(best, lo), hi);
}

/** Where one chain (a seed's grid walk in one direction) has mode k on and then off, walking its own way. */
function chainSwitch(points: Usable[], s: Scales, direction: string, seed: number, c: PhaseChange, sc: AxisScale): number | null {
  const chain = points.filter((p) => p.direction === direction && p.seed === seed && p.index >= 0).sort((a, b) => a.value - b.value);
  const on = (p: Usable) => phaseOf(p, s) > c.mode;
  for (let i = 0; i + 1 < chain.length; i++) if (on(chain[i]) !== on(chain[i + 1])) return scaleMid(sc, chain[i].value, chain[i + 1].value);
  return null;
}

function curveOf(branch: Site[], f: (p: Usable) => number | null | undefined, scale: AxisScale): Curve {
  const kept = branch.filter((x) => Number.isFinite(f(x.best) ?? NaN));
  return { x: kept.map((x) => x.value), y: kept.map((x) => f(x.best) as number), scale };
}

/** The axis a detection reads: which parameter, and its geometry. Default: λ on a log scale. */
export interface DetectAxis {
  id: AxisId;
  scale: AxisScale;
  /** Order parameters besides the modes (observables.ts). */
  observables?: TransitionObservable[];
  /** A 2-D sweep's second axis: each row's transitions name it. */
  across?: AxisId;
}

const LAMBDA_AXIS: DetectAxis = { id: 'lambda', scale: LOG_SCALE };

/** The axis an experiment sweeps, as detection reads it. */
export const sweepAxis = (e: Pick<Experiment, 'sweep' | 'analysis'>): DetectAxis => ({
  id: axisId(e.sweep),
  scale: axisScale(e.sweep),
  observables: e.analysis.transitions.observables,
  ...(e.sweep.across ? { across: axisId(e.sweep.across) } : {}),
});

/**
 * Every transition of a (finished or partial) sweep: each change of the number of modes the
 * global minimum uses (the singular values of E[∂f/∂x] above MODE_ON; the trivial solution has
 * none), one per mode, ordered by the swept value. Each gets its order, critical value and
 * bracket, the up and down chains' switching points for a jump (the hysteresis loop), the
 * nearest change point of the curvature curves, and a confidence (the fraction of seeds whose
 * own best points show it). None: []. A 2-D sweep's rows (points with `across`) are detected
 * one by one: each transition names its row.
 */
export function detectTransitions(records: PointRecord[], axis: DetectAxis = LAMBDA_AXIS): Transition[] {
  const rows = new Map<number | undefined, PointRecord[]>();
  for (const p of records) rows.set(p.across, [...(rows.get(p.across) ?? []), p]);
  return [...rows.entries()]
    .sort(([a], [b]) => (a ?? 0) - (b ?? 0))
    .flatMap(([across, row]) => detectRow(row, axis).map((t) => (across === undefined ? t : { ...t, across, acrossAxis: axis.across })));
}

function detectRow(records: PointRecord[], { id, scale: sc, observables = [] }: DetectAxis): Transition[] {
  const points = records.filter(usable);
  if (points.length < 3) return [];
  const s = scalesOf(points);
  const all = sites(points, s);
  const branch = globalBranch(all);
  const changes = phaseChanges(branch);

  const curvaturePoints = (['error', 'objective'] as const).flatMap((which) => {
    const c = curveOf(branch, (p) => p.curvature?.[which], sc);
    return [...signChanges(c), ...changePoints(c)].map((cp) => ({ ...cp, curve: which }));
  });
  const seeds = [...new Set(points.map((p) => p.seed))];
  const seedAgrees = (seed: number, c: PhaseChange) => {
    // The seed's own best points nearest the bracket on each side.
    const own = sites(
      points.filter((p) => p.seed === seed),
      s,
    );
    const a = own.filter((x) => x.value <= c.lo.value).pop();
    const b = own.find((x) => x.value >= c.hi.value);
    return !!a && !!b && a.phase > c.mode === c.below > c.mode && b.phase > c.mode === c.above > c.mode;
  };

  const others = [
    ...(observables.includes('outliers') ? outlierTransitions(branch, id, sc) : []),
    ...(observables.includes('featureOverlap') ? overlapTransitions(branch, id, sc) : []),
    ...(observables.includes('kl') ? klTransitions(branch, id, sc) : []),
  ];
  return changes
    .map((c): Transition => {
      const at = locate(c, s, all, sc);
      const t: Transition = {
        axis: id,
        ...(sc.log ? {} : { linear: true as const }),
        value: at.value,
        bracket: [c.lo.value, c.hi.value],
        order: at.order,
        observable: c.lo.best.vae ? 'activeUnits' : c.lo.best.modes ? 'modes' : 'weightNorm',
        kind: Math.min(c.below, c.above) === 0 ? 'collapse' : 'cascade',
        mode: c.mode + 1,
        phases: [c.below, c.above],
        confidence: Number((seeds.filter((seed) => seedAgrees(seed, c)).length / seeds.length).toFixed(3)),
      };
      if (at.order === 'first') {
        const first = (direction: string) => seeds.map((seed) => chainSwitch(points, s, direction, seed, c, sc)).find((x) => x !== null) ?? null;
        const [up, down] = [first('up'), first('down')];
        if (up !== null) t.hysteresis = { up, down, width: down !== null ? sc.distance(up, down) : null };
      }
      const nearest = curvaturePoints.reduce<(typeof curvaturePoints)[number] | null>((best, x) => (!best || sc.distance(x.value, t.value) < sc.distance(best.value, t.value) ? x : best), null);
      if (nearest) t.curvatureChangePoint = { value: nearest.value, distance: sc.distance(nearest.value, t.value), curve: nearest.curve, kind: nearest.kind };
      return t;
    })
    .concat(others)
    .sort((a, b) => a.value - b.value);
}
