// Entry point: build the Dataset an experiment's `data` section describes. Everything random is
// drawn from Rng streams named by purpose under the experiment seed, so the same (config, seed)
// gives bit-identical Float64Arrays on every machine and in every process.

import type { DataConfig, Task } from '../config/types';
import type { Dataset } from './dataset';
import { csvData } from './csv';
import { irisData } from './iris';
import { mnistData } from './mnist';
import { makeSplit, splitIndices, type RawData } from './split';
import { gaussianMixture, spirals, twoMoons, xor } from './synthetic-classification';
import { linearData, multiIndexData, teacherData } from './synthetic-regression';

export { CsvError } from './csv';

function checkSizes(cfg: DataConfig): void {
  const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;
  if (!positiveInt(cfg.n)) throw new Error(`data.n must be a positive integer (got ${cfg.n})`);
  if (!positiveInt(cfg.inputDim)) throw new Error(`data.inputDim must be a positive integer (got ${cfg.inputDim})`);
  if (!positiveInt(cfg.outputDim)) throw new Error(`data.outputDim must be a positive integer (got ${cfg.outputDim})`);
  if (!(Number.isFinite(cfg.noise) && cfg.noise >= 0)) throw new Error(`data.noise must be a finite number ≥ 0 (got ${cfg.noise})`);
  if (!(cfg.testFraction >= 0 && cfg.testFraction < 1)) throw new Error(`data.testFraction must be in [0, 1) (got ${cfg.testFraction})`);
  if (cfg.n - Math.round(cfg.n * cfg.testFraction) < 1) throw new Error(`data: n = ${cfg.n} with testFraction ${cfg.testFraction} leaves no training samples`);
}

function generate(cfg: DataConfig, seed: number, configDir: string, trainRows: Int32Array): { task: Task; raw: RawData } {
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
    case 'csv': {
      const raw = csvData(cfg, seed, configDir, trainRows);
      // csvData returns class names exactly when it chose (or was told) classification.
      return { task: raw.classNames ? 'classification' : 'regression', raw };
    }
    default:
      throw new Error(`unknown data kind "${(cfg as { kind: unknown }).kind}"`);
  }
}

/** The train/test Dataset for `cfg` under `seed`; `configDir` anchors a csv `path`. Throws on any invalid setting or non-finite value. */
export function loadDataset(cfg: DataConfig, seed: number, configDir: string): Dataset {
  checkSizes(cfg);
  // The split comes first: whitening and standardization are fitted on the training rows only.
  const split = splitIndices(cfg.n, cfg.testFraction, seed);
  const { task, raw } = generate(cfg, seed, configDir, split.train);
  const { n, inputDim, outputDim } = cfg;

  if (raw.x.length !== n * inputDim) throw new Error(`${cfg.kind}: produced ${raw.x.length} input values, expected n×inputDim = ${n}×${inputDim}`);
  if (raw.y.length !== n * outputDim) throw new Error(`${cfg.kind}: produced ${raw.y.length} target values, expected n×outputDim = ${n}×${outputDim}`);
  for (const [name, m] of [['input', raw.x], ['target', raw.y]] as const) {
    const bad = m.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${cfg.kind}: ${name} value ${m[bad]} at row ${Math.floor(bad / (name === 'input' ? inputDim : outputDim))} is not finite`);
  }

  const ds: Dataset = {
    task,
    inputDim,
    outputDim,
    train: makeSplit(raw.x, raw.y, inputDim, outputDim, split.train),
    test: makeSplit(raw.x, raw.y, inputDim, outputDim, split.test),
  };
  if (raw.classNames) ds.classNames = raw.classNames;
  return ds;
}
