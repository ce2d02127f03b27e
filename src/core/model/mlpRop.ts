import type { Kernels, Precision } from '../kernels/kernels';
import type { Vec } from '../linalg/vec';
import type { ActivationFns } from './activations';
import type { Layout } from './layout';
import { forwardPass } from './mlp';

/**
 * Pearlmutter's R-operator (Pearlmutter 1994) for one MLP inside a larger objective J: at fixed
 * θ and input X, with the output signal G_L = ∂J/∂F given from outside (`setSignal`), and a
 * tangent of the input R(X) as well as of θ (V), which a network fed by another one has (a VAE's
 * decoder, whose input z depends on the encoder's θ). The recursions are DataHessian's
 * (hessian.ts) with X no longer constant:
 *   R(Z_l) = R(H_{l−1}) W_l + H_{l−1} V_l + v_b,   H_{−1} = X, R(H_{−1}) = R(X),
 *   R(∂W_l) = R(H_{l−1})ᵀ G_l + H_{l−1}ᵀ R(G_l),   R(∂b_l) = Σ_rows R(G_l),
 *   R(D_l) = R(G_l) W_lᵀ + G_l V_lᵀ,              R(G_{l−1}) = R(D_l) ⊙ σ' + D_l ⊙ σ'' ⊙ R(Z_{l−1}),
 * and R(D_0) = R(∂J/∂X) handed back to the caller, which chains it on (and supplies R(G_L) from
 * its own second derivatives). Buffers live in a workspace of its own, in the given precision.
 */
export class MlpRop {
  /** F (n×outputDim) at θ and X. */
  readonly output: Vec;
  private readonly theta: Vec;
  private readonly x: Vec;
  private readonly z: Vec[];
  private readonly h: Vec[];
  private readonly g: Vec[];
  /** D_l = G_l W_lᵀ (n×fanIn); D_0 is ∂J/∂X. */
  private readonly d: Vec[];
  private readonly s1: Vec[];
  private readonly ds2: Vec[];
  private readonly rz: Vec[];
  private readonly rh: Vec[];
  private readonly rx: Vec;
  private hasRx = false;
  private readonly vBuf: Vec;
  private readonly rgA: Vec;
  private readonly rgB: Vec;
  private readonly tmp: Vec;
  private readonly bBuf: Vec;

  constructor(
    readonly layout: Layout,
    private readonly act: ActivationFns,
    private readonly kernels: Kernels,
    precision: Precision,
    theta: ArrayLike<number>,
    x: ArrayLike<number>,
    readonly n: number,
  ) {
    const { layers, inputDim } = layout;
    const ws = kernels.workspace();
    const alloc = (len: number) => ws.alloc(precision, len);
    const copy = (data: ArrayLike<number>) => {
      const v = alloc(data.length);
      v.set(data);
      return v;
    };
    this.theta = copy(theta);
    this.x = alloc(n * inputDim);
    for (let i = 0; i < this.x.length; i++) this.x[i] = x[i];
    this.z = layers.map((l) => alloc(n * l.fanOut));
    this.h = layers.slice(0, -1).map((l) => alloc(n * l.fanOut));
    this.g = layers.map((l) => alloc(n * l.fanOut));
    this.d = layers.map((l) => alloc(n * l.fanIn));
    this.rz = layers.map((l) => alloc(n * l.fanOut));
    this.rh = layers.slice(0, -1).map((l) => alloc(n * l.fanOut));
    this.rx = alloc(n * inputDim);
    const widest = Math.max(inputDim, ...layers.map((l) => l.fanOut));
    this.rgA = alloc(n * widest);
    this.rgB = alloc(n * widest);
    this.tmp = alloc(Math.max(...layers.map((l) => l.fanIn * l.fanOut)));
    this.bBuf = alloc(Math.max(...layers.map((l) => l.fanOut)));
    this.vBuf = alloc(layout.size);
    this.output = forwardPass(layout, act, kernels, this.theta, this.x, n, this.z, this.h);
    this.s1 = this.h.map((h, l) => copy(h.map((hv, i) => act.d1(this.z[l][i], hv))));
    this.ds2 = this.h.map((h) => alloc(h.length));
  }

  private weights(l: number, from: Vec = this.theta): Vec {
    const { fanIn, fanOut, wOffset } = this.layout.layers[l];
    return from.subarray(wOffset, wOffset + fanIn * fanOut);
  }

  /**
   * Sets the output signal G_L = ∂J/∂F (n×outputDim) and back-propagates it: writes ∂J/∂θ into
   * `grad` when given, and returns ∂J/∂X (n×inputDim; kept until the next setSignal).
   */
  setSignal(outputSignal: ArrayLike<number>, grad?: Float64Array): Vec {
    const { layers } = this.layout;
    const { kernels, act, n } = this;
    const last = layers.length - 1;
    this.g[last].set(outputSignal);
    for (let l = last; l >= 0; l--) {
      const { fanIn, fanOut, wOffset, bOffset } = layers[l];
      const gl = this.g[l];
      if (grad) {
        const gw = this.tmp.subarray(0, fanIn * fanOut);
        kernels.mmTN(l > 0 ? this.h[l - 1] : this.x, gl, n, fanIn, fanOut, gw);
        grad.set(gw, wOffset);
        if (bOffset >= 0) {
          const sums = this.bBuf.subarray(0, fanOut);
          kernels.columnSums(gl, n, fanOut, sums);
          grad.set(sums, bOffset);
        }
      }
      kernels.mmNT(gl, this.weights(l), n, fanOut, fanIn, this.d[l]);
      if (l === 0) break;
      const ga = this.g[l - 1];
      ga.set(this.d[l]);
      act.mulDerivative(ga, this.z[l - 1], this.h[l - 1]);
      const ds2 = this.ds2[l - 1];
      const zl = this.z[l - 1];
      const hl = this.h[l - 1];
      const dl = this.d[l];
      for (let i = 0; i < ds2.length; i++) ds2[i] = dl[i] * act.d2(zl[i], hl[i]);
    }
    return this.d[0];
  }

  /**
   * The R-forward pass along θ-tangent v (length layout.size) and input tangent rx (n×inputDim;
   * null: X is constant): returns R(F) (n×outputDim; kept until the next rForward).
   */
  rForward(v: ArrayLike<number>, rx: ArrayLike<number> | null): Vec {
    const { layers } = this.layout;
    const { kernels, n } = this;
    const V = this.vBuf;
    V.set(v);
    this.hasRx = rx !== null;
    if (rx) this.rx.set(rx);
    const last = layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { fanIn, fanOut, bOffset } = layers[l];
      const rz = this.rz[l];
      kernels.mm(l > 0 ? this.h[l - 1] : this.x, this.weights(l, V), n, fanIn, fanOut, rz);
      if (l > 0) kernels.mm(this.rh[l - 1], this.weights(l), n, fanIn, fanOut, rz, true);
      else if (rx) kernels.mm(this.rx, this.weights(0), n, fanIn, fanOut, rz, true);
      if (bOffset >= 0) kernels.addBias(rz, V.subarray(bOffset, bOffset + fanOut), n, fanOut);
      if (l < last) kernels.hadamard(this.rh[l], this.s1[l], rz);
    }
    return this.rz[last];
  }

  /**
   * The R-backward pass after rForward (same tangents) and setSignal, from R(G_L) (n×outputDim):
   * writes R(∂J/∂θ) into out (length layout.size) and returns R(∂J/∂X) (n×inputDim; kept until
   * the next call) when `wantInput`, else null.
   */
  rBackward(rgOut: ArrayLike<number>, out: Float64Array, wantInput: boolean): Vec | null {
    const { layers, outputDim: k } = this.layout;
    const { kernels, n } = this;
    const V = this.vBuf;
    let cur = this.rgA;
    let other = this.rgB;
    let rg = cur.subarray(0, n * k);
    rg.set(rgOut);
    for (let l = layers.length - 1; l >= 0; l--) {
      const { fanIn, fanOut, wOffset, bOffset } = layers[l];
      const t = this.tmp.subarray(0, fanIn * fanOut);
      kernels.mmTN(l > 0 ? this.h[l - 1] : this.x, rg, n, fanIn, fanOut, t);
      if (l > 0) kernels.mmTN(this.rh[l - 1], this.g[l], n, fanIn, fanOut, t, true);
      else if (this.hasRx) kernels.mmTN(this.rx, this.g[0], n, fanIn, fanOut, t, true);
      out.set(t, wOffset);
      if (bOffset >= 0) {
        const sums = this.bBuf.subarray(0, fanOut);
        kernels.columnSums(rg, n, fanOut, sums);
        out.set(sums, bOffset);
      }
      if (l === 0 && !wantInput) return null;
      const rd = other.subarray(0, n * fanIn);
      kernels.mmNT(rg, this.weights(l), n, fanOut, fanIn, rd);
      kernels.mmNT(this.g[l], this.weights(l, V), n, fanOut, fanIn, rd, true);
      if (l === 0) return rd;
      kernels.hadamard(rd, rd, this.s1[l - 1], this.ds2[l - 1], this.rz[l - 1]);
      [cur, other] = [other, cur];
      rg = rd;
    }
    return null;
  }
}
