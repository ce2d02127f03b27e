import type { Kernels, Precision } from '../kernels/kernels';
import type { Vec } from '../linalg/vec';
import { Mlp } from './mlp';
import { makeVaeLayout, splitTheta, type VaeLayout, type VaeSpec } from './vaeLayout';
import type { VaeNoise } from './vaeNoise';
import { klValueGrad, observationFns, reparameterize, reparameterizeBackward, type ObservationFns } from './vaeTerms';

/** The two data terms of the VAE objective at one θ. */
export interface VaeTerms {
  /** Mean over rows and noise draws of −log p(x|z) (vaeTerms.ts's conventions). */
  reconstruction: number;
  /** Mean over rows of KL(q(z|x) ‖ N(0, I)). */
  kl: number;
}

/**
 * A variational autoencoder (Kingma & Welling 2014) on a flat θ = [θ_enc, θ_dec] (vaeLayout.ts):
 * the encoder MLP maps x to [μ, log σ²] of a diagonal Gaussian q(z|x), z = μ + σ ⊙ ε with fixed
 * noise ε (vaeNoise.ts's drawNoise: common random numbers, so the objective is a deterministic
 * smooth function of θ), the decoder MLP maps z to the likelihood's parameter. Per data set,
 *   J(θ) = mean_{i,k} ℓ(x_i, dec(z_ik)) + β·mean_i KL(q(z|x_i) ‖ N(0, I)) + λ·penalty(θ),
 * the penalty as layout.ts's (train/vaeProblem.ts adds it). Both networks are Mlp's, with their
 * kernels, precision and buffers; the gradient is their backward passes joined by the
 * reparameterization's chain rule (vaeTerms.ts). The networks' buffers are reused between calls.
 */
export class Vae {
  readonly layout: VaeLayout;
  readonly encoder: Mlp;
  readonly decoder: Mlp;
  readonly observation: ObservationFns;
  /** The decoder's input rows, in its workspace (grown to the largest batch). */
  private zBuf: Vec;
  /** ∂/∂f of the reconstruction, in the decoder's workspace and precision (grown to the largest batch): the fused loss writes it in place. */
  private gFBuf: Vec;
  private gE = new Float64Array(0);

  constructor(
    readonly spec: VaeSpec,
    readonly kernels: Kernels,
    readonly precision: Precision = 'float64',
  ) {
    this.layout = makeVaeLayout(spec);
    // The loss kinds are unused: the VAE's terms are computed here and fed to backwardFrom.
    this.encoder = new Mlp(this.layout.encoder, spec.activation, 'mse', kernels, precision);
    this.decoder = new Mlp(this.layout.decoder, spec.activation, 'mse', kernels, precision);
    this.observation = observationFns(spec.observation, spec.observationVariance ?? 1, kernels);
    this.zBuf = this.decoder.place(new Float64Array(0));
    this.gFBuf = this.decoder.place(new Float64Array(0));
  }

  get latentDim(): number {
    return this.spec.latentDim;
  }

  /** x in the networks' precision (as is when it already is). */
  toModel(x: ArrayLike<number>): Vec {
    return (this.precision === 'float64' && x instanceof Float64Array) || (this.precision === 'float32' && x instanceof Float32Array) ? x : this.encoder.toModel(x);
  }

  /** Data kept as long as the model, in the encoder's workspace (the training split). */
  place(x: ArrayLike<number>): Vec {
    return this.encoder.place(x);
  }

  private decoderInput(rows: number): Vec {
    const len = rows * this.spec.latentDim;
    if (this.zBuf.length < len) this.zBuf = this.decoder.place(new Float64Array(len));
    return this.zBuf.subarray(0, len);
  }

  private outputSignal(rows: number): Vec {
    const len = rows * this.spec.inputDim;
    if (this.gFBuf.length < len) this.gFBuf = this.decoder.place(new Float64Array(len));
    return this.gFBuf.subarray(0, len);
  }

  /**
   * Reconstruction and KL at θ over the n rows of x (n×inputDim) with their noise; when `grad`
   * is given, ∂(reconstruction + β·KL)/∂θ is written into it.
   */
  terms(theta: Float64Array, x: Vec, n: number, noise: VaeNoise, beta: number, grad?: Float64Array): VaeTerms {
    const { inputDim: d, latentDim: L } = this.spec;
    if (noise.n !== n || noise.latentDim !== L) throw new Error(`Vae: noise for ${noise.n} rows × ${noise.latentDim} units, data ${n} rows × ${L} units`);
    const S = noise.samples;
    const m = n * S;
    const th = splitTheta(this.layout, theta);
    const e = this.encoder.forward(th.enc, x, n);
    const z = this.decoderInput(m);
    reparameterize(e, noise.eps, n, S, L, z);
    const f = this.decoder.forward(th.dec, z, m);
    const gF = grad ? this.outputSignal(m) : null;
    const gE = grad ? (this.gE.length === n * 2 * L ? this.gE : (this.gE = new Float64Array(n * 2 * L))) : null;
    const rec = this.observation.valueGrad(f, x, m, d, S, 1 / m, gF);
    const kl = klValueGrad(e, n, L, beta / n, gE);
    if (grad && gF && gE) {
      const g = splitTheta(this.layout, grad);
      const gz = this.decoder.backwardFrom(gF, z, m, g.dec, true)!;
      reparameterizeBackward(e, noise.eps, gz, n, S, L, gE);
      this.encoder.backwardFrom(gE, x, n, g.enc, false);
    }
    return { reconstruction: rec / m, kl: kl / n };
  }

  /** μ and log σ² of q(z|x) for the n rows of x, each n×latentDim. */
  encode(theta: Float64Array, x: ArrayLike<number>, n: number): { mu: Float64Array; logVar: Float64Array } {
    const L = this.spec.latentDim;
    const e = this.encoder.forward(splitTheta(this.layout, theta).enc, this.toModel(x), n);
    const mu = new Float64Array(n * L);
    const logVar = new Float64Array(n * L);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < L; j++) {
        mu[i * L + j] = e[2 * L * i + j];
        logVar[i * L + j] = e[2 * L * i + L + j];
      }
    }
    return { mu, logVar };
  }

  /** Each latent unit's KL(q(z_j|x) ‖ N(0, 1)), averaged over the n rows of x. */
  klPerUnit(theta: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
    const L = this.spec.latentDim;
    const e = this.encoder.forward(splitTheta(this.layout, theta).enc, this.toModel(x), n);
    const perUnit = new Float64Array(L);
    klValueGrad(e, n, L, 0, null, perUnit);
    for (let j = 0; j < L; j++) perUnit[j] /= n;
    return perUnit;
  }

  /** The decoder's mean E[x|z] (sigmoid of the logits for bernoulli) at the m latent rows z (m×latentDim), m×inputDim. */
  decode(theta: Float64Array, z: ArrayLike<number>, m: number): Float64Array {
    const zin = this.decoderInput(m);
    for (let i = 0; i < zin.length; i++) zin[i] = z[i];
    const f = this.decoder.forward(splitTheta(this.layout, theta).dec, zin, m);
    const out = new Float64Array(m * this.spec.inputDim);
    for (let i = 0; i < out.length; i++) out[i] = this.observation.mean(f[i]);
    return out;
  }

  /** Reconstructions of the n rows of x: the decoder's mean at the posterior mean, z = μ(x) (no noise). */
  reconstruct(theta: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
    return this.decode(theta, this.encode(theta, x, n).mu, n);
  }
}
