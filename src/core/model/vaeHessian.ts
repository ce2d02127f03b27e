import type { MatVec } from '../linalg/lanczos';
import type { Layout } from './layout';
import { MlpRop } from './mlpRop';
import type { Vae, VaeTerms } from './vae';
import type { VaeNoise } from './vaeNoise';
import { klValueGrad, reparameterize, reparameterizeBackward } from './vaeTerms';

/**
 * Exact Hessian-vector products of a VAE's data terms, reconstruction + β·KL, at a fixed θ:
 * Pearlmutter's R-operator through encoder → reparameterization → decoder → likelihood, with the
 * KL on the encoder's output, never finite differences. With e = [μ, s] (s = log σ²), the fixed
 * noise ε, z = μ + e^{s/2} ⊙ ε, the decoder's input signal G_z and (at one β, m = n·S rows)
 *   G_μ = Σ_k G_z + (β/n)·μ,                 G_s = Σ_k G_z ⊙ ε ⊙ ½e^{s/2} + (β/n)·½(e^s − 1),
 * the R-operator adds, to each network's own recursions (mlpRop.ts):
 *   R(z) = R(μ) + ½e^{s/2} ⊙ ε ⊙ R(s)                         (the decoder's input tangent),
 *   R(G_F) = ℓ''(F) ⊙ R(F) / m                               (ℓ'' = p(1−p) or 1/σ², vaeTerms.ts),
 *   R(G_μ) = Σ_k R(G_z) + (β/n)·R(μ),
 *   R(G_s) = Σ_k [R(G_z) ⊙ ε ⊙ ½e^{s/2} + G_z ⊙ ε ⊙ ¼e^{s/2} ⊙ R(s)] + (β/n)·½e^s ⊙ R(s),
 * R(G_z) being the decoder's R(∂J/∂input). Everything but the encoder's signals is independent
 * of β (the decoder only sees the reconstruction), so one operator serves every β: the encoder's
 * backward pass is redone when β changes (one gradient's cost). A product costs about two
 * gradients. Buffers are the networks' own workspaces, in the VAE's precision.
 */
export class VaeHessian {
  readonly size: number;
  /** Reconstruction and KL at θ (means, as Vae.terms). */
  readonly terms: VaeTerms;
  private readonly offset: number;
  private readonly enc: MlpRop;
  private readonly dec: MlpRop;
  private readonly n: number;
  private readonly S: number;
  private readonly L: number;
  private readonly eps: Float64Array;
  /** μ, s (n×2L) and e^{s/2} (n×L) at θ. */
  private readonly e: Float64Array;
  private readonly sd: Float64Array;
  /** The decoder's input signal ∂(reconstruction)/∂z (m×L). */
  private readonly gz: Float64Array;
  /** ℓ''(F)/m per decoder output. */
  private readonly curv: Float64Array;
  /** ∂/∂e of the reconstruction and of the KL (each n×2L). */
  private readonly gERec: Float64Array;
  private readonly gEKl: Float64Array;
  private readonly gradRec: Float64Array;
  private readonly gradEnc: Float64Array;
  private signalBeta = NaN;
  private readonly rz: Float64Array;
  private readonly rgF: Float64Array;
  private readonly rgE: Float64Array;
  private readonly gE: Float64Array;
  private readonly vF64: Float64Array;

  constructor(vae: Vae, theta: ArrayLike<number>, x: ArrayLike<number>, n: number, noise: VaeNoise) {
    const layout = vae.layout;
    const { encoder, decoder, inputDim: d, latentDim: L } = layout;
    if (noise.n !== n || noise.latentDim !== L) throw new Error(`VaeHessian: noise for ${noise.n} rows × ${noise.latentDim} units, data ${n} rows × ${L} units`);
    const { kernels, precision } = vae;
    const act = vae.encoder.act;
    const off = (this.offset = layout.decoderOffset);
    const th = Float64Array.from({ length: layout.size }, (_, i) => theta[i]);
    this.size = layout.size;
    this.n = n;
    this.S = noise.samples;
    this.L = L;
    this.eps = noise.eps;
    const m = n * noise.samples;

    this.enc = new MlpRop(encoder, act, kernels, precision, th.subarray(0, off), x, n);
    this.e = Float64Array.from(this.enc.output);
    this.sd = new Float64Array(n * L);
    for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) this.sd[i * L + j] = Math.exp(0.5 * this.e[2 * L * i + L + j]);
    const z = new Float64Array(m * L);
    reparameterize(this.e, this.eps, n, this.S, L, z);
    this.dec = new MlpRop(decoder, act, kernels, precision, th.subarray(off), z, m);
    const f = this.dec.output;
    const gF = new Float64Array(m * d);
    const xs = Float64Array.from({ length: n * d }, (_, i) => x[i]);
    const rec = vae.observation.valueGrad(f, xs, m, d, this.S, 1 / m, gF);
    this.curv = Float64Array.from(f, (fv) => vae.observation.curvature(fv) / m);
    this.gradRec = new Float64Array(layout.size);
    this.gz = Float64Array.from(this.dec.setSignal(gF, this.gradRec.subarray(off)));
    this.gERec = new Float64Array(n * 2 * L);
    reparameterizeBackward(this.e, this.eps, this.gz, n, this.S, L, this.gERec);
    this.gEKl = new Float64Array(n * 2 * L);
    const kl = klValueGrad(this.e, n, L, 1 / n, this.gEKl);
    this.terms = { reconstruction: rec / m, kl: kl / n };
    this.gradEnc = new Float64Array(off);
    this.rz = new Float64Array(m * L);
    this.rgF = new Float64Array(m * d);
    this.rgE = new Float64Array(n * 2 * L);
    this.gE = new Float64Array(n * 2 * L);
    this.vF64 = new Float64Array(layout.size);
  }

  /** The encoder's signals for reconstruction + β·KL. */
  private ensureSignal(beta: number): void {
    if (beta === this.signalBeta) return;
    const g = this.gE;
    for (let i = 0; i < g.length; i++) g[i] = this.gERec[i] + beta * this.gEKl[i];
    this.enc.setSignal(g, this.gradEnc);
    this.signalBeta = beta;
  }

  /** reconstruction + β·KL at θ. */
  value(beta: number): number {
    return this.terms.reconstruction + beta * this.terms.kl;
  }

  /** ∇(reconstruction + β·KL) at θ (a new array). */
  gradient(beta: number): Float64Array {
    this.ensureSignal(beta);
    const g = Float64Array.from(this.gradRec);
    g.set(this.gradEnc);
    return g;
  }

  /** out = ∇²(reconstruction + β·KL)(θ) · v. */
  apply(v: ArrayLike<number>, out: Float64Array, beta: number): void {
    this.ensureSignal(beta);
    const { n, S, L, offset: off } = this;
    const V = this.vF64;
    for (let i = 0; i < V.length; i++) V[i] = v[i];
    const re = this.enc.rForward(V.subarray(0, off), null);
    const { e, sd, eps, gz, rz } = this;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < S; k++) {
        const r = (i * S + k) * L;
        for (let j = 0; j < L; j++) rz[r + j] = re[2 * L * i + j] + 0.5 * sd[i * L + j] * eps[r + j] * re[2 * L * i + L + j];
      }
    }
    const rf = this.dec.rForward(V.subarray(off), rz);
    const rgF = this.rgF;
    for (let i = 0; i < rgF.length; i++) rgF[i] = this.curv[i] * rf[i];
    const rgz = this.dec.rBackward(rgF, out.subarray(off), true)!;
    const rgE = this.rgE;
    const b = beta / n;
    for (let i = 0; i < n; i++) {
      const o = 2 * L * i;
      for (let j = 0; j < L; j++) {
        const rmu = re[o + j];
        const rs = re[o + L + j];
        const half = 0.5 * sd[i * L + j];
        let gm = 0;
        let gs = 0;
        let gss = 0;
        for (let k = 0; k < S; k++) {
          const r = (i * S + k) * L + j;
          gm += rgz[r];
          gs += rgz[r] * eps[r];
          gss += gz[r] * eps[r];
        }
        rgE[o + j] = gm + b * rmu;
        rgE[o + L + j] = half * gs + 0.5 * half * gss * rs + 0.5 * b * Math.exp(e[o + L + j]) * rs;
      }
    }
    this.enc.rBackward(rgE, out.subarray(0, off), false);
  }
}

/** H·v of the objective reconstruction + β·KL + λ·penalty: the data terms' product plus 2λv on the penalized entries. */
export function vaeObjectiveHessianApply(hd: VaeHessian, layout: Layout, beta: number, lambda: number): MatVec {
  return (v, out) => {
    hd.apply(v, out, beta);
    for (const [a, b] of layout.penalized) for (let i = a; i < b; i++) out[i] += 2 * lambda * v[i];
  };
}

/** H·v of the reconstruction alone: the "error" landscape of a VAE, as the data loss is an MLP's. */
export function vaeReconstructionHessianApply(hd: VaeHessian): MatVec {
  return (v, out) => hd.apply(v, out, 0);
}

/**
 * ∇²(reconstruction + β·KL) as a dense symmetric P×P row-major matrix: one product per unit
 * column, then (H + Hᵀ)/2, which differs from H by rounding only (the operator is symmetric).
 * addPenaltyHessian (layout.ts) on the VAE's layout adds λ's part.
 */
export function assembleVaeHessian(hd: VaeHessian, beta: number): Float64Array {
  const P = hd.size;
  const h = new Float64Array(P * P);
  const unit = new Float64Array(P);
  const col = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    unit[i] = 1;
    hd.apply(unit, col, beta);
    unit[i] = 0;
    for (let j = 0; j < P; j++) h[j * P + i] = col[j];
  }
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < i; j++) {
      const mean = 0.5 * (h[i * P + j] + h[j * P + i]);
      h[i * P + j] = h[j * P + i] = mean;
    }
  }
  return h;
}
