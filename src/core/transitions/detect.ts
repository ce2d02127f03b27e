import type { PointRecord } from '../sweep/point';
import { bestIn, globalBranch, modeValue, phaseOf, scalesOf, sites, usable, type Scales, type Site, type Usable } from './branches';
import { changePoints, signChanges, type Curve } from './curve';
import type { Transition } from './types';

/** A phase change of the global branch between two neighbouring sites: one mode switching. */
export interface PhaseChange {
  lo: Site;
  hi: Site;
  /** Phases (mode counts) below and above. */
  below: number;
  above: number;
  /** The mode that switches (0-based): off with growing λ when below > above. */
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
function locate(c: PhaseChange, s: Scales, all: Site[]): { order: Transition['order']; lambda: number } {
  const off = c.below > c.above;
  const [on, away] = off ? [c.lo, c.hi] : [c.hi, c.lo];
  const v = modeValue(on.best, c.mode);
  const slope = c.outer ? (modeValue(c.outer.best, c.mode) - v) / Math.abs(c.outer.lambda - on.lambda) : 0;
  const reach = slope > 0 ? slope * Math.abs(away.lambda - on.lambda) : 0;
  const ends = [c.lo, c.hi];
  const coexist = ends.some((x) => bestIn(x, c.below, s) && bestIn(x, c.above, s));
  const tried = ends.some((x) => x.points.some((p) => p.index < 0));
  if (v > 1.5 * reach && (coexist || !tried)) return { order: 'first', lambda: crossing(c, s, all) };
  const zero = off ? on.lambda + v / slope : on.lambda - v / slope;
  return { order: 'second', lambda: Math.min(Math.max(zero, c.lo.lambda), c.hi.lambda) };
}

/**
 * Where the best points of the two phases have equal objectives, interpolated linearly in log λ
 * between the nearest sites (within a factor 2 of the bracket) that hold both phases and
 * disagree on which is lower; the bracket's geometric midpoint when no such sites exist.
 */
function crossing(c: PhaseChange, s: Scales, all: Site[]): number {
  const [lo, hi] = [c.lo.lambda, c.hi.lambda];
  const diff = (site: Site) => {
    const a = bestIn(site, c.below, s);
    const b = bestIn(site, c.above, s);
    return a && b ? a.objective - b.objective : null;
  };
  const rows = all
    .filter((x) => x.lambda >= lo / 2 && x.lambda <= hi * 2)
    .map((x) => ({ lambda: x.lambda, d: diff(x) }))
    .filter((r): r is { lambda: number; d: number } => r.d !== null);
  let best: number | null = null;
  for (let i = 0; i + 1 < rows.length; i++) {
    const [a, b] = [rows[i], rows[i + 1]];
    if (!(a.d <= 0 && b.d > 0)) continue;
    const t = -a.d / (b.d - a.d);
    const at = Math.exp(Math.log(a.lambda) + t * Math.log(b.lambda / a.lambda));
    if (best === null || Math.abs(Math.log(at / Math.sqrt(lo * hi))) < Math.abs(Math.log(best / Math.sqrt(lo * hi)))) best = at;
  }
  return best === null ? Math.sqrt(lo * hi) : Math.min(Math.max(best, lo), hi);
}

/** Where one chain (a seed's grid walk in one direction) has mode k on and then off, walking its own way. */
function chainSwitch(points: Usable[], s: Scales, direction: string, seed: number, c: PhaseChange): number | null {
  const chain = points.filter((p) => p.direction === direction && p.seed === seed && p.index >= 0).sort((a, b) => a.lambda - b.lambda);
  const on = (p: Usable) => phaseOf(p, s) > c.mode;
  for (let i = 0; i + 1 < chain.length; i++) if (on(chain[i]) !== on(chain[i + 1])) return Math.sqrt(chain[i].lambda * chain[i + 1].lambda);
  return null;
}

function curveOf(branch: Site[], f: (p: Usable) => number | null | undefined): Curve {
  const kept = branch.filter((x) => Number.isFinite(f(x.best) ?? NaN));
  return { lambda: kept.map((x) => x.lambda), y: kept.map((x) => f(x.best) as number) };
}

/**
 * Every transition of a (finished or partial) sweep: each change of the number of modes the
 * global minimum uses (the singular values of E[∂f/∂x] above MODE_ON; the trivial solution has
 * none), one per mode, ordered by λ. Each gets its order, λc and bracket, the up and down chains'
 * switching points for a jump (the hysteresis loop), the nearest change point of the curvature
 * curves, and a confidence (the fraction of seeds whose own best points show it). None: [].
 */
export function detectTransitions(records: PointRecord[]): Transition[] {
  const points = records.filter(usable);
  if (points.length < 3) return [];
  const s = scalesOf(points);
  const all = sites(points, s);
  const branch = globalBranch(all);
  const changes = phaseChanges(branch);

  const curvaturePoints = (['error', 'objective'] as const).flatMap((which) => {
    const c = curveOf(branch, (p) => p.curvature?.[which]);
    return [...signChanges(c), ...changePoints(c)].map((cp) => ({ ...cp, curve: which }));
  });
  const seeds = [...new Set(points.map((p) => p.seed))];
  const seedAgrees = (seed: number, c: PhaseChange) => {
    // The seed's own best points nearest the bracket on each side.
    const own = sites(
      points.filter((p) => p.seed === seed),
      s,
    );
    const a = own.filter((x) => x.lambda <= c.lo.lambda).pop();
    const b = own.find((x) => x.lambda >= c.hi.lambda);
    return !!a && !!b && a.phase > c.mode === c.below > c.mode && b.phase > c.mode === c.above > c.mode;
  };

  return changes
    .map((c): Transition => {
      const at = locate(c, s, all);
      const t: Transition = {
        lambda: at.lambda,
        bracket: [c.lo.lambda, c.hi.lambda],
        order: at.order,
        observable: c.lo.best.modes ? 'modes' : 'weightNorm',
        kind: Math.min(c.below, c.above) === 0 ? 'collapse' : 'cascade',
        mode: c.mode + 1,
        phases: [c.below, c.above],
        confidence: Number((seeds.filter((seed) => seedAgrees(seed, c)).length / seeds.length).toFixed(3)),
      };
      if (at.order === 'first') {
        const first = (direction: string) => seeds.map((seed) => chainSwitch(points, s, direction, seed, c)).find((x) => x !== null) ?? null;
        const [up, down] = [first('up'), first('down')];
        if (up !== null) t.hysteresis = { up, down, width: down !== null ? Math.abs(Math.log10(up / down)) : null };
      }
      const nearest = curvaturePoints.reduce<(typeof curvaturePoints)[number] | null>(
        (best, x) => (!best || Math.abs(Math.log10(x.lambda / t.lambda)) < Math.abs(Math.log10(best.lambda / t.lambda)) ? x : best),
        null,
      );
      if (nearest) t.curvatureChangePoint = { lambda: nearest.lambda, distanceLog10: Math.abs(Math.log10(nearest.lambda / t.lambda)), curve: nearest.curve, kind: nearest.kind };
      return t;
    })
    .sort((a, b) => a.lambda - b.lambda);
}
