import { norm2 } from '../linalg/vec';
import { bottomMode } from './bottomMode';
import type { OptimizeResult, TrainingObjective } from './objective';

export interface EscapeOptions {
  /** Escape steps allowed; 0 only checks. */
  maxEscapes: number;
  /** Lanczos steps (Hessian-vector products) per check. */
  lanczosSteps: number;
  /** Relative threshold below which the bottom eigenvalue counts as negative (morseCheck's). */
  tolerance: number;
  /** Longest escape step: about the size of a fresh initialization, so any basin one reaches is in reach. */
  stepScale: number;
  /** Seed of the Lanczos start vector. */
  seed: number;
}

/** What a measurement may already know of the bottom of the objective Hessian's spectrum. */
export interface Measured {
  /**
   * Ascending eigenvalues (exact: all of them in float64; lanczos: bottom and top Ritz values, in
   * the training precision) and the threshold of their Morse check; null when not analysed.
   */
  hessian: { method: 'exact' | 'lanczos'; eigenvalues: ArrayLike<number>; threshold: number } | null;
}

export interface EscapeResult<R> {
  fit: OptimizeResult;
  /** The measurement of `fit`. */
  record: R;
  /** Escape steps taken (each followed by a new minimization that lowered the objective). */
  escapes: number;
  /** `fit` still has an eigenvalue below −threshold: a saddle, not a minimum. */
  saddle: boolean;
}

/** Step lengths tried along ±v, as fractions of the step scale: four decades, so one lands in the quadratic regime. */
const FRACTIONS = [1, 1 / 4, 1 / 16, 1 / 64, 1 / 256, 1 / 1024, 1 / 4096, 1 / 16384];
/** float64 sums of n terms are good to ~1e-13 relative: a smaller decrease is rounding. */
const VALUE_NOISE = 1e-12;

/**
 * The lowest of f(θ ± t·v) over the step lengths, if below f(θ). Along an eigenvector with
 * eigenvalue μ < 0, f(θ + s·t·v) = f + s·t·gᵀv + ½μt² + O(t³): the sign with s·gᵀv ≤ 0 descends
 * for every t small enough, so some step lowers f whenever μ is not rounding noise.
 */
function descend(problem: TrainingObjective, theta: Float64Array, f0: number, v: Float64Array, scale: number): Float64Array | null {
  const grad = new Float64Array(problem.size);
  const trial = new Float64Array(problem.size);
  let best: { f: number; theta: Float64Array } | null = null;
  for (const fraction of FRACTIONS) {
    for (const sign of [1, -1]) {
      const t = sign * fraction * scale;
      for (let i = 0; i < trial.length; i++) trial[i] = theta[i] + t * v[i];
      const f = problem.valueGrad(trial, grad);
      if (Number.isFinite(f) && f < (best?.f ?? f0 - VALUE_NOISE * Math.abs(f0))) best = { f, theta: Float64Array.from(trial) };
    }
  }
  return best?.theta ?? null;
}

/**
 * Makes a trained point a minimum, not a saddle: L-BFGS stops wherever ∇f ≈ 0, saddles included
 * (e.g. the trivial point of a net below λc). While the bottom eigenvalue of the objective Hessian
 * is below −threshold, step along its eigenvector to the lowest objective found and minimize
 * again with `retrain`, at most `maxEscapes` times. The objective never rises: a step or a new
 * minimization that does not lower it is not taken, and the point stays, marked a saddle.
 *
 * The check is free when `measure` already analysed the spectrum (the point record's Hessian):
 * the float64 Lanczos run of `bottomMode`, for the direction, is spent only where that reports a
 * negative eigenvalue, or where there is no analysis. `problem` is float64 and at the point's λ.
 */
export function escapeSaddle<R extends Measured>(
  problem: TrainingObjective,
  trained: OptimizeResult,
  retrain: (start: Float64Array) => OptimizeResult,
  measure: (fit: OptimizeResult, escapes: number) => R,
  o: EscapeOptions,
): EscapeResult<R> {
  const grad = new Float64Array(problem.size);
  let fit = trained;
  let escapes = 0;
  for (;;) {
    const record = measure(fit, escapes);
    const h = record.hessian;
    if (h && !(h.eigenvalues[0] < -h.threshold)) return { fit, record, escapes, saddle: false };
    const mode = bottomMode(problem, fit.theta, o.lanczosSteps, o.tolerance, o.seed);
    // An exact negative eigenvalue that this shorter run does not resolve is still there; a
    // float32 Ritz value that float64 does not confirm was rounding.
    if (!mode.negative) return { fit, record, escapes, saddle: h?.method === 'exact' };
    const stay = { fit, record, escapes, saddle: true };
    if (escapes >= o.maxEscapes) return stay;
    const f0 = problem.valueGrad(fit.theta, grad);
    const start = descend(problem, fit.theta, f0, mode.vector, Math.max(o.stepScale, norm2(fit.theta)));
    if (!start) return stay;
    const next = retrain(start);
    if (next.diverged || !(problem.valueGrad(next.theta, grad) < f0)) return stay;
    fit = { ...next, steps: fit.steps + next.steps };
    escapes++;
  }
}
