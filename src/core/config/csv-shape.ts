// Just enough of a CSV file to resolve an experiment: its size, which column is the target, and
// whether that target holds class labels. The file is read by the data loader's own reader
// (data/csvTable.ts), so validation accepts a file exactly when a run can load it.

import { CsvError, readCsv, type CsvSettings } from '../data/csvTable';
import type { DataField } from '../data/dataError';
import type { Task } from './types';

export interface CsvShape {
  /** Data rows (the header, if any, excluded). */
  rows: number;
  columns: number;
  header?: string[];
  targetIndex: number;
  /** classification when every target cell is an integer label (or any is not a number), else regression. */
  task: Task;
  /** Distinct target values (classes, for classification). */
  distinctTargets: number;
  /** Regression outputs (target columns); 1 when absent. */
  outputs?: number;
  /** A header row that is partly numbers, said in words (a warning). */
  headerNote?: string;
}

/** What is wrong with the file, and the setting to blame (data.path for the file itself). */
export interface CsvFault {
  message: string;
  field: DataField;
}

export function csvShape(text: string, file: string, settings: CsvSettings): CsvShape | CsvFault {
  try {
    const t = readCsv(text, file, settings);
    const distinctTargets = t.classNames?.length ?? new Set(t.rows.map((r) => Number(r.cells[t.targetIndex]))).size;
    return { rows: t.rows.length, columns: t.width, header: t.header, targetIndex: t.targetIndex, task: t.task, distinctTargets, headerNote: t.headerNote };
  } catch (err) {
    if (err instanceof CsvError) return { message: err.message, field: err.field };
    throw err;
  }
}

export function isCsvFault(x: CsvShape | CsvFault): x is CsvFault {
  return 'message' in x;
}
