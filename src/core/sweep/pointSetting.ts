// What one point of a sweep trains: the experiment with its swept coordinates applied. λ, the
// hidden widths, the init scale and the training split are the knobs; everything else is the
// experiment's. Subsets and label noise are drawn once per experiment seed and nested, so two
// points differ only in the swept knob (a larger n holds every sample of a smaller one; a label
// noisy at one level stays noisy, with the same noise, at every higher level).
import type { AxisConfig, Experiment } from '../config/types';
import type { Dataset, Split } from '../data/dataset';
import { InputError } from '../errors';
import { vaeModel } from '../config/defaults';
import { makeLayout, type Layout } from '../model/layout';
import { makeVaeLayout, vaeSpec } from '../model/vaeLayout';
import { Rng } from '../random';
import { sampleCount } from './axis';

export interface PointSetting {
  lambda: number;
  /** A VAE's KL weight: the value on a β axis, else train.beta; absent for an MLP. */
  beta?: number;
  hidden: number[];
  initScale: number;
  train: Split;
  /** What the training problem depends on (widths, samples, noise): equal keys, one problem. */
  problemKey: string;
}

/** A point's place on the sweep: its coordinate on the sweep's axis and (2-D) on `sweep.across`. */
export interface PointCoordinates {
  value: number;
  across?: number;
}

/**
 * The training targets with label noise of level `level`. Regression: y + level·ε with one
 * fixed standard normal ε per entry. Classification: row i's one-hot label replaced by class c_i
 * where u_i < level, with u_i uniform and c_i a uniform random class (it may be the true one),
 * both fixed per row: the noisy rows at a level are a subset of those at any higher level.
 */
function noisyTargets(train: Split, classes: number | null, level: number, seed: number): Float64Array {
  const rng = new Rng(seed, 'label-noise');
  const y = Float64Array.from(train.y);
  if (classes === null) {
    for (let i = 0; i < y.length; i++) y[i] += level * rng.normal();
    return y;
  }
  for (let i = 0; i < train.n; i++) {
    const [u, c] = [rng.uniform(), rng.int(classes)];
    if (u >= level) continue;
    y.fill(0, i * classes, (i + 1) * classes);
    y[i * classes + c] = 1;
  }
  return y;
}

/** The first n rows of a split: the training split is in a seeded random order (data/split.ts), so prefixes are nested seeded subsets. */
function firstRows(s: Split, n: number, d: number, k: number): Split {
  // Validation says so where the config is written (config/semantic.ts); this guards data that changed since.
  if (n < 1 || n > s.n) throw new InputError(`a samples sweep asks for ${n} training samples, but the training split holds ${s.n}: lower sweep.to, or raise data.n`);
  return { n, x: s.x.subarray(0, n * d), y: s.y.subarray(0, n * k) };
}

/** The experiment's settings at one point of its sweep. */
export function pointSetting(e: Experiment, ds: Dataset, at: PointCoordinates): PointSetting {
  const setting: PointSetting = { lambda: e.train.lambda ?? 0, hidden: [...e.model.hidden], initScale: e.train.initScale, train: ds.train, problemKey: '' };
  if (e.model.kind === 'vae') setting.beta = e.train.beta;
  const axes: [AxisConfig, number][] = [[e.sweep, at.value]];
  if (e.sweep.across && at.across !== undefined) axes.push([e.sweep.across, at.across]);
  // Noise before subsets: the noise of a row is its own, whatever n is.
  const noise = axes.find(([a]) => a.parameter === 'noise');
  if (noise) setting.train = { ...setting.train, y: noisyTargets(ds.train, ds.task === 'classification' ? ds.outputDim : null, noise[1], e.seed) };
  for (const [a, v] of axes) {
    if (a.parameter === 'lambda') setting.lambda = v;
    if (a.parameter === 'beta') setting.beta = v;
    if (a.parameter === 'initScale') setting.initScale = v;
    if (a.parameter === 'samples') setting.train = firstRows(setting.train, sampleCount(a, v, ds.inputDim), ds.inputDim, ds.outputDim);
    if (a.parameter === 'width') setting.hidden = setting.hidden.map((w, l) => (a.layer === undefined || a.layer === l ? v : w));
  }
  setting.problemKey = `${setting.hidden.join(',')}|${setting.train.n}|${noise?.[1] ?? 0}`;
  return setting;
}

/** The layout a point trains: the experiment's, with the point's hidden widths (a VAE's: encoder then decoder, vaeLayout.ts). */
export function pointLayout(e: Experiment, ds: Pick<Dataset, 'inputDim' | 'outputDim'>, s: Pick<PointSetting, 'hidden'>): Layout {
  const vae = vaeModel(e.model);
  if (vae) return makeVaeLayout(vaeSpec(vae, ds.inputDim));
  return makeLayout(ds.inputDim, ds.outputDim, { ...e.model, hidden: s.hidden });
}
