/** A differentiable scalar function of a flat float64 parameter vector. */
export interface Objective {
  readonly size: number;
  /** f(θ); writes ∇f(θ) into grad. */
  valueGrad(theta: Float64Array, grad: Float64Array): number;
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
