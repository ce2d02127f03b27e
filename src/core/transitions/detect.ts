import type { PointRecord } from '../sweep/point';
import { changePoints, signChanges, type Curve } from './curve';
import type { Transition } from './types';

type Usable = PointRecord & { weightNorm: number; objective: number };

const usable = (p: PointRecord): p is Usable => !p.diverged && p.weightNorm !== null && p.objective !== null;

/** Σ‖W‖² at or below this fraction of the sweep's largest is the trivial solution (numerically zero). */
const TRIVIAL = 1e-6;

/** The points at each distinct λ, ascending. */
function byLambda(points: Usable[]): { lambda: number; points: Usable[] }[] {
  const groups = new Map<number, Usable[]>();
  for (const p of points) groups.set(p.lambda, [...(groups.get(p.lambda) ?? []), p]);
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([lambda, pts]) => ({ lambda, points: pts }));
}

/**
 * The global-minimum branch: at each λ the point of lowest objective over every seed and
 * branch. Thermodynamically the system sits there, so a first-order λc is where it switches.
 */
export function globalBranch(points: PointRecord[]): Usable[] {
  return byLambda(points.filter(usable)).map((g) => g.points.reduce((a, b) => (b.objective < a.objective ? b : a)));
}

function curveOf(pts: Usable[], f: (p: Usable) => number | null | undefined): Curve {
  const kept = pts.filter((p) => Number.isFinite(f(p) ?? NaN));
  return { lambda: kept.map((p) => p.lambda), y: kept.map((p) => f(p) as number) };
}

/** One chain's order parameter: a seed's points of one direction, by λ. */
function chainCurve(points: Usable[], direction: string, seed: number): Curve {
  return curveOf(byLambda(points.filter((p) => p.direction === direction && p.seed === seed)).map((g) => g.points[0]), (p) => p.weightNorm);
}

/** Index of the first point of the trivial regime that lasts to the end of the curve (≥ 2 points), or −1. */
function collapseIndex(c: Curve, scale: number): number {
  let i = c.y.length;
  while (i > 0 && c.y[i - 1] <= TRIVIAL * scale) i--;
  return c.y.length - i >= 2 && i > 0 ? i : -1;
}

/** Where a chain's order parameter switches between trivial and not: the λ between the two points. */
function chainSwitch(c: Curve, scale: number): number | null {
  for (let i = 0; i + 1 < c.y.length; i++) {
    if (c.y[i] > TRIVIAL * scale !== c.y[i + 1] > TRIVIAL * scale) return Math.sqrt(c.lambda[i] * c.lambda[i + 1]);
  }
  return null;
}

/**
 * λc of a first-order transition: where the objectives of the best nontrivial and the best
 * trivial points cross, interpolated in log λ between λ values that have both (the switch of
 * the global minimum); the bracket's geometric midpoint when no λ has both.
 */
function crossing(points: Usable[], bracket: [number, number], scale: number): number {
  const rows = byLambda(points)
    .map((g) => {
      const live = g.points.filter((p) => p.weightNorm > TRIVIAL * scale);
      const dead = g.points.filter((p) => p.weightNorm <= TRIVIAL * scale);
      if (!live.length || !dead.length) return null;
      const best = (xs: Usable[]) => Math.min(...xs.map((p) => p.objective));
      return { lambda: g.lambda, diff: best(live) - best(dead) };
    })
    .filter((r): r is { lambda: number; diff: number } => r !== null);
  for (let i = 0; i + 1 < rows.length; i++) {
    const a = rows[i];
    const b = rows[i + 1];
    if (a.diff <= 0 && b.diff > 0 && b.lambda >= bracket[0] / 2 && a.lambda <= bracket[1] * 2) {
      const t = -a.diff / (b.diff - a.diff);
      return Math.exp(Math.log(a.lambda) + t * (Math.log(b.lambda) - Math.log(a.lambda)));
    }
  }
  return Math.sqrt(bracket[0] * bracket[1]);
}

interface Event {
  bracket: [number, number];
  order: Transition['order'];
  lambda: number;
  significance: number;
}

/**
 * The collapse into the trivial regime (where the network stops learning), on the global
 * branch: first-order when the last nontrivial Σ‖W‖² is more than the previous slope can take
 * to zero within the last interval (a jump), else second-order, with λc where that slope
 * reaches zero.
 */
function collapse(branch: Curve, points: Usable[], scale: number): Event | null {
  const k = collapseIndex(branch, scale);
  if (k < 0) return null;
  const { lambda: l, y } = branch;
  const bracket: [number, number] = [l[k - 1], l[k]];
  const slope = k >= 2 ? (y[k - 1] - y[k - 2]) / (l[k - 1] - l[k - 2]) : 0;
  const reach = slope < 0 ? -slope * (l[k] - l[k - 1]) : 0;
  if (y[k - 1] > 1.5 * reach) return { bracket, order: 'first', lambda: crossing(points, bracket, scale), significance: y[k - 1] / Math.max(reach, 1e-300) };
  return { bracket, order: 'second', lambda: Math.min(l[k - 1] - y[k - 1] / slope, l[k]), significance: 10 };
}

/**
 * Transitions inside the nontrivial regime (a cascade, one per learnable feature): change points
 * of each seed's up chain on the λ grid (a chain follows one branch, unlike the global branch
 * that may hop between seeds' minima), kept where at least half the seeds agree.
 */
function interior(all: Usable[], scale: number, end: number): Event[] {
  // Grid points of the nontrivial regime only: an unconfirmed trivial point is no cascade step.
  const points = all.filter((p) => p.index >= 0 && p.weightNorm > TRIVIAL * scale);
  if (points.length === 0) return [];
  const direction = points.some((p) => p.direction === 'up') ? 'up' : points[0].direction;
  const seeds = [...new Set(points.map((p) => p.seed))];
  const perSeed = seeds.map((s) => {
    const c = chainCurve(points, direction, s);
    const keep = c.lambda.map((x) => x < end);
    const live: Curve = { lambda: c.lambda.filter((_, i) => keep[i]), y: c.y.filter((_, i) => keep[i]) };
    return changePoints(live, { minSize: 1e-3 * scale });
  });
  const candidates = perSeed.flat();
  const events: Event[] = [];
  for (const cp of candidates.sort((a, b) => b.significance - a.significance)) {
    if (events.some((e) => cp.bracket[0] < e.bracket[1] && cp.bracket[1] > e.bracket[0])) continue;
    const agree = perSeed.filter((list) => list.some((q) => q.bracket[0] < cp.bracket[1] && q.bracket[1] > cp.bracket[0])).length;
    if (agree * 2 < seeds.length) continue;
    events.push({ bracket: cp.bracket, order: cp.kind === 'jump' ? 'first' : 'second', lambda: cp.lambda, significance: cp.significance * (agree / seeds.length) });
  }
  return events;
}

/**
 * Every transition of a (finished or partial) sweep, in the order parameter Σ‖W‖²: jumps are
 * first-order, kinks second-order (Ehrenfest). Each gets a bracket, the up and down chains'
 * switching points when both ran (the hysteresis loop of a first-order transition), the
 * nearest change point of the curvature curves, and a confidence. None found: [].
 */
export function detectTransitions(all: PointRecord[]): Transition[] {
  const points = all.filter(usable);
  if (points.length < 3) return [];
  const scale = Math.max(...points.map((p) => p.weightNorm));
  if (!(scale > 0)) return [];
  const branch = globalBranch(points);
  const order = curveOf(branch, (p) => p.weightNorm);
  const main = collapse(order, points, scale);
  // Interior change points reaching into the collapse bracket belong to the collapse (e.g. the
  // metastable branch bending towards its spinodal before a first-order jump).
  const inside = main ? interior(points, scale, main.bracket[0]).filter((ev) => ev.bracket[1] < main.bracket[0]) : interior(points, scale, Infinity);
  const events = [...inside, ...(main ? [main] : [])];

  const curvaturePoints = (['error', 'objective'] as const).flatMap((which) => {
    const c = curveOf(branch, (p) => p.curvature?.[which]);
    return [...signChanges(c), ...changePoints(c)].map((cp) => ({ ...cp, curve: which }));
  });
  const seeds = [...new Set(points.map((p) => p.seed))];
  const switches = (direction: string) => seeds.map((s) => chainSwitch(chainCurve(points, direction, s), scale)).find((x) => x !== null) ?? null;
  const upSwitch = switches('up');
  const downSwitch = switches('down');

  return events
    .sort((a, b) => a.lambda - b.lambda)
    .map((ev): Transition => {
      const t: Transition = {
        lambda: ev.lambda,
        bracket: ev.bracket,
        order: ev.order,
        observable: 'weightNorm',
        kind: ev === main ? 'collapse' : 'cascade',
        confidence: Number(Math.min(1, ev.significance / 3).toFixed(3)),
      };
      if (ev === main && ev.order === 'first' && upSwitch !== null) {
        const width = downSwitch !== null ? Math.abs(Math.log10(upSwitch / downSwitch)) : null;
        t.hysteresis = { up: upSwitch, down: downSwitch, width };
      }
      const nearest = curvaturePoints.reduce<(typeof curvaturePoints)[number] | null>((best, c) => (!best || Math.abs(Math.log10(c.lambda / ev.lambda)) < Math.abs(Math.log10(best.lambda / ev.lambda)) ? c : best), null);
      if (nearest) t.curvatureChangePoint = { lambda: nearest.lambda, distanceLog10: Math.abs(Math.log10(nearest.lambda / ev.lambda)), curve: nearest.curve, kind: nearest.kind };
      return t;
    });
}

