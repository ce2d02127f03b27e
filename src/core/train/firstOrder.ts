import type { TrainConfig } from '../config/types';
import { allFinite, norm2 } from '../linalg/vec';
import { Rng } from '../random';
import type { OptimizeResult, TrainingObjective } from './objective';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** Sees θ after each step (step 0: the start); θ is the optimizer's own buffer, so copy what is kept. */
export type PathObserver = (step: number, theta: Float64Array) => void;

/**
 * Minibatch Adam (Kingma & Ba 2015, with bias correction) or plain SGD on the L2-regularized
 * objective. The penalty stays in the gradient (coupled L2), since λ·Σ‖W‖² is the objective
 * under study. Convergence is judged on the full-batch gradient once per epoch.
 */
export function firstOrder(problem: TrainingObjective, start: Float64Array, cfg: TrainConfig, kind: 'adam' | 'sgd', rng: Rng, observe?: PathObserver): OptimizeResult {
  const p = problem.size;
  const x = Float64Array.from(start);
  const grad = new Float64Array(p);
  const m = new Float64Array(p);
  const v = new Float64Array(p);
  const n = problem.n;
  const batch = cfg.batchSize === 'full' ? n : Math.min(cfg.batchSize, n);
  const fullBatch = batch === n;
  let order = rng.permutation(n);
  let cursor = 0;
  let steps = 0;

  const check = (): OptimizeResult | null => {
    const value = problem.valueGrad(x, grad);
    const gradNorm = norm2(grad);
    if (!Number.isFinite(value) || !allFinite(grad)) return { theta: x, value, gradNorm, steps, converged: false, diverged: true };
    if (gradNorm <= cfg.tolerance || steps >= cfg.maxSteps) return { theta: x, value, gradNorm, steps, converged: gradNorm <= cfg.tolerance, diverged: false };
    return null;
  };

  for (;;) {
    // Each pass makes one step, so the observer sees steps 0, 1, 2, … once each, the last included.
    observe?.(steps, x);
    if (fullBatch || cursor === 0) {
      const stop = check();
      if (stop) return stop;
    }
    if (!fullBatch) {
      problem.batchValueGrad(x, grad, order.subarray(cursor, cursor + batch));
      cursor += batch;
      // Epoch over (the remainder smaller than a batch is dropped): reshuffle.
      if (cursor + batch > n) {
        order = rng.permutation(n);
        cursor = 0;
      }
    }
    steps++;
    if (kind === 'sgd') {
      for (let i = 0; i < p; i++) x[i] -= cfg.learningRate * grad[i];
      continue;
    }
    const c1 = 1 - Math.pow(BETA1, steps);
    const c2 = 1 - Math.pow(BETA2, steps);
    for (let i = 0; i < p; i++) {
      m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
      v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
      x[i] -= (cfg.learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + EPS);
    }
  }
}
