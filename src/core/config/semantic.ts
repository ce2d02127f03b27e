// Checks the schema can't express: relations between settings, facts about the data sets, the
// CSV file on disk, and whether the run fits in memory. Each reads only values that are present
// and well-typed (or their defaults), so it runs alongside schema errors and all problems come
// out in one pass.

import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { runBudget } from './budget';
import { checkDataPath } from '../data/dataPath';
import { DataError } from '../data/dataError';
import { dataShapeProblems } from '../data/dataShape';
import { readNpyTable } from '../data/npyData';
import { describeFsError } from '../errors';
import { csvShape, isCsvFault, type CsvShape } from './csv-shape';
import { DATA_KINDS, DEFAULT_DOWNSAMPLE, FIXED_CLASS_COUNT, IRIS_FEATURES, MNIST_DOWNSAMPLES, dataDefaults, isFileKind, mnistInputDim } from './defaults';
import { keyNode, locate, sourceOf } from './json-tree';
import type { Finding } from './problems';
import { kindSpecificFields } from './schema';
import type { DataKind, Task } from './types';

const GiB = 1024 ** 3;
const EXACT_HESSIAN_LIMIT = 4 * GiB;
const MAX_USEFUL_WORKERS = 64;

export interface SemanticResult {
  findings: Finding[];
  /** The CSV file's shape, when the experiment reads one and it could be read. */
  csv?: CsvShape;
}

export type ReadFile = (path: string) => string | undefined;

const gib = (bytes: number) => (bytes / GiB).toFixed(1);

class Checker {
  readonly findings: Finding[] = [];

  constructor(
    private readonly root: Node,
    private readonly value: Record<string, unknown>,
    private readonly text: string,
  ) {}

  raw(path: JSONPath): unknown {
    let cur: unknown = this.value;
    for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    return cur;
  }

  has(path: JSONPath): boolean {
    return this.raw(path) !== undefined;
  }

  /** The number at `path`; `fallback` when absent; undefined when present but not a finite number. */
  num(path: JSONPath, fallback?: number): number | undefined {
    const v = this.raw(path);
    if (v === undefined) return fallback;
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  str(path: JSONPath, fallback?: string): string | undefined {
    const v = this.raw(path);
    if (v === undefined) return fallback;
    return typeof v === 'string' ? v : undefined;
  }

  bool(path: JSONPath, fallback: boolean): boolean | undefined {
    const v = this.raw(path);
    if (v === undefined) return fallback;
    return typeof v === 'boolean' ? v : undefined;
  }

  widths(path: JSONPath, fallback: number[]): number[] | undefined {
    const v = this.raw(path);
    if (v === undefined) return fallback;
    return Array.isArray(v) && v.every((w) => Number.isInteger(w) && w >= 1) ? v : undefined;
  }

  /** A value as the user wrote it (e.g. `1e-3`), or as resolved when it is a default. */
  shown(path: JSONPath, resolved?: unknown): string {
    const node = findNodeAtLocation(this.root, path);
    return node ? sourceOf(node, this.text) : String(resolved);
  }

  error(path: JSONPath, message: string): void {
    this.findings.push({ ...locate(this.root, path), message, severity: 'error' });
  }

  warn(path: JSONPath, message: string): void {
    this.findings.push({ ...locate(this.root, path), message, severity: 'warning' });
  }

  warnAtKey(obj: JSONPath, key: string, message: string): void {
    const k = keyNode(findNodeAtLocation(this.root, obj), key);
    if (k) this.findings.push({ offset: k.offset, length: k.length, message, severity: 'warning' });
  }
}

function checkSweep(c: Checker): void {
  const from = c.num(['sweep', 'from']);
  const to = c.num(['sweep', 'to']);
  const points = c.num(['sweep', 'points'], 24);
  const scale = c.str(['sweep', 'scale'], 'log');
  if (from === undefined || to === undefined) return;
  const [f, t] = [c.shown(['sweep', 'from']), c.shown(['sweep', 'to'])];
  if (from > to) {
    c.error(['sweep', 'from'], `sweep.from (${f}) is larger than sweep.to (${t}): swap them, or set direction "down" to sweep downward`);
  } else if (from === to && points !== undefined && points > 1) {
    c.error(['sweep', 'to'], `sweep.from and sweep.to are both ${t}, but points is ${points}: widen the range, or set "points": 1 for a single λ`);
  }
  if (scale === 'log' && from <= 0) {
    c.error(['sweep', 'from'], `sweep.from is ${f}, but a log-scale sweep needs from > 0: use a small positive value such as 1e-6, or set "scale": "linear"`);
  }
}

/** Reads the csv file (if any) with the loader's own reader and checks it against the data settings; returns its shape. */
function checkCsv(c: Checker, file: string, readFile: ReadFile, dataRoot: string | null | undefined): CsvShape | undefined {
  const path = c.raw(['data', 'path']);
  if (path === undefined) {
    c.error(['data', 'kind'], 'data kind "csv" needs data.path: add "path": "your-data.csv" (relative to this config file\'s folder)');
    return undefined;
  }
  if (typeof path !== 'string' || path === '') return undefined;
  const folder = dirname(resolve(file));
  // Checked before anything is read: a config must not make validation read (and echo) a file
  // from elsewhere on the machine.
  const where = checkDataPath(folder, path, dataRoot === undefined ? folder : dataRoot);
  if ('problem' in where) {
    c.error(['data', 'path'], where.problem);
    return undefined;
  }
  const full = where.path;
  let text: string | undefined;
  try {
    text = readFile(full);
  } catch (err) {
    c.error(['data', 'path'], `CSV file ${describeFsError(err, full) ?? `${full}: ${(err as Error).message}`}`);
    return undefined;
  }
  if (text === undefined) {
    c.error(['data', 'path'], `CSV file not found: ${full} (data.path is relative to the config file's folder ${folder}): fix data.path, or move the file there`);
    return undefined;
  }
  const target = c.raw(['data', 'target']);
  const task = csvTask(c);
  const int = (key: string) => {
    const v = c.raw(['data', key]);
    return Number.isInteger(v) ? (v as number) : undefined;
  };
  const shape = csvShape(text, full, {
    target: typeof target === 'string' || Number.isInteger(target) ? (target as string | number) : undefined,
    task,
    n: int('n'),
    inputDim: int('inputDim'),
    outputDim: int('outputDim'),
  });
  if (isCsvFault(shape)) {
    c.error([...shape.field], shape.message);
    return undefined;
  }
  if (shape.headerNote) c.warn(['data', 'path'], shape.headerNote);
  return shape;
}

/** Reads the NumPy arrays (if named) with the loader's own reader; returns their shape in the csv's terms. */
function checkNpy(c: Checker, file: string, dataRoot: string | null | undefined): CsvShape | undefined {
  const path = c.raw(['data', 'path']);
  const targetPath = c.raw(['data', 'targetPath']);
  if (path === undefined) {
    c.error(
      ['data', 'kind'],
      'data kind "npy" needs data.path: an .npz with arrays "x" and "y", or the inputs\' .npy (with data.targetPath the targets\' .npy), relative to this config file\'s folder',
    );
    return undefined;
  }
  if (typeof path !== 'string' || path === '' || (targetPath !== undefined && typeof targetPath !== 'string')) return undefined;
  const folder = dirname(resolve(file));
  try {
    const t = readNpyTable({ path, targetPath, task: csvTask(c) }, folder, dataRoot === undefined ? folder : dataRoot);
    return { rows: t.n, columns: t.d + 1, targetIndex: 0, task: t.task, distinctTargets: t.classNames?.length ?? 0, outputs: t.k };
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    c.error([...err.field], err.message);
    return undefined;
  }
}

function checkData(c: Checker, kind: DataKind, csv: CsvShape | undefined): void {
  const inputDim = c.num(['data', 'inputDim']);
  const outputDim = c.num(['data', 'outputDim']);
  if (kind === 'iris') {
    if (inputDim !== undefined && inputDim !== IRIS_FEATURES) {
      c.error(['data', 'inputDim'], `data.inputDim is ${inputDim}, but iris has ${IRIS_FEATURES} features: set ${IRIS_FEATURES} or remove data.inputDim`);
    }
  }
  if (kind === 'mnist') {
    const ds = c.num(['data', 'downsample'], DEFAULT_DOWNSAMPLE);
    if (ds !== undefined && MNIST_DOWNSAMPLES.includes(ds) && inputDim !== undefined && inputDim !== mnistInputDim(ds)) {
      const want = mnistInputDim(ds);
      c.error(['data', 'inputDim'], `data.inputDim is ${inputDim}, but mnist at downsample ${ds} has (28/${ds})² = ${want} inputs: set ${want} or remove data.inputDim`);
    }
  }
  const classes = FIXED_CLASS_COUNT[kind];
  if (classes !== undefined && outputDim !== undefined && outputDim !== classes) {
    c.error(['data', 'outputDim'], `data.outputDim is ${outputDim}, but ${kind} has ${classes} classes: set ${classes} or remove data.outputDim`);
  }
  const facts = dataDefaults(kind, c.num(['data', 'downsample'], DEFAULT_DOWNSAMPLE) ?? DEFAULT_DOWNSAMPLE, csvTask(c), csv);
  if (facts?.task === 'classification' && outputDim !== undefined && outputDim < 2) {
    c.error(['data', 'outputDim'], `data.outputDim is ${outputDim}, but classification needs at least 2 classes`);
  }
  const lossV = c.str(['loss']);
  if (lossV === 'cross-entropy' && facts?.task === 'regression') {
    const fix = isFileKind(kind) ? ', or set data.task "classification" if the target holds class labels' : '';
    c.error(['loss'], `loss "cross-entropy" needs class labels, but data kind "${kind}" is a regression task: use "mse"${fix}`);
  }
  const effIn = inputDim ?? facts?.inputDim;
  const effOut = outputDim ?? facts?.outputDim;
  const sv = c.raw(['data', 'singularValues']);
  if (kind === 'linear' && Array.isArray(sv) && effIn !== undefined && effOut !== undefined && sv.length > Math.min(effIn, effOut)) {
    c.error(
      ['data', 'singularValues'],
      `data.singularValues has ${sv.length} values, but W is ${effOut}×${effIn}, so it has at most ${Math.min(effIn, effOut)}: remove some, or raise inputDim/outputDim`,
    );
  }
  const k = c.num(['data', 'indexDim']);
  if (kind === 'multi-index' && k !== undefined && effIn !== undefined && k > effIn) {
    c.error(['data', 'indexDim'], `data.indexDim is ${k}, but inputDim is only ${effIn}: the projection can't have more dimensions than x`);
  }
  // The sizes the loader itself rejects (data/dataShape.ts), from the same function.
  const n0 = c.num(['data', 'n'], facts?.n);
  const testFraction = c.num(['data', 'testFraction'], 0.2);
  const whiten = c.bool(['data', 'whiten'], true);
  if (n0 !== undefined && effIn !== undefined && testFraction !== undefined && whiten !== undefined) {
    for (const p of dataShapeProblems({ kind, n: n0, testFraction, inputDim: effIn, whiten })) c.error([...p.field], p.message);
  }
  for (const [field, kinds] of Object.entries(kindSpecificFields())) {
    if (c.has(['data', field]) && !kinds.includes(kind)) {
      const owners = kinds.map((x) => `"${x}"`).join(' or ');
      c.warnAtKey(['data'], field, `data.${field} only applies to kind ${owners}; it is ignored for "${kind}"`);
    }
  }
}

function csvTask(c: Checker): Task | undefined {
  const t = c.str(['data', 'task']);
  return t === 'regression' || t === 'classification' ? t : undefined;
}

/** The run's memory, output and time (budget.ts), from the settings as written or their defaults. */
function checkBudget(c: Checker, kind: DataKind, csv: CsvShape | undefined): void {
  const facts = dataDefaults(kind, c.num(['data', 'downsample'], DEFAULT_DOWNSAMPLE) ?? DEFAULT_DOWNSAMPLE, csvTask(c), csv);
  if (!facts) return;
  const seedsV = c.raw(['sweep', 'seeds']);
  const seeds = seedsV === undefined ? 1 : Array.isArray(seedsV) ? seedsV.length : Number.isInteger(seedsV) && (seedsV as number) >= 1 ? (seedsV as number) : undefined;
  const workersV = c.raw(['workers']);
  const size = {
    n: c.num(['data', 'n'], facts.n),
    testFraction: c.num(['data', 'testFraction'], 0.2),
    inputDim: c.num(['data', 'inputDim'], facts.inputDim),
    outputDim: c.num(['data', 'outputDim'], facts.outputDim),
    hidden: c.widths(['model', 'hidden'], [16]),
    bias: c.bool(['model', 'bias'], true),
    optimizer: c.str(['train', 'optimizer'], 'lbfgs'),
    memory: c.num(['train', 'memory'], 10),
    maxSteps: c.num(['train', 'maxSteps'], 2000),
    backend: c.str(['backend'], 'auto'),
    points: c.num(['sweep', 'points'], 24),
    seeds,
    direction: c.str(['sweep', 'direction'], 'up'),
    fresh: c.bool(['sweep', 'fresh'], false),
    refineBudget: c.bool(['analysis', 'transitions', 'refine'], true) ? c.num(['analysis', 'transitions', 'refineBudget'], 96) : 0,
    hessianEnabled: c.bool(['analysis', 'hessian', 'enabled'], true),
    exactLimit: c.num(['analysis', 'hessian', 'exactLimit'], 2000),
    topK: c.num(['analysis', 'hessian', 'topK'], 20),
    slqGridPoints: c.num(['analysis', 'hessian', 'slqGridPoints'], 256),
    workers: workersV === undefined || workersV === 'auto' ? availableParallelism() : c.num(['workers']),
  };
  if (Object.values(size).some((v) => v === undefined)) return; // a wrong type: the schema reports it
  const s = size as { [K in keyof typeof size]: NonNullable<(typeof size)[K]> };
  const problems = runBudget({
    ...s,
    hessian: { enabled: s.hessianEnabled, exactLimit: s.exactLimit, topK: s.topK, slqGridPoints: s.slqGridPoints },
  });
  for (const p of problems) {
    const at = p.blame.find((path) => c.has(path)) ?? p.blame[p.blame.length - 1];
    if (p.severity === 'error') c.error(at, p.message);
    else c.warn(at, p.message);
  }
}

function checkModelAndAnalysis(c: Checker): void {
  if (c.bool(['model', 'regularizeBias'], false) === true && c.bool(['model', 'bias'], true) === false) {
    c.warn(['model', 'regularizeBias'], 'model.regularizeBias has no effect because model.bias is false');
  }
  if (c.bool(['analysis', 'hessian', 'enabled'], true) !== true) return;
  const exactLimit = c.num(['analysis', 'hessian', 'exactLimit'], 2000);
  if (exactLimit !== undefined && exactLimit ** 2 * 8 > EXACT_HESSIAN_LIMIT) {
    const most = Math.floor(Math.sqrt(EXACT_HESSIAN_LIMIT / 8));
    c.error(
      ['analysis', 'hessian', 'exactLimit'],
      `analysis.hessian.exactLimit ${exactLimit} allows an exact Hessian of ${exactLimit}² × 8 bytes = ${gib(exactLimit ** 2 * 8)} GiB, over the 4 GiB limit: use at most ${most} (larger models use Lanczos + SLQ)`,
    );
  }
  const topK = c.num(['analysis', 'hessian', 'topK'], 20);
  const steps = c.num(['analysis', 'hessian', 'lanczosSteps'], 80);
  if (topK !== undefined && steps !== undefined && topK > steps) {
    c.error(['analysis', 'hessian', 'topK'], `analysis.hessian.topK (${topK}) exceeds lanczosSteps (${steps}): Lanczos resolves at most one eigenvalue per step; raise lanczosSteps or lower topK`);
  }
}

/**
 * `dataRoot`: the folder a csv's data.path must resolve inside (undefined: the config's own
 * folder tree; null: anywhere).
 */
export function semanticFindings(root: Node, value: unknown, text: string, file: string, readFile: ReadFile, dataRoot?: string | null): SemanticResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { findings: [] };
  const c = new Checker(root, value as Record<string, unknown>, text);
  checkSweep(c);
  checkModelAndAnalysis(c);
  const workers = c.num(['workers']);
  if (workers !== undefined && workers > MAX_USEFUL_WORKERS) {
    c.warn(['workers'], `workers is ${workers}: more than ${MAX_USEFUL_WORKERS} worker processes rarely helps and each costs memory; consider "auto"`);
  }
  const kindV = c.str(['data', 'kind']);
  const kind = DATA_KINDS.find((k) => k === kindV);
  let csv: CsvShape | undefined;
  if (kind) {
    if (kind === 'csv') csv = checkCsv(c, file, readFile, dataRoot);
    if (kind === 'npy') csv = checkNpy(c, file, dataRoot);
    checkData(c, kind, csv);
    checkBudget(c, kind, csv);
  }
  return { findings: c.findings, csv };
}
