import type { Experiment } from '../config/types';
import type { ChainDirection, PointRecord } from '../sweep/point';
import { bestIn, globalBranch, phaseOf, scalesOf, sites, usable, type Site, type Usable } from '../transitions/branches';
import { phaseChanges } from '../transitions/detect';
import type { PoolTask } from './workerPool';

/** Where refinement's points start: a stored solution, one with modes switched off, a fresh draw. */
export interface Starts {
  params(id: string): Float64Array;
  deflate(theta: Float64Array, keep: number): Float64Array;
  /** A seeded initialization at `factor` times the configured scale. */
  restart(seed: number, factor: number): Float64Array;
}

/**
 * One refinement point as data (it is stored before its round runs, so an interrupted round is
 * finished as it was planned): where it starts, a stored point (with `keep`: after switching off
 * all but `keep` modes) or a restart at `restart` times the initialization scale.
 */
export interface RefineTask {
  id: string;
  seed: number;
  direction: ChainDirection;
  lambda: number;
  start: { from: string; keep?: number } | { restart: number };
}

/** The pool's task for a refinement point, its start resolved. */
export function poolTask(t: RefineTask, starts: Starts): PoolTask {
  const s = t.start;
  const theta = 'restart' in s ? starts.restart(t.seed, s.restart) : s.keep === undefined ? starts.params(s.from) : starts.deflate(starts.params(s.from), s.keep);
  return { chain: { id: `refine-${t.id}`, seed: t.seed, direction: t.direction, points: [{ id: t.id, index: -1, lambda: t.lambda }] }, resume: { done: new Set(), after: new Map(), start: theta } };
}

/** Initialization scales of the restarts at the smallest λ (times `train.initScale`). */
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
 * 2. Once no phase is left to follow, while hi/lo − 1 > bracketWidth, the bracket is bisected
 *    in log λ, trained from both ends (up from lo's best point, down from hi's).
 * 3. At the smallest λ, restarts from larger initializations (RESTART_FACTORS), once.
 * Points are named by direction, seed, the phase they start from and λ, so a resumed run makes
 * the same ones and an attempt is never repeated.
 */
export function refinementTasks(e: Experiment, points: PointRecord[]): RefineTask[] {
  const have = new Set(points.map((p) => p.id));
  const kept = points.filter(usable);
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
  /** Trains at λ from `from`'s solution (with `keep`, after switching off all but `keep` modes). */
  const train = (from: Usable, lambda: number, direction: ChainDirection, keep?: number): boolean => {
    const id = `${direction}-s${from.seed}-p${phaseOf(from, s)}${keep === undefined ? '' : `-k${keep}`}-r${lambda.toExponential(6)}`;
    return add({ id, seed: from.seed, direction, lambda, start: keep === undefined ? { from: from.id } : { from: from.id, keep } });
  };
  // Multi-start at the low end: every chain starts from one small initialization, and with two
  // or more hidden layers a weak mode's origin is a local minimum at every λ, so a chain may
  // never learn it. Larger initializations at the smallest λ find the phases chains missed;
  // the rules below then follow them up the sweep to their transitions.
  const low = all[0];
  if (low) {
    const seed = low.best.seed;
    for (const factor of RESTART_FACTORS) add({ id: `up-s${seed}-x${factor}-r${low.lambda.toExponential(6)}`, seed, direction: 'up', lambda: low.lambda, start: { restart: factor } });
  }
  /** A phase between a bracket's two that no point holds is made at an end from its nearest richer point there (the follow rules then carry it). */
  const deflateInto = (phase: number, at: Site, direction: ChainDirection): boolean => {
    if (all.some((x) => bestIn(x, phase, s))) return false;
    const richer = at.points.filter((p) => phaseOf(p, s) > phase).sort((a, b) => phaseOf(a, s) - phaseOf(b, s) || a.objective - b.objective)[0];
    return !!richer && train(richer, at.lambda, direction, phase);
  };
  /** One step of phase `phase` towards `target` (down: from above it), unless it is there. */
  const follow = (phase: number, target: Site, direction: ChainDirection): boolean => {
    if (bestIn(target, phase, s)) return false;
    const down = direction === 'down';
    const holds = all.map((_, i) => i).filter((i) => (down ? all[i].lambda > target.lambda : all[i].lambda < target.lambda) && bestIn(all[i], phase, s));
    if (holds.length === 0) return false;
    const i = down ? holds[0] : holds[holds.length - 1];
    return train(bestIn(all[i], phase, s)!, all[down ? i - 1 : i + 1].lambda, direction);
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
    if (followed || c.hi.lambda / c.lo.lambda - 1 <= e.analysis.transitions.bracketWidth) continue;
    const mid = Math.sqrt(c.lo.lambda * c.hi.lambda);
    train(c.lo.best, mid, 'up');
    train(c.hi.best, mid, 'down');
  }
  return tasks;
}
