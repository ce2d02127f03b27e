// Just enough of a CSV file to resolve an experiment: its size, which column is the target, and
// whether that target looks like class labels. The data loader reads the values themselves.

import type { Task } from './types';
import { didYouMean } from './suggest';

export interface CsvShape {
  /** Data rows (the header, if any, excluded). */
  rows: number;
  columns: number;
  header?: string[];
  targetIndex: number;
  /** classification when every target cell is an integer label, else regression. */
  task: Task;
  /** Distinct target values. */
  distinctTargets: number;
}

/** What is wrong with the file, and whether it is the target setting (not the file) to blame. */
export interface CsvFault {
  message: string;
  blame: 'path' | 'target';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

export function csvShape(text: string, target: string | number | undefined): CsvShape | CsvFault {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return { message: 'the CSV file is empty', blame: 'path' };
  const first = cells(lines[0]);
  const header = first.some((c) => !NUMBER.test(c)) ? first : undefined;
  const body = lines.slice(header ? 1 : 0).map(cells);
  const columns = first.length;
  if (columns < 2) return { message: 'the CSV file needs at least 2 columns (inputs and a target)', blame: 'path' };
  if (body.length < 2) return { message: `the CSV file has ${body.length} data row(s); it needs at least 2`, blame: 'path' };
  const ragged = body.findIndex((r) => r.length !== columns);
  if (ragged >= 0) {
    const lineNo = ragged + (header ? 2 : 1);
    return { message: `CSV row on line ${lineNo} has ${body[ragged].length} cells, expected ${columns}`, blame: 'path' };
  }

  let targetIndex = columns - 1;
  if (typeof target === 'number') {
    if (target >= columns) {
      return { message: `data.target is ${target}, but the CSV file has columns 0…${columns - 1}`, blame: 'target' };
    }
    targetIndex = target;
  } else if (typeof target === 'string') {
    if (!header) {
      return {
        message: `data.target "${target}" names a column, but the CSV file has no header row: use a 0-based column index`,
        blame: 'target',
      };
    }
    targetIndex = header.indexOf(target);
    if (targetIndex < 0) {
      const known = header.map((h) => `"${h}"`).join(', ');
      return { message: `the CSV file has no column "${target}"${didYouMean(target, header)}; its columns are ${known}`, blame: 'target' };
    }
  }

  const values = body.map((r) => r[targetIndex]);
  const task: Task = values.every((v) => INTEGER.test(v)) ? 'classification' : 'regression';
  // Numeric identity, so "01" and "1" are one label.
  const distinctTargets = new Set(values.map((v) => (NUMBER.test(v) ? Number(v) : v))).size;
  return { rows: body.length, columns, header, targetIndex, task, distinctTargets };
}

export function isCsvFault(x: CsvShape | CsvFault): x is CsvFault {
  return 'message' in x;
}
