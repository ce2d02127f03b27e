import type { TrainConfig } from '../config/types';
import type { Rng } from '../random';
import { firstOrder, type PathObserver } from './firstOrder';
import { lbfgs } from './lbfgs';
import type { OptimizeResult, TrainingObjective } from './objective';

/** ‖∇‖₂ below which float32 training hands over to the float64 polish. */
export const FLOAT32_GRADIENT_FLOOR = 1e-6;

/** Trains from `start` at the problem's current λ with the configured optimizer; `observe` sees a first-order optimizer's path (L-BFGS has none: config/semantic refuses it). */
export function minimize(problem: TrainingObjective, start: Float64Array, cfg: TrainConfig, rng: Rng, observe?: PathObserver): OptimizeResult {
  if (cfg.optimizer === 'lbfgs') {
    // float32 sums of n terms are good to ~1e-7 relative; float64 ones to ~1e-13.
    const f32 = problem.precision === 'float32';
    const valueNoise = f32 ? 1e-6 : 1e-13;
    // Below ≈ 1e-6 a float32 gradient is mostly rounding (n-term float32 sums): asked for less,
    // float32 L-BFGS wanders in that noise, line search after line search, before it stalls
    // (measured: ~1200 evaluations for 150 steps at a trivial MNIST point, tolerance 1e-7). So it
    // stops at this floor, unconverged, and the float64 polish (sweep/runChain) finishes.
    const tolerance = f32 ? Math.max(cfg.tolerance, FLOAT32_GRADIENT_FLOOR) : cfg.tolerance;
    const fit = lbfgs(problem, start, { maxSteps: cfg.maxSteps, tolerance, memory: cfg.memory, initialStep: cfg.learningRate, valueNoise });
    return tolerance === cfg.tolerance ? fit : { ...fit, converged: fit.gradNorm <= cfg.tolerance };
  }
  return firstOrder(problem, start, cfg, cfg.optimizer, rng, observe);
}
