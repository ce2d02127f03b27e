import type { Experiment } from '../config/types';
import type { PointRecord } from '../sweep/point';
import { detectTransitions } from '../transitions/detect';
import type { PoolTask } from './workerPool';

/**
 * The next round of adaptive refinement: for every transition whose bracket [lo, hi] is wider
 * than hi/lo − 1 > bracketWidth, the midpoint in log λ, trained twice, warm-started from the
 * point at lo (continuing up) and from the point at hi (continuing down), so that both
 * branches are followed into the bracket. Points are named by their λ, so a resumed run makes
 * the same ones.
 */
export function refinementTasks(e: Experiment, points: PointRecord[], params: (id: string) => Float64Array): PoolTask[] {
  const have = new Set(points.map((p) => p.id));
  const tasks: PoolTask[] = [];
  for (const t of detectTransitions(points)) {
    const [lo, hi] = t.bracket;
    if (hi / lo - 1 <= e.analysis.transitions.bracketWidth) continue;
    const mid = Math.sqrt(lo * hi);
    for (const [edge, direction] of [[lo, 'up'], [hi, 'down']] as const) {
      // The best (lowest-objective) converged point at the bracket's edge starts the new one.
      const from = points.filter((p) => p.lambda === edge && !p.diverged && p.objective !== null).sort((a, b) => a.objective! - b.objective!)[0];
      if (!from) continue;
      const id = `${direction}-s${from.seed}-r${mid.toExponential(6)}`;
      if (have.has(id)) continue;
      have.add(id);
      tasks.push({ chain: { id: `refine-${id}`, seed: from.seed, direction, points: [{ id, index: -1, lambda: mid }] }, resume: { done: [], theta: params(from.id) } });
    }
  }
  return tasks;
}
