import type { Activation, LossKind } from '../config/types';
import type { CompressedRows, Kernels, Precision, Workspace } from '../kernels/kernels';
import type { Vec, VecCtor } from '../linalg/vec';
import { activation, type ActivationFns } from './activations';
import type { Layout } from './layout';
import { lossFns, type LossFns } from './losses';

export type { Precision } from '../kernels/kernels';

/**
 * Forward and hand-derived backward passes of an MLP, f = act(x·W + b) per hidden layer and a
 * linear output layer, on flat parameter vectors (see layout.ts). Each layer is one call of
 * `kernels`: the product with bias and activation (forward) or the activation's derivative
 * (backward) in its epilogue; the loss is a JS loop. Parameters, activations, signals and
 * gradients live in the model's workspace of those kernels (for the WebAssembly kernels one
 * memory, so no product copies anything), and so does data given to `place`. Buffers are kept
 * between calls (sized by the largest batch seen) so a training step allocates nothing.
 */
export class Mlp {
  readonly act: ActivationFns;
  readonly loss: LossFns;
  private readonly F: VecCtor;
  /** Cross-entropy on kernels that fuse it (one pass in the kernels' memory instead of the JS loss). */
  private readonly fusedLoss: boolean;
  private readonly ws: Workspace;
  private theta: Vec;
  private gradBuf: Vec;
  /** Rows the per-row buffers have room for. */
  private rows = 0;
  /** Pre-activations per layer (bias included), n×fanOut; the last is the output. */
  private z: Vec[] = [];
  /** Hidden activations per hidden layer, n×fanOut. */
  private h: Vec[] = [];
  /** Two ping-pong buffers for back-propagated signals, n×(widest layer). */
  private gA: Vec = new Float64Array(0);
  private gB: Vec = new Float64Array(0);
  /** Inputs registered by compressInput, as compressed rows. */
  private readonly sparse = new WeakMap<Vec, CompressedRows>();
  /** meanInputJacobian's column sums (fanOut of layer 0). */
  private sumsBuf: Vec | null = null;

  constructor(
    readonly layout: Layout,
    activationKind: Activation,
    lossKind: LossKind,
    readonly kernels: Kernels,
    readonly precision: Precision,
  ) {
    this.act = activation(activationKind);
    this.loss = lossFns(lossKind);
    this.fusedLoss = lossKind === 'cross-entropy' && kernels.softmaxCrossEntropy !== undefined;
    this.F = precision === 'float32' ? Float32Array : Float64Array;
    this.ws = kernels.workspace();
    this.theta = this.ws.alloc(precision, layout.size);
    this.gradBuf = this.ws.alloc(precision, layout.size);
  }

  /** Converts to the model's precision once, so callers can keep θ in float64 (a plain array: for short-lived data). */
  toModel(data: ArrayLike<number>): Vec {
    return this.F.from(data);
  }

  /**
   * A copy in the model's precision inside its workspace, where the kernels read it in place:
   * for data that lives as long as the model (the training split). Never freed before the model.
   */
  place(data: ArrayLike<number>): Vec {
    const v = this.ws.alloc(this.precision, data.length);
    v.set(data);
    return v;
  }

  /**
   * Lets the first layer's two products (x·W₀ forward, xᵀ·G₀ for ∇W₀) skip the exact zeros of
   * the n×inputDim input x from now on, when the kernels can and at most `maxDensity` of x is
   * nonzero (an image's background: 26% of the downsampled MNIST pixels are nonzero). The sums
   * are the dense kernels' terms in the same order, so results do not change; only the work
   * does (≈ density × the dense products, plus index loads). x must not change afterwards (its
   * training split, placed once, never does). Returns whether it did.
   */
  compressInput(x: Vec, n: number, maxDensity = 0.5): boolean {
    const k = this.kernels;
    if (!k.compressRows || !k.sparseForward || !k.sparseTN) return false;
    const len = n * this.layout.inputDim;
    let nonzeros = 0;
    for (let i = 0; i < len; i++) if (x[i] !== 0) nonzeros++;
    if (nonzeros > maxDensity * len) return false;
    this.sparse.set(x, k.compressRows(x, n, this.layout.inputDim));
    return true;
  }

  private sparseInput(x: Vec, n: number): CompressedRows | null {
    const c = this.sparse.get(x);
    return c && c.rows === n ? c : null;
  }

  private ensureRows(n: number): void {
    if (n <= this.rows) return;
    const { layers, inputDim } = this.layout;
    const alloc = (len: number) => this.ws.alloc(this.precision, len);
    this.z = layers.map((l) => alloc(n * l.fanOut));
    this.h = layers.slice(0, -1).map((l) => alloc(n * l.fanOut));
    const widest = Math.max(inputDim, ...layers.map((l) => l.fanOut));
    this.gA = alloc(n * widest);
    this.gB = alloc(n * widest);
    this.rows = n;
  }

  private setTheta(theta: ArrayLike<number>): void {
    if (theta !== this.theta) this.theta.set(theta);
  }

  /** Output f (n×outputDim) at θ; the returned buffer is reused by the next call. */
  forward(theta: ArrayLike<number>, x: Vec, n: number): Vec {
    this.ensureRows(n);
    this.setTheta(theta);
    return forwardPass(this.layout, this.act, this.kernels, this.theta, x, n, this.z, this.h, this.sparseInput(x, n));
  }

  /**
   * Back-propagates the output signal in gA (n×outputDim) after a forward pass. Writes
   * ∂/∂θ into gradBuf when `wantGrad`; returns the signal at the input (n×inputDim) when
   * `wantInput`, or with `wantFirst` the signal at the first layer's pre-activation
   * (n×fanOut of layer 0), before its product with W₀ᵀ.
   */
  private backward(x: Vec, n: number, wantGrad: boolean, wantInput: boolean, wantFirst = false): Vec | null {
    const { layers } = this.layout;
    const th = this.theta;
    let cur = this.gA;
    let other = this.gB;
    for (let l = layers.length - 1; l >= 0; l--) {
      const { fanIn, fanOut, wOffset, bOffset } = layers[l];
      const gl = cur.subarray(0, n * fanOut);
      const prev = l > 0 ? this.h[l - 1].subarray(0, n * fanIn) : x;
      if (wantGrad) {
        const gw = this.gradBuf.subarray(wOffset, wOffset + fanIn * fanOut);
        const sx = l === 0 ? this.sparseInput(x, n) : null;
        if (sx) this.kernels.sparseTN!(sx, gl, fanOut, gw);
        else this.kernels.mmTN(prev, gl, n, fanIn, fanOut, gw);
        if (bOffset >= 0) this.kernels.columnSums(gl, n, fanOut, this.gradBuf.subarray(bOffset, bOffset + fanOut));
      }
      if (l === 0 && wantFirst) return gl;
      if (l === 0 && !wantInput) break;
      const d = other.subarray(0, n * fanIn);
      const w = th.subarray(wOffset, wOffset + fanIn * fanOut);
      if (l > 0) this.kernels.denseBackward(gl, w, n, fanOut, fanIn, d, this.act.kind, this.z[l - 1].subarray(0, n * fanIn), this.h[l - 1].subarray(0, n * fanIn));
      else this.kernels.denseBackward(gl, w, n, fanOut, fanIn, d, 'linear', null, null);
      [cur, other] = [other, cur];
    }
    return wantInput ? cur.subarray(0, n * this.layout.inputDim) : null;
  }

  /** Data loss at θ over n rows; when `grad` is given, ∂(data loss)/∂θ is written into it. */
  lossGrad(theta: ArrayLike<number>, x: Vec, y: Vec, n: number, grad?: Float64Array): number {
    const k = this.layout.outputDim;
    const f = this.forward(theta, x, n);
    const g = grad ? this.gA.subarray(0, n * k) : null;
    const value = this.fusedLoss ? this.kernels.softmaxCrossEntropy!(f, y.subarray(0, n * k), n, k, g) : this.loss.valueGrad(f, y, n, k, g);
    if (grad) {
      this.backward(x, n, true, false);
      grad.set(this.gradBuf);
    }
    return value;
  }

  /**
   * Back-propagates a given output signal G = ∂J/∂f (n×outputDim) of an objective J this class
   * does not know (a VAE's decoder or encoder, model/vae.ts), after `forward(θ, x, n)` on the same
   * θ and x. Writes ∂J/∂θ into `grad` when given; returns ∂J/∂x (n×inputDim, a buffer the next
   * call reuses) when `wantInput`, else null.
   */
  backwardFrom(outputSignal: ArrayLike<number>, x: Vec, n: number, grad?: Float64Array, wantInput = true): Vec | null {
    const k = this.layout.outputDim;
    if (outputSignal.length !== n * k || n > this.rows) throw new Error(`backwardFrom: needs an n×${k} signal after a forward pass of n rows (n = ${n})`);
    this.gA.subarray(0, n * k).set(outputSignal);
    const gx = this.backward(x, n, grad !== undefined, wantInput);
    if (grad) grad.set(this.gradBuf);
    return gx;
  }

  /**
   * The mean input Jacobian J̄ = E_x[∂f/∂x], outputDim × inputDim row-major: one backward pass
   * per output, seeded with that output's unit vector on every row, averaged over rows.
   */
  meanInputJacobian(theta: ArrayLike<number>, x: Vec, n: number): Float64Array {
    const k = this.layout.outputDim;
    const d = this.layout.inputDim;
    const { fanOut, wOffset } = this.layout.layers[0];
    const j = new Float64Array(k * d);
    const sums = (this.sumsBuf ??= this.ws.alloc(this.precision, fanOut));
    const w0 = this.theta;
    this.forward(theta, x, n);
    for (let out = 0; out < k; out++) {
      const seed = this.gA.subarray(0, n * k);
      seed.fill(0);
      for (let i = 0; i < n; i++) seed[i * k + out] = 1;
      // The input signal is G₀W₀ᵀ row by row, and the mean is linear: mean_rows(G₀)·W₀ᵀ. So the
      // widest product of the pass (n×fanOut·fanOut×inputDim) becomes column sums and a
      // fanOut-vector times W₀ᵀ (≈ 20× less work for 196 → 64 → 10).
      const g0 = this.backward(x, n, false, false, true)!;
      this.kernels.columnSums(g0, n, fanOut, sums);
      for (let c = 0; c < d; c++) {
        let acc = 0;
        const row = wOffset + c * fanOut;
        for (let b = 0; b < fanOut; b++) acc += w0[row + b] * sums[b];
        j[out * d + c] = acc / n;
      }
    }
    return j;
  }

  /** Geometric complexity: mean over rows of ‖∂f/∂x‖²_F (Dherin et al. 2022). */
  inputGradientNormSq(theta: ArrayLike<number>, x: Vec, n: number): number {
    const k = this.layout.outputDim;
    this.forward(theta, x, n);
    let total = 0;
    for (let out = 0; out < k; out++) {
      const seed = this.gA.subarray(0, n * k);
      seed.fill(0);
      for (let i = 0; i < n; i++) seed[i * k + out] = 1;
      const gx = this.backward(x, n, false, true)!;
      for (let i = 0; i < gx.length; i++) total += gx[i] * gx[i];
    }
    return total / n;
  }
}

/**
 * The forward pass into caller-owned buffers: z[l] gets each layer's pre-activation (bias
 * included), h[l] each hidden layer's activation. Returns the output rows (a view of z[L]).
 */
export function forwardPass(layout: Layout, act: ActivationFns, kernels: Kernels, theta: Vec, x: Vec, n: number, z: Vec[], h: Vec[], sparseX: CompressedRows | null = null): Vec {
  const { layers } = layout;
  let prev = x;
  for (let l = 0; l < layers.length; l++) {
    const { fanIn, fanOut, wOffset, bOffset } = layers[l];
    const zl = z[l].subarray(0, n * fanOut);
    const w = theta.subarray(wOffset, wOffset + fanIn * fanOut);
    const bias = bOffset >= 0 ? theta.subarray(bOffset, bOffset + fanOut) : null;
    const hidden = l + 1 < layers.length;
    const hl = hidden ? h[l].subarray(0, n * fanOut) : null;
    const a = hidden ? act.kind : 'linear';
    // sparseX: x (the input of layer 0) as compressed rows (Mlp.compressInput).
    if (l === 0 && sparseX) kernels.sparseForward!(sparseX, w, bias, fanOut, zl, a, hl);
    else kernels.denseForward(prev, w, bias, n, fanIn, fanOut, zl, a, hl);
    if (hl) prev = hl;
  }
  return z[layers.length - 1].subarray(0, n * layout.outputDim);
}
