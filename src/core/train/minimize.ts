import type { TrainConfig } from '../config/types';
import type { Rng } from '../random';
import { firstOrder } from './firstOrder';
import { lbfgs } from './lbfgs';
import type { OptimizeResult } from './objective';
import type { TrainingProblem } from './problem';

/** Trains from `start` at the problem's current λ with the configured optimizer. */
export function minimize(problem: TrainingProblem, start: Float64Array, cfg: TrainConfig, rng: Rng): OptimizeResult {
  if (cfg.optimizer === 'lbfgs') {
    // float32 sums of n terms are good to ~1e-7 relative; float64 ones to ~1e-13.
    const valueNoise = problem.model.precision === 'float32' ? 1e-6 : 1e-13;
    return lbfgs(problem, start, { maxSteps: cfg.maxSteps, tolerance: cfg.tolerance, memory: cfg.memory, initialStep: cfg.learningRate, valueNoise });
  }
  return firstOrder(problem, start, cfg, cfg.optimizer, rng);
}
