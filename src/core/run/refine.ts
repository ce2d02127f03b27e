import type { Experiment } from '../config/types';
import type { ChainDirection, PointRecord } from '../sweep/point';
import { bestIn, globalBranch, scalesOf, sites, usable, type Usable } from '../transitions/branches';
import { phaseChanges } from '../transitions/detect';
import type { PoolTask } from './workerPool';

/**
 * The next round of adaptive refinement, for every phase change of the global branch
 * (every transition, not only the collapse), bracket [lo, hi] with phases a below and b above:
 * 1. Branch switching: the phase above is continued down to lo (warm-started from the best
 *    point at hi) and the phase below up to hi, unless each is there already. For a jump this
 *    follows both branches across the bracket, so their objectives can cross; when the
 *    continued phase wins, the bracket moves one site over, and the next round goes on from
 *    there (a chain stays on its metastable branch up to its spinodal, past λc). For a kink
 *    the continued phase just turns into the other one (no coexistence), which settles it.
 * 2. Once both ends are settled, while hi/lo − 1 > bracketWidth, the bracket is bisected in
 *    log λ, trained from both ends (up from lo's best point, down from hi's).
 * Points are named by direction, seed and λ, so a resumed run makes the same ones and an
 * attempt is never repeated.
 */
export function refinementTasks(e: Experiment, points: PointRecord[], params: (id: string) => Float64Array): PoolTask[] {
  const have = new Set(points.map((p) => p.id));
  const kept = points.filter(usable);
  const s = scalesOf(kept);
  const tasks: PoolTask[] = [];
  const train = (from: Usable, lambda: number, direction: ChainDirection): boolean => {
    const id = `${direction}-s${from.seed}-r${lambda.toExponential(6)}`;
    if (have.has(id)) return false;
    have.add(id);
    tasks.push({ chain: { id: `refine-${id}`, seed: from.seed, direction, points: [{ id, index: -1, lambda }] }, resume: { done: [], theta: params(from.id) } });
    return true;
  };
  for (const c of phaseChanges(globalBranch(sites(kept, s)))) {
    const down = !bestIn(c.lo, c.hi.phase, s) && train(c.hi.best, c.lo.lambda, 'down');
    const up = !bestIn(c.hi, c.lo.phase, s) && train(c.lo.best, c.hi.lambda, 'up');
    if (down || up || c.hi.lambda / c.lo.lambda - 1 <= e.analysis.transitions.bracketWidth) continue;
    const mid = Math.sqrt(c.lo.lambda * c.hi.lambda);
    train(c.lo.best, mid, 'up');
    train(c.hi.best, mid, 'down');
  }
  return tasks;
}
