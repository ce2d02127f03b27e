// A small VAE problem shared by the VAE tests: tanh, hidden layers in both networks, 6 rows.
import { jsKernels } from '../../src/core/kernels/jsKernels';
import type { Kernels } from '../../src/core/kernels/kernels';
import { Vae } from '../../src/core/model/vae';
import type { ObservationModel, VaeSpec } from '../../src/core/model/vaeLayout';
import { drawNoise } from '../../src/core/model/vaeNoise';
import { Rng } from '../../src/core/random';
import { VaeProblem } from '../../src/core/train/vaeProblem';

export const D = 5;
export const L = 2;

export function spec(observation: ObservationModel, over: Partial<VaeSpec> = {}): VaeSpec {
  return { inputDim: D, latentDim: L, encoderHidden: [4], decoderHidden: [3, 4], activation: 'tanh', bias: true, regularizeBias: false, observation, observationVariance: 0.7, ...over };
}

/** n rows: pixels in [0, 1] for bernoulli (grey levels, not only 0/1), Gaussian values for gaussian. */
function data(rng: Rng, n: number, observation: ObservationModel): Float64Array {
  const x = new Float64Array(n * D);
  for (let i = 0; i < x.length; i++) x[i] = observation === 'bernoulli' ? rng.uniform() : rng.normal();
  return x;
}

export function setup(observation: ObservationModel, seed = 1, over: Partial<VaeSpec> = {}, kernels: Kernels = jsKernels) {
  const rng = new Rng(seed, `vae/${observation}`);
  const vae = new Vae(spec(observation, over), kernels, 'float64');
  const n = 6;
  const noise = drawNoise(n, 3, L, rng);
  const problem = new VaeProblem(vae, { n, x: data(rng, n, observation) }, noise);
  problem.beta = 0.8;
  problem.lambda = 0.05;
  const theta = rng.fillNormal(new Float64Array(vae.layout.size), 0.6);
  return { rng, vae, problem, theta, n, noise };
}
