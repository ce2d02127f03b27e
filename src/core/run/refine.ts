import type { Experiment } from '../config/types';
import { axisMidpoint, bracketNarrow } from '../sweep/axis';
import type { ChainDirection, PointRecord } from '../sweep/point';
import type { PointCoordinates } from '../sweep/pointSetting';
import { bestIn, globalBranch, phaseOf, scalesOf, sites, usable, type Site, type Usable } from '../transitions/branches';
import { phaseChanges } from '../transitions/detect';
import type { PoolTask } from './workerPool';

/** Where refinement's points start: a stored solution, one with modes switched off (at the coordinates it was trained at), a fresh draw (for a point at `at`). */
export interface Starts {
  params(id: string): Float64Array;
  deflate(theta: Float64Array, keep: number, at: PointCoordinates): Float64Array;
  /** A seeded initialization at `factor` times the configured scale. */
  restart(seed: number, factor: number, at: PointCoordinates): Float64Array;
}

/**
 * One refinement point as data (it is stored before its round runs, so an interrupted round is
 * finished as it was planned): where it starts, a stored point (with `keep`: after switching off
 * all but `keep` modes; `value` is the stored point's) or a restart at `restart` times the
 * initialization scale. `value` is the swept coordinate; `across`, a 2-D sweep's row.
 */
export interface RefineTask {
  id: string;
  seed: number;
  direction: ChainDirection;
  value: number;
  across?: number;
  start: { from: string; value: number; keep?: number } | { restart: number };
}

/** The pool's task for a refinement point, its start resolved. */
export function poolTask(t: RefineTask, starts: Starts): PoolTask {
  const s = t.start;
  const row = t.across === undefined ? {} : { across: t.across };
  const at = { value: 'restart' in s ? t.value : s.value, ...row };
  const theta = 'restart' in s ? starts.restart(t.seed, s.restart, at) : s.keep === undefined ? starts.params(s.from) : starts.deflate(starts.params(s.from), s.keep, at);
  return {
    chain: { id: `refine-${t.id}`, seed: t.seed, direction: t.direction, ...row, points: [{ id: t.id, index: -1, value: t.value }] },
    resume: { done: new Set(), after: new Map(), start: { theta, at } },
  };
}

/** Initialization scales of the restarts at the smallest value (times the point's init scale). */
const RESTART_FACTORS = [3, 10];

/**
 * The next round of adaptive refinement, for every phase change of the global branch
 * (every transition, not only the collapse), bracket [lo, hi] with phases a below and b above:
 * 1. Branch switching: every phase from b to a is followed into the bracket: where lo lacks
 *    it, its nearest point above lo is continued one site down, and where hi lacks it, its
 *    nearest point below hi one site up (warm starts). For a jump this follows both branches
 *    across the bracket, so their objectives can cross; when the continued phase wins, the
 *    bracket moves one site over and the next round goes on from there (a chain stays on its
 *    metastable branch up to its spinodal, past λc). A phase in between (two modes switching
 *    in one bracket) that no point holds yet is made at each end by switching the extra
 *    modes off a richer point there (`deflate`, measures/modeSpectrum). For a kink
 *    the continued phase just turns into the other one (no coexistence), which settles it.
 * 2. Once no phase is left to follow, while the bracket is wider than bracketWidth
 *    (sweep/axis.ts's bracketNarrow: hi/lo − 1 on a log axis), it is bisected (in log λ on a
 *    log axis; a count's midpoint rounded, none left between neighbouring counts), trained
 *    from both ends (up from lo's best point, down from hi's).
 * 3. At the smallest value, restarts from larger initializations (RESTART_FACTORS), once.
 * Points are named by direction, seed, the phase they start from and the value (and a 2-D
 * sweep's row), so a resumed run makes the same ones and an attempt is never repeated.
 */
export function refinementTasks(e: Experiment, points: PointRecord[], inputDim: number): RefineTask[] {
  const have = new Set(points.map((p) => p.id));
  const rows = new Map<number | undefined, PointRecord[]>();
  for (const p of points) rows.set(p.across, [...(rows.get(p.across) ?? []), p]);
  return [...rows.entries()].flatMap(([across, row]) => rowTasks(e, row, inputDim, have, across));
}

function rowTasks(e: Experiment, points: PointRecord[], inputDim: number, have: Set<string>, across: number | undefined): RefineTask[] {
  const kept = points.filter(usable);
  const row = across === undefined ? { tag: '', at: {} } : { tag: `-a${across.toExponential(6)}`, at: { across } };
  const s = scalesOf(kept);
  const all = sites(kept, s);
  const tasks: RefineTask[] = [];
  /** One refinement point, unless it was made before. */
  const add = (t: RefineTask): boolean => {
    if (have.has(t.id)) return false;
    have.add(t.id);
    tasks.push(t);
    return true;
  };
  /** Trains at `value` from `from`'s solution (with `keep`, after switching off all but `keep` modes). */
  const train = (from: Usable, value: number, direction: ChainDirection, keep?: number): boolean => {
    const id = `${direction}-s${from.seed}${row.tag}-p${phaseOf(from, s)}${keep === undefined ? '' : `-k${keep}`}-r${value.toExponential(6)}`;
    const start = { from: from.id, value: from.value, ...(keep === undefined ? {} : { keep }) };
    return add({ id, seed: from.seed, direction, value, ...row.at, start });
  };
  // Multi-start at the low end: every chain starts from one small initialization, and with two
  // or more hidden layers a weak mode's origin is a local minimum at every λ, so a chain may
  // never learn it. Larger initializations at the smallest λ find the phases chains missed;
  // the rules below then follow them up the sweep to their transitions.
  const low = all[0];
  if (low) {
    const seed = low.best.seed;
    for (const factor of RESTART_FACTORS)
      add({ id: `up-s${seed}${row.tag}-x${factor}-r${low.value.toExponential(6)}`, seed, direction: 'up', value: low.value, ...row.at, start: { restart: factor } });
  }
  /** A phase between a bracket's two that no point holds is made at an end from its nearest richer point there (the follow rules then carry it). */
  const deflateInto = (phase: number, at: Site, direction: ChainDirection): boolean => {
    if (all.some((x) => bestIn(x, phase, s))) return false;
    const richer = at.points.filter((p) => phaseOf(p, s) > phase).sort((a, b) => phaseOf(a, s) - phaseOf(b, s) || a.objective - b.objective)[0];
    return !!richer && train(richer, at.value, direction, phase);
  };
  /** One step of phase `phase` towards `target` (down: from above it), unless it is there. */
  const follow = (phase: number, target: Site, direction: ChainDirection): boolean => {
    if (bestIn(target, phase, s)) return false;
    const down = direction === 'down';
    const holds = all.map((_, i) => i).filter((i) => (down ? all[i].value > target.value : all[i].value < target.value) && bestIn(all[i], phase, s));
    if (holds.length === 0) return false;
    const i = down ? holds[0] : holds[holds.length - 1];
    return train(bestIn(all[i], phase, s)!, all[down ? i - 1 : i + 1].value, direction);
  };
  for (const c of phaseChanges(globalBranch(all, false))) {
    let followed = false;
    const [fewest, most] = [Math.min(c.below, c.above), Math.max(c.below, c.above)];
    for (let phase = fewest; phase <= most; phase++) {
      if (phase > fewest && phase < most) {
        followed = deflateInto(phase, c.lo, 'up') || followed;
        followed = deflateInto(phase, c.hi, 'down') || followed;
      }
      followed = follow(phase, c.lo, 'down') || followed;
      followed = follow(phase, c.hi, 'up') || followed;
    }
    if (followed || bracketNarrow(e.sweep, c.lo.value, c.hi.value, e.analysis.transitions.bracketWidth)) continue;
    const mid = axisMidpoint(e.sweep, c.lo.value, c.hi.value, inputDim);
    if (mid === null) continue;
    train(c.lo.best, mid, 'up');
    train(c.hi.best, mid, 'down');
  }
  return tasks;
}
