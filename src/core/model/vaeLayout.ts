import type { Activation, VaeModelConfig } from '../config/types';
import { makeLayout, type LayerSlice, type Layout } from './layout';

/** How a decoder's output becomes p(x|z): the reconstruction term's likelihood. */
export type ObservationModel = 'bernoulli' | 'gaussian';

/** The architecture and likelihood of a VAE (model/vae.ts); the config maps onto it. */
export interface VaeSpec {
  inputDim: number;
  latentDim: number;
  /** Encoder hidden widths, inputDim → encoderHidden… → 2·latentDim. */
  encoderHidden: number[];
  /** Decoder hidden widths, latentDim → decoderHidden… → inputDim. Default: the encoder's, reversed. */
  decoderHidden?: number[];
  /** Hidden layers' activation, in both networks (the output layers are linear). */
  activation: Activation;
  bias: boolean;
  /** The L2 penalty also covers the biases (as layout.ts's penalty does for the MLP). */
  regularizeBias: boolean;
  /**
   * 'bernoulli': the decoder outputs logits and the reconstruction is the binary cross-entropy
   * summed over pixels (data in [0, 1]); 'gaussian': the decoder outputs the mean and the
   * reconstruction is ‖x − x̂‖²/(2σ²) summed over dims, without the constant (D/2)·log(2πσ²).
   */
  observation: ObservationModel;
  /** σ² of the gaussian observation model (ignored for bernoulli). Default 1. */
  observationVariance?: number;
}

/**
 * θ = [θ_enc, θ_dec]: the encoder's layout (inputDim → … → 2·latentDim, output columns
 * [μ₁…μ_L, log σ²₁…log σ²_L]) then the decoder's (latentDim → … → inputDim), each as makeLayout
 * lays out an MLP. As a Layout, `layers` lists the encoder's layers and then the decoder's at
 * their offsets in θ (not one chain: the encoder ends at 2·latentDim, the decoder starts at
 * latentDim), and `penalized` both networks' ranges, so penalty, addPenaltyHessian,
 * initialParameters and layerNorms work on a VAE's θ unchanged.
 */
export interface VaeLayout extends Layout {
  latentDim: number;
  encoder: Layout;
  decoder: Layout;
  /** θ_dec starts here (= encoder.size). */
  decoderOffset: number;
}

export function makeVaeLayout(spec: VaeSpec): VaeLayout {
  const { inputDim, latentDim, bias, regularizeBias } = spec;
  const encoder = makeLayout(inputDim, 2 * latentDim, { hidden: spec.encoderHidden, bias, regularizeBias });
  const decoder = makeLayout(latentDim, inputDim, { hidden: spec.decoderHidden ?? [...spec.encoderHidden].reverse(), bias, regularizeBias });
  const off = encoder.size;
  const shift = (l: LayerSlice): LayerSlice => ({ ...l, wOffset: l.wOffset + off, bOffset: l.bOffset >= 0 ? l.bOffset + off : -1 });
  return {
    inputDim,
    outputDim: inputDim,
    latentDim,
    layers: [...encoder.layers, ...decoder.layers.map(shift)],
    size: off + decoder.size,
    penalized: [...encoder.penalized, ...decoder.penalized.map(([a, b]): [number, number] => [a + off, b + off])],
    encoder,
    decoder,
    decoderOffset: off,
  };
}

/** θ_enc and θ_dec as views of θ. */
export function splitTheta<T extends Float64Array | Float32Array>(layout: VaeLayout, theta: T): { enc: T; dec: T } {
  return { enc: theta.subarray(0, layout.decoderOffset) as T, dec: theta.subarray(layout.decoderOffset, layout.size) as T };
}

/**
 * θ with the given latent units switched off exactly: their μ and log σ² columns of the encoder's
 * last layer (weights and biases) and their rows of the decoder's first layer zeroed, so
 * q(z_j|x) = N(0, 1) for every x (KL 0) and the decoder ignores z_j: a collapsed unit.
 */
export function collapseUnits(layout: VaeLayout, theta: Float64Array, units: number[]): Float64Array {
  const out = Float64Array.from(theta);
  const L = layout.latentDim;
  const last = layout.encoder.layers[layout.encoder.layers.length - 1];
  const first = layout.decoder.layers[0];
  const d0 = layout.decoderOffset + first.wOffset;
  for (const j of units) {
    for (const c of [j, L + j]) {
      for (let i = 0; i < last.fanIn; i++) out[last.wOffset + i * last.fanOut + c] = 0;
      if (last.bOffset >= 0) out[last.bOffset + c] = 0;
    }
    out.fill(0, d0 + j * first.fanOut, d0 + (j + 1) * first.fanOut);
  }
  return out;
}

/** The VAE a config describes, on inputs of `inputDim` (hidden: the encoder's widths). */
export function vaeSpec(m: VaeModelConfig, inputDim: number): VaeSpec {
  return {
    inputDim,
    latentDim: m.latentDim,
    encoderHidden: m.hidden,
    decoderHidden: m.decoderHidden,
    activation: m.activation,
    bias: m.bias,
    regularizeBias: m.regularizeBias,
    observation: m.decoder,
    observationVariance: m.observationVariance,
  };
}
