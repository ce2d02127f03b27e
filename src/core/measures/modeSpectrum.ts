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

/**
 * Branch switching: θ with every mode after the strongest `keep` switched off, by projecting
 * their input directions v_j out of the first layer and their output directions u_j out of
 * the last (the singular vectors of J̄, J̄ v_j = s_j u_j): W₁ ← (I − Σ v_j v_jᵀ) W₁ and
 * W_L ← W_L (I − Σ u_j u_jᵀ). With both ends cut, the mode's leftovers in between receive no
 * gradient from the data (the residual correlation of v_j points along u_j only) and decay
 * under the penalty, so minimizing from here reaches the phase with `keep` modes where that is
 * a local minimum (with two or more hidden layers a switched-off mode's origin is stable), and
 * grows the mode back where it is not (one hidden layer: a saddle).
 */
export function deflateModes(model: Mlp, theta: Float64Array, x: Float64Array | Float32Array, n: number, keep: number): Float64Array {
  const { inputDim, outputDim, layers } = model.layout;
  const svd = thinSvd(model.meanInputJacobian(theta, x, n), outputDim, inputDim);
  const out = Float64Array.from(theta);
  const first = layers[0];
  const last = layers[layers.length - 1];
  for (let j = keep; j < svd.values.length; j++) {
    // First layer, x·W₁ with W₁ fanIn × fanOut row-major: remove v from every column.
    const v = svd.v[j];
    for (let c = 0; c < first.fanOut; c++) {
      let along = 0;
      for (let i = 0; i < inputDim; i++) along += v[i] * out[first.wOffset + i * first.fanOut + c];
      for (let i = 0; i < inputDim; i++) out[first.wOffset + i * first.fanOut + c] -= along * v[i];
    }
    // Last layer, fanIn × outputDim: remove u from every row.
    const u = svd.u[j];
    for (let r = 0; r < last.fanIn; r++) {
      let along = 0;
      for (let o = 0; o < outputDim; o++) along += u[o] * out[last.wOffset + r * outputDim + o];
      for (let o = 0; o < outputDim; o++) out[last.wOffset + r * outputDim + o] -= along * u[o];
    }
  }
  return out;
}
