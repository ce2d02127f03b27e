// What a run will cost before it starts: working memory per process, the results it writes, and
// an upper bound on the time. Each limit is one a run would otherwise hit late and unlocated
// (a heap that runs out, a JSON string V8 cannot hold, a full disk); the message says what to
// change. The time bound only warns: it assumes every point takes train.maxSteps.

import type { JSONPath } from 'jsonc-parser';

const GiB = 1024 ** 3;
/** Per process: weights, buffers and activations. */
export const MEMORY_LIMIT = 8 * GiB;
/**
 * Characters of one JSON text the results store writes or reads whole (data.json, points.jsonl):
 * V8's longest string is 2^29 − 24 ≈ 537 million, and the parse needs several times that in heap.
 */
export const JSON_TEXT_LIMIT = 400e6;
/** Parameters and records stored on disk. */
export const STORAGE_LIMIT = 100 * GiB;
/** A run that may take longer than this gets a warning. */
export const TIME_WARNING_SECONDS = 24 * 3600;
/** Floating-point operations per second one worker sustains (JS/WASM kernels, float64 polish): a conservative figure. */
const FLOPS_PER_SECOND = 1e9;
/** Characters of a stored number (`-0.12345678901234567,`). */
const CHARS_PER_NUMBER = 21;
/** Characters of a point record besides its per-parameter and per-eigenvalue arrays. */
const RECORD_BASE_CHARS = 1000;
/** Characters of a stored picture value, rounded to 4 decimals (`0.1234,`). */
const CHARS_PER_PIXEL = 7;

export interface RunSize {
  n: number;
  testFraction: number;
  inputDim: number;
  outputDim: number;
  hidden: number[];
  bias: boolean;
  optimizer: string;
  memory: number;
  maxSteps: number;
  backend: string;
  /** Points of the first axis (one chain's), and where that axis is written (`sweep`, or `sweep[0]` of a 2-D list). */
  points: number;
  axisPath: JSONPath;
  /** The first axis's symbol (λ, β, δ, …) and, for a 2-D sweep, the second's with its points (rows of chains); rows is 1 otherwise. */
  symbol: string;
  rows: number;
  rowSymbol: string;
  /** Where the second axis of a 2-D sweep is written; null for a 1-D sweep. */
  rowsPath: JSONPath | null;
  seeds: number;
  direction: string;
  fresh: boolean;
  refineBudget: number;
  hessian: { enabled: boolean; exactLimit: number; topK: number; slqGridPoints: number };
  /** Worker processes that can run at once. */
  workers: number;
  /** Values each point writes beside its record and parameters (a VAE's reconstructions/<id>.json); 0 for an MLP. */
  pictureValues: number;
}

export interface BudgetProblem {
  /** The setting to change: the first that is written in the file is underlined. */
  blame: JSONPath[];
  message: string;
  severity: 'error' | 'warning';
}

const mb = (chars: number) => `${Math.round(chars / 1e6).toLocaleString('en-US')} MB`;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

function duration(seconds: number): string {
  if (seconds < 3600 * 48) return `${Math.round(seconds / 3600)} h`;
  if (seconds < 86400 * 730) return `${Math.round(seconds / 86400)} days`;
  return `${(seconds / (86400 * 365)).toExponential(1)} years`;
}

export function parameterCount(s: Pick<RunSize, 'inputDim' | 'outputDim' | 'hidden' | 'bias'>): number {
  const widths = [s.inputDim, ...s.hidden, s.outputDim];
  let params = 0;
  for (let i = 1; i < widths.length; i++) params += widths[i - 1] * widths[i] + (s.bias ? widths[i] : 0);
  return params;
}

export function runBudget(s: RunSize): BudgetProblem[] {
  const out: BudgetProblem[] = [];
  const P = parameterCount(s);
  const widths = [s.inputDim, ...s.hidden, s.outputDim];
  const widest = Math.max(...widths);
  const nTrain = s.n - Math.round(s.n * s.testFraction);

  // Working memory: the largest activation matrix plus parameter-sized vectors (weights,
  // gradient, two optimizer buffers, L-BFGS's history).
  const copies = 4 + (s.optimizer === 'lbfgs' ? s.memory : 0);
  // TF.js computes in float32; the plain CPU backend (and 'auto', to be safe) in float64.
  const bytesPerFloat = s.backend === 'tensorflow' || s.backend === 'wasm' ? 4 : 8;
  const activations = s.n * widest;
  const working = (activations + P * copies) * bytesPerFloat + s.n * (s.inputDim + s.outputDim) * 8;
  if (working > MEMORY_LIMIT) {
    out.push({
      blame: activations >= P * copies ? [['data', 'n'], ['model', 'hidden'], ['data']] : [['model', 'hidden'], ['data']],
      message: `this experiment would need about ${gib(working)} of memory per process (n ${s.n} × widest layer ${widest} activations, plus ${P} parameters × ${copies} buffers, ${bytesPerFloat * 8}-bit floats, plus the data), over the ${gib(MEMORY_LIMIT)} limit: reduce data.n or the layer widths`,
      severity: 'error',
    });
  }

  // The exact train/test sets are written to data.json as one JSON text.
  const dataChars = s.n * (s.inputDim + s.outputDim) * CHARS_PER_NUMBER;
  if (dataChars > JSON_TEXT_LIMIT) {
    out.push({
      blame: [['data', 'n'], ['data', 'inputDim'], ['data']],
      message: `the data set (n ${s.n} × ${s.inputDim} inputs + ${s.outputDim} outputs = ${(s.n * (s.inputDim + s.outputDim)).toExponential(2)} values) would make data.json about ${mb(dataChars)} of JSON, more than the ${mb(JSON_TEXT_LIMIT)} the results store can write as one file: reduce data.n or data.inputDim`,
      severity: 'error',
    });
  }

  // Point records: every finished point is one line of points.jsonl, which is read whole. A
  // 2-D sweep runs its chains once per row (a value of the second axis).
  const chains = s.rows * s.seeds * ((s.direction === 'both' ? 2 : 1) + (s.fresh ? 1 : 0));
  const total = chains * s.points + s.refineBudget;
  const exact = s.hessian.enabled && P <= s.hessian.exactLimit;
  const spectrum = !s.hessian.enabled ? 0 : exact ? P : 2 * s.hessian.topK + 2 * s.hessian.slqGridPoints;
  const recordChars = RECORD_BASE_CHARS + CHARS_PER_NUMBER * (spectrum + Math.min(s.inputDim, s.outputDim) + widths.length);
  const pointsChars = total * recordChars;
  const at = (key: string): JSONPath => [...s.axisPath, key];
  const seedsBlame: JSONPath[] = chains >= s.points ? [at('seeds'), at('points'), s.axisPath] : [at('points'), at('seeds'), s.axisPath];
  const refined = s.refineBudget > 0 ? ` + ${s.refineBudget} refinement points` : '';
  const perRow = s.rows > 1 ? `, ${s.rows} ${s.rowSymbol} rows` : '';
  // The settings that make the grid smaller, as written: "sweep.points or sweep.seeds", a 2-D list's "sweep.0.points, sweep.1.points or sweep.0.seeds".
  const name = s.axisPath.join('.');
  const gridKnobs = [`${name}.points`, ...(s.rowsPath ? [`${s.rowsPath.join('.')}.points`] : []), `${name}.seeds`];
  const orList = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);
  const grid = `${total.toLocaleString('en-US')} points (${chains.toLocaleString('en-US')} chains${perRow} × ${s.points} ${s.symbol} values${refined})`;
  if (pointsChars > JSON_TEXT_LIMIT) {
    const spectrumHint = exact && P > 200 ? `, or lower analysis.hessian.exactLimit below the ${P} parameters so a record keeps ${2 * s.hessian.topK} eigenvalues instead of ${P}` : '';
    out.push({
      blame: seedsBlame,
      message: `${grid} × about ${Math.round(recordChars / 1000)} KB per record would make points.jsonl about ${mb(pointsChars)}, more than the ${mb(JSON_TEXT_LIMIT)} the results store reads at once: reduce ${orList(gridKnobs)}${spectrumHint}`,
      severity: 'error',
    });
  }

  // On disk: every point's parameters (params/<id>.f64), its record and a VAE's pictures.
  const pictures = s.pictureValues * CHARS_PER_PIXEL;
  const stored = total * (P * 8 + recordChars + pictures) + dataChars;
  if (stored > STORAGE_LIMIT) {
    const picturesText = pictures > 0 ? `, about ${mb(pictures)} of reconstructions per point in reconstructions/` : '';
    out.push({
      blame: seedsBlame,
      message: `${grid} × ${P} parameters would store about ${gib(stored)} (8 bytes per parameter per point in params/${picturesText}, plus the records), over the ${gib(STORAGE_LIMIT)} limit: reduce ${orList([...gridKnobs, 'the layer widths'])}`,
      severity: 'error',
    });
  }

  // Time, an upper bound: maxSteps gradient steps (about 3 passes of 2·nTrain·P flops, and a
  // line search) per point, plus the exact Hessian (P products and a P³ eigensolver) where it runs.
  const step = 8 * nTrain * P;
  const hessian = exact ? P * 4 * step + 10 * P ** 3 : s.hessian.enabled ? 200 * 4 * step : 0;
  const seconds = (total * (s.maxSteps * step + hessian)) / (FLOPS_PER_SECOND * Math.max(1, Math.min(s.workers, chains)));
  if (out.length === 0 && seconds > TIME_WARNING_SECONDS) {
    out.push({
      blame: seedsBlame,
      message: `this sweep may take up to about ${duration(seconds)} on ${Math.max(1, Math.min(s.workers, chains))} worker(s) (${grid}, each up to train.maxSteps ${s.maxSteps} steps over ${nTrain} samples and ${P} parameters${exact ? ', plus an exact Hessian' : ''}): to make it shorter, reduce ${orList([...gridKnobs, 'data.n', 'train.maxSteps', 'the layer widths'])}`,
      severity: 'warning',
    });
  }
  return out;
}
