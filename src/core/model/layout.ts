import type { ModelConfig } from '../config/types';

/** Where one dense layer's parameters sit in the flat parameter vector θ. */
export interface LayerSlice {
  fanIn: number;
  fanOut: number;
  /** W is fanIn×fanOut row-major at θ[wOffset…]; f = act(x·W + b). */
  wOffset: number;
  /** b at θ[bOffset…], or −1 without biases. */
  bOffset: number;
}

/** θ = [W₀, b₀, W₁, b₁, …, W_L, b_L]; the last layer is the linear output layer. */
export interface Layout {
  inputDim: number;
  outputDim: number;
  layers: LayerSlice[];
  size: number;
  /** Index ranges [start, end) that the L2 penalty covers. */
  penalized: [number, number][];
}

export function makeLayout(inputDim: number, outputDim: number, model: Pick<ModelConfig, 'hidden' | 'bias' | 'regularizeBias'>): Layout {
  const widths = [inputDim, ...model.hidden, outputDim];
  const layers: LayerSlice[] = [];
  const penalized: [number, number][] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l];
    const fanOut = widths[l + 1];
    const wOffset = offset;
    offset += fanIn * fanOut;
    const bOffset = model.bias ? offset : -1;
    if (model.bias) offset += fanOut;
    // Weights and (when regularized) the bias that follows them form one contiguous range.
    penalized.push([wOffset, model.bias && model.regularizeBias ? offset : wOffset + fanIn * fanOut]);
    layers.push({ fanIn, fanOut, wOffset, bOffset });
  }
  return { inputDim, outputDim, layers, size: offset, penalized };
}

/** Whether θ of `a` is θ of `b`: the same layers, widths and biases (not only the same size). */
export function sameLayout(a: Layout, b: Layout): boolean {
  return a.size === b.size && a.layers.length === b.layers.length && a.layers.every((l, i) => l.fanIn === b.layers[i].fanIn && l.fanOut === b.layers[i].fanOut && l.bOffset === b.layers[i].bOffset);
}

/** λ·Σ‖W‖²_F (plus biases when regularized), and its gradient 2λθ added into grad. */
export function penalty(layout: Layout, theta: ArrayLike<number>, lambda: number, grad?: Float64Array): number {
  let s = 0;
  for (const [a, b] of layout.penalized) {
    for (let i = a; i < b; i++) {
      s += theta[i] * theta[i];
      if (grad) grad[i] += 2 * lambda * theta[i];
    }
  }
  return lambda * s;
}

/** Adds the penalty's Hessian, 2λ on the penalized diagonal, to a dense row-major P×P matrix. */
export function addPenaltyHessian(layout: Layout, h: Float64Array, lambda: number): void {
  for (const [a, b] of layout.penalized) for (let i = a; i < b; i++) h[i * layout.size + i] += 2 * lambda;
}

/** Squared Frobenius norm of each layer's weight matrix. */
export function layerNorms(layout: Layout, theta: ArrayLike<number>): number[] {
  return layout.layers.map(({ fanIn, fanOut, wOffset }) => {
    let s = 0;
    for (let i = wOffset; i < wOffset + fanIn * fanOut; i++) s += theta[i] * theta[i];
    return s;
  });
}
