// Entry point: build the Dataset an experiment's `data` section describes. Everything random is
// drawn from Rng streams named by purpose under the experiment seed, so the same (config, seed)
// gives bit-identical Float64Arrays on every machine and in every process.

import type { DataConfig, Task } from '../config/types';
import type { Dataset } from './dataset';
import { csvData, type CsvSource } from './csv';
import { DataError } from './dataError';
import { dataShapeProblems, singleClassProblem } from './dataShape';
import { irisData } from './iris';
import { mnistData } from './mnist';
import { npyData } from './npyData';
import { makeSplit, splitIndices, type RawData } from './split';
import { gaussianMixture, spirals, twoMoons, xor } from './synthetic-classification';
import { linearData, multiIndexData, teacherData } from './synthetic-regression';

export { CsvError } from './csv';
export { DataError } from './dataError';

/** Where a csv's file may be read from, and how. */
export interface LoadOptions {
  /**
   * A csv's data.path must resolve (symlinks followed) inside this folder: the config's folder
   * tree for the CLI, the workspace in the editor; null allows anywhere (`--allow-outside-data`).
   * Default: configDir.
   */
  root?: string | null;
  /** Reads the csv file (tests, the editor's unsaved buffers); undefined when it does not exist. Default: the file system. */
  readFile?: (path: string) => string | undefined;
}

function checkSizes(cfg: DataConfig): void {
  const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;
  if (!positiveInt(cfg.n)) throw new DataError(`data.n must be a positive integer (got ${cfg.n})`, ['data', 'n']);
  if (!positiveInt(cfg.inputDim)) throw new DataError(`data.inputDim must be a positive integer (got ${cfg.inputDim})`, ['data', 'inputDim']);
  if (!positiveInt(cfg.outputDim)) throw new DataError(`data.outputDim must be a positive integer (got ${cfg.outputDim})`, ['data', 'outputDim']);
  if (!(Number.isFinite(cfg.noise) && cfg.noise >= 0)) throw new DataError(`data.noise must be a finite number ≥ 0 (got ${cfg.noise})`, ['data', 'noise']);
  if (!(cfg.testFraction >= 0 && cfg.testFraction < 1)) throw new DataError(`data.testFraction must be in [0, 1) (got ${cfg.testFraction})`, ['data', 'testFraction']);
  const problem = dataShapeProblems(cfg)[0];
  if (problem) throw problem;
}

/** A classifier's training split must hold at least two classes (dataShape.ts). */
function checkTrainClasses(ds: Dataset): void {
  if (ds.task !== 'classification') return;
  const k = ds.outputDim;
  const labels = Int32Array.from({ length: ds.train.n }, (_, r) => ds.train.y.subarray(r * k, (r + 1) * k).indexOf(1));
  const problem = singleClassProblem(labels, ds.classNames);
  if (problem) throw problem;
}

function generate(cfg: DataConfig, seed: number, configDir: string, trainRows: Int32Array, source: CsvSource): { task: Task; raw: RawData } {
  switch (cfg.kind) {
    case 'linear':
      return { task: 'regression', raw: linearData(cfg, seed, trainRows) };
    case 'teacher':
      return { task: 'regression', raw: teacherData(cfg, seed) };
    case 'multi-index':
      return { task: 'regression', raw: multiIndexData(cfg, seed) };
    case 'two-moons':
      return { task: 'classification', raw: twoMoons(cfg, seed) };
    case 'spirals':
      return { task: 'classification', raw: spirals(cfg, seed) };
    case 'xor':
      return { task: 'classification', raw: xor(cfg, seed) };
    case 'gaussian-mixture':
      return { task: 'classification', raw: gaussianMixture(cfg, seed) };
    case 'iris':
      return { task: 'classification', raw: irisData(cfg, seed, trainRows) };
    case 'mnist':
      return { task: 'classification', raw: mnistData(cfg, seed) };
    case 'npy': {
      const { task, ...raw } = npyData(cfg, seed, configDir, trainRows, source.root);
      return { task, raw };
    }
    case 'csv': {
      const raw = csvData(cfg, seed, configDir, trainRows, source);
      // csvData returns class names exactly when it chose (or was told) classification.
      return { task: raw.classNames ? 'classification' : 'regression', raw };
    }
    default:
      throw new DataError(`unknown data kind "${(cfg as { kind: unknown }).kind}"`, ['data', 'kind']);
  }
}

/**
 * The train/test Dataset for `cfg` under `seed`; `configDir` anchors a csv `path`. Throws a
 * DataError (an InputError naming the setting to change) on any invalid setting or non-finite
 * value; validation (config/parse.ts) runs this same function on data small enough to generate
 * while typing.
 */
export function loadDataset(cfg: DataConfig, seed: number, configDir: string, options: LoadOptions = {}): Dataset {
  checkSizes(cfg);
  // The split comes first: whitening and standardization are fitted on the training rows only.
  const split = splitIndices(cfg.n, cfg.testFraction, seed);
  const source: CsvSource = { root: options.root === undefined ? configDir : options.root, readFile: options.readFile };
  const { task, raw } = generate(cfg, seed, configDir, split.train, source);
  const { n, inputDim, outputDim } = cfg;

  if (raw.x.length !== n * inputDim) throw new Error(`${cfg.kind}: produced ${raw.x.length} input values, expected n×inputDim = ${n}×${inputDim}`);
  if (raw.y.length !== n * outputDim) throw new Error(`${cfg.kind}: produced ${raw.y.length} target values, expected n×outputDim = ${n}×${outputDim}`);
  for (const [name, m] of [
    ['input', raw.x],
    ['target', raw.y],
  ] as const) {
    const bad = m.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const fix = cfg.kind === 'linear' ? 'lower data.noise or data.singularValues' : cfg.kind === 'csv' ? 'check the file' : 'lower data.noise';
      throw new DataError(`${cfg.kind} data: ${name} value ${m[bad]} at row ${Math.floor(bad / (name === 'input' ? inputDim : outputDim))} is not finite: ${fix}`, [
        'data',
        cfg.kind === 'linear' && cfg.singularValues ? 'singularValues' : 'noise',
      ]);
    }
  }

  const ds: Dataset = {
    task,
    inputDim,
    outputDim,
    train: makeSplit(raw.x, raw.y, inputDim, outputDim, split.train),
    test: makeSplit(raw.x, raw.y, inputDim, outputDim, split.test),
  };
  if (raw.classNames) ds.classNames = raw.classNames;
  if (raw.latent) ds.latent = raw.latent;
  checkTrainClasses(ds);
  return ds;
}
