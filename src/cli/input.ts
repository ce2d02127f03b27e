// What the CLI reads and checks before any work starts: the config file, its data, and where
// results will go. Every problem here is an InputError naming the path and what to do (exit 2),
// found before a results folder exists, so nothing is left behind to block the fixed config.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseExperiment, problemAt } from '../core/config/parse';
import { formatProblem } from '../core/config/problems';
import type { Experiment } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { DataError, loadDataset } from '../core/data/generate';
import { describeFsError, InputError } from '../core/errors';

/** A config and what it was read from; `dataRoot` null when --allow-outside-data. */
export interface LoadedConfig {
  path: string;
  text: string;
  experiment: Experiment;
  dataRoot: string | null;
}

function readConfigText(path: string): string {
  try {
    if (!statSync(path).isDirectory()) return readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new InputError(`${path}: no such file; give the path of an experiment file (*.l2exp.json)`);
    throw new InputError(describeFsError(err, path) ?? `${path}: cannot be read (${e.message})`);
  }
  throw new InputError(`${path}: is a folder; give the path of an experiment file (*.l2exp.json) in it`);
}

/**
 * Parses CONFIG; warnings go to stderr, errors are thrown together (file:line:col each). Data
 * must lie under `dataRoot`: CONFIG's folder unless given (--data-root), anywhere when null.
 */
export function loadConfig(path: string, allowOutsideData: boolean, root?: string): LoadedConfig {
  const text = readConfigText(path);
  const dataRoot = allowOutsideData ? null : root ? resolve(root) : dirname(path);
  const { experiment, problems } = parseExperiment(text, path, { dataRoot });
  for (const p of problems.filter((p) => p.severity === 'warning')) process.stderr.write(`${formatProblem(p)}\n`);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length || !experiment) throw new InputError(errors.map(formatProblem).join('\n'));
  return { path, text, experiment, dataRoot };
}

/**
 * The data exactly as the run will load them. Validation already generated small data; this
 * catches what only the full load shows for large ones, located in the config, before a results
 * folder is made.
 */
export function loadData(config: LoadedConfig): Dataset {
  const e = config.experiment;
  try {
    return loadDataset(e.data, e.seed, dirname(config.path), { root: config.dataRoot });
  } catch (err) {
    if (err instanceof DataError) throw new InputError(formatProblem(problemAt(config.text, config.path, err.field, err.message)));
    throw err;
  }
}

/** --out must be a folder or not exist yet, below a folder (not a file). */
export function checkOutDir(out: string): void {
  const path = resolve(out);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new InputError(`--out ${path}: is a file, not a folder; choose a folder (an existing results folder resumes it, a new path starts one)`);
    return;
  }
  for (let up = dirname(path); up !== dirname(up); up = dirname(up)) {
    if (!existsSync(up)) continue;
    if (!statSync(up).isDirectory()) throw new InputError(`--out ${path}: ${up} is a file, not a folder; choose another path`);
    return;
  }
}

/** An output file's path must not be a folder and must lie below a folder. */
export function checkOutFile(out: string): void {
  if (existsSync(out) && statSync(out).isDirectory()) throw new InputError(`--out ${out}: is a folder; give a file name (e.g. report.html)`);
  checkOutDir(dirname(out));
}
