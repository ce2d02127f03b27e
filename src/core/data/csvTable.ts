// The one reader of a user's CSV file. Validation (config/csv-shape.ts, for the editor and
// `l2exp validate`) and the loader (csv.ts, for a run) both call readCsv, so a file passes
// validation exactly when the run can load it. Every problem is a CsvError with the 1-based line
// and column in the file and the setting to blame (the file itself, or data.target, …).
//
// The format: an optional header row (the first row, when any of its cells is not a number), then
// one row per sample, every row as wide as the first; cells may be double-quoted (then they may
// hold commas, and "" is a literal quote) but not span lines; blank lines are skipped; a UTF-8 BOM
// is ignored. Numbers are decimal (`-1.5e3`): `NaN`, `Infinity`, `0x10` or an empty cell are not.

import type { Task } from '../config/types';
import { didYouMean } from '../config/suggest';
import { DataError, type DataField } from './dataError';

/** A problem with the CSV file. `line` and `column` are 1-based; 0 means "not tied to a line/column" (e.g. a missing file). */
export class CsvError extends DataError {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    field: DataField = ['data', 'path'],
  ) {
    super(message, field);
  }
}

/** The data settings the file is checked against; each only when the config sets it. */
export interface CsvSettings {
  target?: string | number;
  task?: Task;
  n?: number;
  inputDim?: number;
  outputDim?: number;
}

export interface CsvRow {
  /** 1-based line in the file. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header?: string[];
  /** Data rows (the header excluded), in file order. */
  rows: CsvRow[];
  width: number;
  targetIndex: number;
  /** The feature columns: every column but the target, in order. */
  features: number[];
  task: Task;
  /** Classification: the class names, sorted (numerically when every label is a number)… */
  classNames?: string[];
  /** …and each row's class index into them. */
  labels?: Int32Array;
  /** Set when the header row is partly numbers (maybe a data row with a typo): what was read and why. */
  headerNote?: string;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number that is finite as a float64 (`1e999` is not). */
export const isCsvNumber = (cell: string): boolean => DECIMAL.test(cell) && Number.isFinite(Number(cell));

function notANumber(cell: string): string {
  if (/^[+-]?(nan|inf(inity)?)$/i.test(cell) || cell === '') return `"${cell}" is not a number (missing or infinite values are not supported: fill the cell in or remove the row)`;
  if (/^[+-]?0[xob]/i.test(cell)) return `"${cell}" is not a decimal number (write it in decimal)`;
  if (DECIMAL.test(cell)) return `"${cell}" overflows a 64-bit float`;
  return `"${cell}" is not a number`;
}

/** One line's cells; double-quoted cells may hold commas, "" is a literal quote. */
function parseLine(text: string, line: number, file: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    let cell = '';
    if (text[i] === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw new CsvError(
            `${file}: line ${line}, column ${cells.length + 1}: unterminated quoted cell (a quote opened at character ${start + 1} is never closed; cells cannot span lines)`,
            line,
            start + 1,
          );
        }
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
      if (i < text.length && text[i] !== ',') throw new CsvError(`${file}: line ${line}, column ${cells.length + 1}: text after a closing quote`, line, i + 1);
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

function targetIndex(target: string | number | undefined, header: string[] | undefined, width: number, headerLine: number, file: string): number {
  if (target === undefined) return width - 1;
  if (typeof target === 'string' && header?.includes(target)) return header.indexOf(target);
  const idx = typeof target === 'number' ? target : /^\d+$/.test(target.trim()) ? Number(target) : NaN;
  if (Number.isInteger(idx) && idx >= 0 && idx < width) return idx;
  const field: DataField = ['data', 'target'];
  if (typeof target === 'number') {
    throw new CsvError(`data.target is ${target}, but the CSV file ${file} has columns 0…${width - 1}: use a 0-based index in that range`, 0, 0, field);
  }
  if (!header) {
    throw new CsvError(`data.target "${target}" names a column, but the CSV file ${file} has no header row: use a 0-based column index 0…${width - 1}`, 0, 0, field);
  }
  const known = header.map((h) => `"${h}"`).join(', ');
  throw new CsvError(`the CSV file ${file} has no column "${target}"${didYouMean(target, header)}; its columns are ${known} (or an index 0…${width - 1})`, headerLine, 1, field);
}

/** Class names and each cell's class: numbers compare numerically ("01" is "1"), other labels as strings. */
function encodeClasses(cells: string[]): { labels: Int32Array; names: string[] } {
  const numeric = cells.every(isCsvNumber);
  const key = (c: string) => (numeric ? String(Number(c)) : c);
  const distinct = [...new Set(cells.map(key))];
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((k, i) => [k, i]));
  return { labels: Int32Array.from(cells, (c) => index.get(key(c))!), names: distinct };
}

/**
 * The CSV text of `file` (named in messages), checked against `settings`: every cell the run
 * reads is checked (all rows, even when n selects fewer), so a bad file fails the same way for
 * any n. Throws the first problem as a CsvError.
 */
export function readCsv(text: string, file: string, settings: CsvSettings = {}): CsvTable {
  const all: CsvRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((t, i) => {
      if (t.trim() !== '') all.push({ line: i + 1, cells: parseLine(t, i + 1, file) });
    });
  if (all.length === 0) throw new CsvError(`the CSV file ${file} is empty: it needs rows of numbers, the target in one column`, 1, 1);

  const first = all[0];
  const header = first.cells.some((c) => !isCsvNumber(c)) ? first.cells : undefined;
  const width = first.cells.length;
  if (width < 2) throw new CsvError(`the CSV file ${file} has 1 column: it needs at least 2 (inputs and a target), separated by commas`, first.line, 1);
  const rows = header ? all.slice(1) : all;
  if (rows.length === 0) throw new CsvError(`the CSV file ${file} has a header but no data rows`, first.line + 1, 1);
  for (const r of rows) {
    if (r.cells.length !== width) {
      throw new CsvError(`${file}: line ${r.line} has ${r.cells.length} cells but the ${header ? 'header' : 'first row'} has ${width}`, r.line, Math.min(r.cells.length, width) + 1);
    }
  }
  const label = (c: number) => (header ? `column "${header[c]}"` : `column ${c + 1}`);

  const t = targetIndex(settings.target, header, width, first.line, file);
  const features = Array.from({ length: width }, (_, i) => i).filter((i) => i !== t);
  if (settings.inputDim !== undefined && settings.inputDim !== features.length) {
    throw new CsvError(
      `data.inputDim is ${settings.inputDim}, but ${file} has ${features.length} feature columns (all but the target, ${label(t)}): set inputDim to ${features.length} or remove it`,
      0,
      0,
      ['data', 'inputDim'],
    );
  }
  for (const r of rows) {
    for (const c of features) {
      if (!isCsvNumber(r.cells[c])) throw new CsvError(`${file}: line ${r.line}, ${label(c)}: ${notANumber(r.cells[c])}`, r.line, c + 1);
    }
  }
  if (settings.n !== undefined && settings.n > rows.length) {
    throw new CsvError(`data.n is ${settings.n}, but ${file} has only ${rows.length} data rows: use at most ${rows.length}, or remove data.n`, 0, 0, ['data', 'n']);
  }

  const targets = rows.map((r) => r.cells[t]);
  const integerLabels = targets.every((c) => isCsvNumber(c) && Number.isInteger(Number(c)));
  const task: Task = settings.task ?? (integerLabels || !targets.every(isCsvNumber) ? 'classification' : 'regression');
  const table: CsvTable = { header, rows, width, targetIndex: t, features, task };
  if (header?.some(isCsvNumber)) {
    const words = header.filter((c) => !isCsvNumber(c)).map((c) => `"${c}"`);
    table.headerNote = `line ${first.line} of ${file} is read as a header row because ${words.join(', ')} ${words.length > 1 ? 'are' : 'is'} not a decimal number; if it is data, write every cell as a decimal number`;
  }

  if (task === 'regression') {
    const bad = rows.findIndex((r) => !isCsvNumber(r.cells[t]));
    if (bad >= 0) {
      const fix = settings.task === 'regression' ? '' : ' (or set data.task "classification" if it holds class labels)';
      throw new CsvError(`${file}: line ${rows[bad].line}, target ${label(t)}: ${notANumber(rows[bad].cells[t])}${fix}`, rows[bad].line, t + 1);
    }
    if (settings.outputDim !== undefined && settings.outputDim !== 1) {
      throw new CsvError(`data.outputDim is ${settings.outputDim}, but a csv regression has one target column: set outputDim to 1 or remove it`, 0, 0, ['data', 'outputDim']);
    }
    return table;
  }
  const { labels, names } = encodeClasses(targets);
  if (names.length < 2) {
    throw new CsvError(
      `the target ${label(t)} of ${file} holds a single class ("${names[0]}") in all ${rows.length} rows: a classifier needs at least 2; choose another data.target${settings.task ? '' : ', or set data.task "regression"'}`,
      0,
      0,
      ['data', 'target'],
    );
  }
  if (settings.outputDim !== undefined && settings.outputDim !== names.length) {
    const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
    throw new CsvError(`data.outputDim is ${settings.outputDim}, but the target ${label(t)} of ${file} has ${names.length} classes (${shown}): set outputDim to ${names.length} or remove it`, 0, 0, [
      'data',
      'outputDim',
    ]);
  }
  return { ...table, classNames: names, labels };
}
