// A user's comma-separated file: optional header row, one target column, every other column a
// numeric feature. Problems in the file are CsvErrors carrying a 1-based line and column so the
// editor can point at them.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataConfig, Task } from '../config/types';
import { InputError } from '../errors';
import { Rng } from '../random';
import { standardizeColumns } from './preprocess';
import { oneHot, seededSubset, type RawData } from './split';

/** A problem with the CSV file. `line` and `column` are 1-based; 0 means "not tied to a line/column" (e.g. a missing file). */
export class CsvError extends InputError {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

interface Row {
  line: number;
  cells: string[];
}

/** Split one line into cells: double-quoted cells may hold commas, "" is a literal quote; no embedded newlines. */
function parseLine(text: string, line: number): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(`line ${line}: unterminated quoted cell`, line, cells.length + 1);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (i < text.length && text[i] !== ',') throw new CsvError(`line ${line}: text after a closing quote`, line, cells.length + 1);
    } else {
      const end = text.indexOf(',', i);
      cell = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? text.length : end;
    }
    cells.push(cell);
    if (i >= text.length) return cells;
    i++; // the comma
  }
}

const isNumber = (cell: string): boolean => cell !== '' && Number.isFinite(Number(cell));

function readRows(file: string): Row[] {
  if (!existsSync(file)) throw new CsvError(`CSV file not found: ${file}`, 0, 0);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: Row[] = [];
  text.split(/\r?\n/).forEach((t, i) => {
    if (t.trim() !== '') rows.push({ line: i + 1, cells: parseLine(t, i + 1) });
  });
  if (rows.length === 0) throw new CsvError(`CSV file is empty: ${file}`, 1, 1);
  return rows;
}

/** The target's 0-based column: by header name, or by 0-based index (a number or a digit string); default last. */
function targetIndex(target: string | number | undefined, names: string[], hasHeader: boolean, headerLine: number): number {
  if (target === undefined) return names.length - 1;
  if (typeof target === 'string' && hasHeader && names.includes(target)) return names.indexOf(target);
  const available = hasHeader
    ? `available: ${names.map((s) => `"${s}"`).join(', ')} or an index 0..${names.length - 1}`
    : `the file has no header row, so use a 0-based index 0..${names.length - 1}`;
  const idx = typeof target === 'number' ? target : /^\d+$/.test(target.trim()) ? Number(target) : NaN;
  if (Number.isInteger(idx) && idx >= 0 && idx < names.length) return idx;
  throw new CsvError(`unknown target column ${JSON.stringify(target)}; ${available}`, hasHeader ? headerLine : 0, 0);
}

/** Classification labels: numbers compare numerically, other labels as strings; names are the label text. */
function encodeClasses(cells: string[]): { labels: Int32Array; names: string[] } {
  const numeric = cells.every(isNumber);
  const key = (c: string) => (numeric ? String(Number(c)) : c);
  const distinct = [...new Set(cells.map(key))];
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((k, i) => [k, i]));
  return { labels: Int32Array.from(cells, (c) => index.get(key(c))!), names: distinct };
}

/**
 * The CSV at `cfg.path` (relative to configDir). n ≤ the number of data rows (a seeded subset,
 * stream "data/subset", when fewer). Features are standardized on the training rows; a regression
 * target is left as is.
 */
export function csvData(cfg: DataConfig, seed: number, configDir: string, trainRows: Int32Array): RawData {
  if (!cfg.path) throw new Error('csv: set "path" to the CSV file (relative to the config file)');
  const file = resolve(configDir, cfg.path);
  let rows = readRows(file);

  // Header: the first row, when any of its cells is not a number.
  const hasHeader = rows[0].cells.some((c) => !isNumber(c));
  const width = rows[0].cells.length;
  const names = hasHeader ? rows[0].cells : Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  const headerLine = rows[0].line;
  const label = (c: number) => (hasHeader ? `column "${names[c]}"` : `column ${c + 1}`);
  if (hasHeader) rows = rows.slice(1);
  if (rows.length === 0) throw new CsvError(`CSV file has a header but no data rows: ${file}`, headerLine + 1, 1);
  for (const r of rows) {
    if (r.cells.length !== width) {
      throw new CsvError(
        `line ${r.line} has ${r.cells.length} cells but the ${hasHeader ? 'header' : 'first row'} has ${width}`,
        r.line,
        Math.min(r.cells.length, width) + 1,
      );
    }
  }

  const t = targetIndex(cfg.target, names, hasHeader, headerLine);
  const features = names.map((_, i) => i).filter((i) => i !== t);
  if (cfg.inputDim !== features.length) {
    throw new Error(`csv: the file has ${features.length} feature columns (all but the target, ${label(t)}): set inputDim to ${features.length} (got ${cfg.inputDim})`);
  }
  // Every row is checked, even when only a subset is used, so a bad file fails the same way for any n.
  for (const r of rows) {
    for (const c of features) {
      if (!isNumber(r.cells[c])) throw new CsvError(`line ${r.line}, ${label(c)}: "${r.cells[c]}" is not a finite number`, r.line, c + 1);
    }
  }
  if (cfg.n > rows.length) throw new Error(`csv: the file has ${rows.length} data rows: n must be ≤ ${rows.length} (got ${cfg.n})`);
  if (cfg.n < rows.length) rows = Array.from(seededSubset(rows.length, cfg.n, new Rng(seed, 'data/subset')), (i) => rows[i]);

  const d = features.length;
  const x = new Float64Array(cfg.n * d);
  rows.forEach((r, i) => features.forEach((c, j) => (x[i * d + j] = Number(r.cells[c]))));
  standardizeColumns(x, d, trainRows);

  const targets = rows.map((r) => r.cells[t]);
  const integerLabels = targets.every((c) => isNumber(c) && Number.isInteger(Number(c)));
  const task: Task = cfg.task ?? (integerLabels || !targets.every(isNumber) ? 'classification' : 'regression');

  if (task === 'regression') {
    const bad = rows.findIndex((r) => !isNumber(r.cells[t]));
    if (bad >= 0) {
      throw new CsvError(`line ${rows[bad].line}, target ${label(t)}: "${rows[bad].cells[t]}" is not a finite number`, rows[bad].line, t + 1);
    }
    if (cfg.outputDim !== 1) throw new Error(`csv regression has one target column: set outputDim to 1 (got ${cfg.outputDim})`);
    return { x, y: Float64Array.from(targets, Number) };
  }
  const { labels, names: classNames } = encodeClasses(targets);
  if (cfg.outputDim !== classNames.length) {
    throw new Error(`csv: the target ${label(t)} has ${classNames.length} classes (${classNames.join(', ')}): set outputDim to ${classNames.length} (got ${cfg.outputDim})`);
  }
  return { x, y: oneHot(labels, classNames.length), classNames };
}
