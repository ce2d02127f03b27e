// What a VAE's point trains and measures: its architecture from the config, the fixed
// reparameterization noise of each split, and the float32/float64 problem pair a chain trains
// on (sweep/pointProblems.ts, as sweep/mlpPoint.ts builds an MLP's).
import { vaeModel } from '../config/defaults';
import type { Experiment, VaeModelConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { Kernels } from '../kernels/kernels';
import { vaeReconstructions } from '../measures/vaeReconstructions';
import { Vae } from '../model/vae';
import { collapseUnits, vaeSpec } from '../model/vaeLayout';
import { drawNoise, type VaeNoise } from '../model/vaeNoise';
import { Rng } from '../random';
import { VaeProblem } from '../train/vaeProblem';
import { measureVaePoint } from './measureVae';
import type { PointSetting } from './pointSetting';
import type { PointProblems } from './pointProblems';

/**
 * The fixed noise of a split's first n rows (of `total`): drawn once from the experiment's seed
 * for the whole split, not per chain, so every chain, seed and refinement point minimizes the one
 * objective whose global minimum the transitions are read from; a samples sweep's first n rows
 * keep their draws at every n (nested, as the rows are).
 */
export function splitNoise(e: Experiment, m: VaeModelConfig, split: 'train' | 'test', total: number, n: number): VaeNoise {
  const noise = drawNoise(total, m.samples, m.latentDim, new Rng(e.seed, `vae/noise/${split}`), m.matchMoments);
  return n === total ? noise : { ...noise, n, eps: noise.eps.subarray(0, n * m.samples * m.latentDim) };
}

/** A VAE point's training problems on the setting's training split: float32 for training, float64 for the polish, the saddle check and the measurements. */
export function vaeProblems(e: Experiment, ds: Dataset, s: PointSetting, kernels: Kernels): PointProblems {
  const m = vaeModel(e.model)!;
  const spec = vaeSpec(m, ds.inputDim);
  const noise = splitNoise(e, m, 'train', ds.train.n, s.train.n);
  const fast = new VaeProblem(new Vae(spec, kernels, 'float32'), s.train, noise);
  const exact = new VaeProblem(new Vae(spec, kernels, 'float64'), s.train, noise);
  const testNoise = ds.test.n > 0 ? splitNoise(e, m, 'test', ds.test.n, ds.test.n) : null;
  const pointData = { ...ds, train: s.train };
  return {
    key: s.problemKey,
    layout: exact.layout,
    fast,
    exact,
    set(p) {
      fast.lambda = exact.lambda = p.lambda;
      fast.beta = exact.beta = p.beta ?? 1;
    },
    measure: (who, fit, escape) => measureVaePoint(e, pointData, { exact, fast }, testNoise, who, fit, escape),
    reconstruct: (id, theta) => vaeReconstructions(e, pointData, exact.vae, theta, id),
  };
}

/**
 * θ with every latent unit but the `keep` of largest KL (on the setting's training rows) switched
 * off exactly (vaeLayout.ts's collapseUnits): refinement's start for a phase with fewer active
 * units that no point holds (two units collapsing in one grid interval).
 */
export function deflateLatents(e: Experiment, ds: Dataset, s: PointSetting, theta: Float64Array, keep: number, kernels: Kernels): Float64Array {
  const m = vaeModel(e.model)!;
  const vae = new Vae(vaeSpec(m, ds.inputDim), kernels, 'float64');
  const kl = vae.klPerUnit(theta, s.train.x, s.train.n);
  const order = Array.from(kl.keys()).sort((a, b) => kl[b] - kl[a]);
  return collapseUnits(vae.layout, theta, order.slice(keep));
}
