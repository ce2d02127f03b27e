// A user's comma-separated file: optional header row, one target column, every other column a
// numeric feature. The file is read and checked by readCsv (csvTable.ts), the same reader
// validation uses; this turns the checked table into the run's arrays.

import { readFileSync } from 'node:fs';
import type { DataConfig } from '../config/types';
import { describeFsError } from '../errors';
import { Rng } from '../random';
import { checkDataPath } from './dataPath';
import { CsvError, readCsv } from './csvTable';
import { standardizeColumns } from './preprocess';
import { oneHot, seededSubset, type RawData } from './split';

export { CsvError } from './csvTable';

/** Where a csv's file may be and how it is read; see LoadOptions in generate.ts. */
export interface CsvSource {
  root: string | null;
  readFile?: (path: string) => string | undefined;
}

/** The text of the data file, or a CsvError naming the path and what to do. */
export function readDataFile(path: string, readFile?: (path: string) => string | undefined): string {
  if (readFile) {
    const text = readFile(path);
    if (text === undefined) throw new CsvError(`CSV file not found: ${path} (data.path is relative to the config file's folder): fix data.path, or move the file there`, 0, 0);
    return text;
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new CsvError(`CSV file not found: ${path} (data.path is relative to the config file's folder): fix data.path, or move the file there`, 0, 0);
    throw new CsvError(`CSV file ${describeFsError(err, path) ?? `${path}: ${e.message}`}`, 0, 0);
  }
}

/**
 * The CSV at `cfg.path` (relative to configDir, and inside `source.root`). n ≤ the number of
 * data rows (a seeded subset, stream "data/subset", when fewer). Features are standardized on
 * the training rows; a regression target is left as is.
 */
export function csvData(cfg: DataConfig, seed: number, configDir: string, trainRows: Int32Array, source: CsvSource): RawData {
  if (!cfg.path) throw new CsvError('data kind "csv" needs data.path: add "path": "your-data.csv" (relative to the config file\'s folder)', 0, 0, ['data', 'kind']);
  const where = checkDataPath(configDir, cfg.path, source.root);
  if ('problem' in where) throw new CsvError(where.problem, 0, 0);
  const file = where.path;
  const table = readCsv(readDataFile(file, source.readFile), file, cfg);
  let rows = table.rows.map((_, i) => i);
  if (cfg.n < rows.length) rows = Array.from(seededSubset(rows.length, cfg.n, new Rng(seed, 'data/subset')));

  const { features } = table;
  const d = features.length;
  const x = new Float64Array(cfg.n * d);
  rows.forEach((src, i) => features.forEach((c, j) => (x[i * d + j] = Number(table.rows[src].cells[c]))));
  standardizeColumns(x, d, trainRows);

  if (table.task === 'regression') return { x, y: Float64Array.from(rows, (src) => Number(table.rows[src].cells[table.targetIndex])) };
  const classes = table.classNames!;
  return {
    x,
    y: oneHot(
      Int32Array.from(rows, (src) => table.labels![src]),
      classes.length,
    ),
    classNames: [...classes],
  };
}
