import type { Mlp } from '../model/mlp';
import { thinSvd } from '../predict/svd';

/**
 * The per-mode order parameters of a trained network: the singular values, descending, of its
 * mean input Jacobian J̄ = E_x[∂f/∂x]. For a linear network J̄ is the end-to-end map, whose
 * k-th singular value at the global minimum is the k-th mode's strength (for one hidden layer
 * on whitened data (σ_k − λ)₊, Ziyin & Ueda 2022): each mode switching off is one transition,
 * continuously (second-order) or by a jump (first-order). For a nonlinear network it counts
 * the input–output directions the network uses on average.
 */
export function modeSpectrum(model: Mlp, theta: ArrayLike<number>, x: Float64Array | Float32Array, n: number): number[] {
  const { inputDim, outputDim } = model.layout;
  return thinSvd(model.meanInputJacobian(theta, x, n), outputDim, inputDim).values;
}
