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

/** Orthonormal basis of the span of `vs` (Gram–Schmidt; near-dependent vectors dropped). */
function orthonormal(vs: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vs) {
    const w = Float64Array.from(v);
    for (const q of out) {
      let d = 0;
      for (let i = 0; i < w.length; i++) d += q[i] * w[i];
      for (let i = 0; i < w.length; i++) w[i] -= d * q[i];
    }
    const norm = Math.hypot(...w);
    if (norm > 1e-9 * Math.max(1, Math.hypot(...v))) out.push(w.map((x) => x / norm));
  }
  return out;
}

/**
 * Branch switching: θ with every mode after the strongest `keep` switched off. A mode enters
 * at its input direction v_j (a right singular vector of J̄) and travels through the layers
 * along d₀ = v_j, d_l = W_lᵀ d_{l−1} (its image, the activations' slope at 0 taken as 1); each
 * layer's weights lose the input directions of the removed modes, W_l ← (I − Q_l Q_lᵀ) W_l
 * with Q_l an orthonormal basis of their d_{l−1}, and the last layer also their output
 * directions u_j. With the whole path cut, nothing couples the data to the mode (cutting the
 * ends alone leaves the middle weights, and with them a saddle from which it regrows), so
 * minimizing from here reaches the phase with `keep` modes where that is a local minimum
 * (with two or more hidden layers a switched-off mode's origin is stable), and grows the mode
 * back where it is not (one hidden layer: a saddle).
 */
export function deflateModes(model: Mlp, theta: Float64Array, x: Float64Array | Float32Array, n: number, keep: number): Float64Array {
  const { inputDim, outputDim, layers } = model.layout;
  const svd = thinSvd(model.meanInputJacobian(theta, x, n), outputDim, inputDim);
  const out = Float64Array.from(theta);
  let paths = svd.v.slice(keep).filter((_, j) => svd.values[keep + j] > 0);
  for (const { wOffset, fanIn, fanOut } of layers) {
    const w = (i: number, c: number) => wOffset + i * fanOut + c;
    // The removed modes' images in this layer's output space, before cutting.
    const next = paths.map((d) => {
      const img = new Float64Array(fanOut);
      for (let i = 0; i < fanIn; i++) for (let c = 0; c < fanOut; c++) img[c] += d[i] * out[w(i, c)];
      return img;
    });
    for (const q of orthonormal(paths)) {
      for (let c = 0; c < fanOut; c++) {
        let along = 0;
        for (let i = 0; i < fanIn; i++) along += q[i] * out[w(i, c)];
        for (let i = 0; i < fanIn; i++) out[w(i, c)] -= along * q[i];
      }
    }
    paths = next;
  }
  // The last layer's output side, fanIn × outputDim: remove the modes' output directions.
  const last = layers[layers.length - 1];
  for (const u of orthonormal(svd.u.slice(keep).filter((u) => u.some((x) => x !== 0)))) {
    for (let r = 0; r < last.fanIn; r++) {
      let along = 0;
      for (let o = 0; o < outputDim; o++) along += u[o] * out[last.wOffset + r * outputDim + o];
      for (let o = 0; o < outputDim; o++) out[last.wOffset + r * outputDim + o] -= along * u[o];
    }
  }
  return out;
}
