import type { Experiment } from '../config/types';
import type { PointRecord } from '../sweep/point';
import { detectTransitions } from '../transitions/detect';
import type { PoolTask } from './workerPool';

/**
 * The next round of adaptive refinement: while the collapse's bracket [lo, hi] is wider than
 * hi/lo − 1 > bracketWidth, the midpoint in log λ of the widest gap between points inside it,
 * trained twice, warm-started from the best point at its lower end (continuing up) and at its
 * upper end (continuing down), so that both branches are followed into the bracket. Points are
 * named by their λ, so a resumed run makes the same ones.
 */
export function refinementTasks(e: Experiment, points: PointRecord[], params: (id: string) => Float64Array): PoolTask[] {
  const have = new Set(points.map((p) => p.id));
  const tasks: PoolTask[] = [];
  for (const t of detectTransitions(points).filter((t) => t.kind === 'collapse')) {
    const [lo, hi] = t.bracket;
    if (hi / lo - 1 <= e.analysis.transitions.bracketWidth) continue;
    const inside = [...new Set(points.map((p) => p.lambda).filter((l) => l >= lo && l <= hi))].sort((a, b) => a - b);
    let gap = 0;
    for (let i = 1; i < inside.length; i++) if (inside[i] / inside[i - 1] > inside[gap + 1] / inside[gap]) gap = i - 1;
    const [a, b] = [inside[gap], inside[gap + 1]];
    const mid = Math.sqrt(a * b);
    for (const [edge, direction] of [[a, 'up'], [b, 'down']] as const) {
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
