import { extremeEigenvalues } from '../linalg/extremeEigenpairs';
import type { TrainingObjective } from './objective';

/** The lowest curvature direction of the objective at θ, and whether it is a descent direction. */
export interface BottomMode {
  /** Smallest Ritz value of the objective Hessian: an upper bound on its smallest eigenvalue. */
  value: number;
  /** Its unit Ritz vector. */
  vector: Float64Array;
  /** tolerance × max(|top|, |bottom|): the spectrum's scale, as in morseCheck. */
  threshold: number;
  /** value < −threshold: θ is not a minimum (a zero mode of a symmetry never is negative). */
  negative: boolean;
  /** Hessian-vector products spent (one per Lanczos step). */
  products: number;
}

/**
 * The bottom eigenpair of the objective Hessian ∇²(L + λΣ‖W‖²) at θ from one fully
 * reorthogonalized Lanczos run of `steps` to 4·`steps` products of the problem's exact Hessian-vector product
 * (Pearlmutter's R-operator: `DataHessian` for an MLP, `VaeHessian` for a VAE). Both ends of the spectrum converge first (Kaniel–Paige–Saad), so the same
 * run gives the scale that the threshold is relative to. A Ritz value is never below the smallest
 * eigenvalue (Cauchy interlacing), so `negative` is never a false alarm of the Lanczos run: at
 * worst a negative eigenvalue whose direction the run has not resolved yet is missed.
 */
export function bottomMode(problem: TrainingObjective, theta: ArrayLike<number>, steps: number, tolerance: number, seed: number): BottomMode {
  const apply = problem.hessianAt(theta);
  // The bottom sits at the edge of the bulk and can need several times the steps the top does:
  // go on (to 4× `steps`) until both ends are resolved to 1% of the threshold, as analyzePoint does.
  const ext = extremeEigenvalues(apply, problem.size, { k: 1, steps, maxSteps: 4 * steps, tolerance: 0.01 * tolerance, vectors: true, seed });
  const value = ext.bottom[0];
  const threshold = tolerance * Math.max(Math.abs(ext.top[0]), Math.abs(value));
  return { value, vector: (ext.bottomVectors as Float64Array[])[0], threshold, negative: value < -threshold, products: ext.steps };
}
