import type { Precision } from '../kernels/kernels';
import type { MatVec } from '../linalg/lanczos';

/** A differentiable scalar function of a flat float64 parameter vector. */
export interface Objective {
  readonly size: number;
  /** f(θ); writes ∇f(θ) into grad. */
  valueGrad(theta: Float64Array, grad: Float64Array): number;
}

/**
 * A training objective: a mean over n rows of data plus the penalty, as the optimizers
 * (minimize, firstOrder) and the saddle escape train it: an MLP's TrainingProblem or a
 * VaeProblem.
 */
export interface TrainingObjective extends Objective {
  readonly n: number;
  /** The precision its model computes in (float32 sums set L-BFGS's noise floor). */
  readonly precision: Precision;
  /** The same objective with the data terms averaged over the given rows only (a minibatch). */
  batchValueGrad(theta: Float64Array, grad: Float64Array, rows: Int32Array): number;
  /** Exact products with the objective's Hessian at θ (train/bottomMode's saddle check). */
  hessianAt(theta: ArrayLike<number>): MatVec;
}

/** How an optimizer run ended; the point record carries these fields. */
export interface OptimizeResult {
  theta: Float64Array;
  value: number;
  gradNorm: number;
  steps: number;
  /** ‖∇f‖₂ ≤ tolerance was reached. */
  converged: boolean;
  /** f or ∇f became NaN or ±∞. */
  diverged: boolean;
}
