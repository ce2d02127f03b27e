// Checks the schema can't express: relations between settings, facts about the data sets, the
// CSV file on disk, and whether the run fits in memory. Each reads only values that are present
// and well-typed (or their defaults), so it runs alongside schema errors and all problems come
// out in one pass. The data file is read here only when asked (DataFiles): the editor's own
// process takes its shape from the engine instead, and what reading it found is kept apart.

import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { runBudget } from './budget';
import { checkDataPath } from '../data/dataPath';
import { DataError } from '../data/dataError';
import { readNpyTable } from '../data/npyData';
import { describeFsError } from '../errors';
import { csvShape, isCsvFault, type CsvShape } from './csv-shape';
import { DATA_KINDS, DEFAULT_DOWNSAMPLE, FIXED_CLASS_COUNT, IRIS_FEATURES, MNIST_DOWNSAMPLES, dataDefaults, isFileKind, mnistInputDim, taskOf } from './defaults';
import { keyNode, locate, sourceOf } from './json-tree';
import type { Finding, Severity } from './problems';
import { kindSpecificFields, modelSpecificFields } from './schema';
import { dataShapeProblems, PLANAR_KINDS, splitSizes } from '../data/dataShape';
import { AXIS_WORDS, axisId, repeatedGridValue, sampleCount } from '../sweep/axis';
import { reconstructionValues } from '../measures/vaeReconstructions';
import { numText } from '../text/numbers';
import type { AxisConfig, DataKind, ModelKind, SweepParameter, Task } from './types';

const GiB = 1024 ** 3;
const EXACT_HESSIAN_LIMIT = 4 * GiB;
const MAX_USEFUL_WORKERS = 64;

export interface SemanticResult {
  findings: Finding[];
  /** What reading the data file found (data.files `read` only), at the setting to blame. */
  fileProblems: DataProblem[];
  /** The CSV file's shape, when the experiment reads one and it could be read (or was given). */
  csv?: CsvShape;
}

export type ReadFile = (path: string) => string | undefined;

/**
 * A problem only the data show (reading the file, generating the data), at the setting to blame
 * rather than at a place in one text: the engine keeps them across edits elsewhere in the file.
 */
export interface DataProblem {
  field: (string | number)[];
  message: string;
  severity: Severity;
}

/**
 * How the checks learn a csv's or npy's shape: `read` it here (`readFile` for a csv, inside
 * `dataRoot`: undefined is the config's folder tree, null anywhere), or take the `shape` read
 * elsewhere (the engine's, for the editor), undefined when not read: the checks that need it
 * are then left out, as for a file that cannot be read.
 */
export type DataFiles = { read: ReadFile; dataRoot?: string | null } | { shape: CsvShape | undefined };

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

/** Where a sweep's axes sit in the file: the object (and its `across`), or the two entries of the list form. */
function axisPaths(c: Checker): { first: JSONPath; second: JSONPath | null } {
  if (Array.isArray(c.raw(['sweep']))) return { first: ['sweep', 0], second: ['sweep', 1] };
  return { first: ['sweep'], second: c.has(['sweep', 'across']) ? ['sweep', 'across'] : null };
}

function checkAxisGrid(c: Checker, at: JSONPath): void {
  const from = c.num([...at, 'from']);
  const to = c.num([...at, 'to']);
  const points = c.num([...at, 'points'], 24);
  const scale = c.str([...at, 'scale'], 'log');
  if (from === undefined || to === undefined) return;
  const name = at.join('.');
  const [f, t] = [c.shown([...at, 'from']), c.shown([...at, 'to'])];
  if (from > to) {
    c.error([...at, 'from'], `${name}.from (${f}) is larger than ${name}.to (${t}): swap them, or set direction "down" to sweep downward`);
  } else if (from === to && points !== undefined && points > 1) {
    c.error([...at, 'to'], `${name}.from and ${name}.to are both ${t}, but points is ${points}: widen the range, or set "points": 1 for a single value`);
  }
  if (scale === 'log' && from <= 0) {
    c.error([...at, 'from'], `${name}.from is ${f}, but a log-scale sweep needs from > 0: use a small positive value such as 1e-6, or set "scale": "linear"`);
  }
}

function checkSweep(c: Checker): void {
  const { first, second } = axisPaths(c);
  checkAxisGrid(c, first);
  if (second) {
    checkAxisGrid(c, second);
    const [a, b] = [c.str([...first, 'parameter'], 'lambda'), c.str([...second, 'parameter'], 'lambda')];
    if (a === b) c.error([...second, 'parameter'], `both axes of the 2-D sweep sweep "${a}": give the second axis another parameter (e.g. "samples" with "ratio": true)`);
    for (const key of ['direction', 'seeds', 'warmStart', 'fresh', 'perturbation', 'across']) {
      if (c.has([...second, key])) c.warnAtKey(second, key, `the second axis of a 2-D sweep ignores ${key}: the chains' settings are the first axis's`);
    }
  }
}

/** What the swept parameters need of the data and the model: the sizes known here (the data section's, with defaults). */
function checkAxes(c: Checker, kind: DataKind, facts: { n: number; inputDim: number } | undefined): void {
  const { first, second } = axisPaths(c);
  const swept = (p: SweepParameter) => [first, second].some((at) => at && c.str([...at, 'parameter'], 'lambda') === p);
  if (swept('lambda') && c.has(['train', 'lambda'])) c.warn(['train', 'lambda'], 'train.lambda is ignored: this sweep varies λ itself');
  const vae = modelKind(c) === 'vae';
  if (vae && swept('beta') && c.has(['train', 'beta'])) c.warn(['train', 'beta'], 'train.beta is ignored: this sweep varies β itself');
  for (const at of [first, second]) {
    if (!at) continue;
    const parameter = c.str([...at, 'parameter'], 'lambda');
    const name = at.join('.');
    if (parameter === 'beta' && !vae) {
      c.error([...at, 'parameter'], `${name}.parameter "beta" is the KL weight of a variational autoencoder, but model.kind is "mlp": set "kind": "vae" in model, or sweep another parameter`);
    }
    if (vae && (parameter === 'width' || parameter === 'noise')) {
      const what = parameter === 'width' ? 'a VAE has two networks and a latent layer, and width sweeps resize an MLP' : 'label noise changes the targets, which a VAE does not read';
      c.error([...at, 'parameter'], `${name}.parameter "${parameter}" does not apply to a VAE (${what}): sweep "beta", "lambda", "samples" or "initScale"`);
    }
    const from = c.num([...at, 'from']);
    const to = c.num([...at, 'to']);
    const points = c.num([...at, 'points'], 24);
    const scale = c.str([...at, 'scale'], 'log');
    if (c.has([...at, 'ratio']) && parameter !== 'samples') c.warnAtKey(at, 'ratio', `${name}.ratio only applies to "samples"; it is ignored for "${parameter}"`);
    if (c.has([...at, 'layer']) && parameter !== 'width') c.warnAtKey(at, 'layer', `${name}.layer only applies to "width"; it is ignored for "${parameter}"`);
    if (from === undefined || to === undefined || points === undefined || (scale !== 'log' && scale !== 'linear')) continue;
    const ratio = c.bool([...at, 'ratio'], false) === true;
    const axis = { parameter: parameter as SweepParameter, from, to, points, scale, ...(parameter === 'samples' ? { ratio } : {}) } as AxisConfig;
    if (parameter === 'width' && !vae) {
      const hidden = c.widths(['model', 'hidden'], [16]);
      if (hidden && hidden.length === 0) c.error([...at, 'parameter'], 'a width sweep needs a hidden layer, but model.hidden is []: add one (e.g. "hidden": [16]), or sweep another parameter');
      const layer = c.num([...at, 'layer']);
      if (hidden && hidden.length > 0 && layer !== undefined && layer >= hidden.length) {
        c.error(
          [...at, 'layer'],
          `${name}.layer is ${layer}, but model.hidden has ${hidden.length} hidden layer(s), numbered 0–${hidden.length - 1}: use one of those, or remove layer to sweep every hidden layer`,
        );
      }
      if (from < 1) c.error([...at, 'from'], `${name}.from is ${c.shown([...at, 'from'])}, but a width is at least 1 unit: use "from": 1 or more`);
    }
    if (parameter === 'noise' && to > 1 && taskOf(kind, csvTask(c)) === 'classification') {
      c.error([...at, 'to'], `${name}.to is ${c.shown([...at, 'to'])}, but label noise on classes is the fraction of labels replaced (0–1): use at most 1`);
    }
    if (parameter === 'initScale' && from <= 0) c.error([...at, 'from'], `${name}.from is ${c.shown([...at, 'from'])}: an init scale of 0 starts every weight at 0 (a saddle); use a positive value`);
    if (parameter === 'samples') {
      if (ratio && PLANAR_KINDS.has(kind)) {
        c.error(
          [...at, 'ratio'],
          `"ratio": true measures n in units of the input dimension d, but ${kind} is a 2-D shape whose other inputs are noise, so it has no fixed d: sweep the sample count n itself ("ratio": false)`,
        );
        continue;
      }
      if (!facts) continue;
      const count = (v: number) => sampleCount(axis, v, facts.inputDim);
      const train = splitSizes(facts.n, c.num(['data', 'testFraction'], 0.2) ?? 0.2).train;
      const per = ratio ? ` (δ ${c.shown([...at, 'to'])} × d ${facts.inputDim})` : '';
      if (count(to) > train) {
        const most = ratio ? `${numText(train / facts.inputDim)} (n = ${train})` : String(train);
        c.error([...at, 'to'], `${name}.to asks for ${count(to)} training samples${per}, but data.n ${facts.n} leaves ${train} for training: raise data.n, or lower ${name}.to to at most ${most}`);
      }
      if (count(from) < 1) c.error([...at, 'from'], `${name}.from gives n = ${count(from)} training samples: use a value that gives at least 1`);
    }
    const repeated = from <= to ? repeatedGridValue(axis, facts?.inputDim ?? 1) : null;
    if (repeated !== null && (parameter === 'width' || (parameter === 'samples' && facts))) {
      c.error(
        [...at, 'points'],
        `${name}.points is ${points}, but between ${from} and ${to} two points round to the same ${parameter === 'width' ? 'width' : 'sample count'} (${repeated}): use fewer points, or widen the range`,
      );
    }
  }
}

/** A file kind's data.path, which the config alone can tell is missing: undefined when absent or not a path (the schema says which). */
function dataPath(c: Checker, kind: 'csv' | 'npy'): string | undefined {
  const path = c.raw(['data', 'path']);
  if (path === undefined) {
    c.error(
      ['data', 'kind'],
      kind === 'csv'
        ? 'data kind "csv" needs data.path: add "path": "your-data.csv" (relative to this config file\'s folder)'
        : 'data kind "npy" needs data.path: an .npz with arrays "x" and "y", or the inputs\' .npy (with data.targetPath the targets\' .npy), relative to this config file\'s folder',
    );
  }
  return typeof path === 'string' && path !== '' ? path : undefined;
}

interface FileCheck {
  shape?: CsvShape;
  problems: DataProblem[];
}

const fault = (field: DataProblem['field'], message: string): FileCheck => ({ problems: [{ field, message, severity: 'error' }] });

/** Reads the csv file with the loader's own reader and checks it against the data settings; returns its shape. */
function checkCsv(c: Checker, path: string, file: string, readFile: ReadFile, dataRoot: string | null | undefined): FileCheck {
  const folder = dirname(resolve(file));
  // Checked before anything is read: a config must not make validation read (and echo) a file
  // from elsewhere on the machine.
  const where = checkDataPath(folder, path, dataRoot === undefined ? folder : dataRoot);
  if ('problem' in where) return fault(['data', 'path'], where.problem);
  const full = where.path;
  let text: string | undefined;
  try {
    text = readFile(full);
  } catch (err) {
    return fault(['data', 'path'], `CSV file ${describeFsError(err, full) ?? `${full}: ${(err as Error).message}`}`);
  }
  if (text === undefined) return fault(['data', 'path'], `CSV file not found: ${full} (data.path is relative to the config file's folder ${folder}): fix data.path, or move the file there`);
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
  if (isCsvFault(shape)) return fault([...shape.field], shape.message);
  return { shape, problems: shape.headerNote ? [{ field: ['data', 'path'], message: shape.headerNote, severity: 'warning' }] : [] };
}

/** Reads the NumPy arrays with the loader's own reader; returns their shape in the csv's terms. */
function checkNpy(c: Checker, path: string, file: string, dataRoot: string | null | undefined): FileCheck {
  const targetPath = c.raw(['data', 'targetPath']);
  if (targetPath !== undefined && typeof targetPath !== 'string') return { problems: [] };
  const folder = dirname(resolve(file));
  try {
    const t = readNpyTable({ path, targetPath, task: csvTask(c) }, folder, dataRoot === undefined ? folder : dataRoot);
    return { shape: { rows: t.n, columns: t.d + 1, targetIndex: 0, task: t.task, distinctTargets: t.classNames?.length ?? 0, outputs: t.k }, problems: [] };
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    return fault([...err.field], err.message);
  }
}

/** The data file's shape and what reading it found: read here, or as given. */
function checkFile(c: Checker, kind: 'csv' | 'npy', file: string, files: DataFiles): FileCheck {
  const path = dataPath(c, kind);
  if (!('read' in files)) return { shape: files.shape, problems: [] };
  if (path === undefined) return { problems: [] };
  return kind === 'csv' ? checkCsv(c, path, file, files.read, files.dataRoot) : checkNpy(c, path, file, files.dataRoot);
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

/** The symbol of the axis at `at` (λ, δ, …), as the views name it; the parameter as written when it is no known one. */
function axisSymbol(c: Checker, at: JSONPath): string {
  const parameter = c.str([...at, 'parameter'], 'lambda') ?? '?';
  const id = axisId({ parameter: parameter as SweepParameter, ratio: c.bool([...at, 'ratio'], false) === true });
  return AXIS_WORDS[id]?.symbol ?? parameter;
}

const pictureValues = (inputDim: number | undefined, latentDim: number | undefined) => (inputDim === undefined || latentDim === undefined ? undefined : reconstructionValues(inputDim, latentDim));

/** The run's memory, output and time (budget.ts), from the settings as written or their defaults. */
function checkBudget(c: Checker, kind: DataKind, csv: CsvShape | undefined): void {
  const facts = dataDefaults(kind, c.num(['data', 'downsample'], DEFAULT_DOWNSAMPLE) ?? DEFAULT_DOWNSAMPLE, csvTask(c), csv);
  if (!facts) return;
  const { first, second } = axisPaths(c);
  const seedsV = c.raw([...first, 'seeds']);
  const seeds = seedsV === undefined ? 1 : Array.isArray(seedsV) ? seedsV.length : Number.isInteger(seedsV) && (seedsV as number) >= 1 ? (seedsV as number) : undefined;
  const workersV = c.raw(['workers']);
  const inputDim = c.num(['data', 'inputDim'], facts.inputDim);
  const hidden = c.widths(['model', 'hidden'], [16]);
  // A VAE's two networks as one chain x → hidden → L → decoderHidden → x: its parameters to within the encoder's second L outputs.
  const vaeChain = (enc: number[], latent: number | undefined, dec: number[] | undefined) => (latent === undefined || !dec ? undefined : [...enc, latent, ...dec]);
  const vae = modelKind(c) === 'vae' && hidden;
  const size = {
    n: c.num(['data', 'n'], facts.n),
    testFraction: c.num(['data', 'testFraction'], 0.2),
    inputDim,
    outputDim: vae ? inputDim : c.num(['data', 'outputDim'], facts.outputDim),
    hidden: vae ? vaeChain(hidden, c.num(['model', 'latentDim'], 2), c.widths(['model', 'decoderHidden'], [...hidden].reverse())) : hidden,
    bias: c.bool(['model', 'bias'], true),
    optimizer: c.str(['train', 'optimizer'], 'lbfgs'),
    memory: c.num(['train', 'memory'], 10),
    maxSteps: c.num(['train', 'maxSteps'], 2000),
    backend: c.str(['backend'], 'auto'),
    points: c.num([...first, 'points'], 24),
    axisPath: first,
    symbol: axisSymbol(c, first),
    rows: second ? c.num([...second, 'points'], 24) : 1,
    rowSymbol: second ? axisSymbol(c, second) : '',
    rowsPath: second,
    seeds,
    direction: c.str([...first, 'direction'], 'up'),
    fresh: c.bool([...first, 'fresh'], false),
    refineBudget: c.bool(['analysis', 'transitions', 'refine'], true) ? c.num(['analysis', 'transitions', 'refineBudget'], 96) : 0,
    hessianEnabled: c.bool(['analysis', 'hessian', 'enabled'], true),
    exactLimit: c.num(['analysis', 'hessian', 'exactLimit'], 2000),
    topK: c.num(['analysis', 'hessian', 'topK'], 20),
    slqGridPoints: c.num(['analysis', 'hessian', 'slqGridPoints'], 256),
    workers: workersV === undefined || workersV === 'auto' ? availableParallelism() : c.num(['workers']),
    pictureValues: vae ? pictureValues(inputDim, c.num(['model', 'latentDim'], 2)) : 0,
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

const modelKind = (c: Checker): ModelKind | undefined => {
  const k = c.str(['model', 'kind'], 'mlp');
  return k === 'mlp' || k === 'vae' ? k : undefined;
};

/**
 * What a VAE's settings need of each other and of the data (the fields only the other model kind
 * uses are warned about either way): a bernoulli decoder reads pixel intensities in [0, 1],
 * which only mnist provides (every other kind is Gaussian, or standardized: csv, npy, iris);
 * moment matching needs more draws than latent units (vaeNoise.ts).
 */
function checkModelKind(c: Checker, kind: DataKind | undefined): void {
  const model = modelKind(c);
  if (!model) return;
  for (const section of ['model', 'train', 'analysis'] as const) {
    for (const [field, kinds] of Object.entries(modelSpecificFields(section))) {
      if (c.has([section, field]) && !kinds.includes(model)) c.warnAtKey([section], field, `${section}.${field} only applies to model.kind "${kinds.join('" or "')}"; it is ignored for "${model}"`);
    }
  }
  if (model !== 'vae') {
    const observables = c.raw(['analysis', 'transitions', 'observables']);
    if (Array.isArray(observables) && observables.includes('kl')) {
      c.error(
        ['analysis', 'transitions', 'observables', observables.indexOf('kl')],
        'observable "kl" is the KL term of a variational autoencoder, but model.kind is "mlp": remove it, or set "kind": "vae" in model',
      );
    }
    return;
  }
  if (c.has(['loss'])) c.warnAtKey([], 'loss', "loss is ignored by a VAE: its reconstruction term is model.decoder's likelihood");
  const decoder = c.str(['model', 'decoder'], kind === 'mnist' ? 'bernoulli' : 'gaussian');
  if (decoder === 'bernoulli' && kind !== undefined && kind !== 'mnist') {
    const inputs = isFileKind(kind) || kind === 'iris' ? 'standardized features (mean 0, variance 1 on the training rows)' : 'Gaussian inputs';
    c.error(['model', 'decoder'], `a bernoulli decoder models inputs in [0, 1] (pixel intensities), but data kind "${kind}" gives ${inputs}, outside [0, 1]: use "decoder": "gaussian", or mnist data`);
  }
  if (decoder === 'bernoulli' && c.has(['model', 'observationVariance']))
    c.warnAtKey(['model'], 'observationVariance', 'model.observationVariance only applies to a gaussian decoder; it is ignored for "bernoulli"');
  const latentDim = c.num(['model', 'latentDim'], 2);
  const samples = c.num(['model', 'samples'], 1);
  if (c.bool(['model', 'matchMoments'], false) === true && latentDim !== undefined && samples !== undefined && samples < latentDim + 1) {
    c.error(
      [...(c.has(['model', 'samples']) ? ['model', 'samples'] : ['model', 'matchMoments'])],
      `model.matchMoments whitens each row's ${samples} noise draw(s) to mean 0 and covariance I in ${latentDim} dimensions, which needs samples ≥ latentDim + 1 = ${latentDim + 1}: raise model.samples to ${latentDim + 1}, or set "matchMoments": false`,
    );
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

/** analysis.trajectory samples a first-order optimizer's path: L-BFGS has none to sample, and steps past maxSteps are never reached. */
function checkTrajectory(c: Checker): void {
  const steps = c.raw(['analysis', 'trajectory']);
  if (!Array.isArray(steps) || steps.length === 0) return;
  if (c.str(['model', 'kind']) === 'vae') {
    c.error(['analysis', 'trajectory'], 'analysis.trajectory records the training path of an MLP; a VAE\'s is not measured: remove analysis.trajectory, or use model.kind "mlp"');
    return;
  }
  const optimizer = c.str(['train', 'optimizer'], 'lbfgs');
  if (optimizer === 'lbfgs') {
    const fix = c.has(['train', 'optimizer']) ? 'set train.optimizer to "adam" or "sgd"' : 'add "optimizer": "adam" (or "sgd") to train';
    c.error(
      ['analysis', 'trajectory'],
      `analysis.trajectory records the spectra along a first-order optimizer's path, but train.optimizer is "lbfgs", whose line searches have no such path: ${fix}, or remove analysis.trajectory`,
    );
    return;
  }
  const maxSteps = c.num(['train', 'maxSteps'], 2000);
  if (maxSteps === undefined) return;
  steps.forEach((step, i) => {
    if (typeof step === 'number' && step > maxSteps) c.warn(['analysis', 'trajectory', i], `step ${step} is past train.maxSteps (${maxSteps}): training stops before it, so it is never recorded`);
  });
}

/** `files`: whether the data file is read here, or its shape known from elsewhere (see DataFiles). */
export function semanticFindings(root: Node, value: unknown, text: string, file: string, files: DataFiles): SemanticResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { findings: [], fileProblems: [] };
  const c = new Checker(root, value as Record<string, unknown>, text);
  checkSweep(c);
  checkModelAndAnalysis(c);
  checkTrajectory(c);
  const workers = c.num(['workers']);
  if (workers !== undefined && workers > MAX_USEFUL_WORKERS) {
    c.warn(['workers'], `workers is ${workers}: more than ${MAX_USEFUL_WORKERS} worker processes rarely helps and each costs memory; consider "auto"`);
  }
  const kindV = c.str(['data', 'kind']);
  const kind = DATA_KINDS.find((k) => k === kindV);
  let csv: CsvShape | undefined;
  let fileProblems: DataProblem[] = [];
  checkModelKind(c, kind);
  if (kind) {
    if (kind === 'csv' || kind === 'npy') ({ shape: csv, problems: fileProblems } = checkFile(c, kind, file, files));
    checkData(c, kind, csv);
    checkBudget(c, kind, csv);
    const facts = dataDefaults(kind, c.num(['data', 'downsample'], DEFAULT_DOWNSAMPLE) ?? DEFAULT_DOWNSAMPLE, csvTask(c), csv);
    const n = c.num(['data', 'n'], facts?.n);
    const inputDim = c.num(['data', 'inputDim'], facts?.inputDim);
    checkAxes(c, kind, n !== undefined && inputDim !== undefined ? { n, inputDim } : undefined);
  }
  return { findings: c.findings, fileProblems, csv };
}
