// `*.l2exp.json` text → a resolved Experiment, or every problem with the file at once, each
// located at the key or value it is about.

import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { singleClassProblem } from '../data/dataShape';
import { DataError, loadDataset } from '../data/generate';
import { mnistLabels } from '../data/mnist';
import { splitIndices } from '../data/split';
import { isFileKind, resolveExperiment, type RawExperiment } from './defaults';
import { duplicateKeys, locate, nonFiniteNumbers, sourceOf } from './json-tree';
import { scanStructure } from './structure';
import { compareProblems, LineIndex, type ConfigProblem, type Finding, type ProblemSource } from './problems';
import { schemaFindings } from './schema-errors';
import type { CsvShape } from './csv-shape';
import { semanticFindings, type DataFiles, type DataProblem } from './semantic';
import type { Experiment } from './types';

/**
 * What only the data show, for one text of a config: the problems of reading its data file and
 * of generating the data (the dry load), and the file's shape. The engine's `validate` reply;
 * once complete, the same for any edit outside `data` and `seed` (src/engine/validate.ts keeps it).
 */
export interface DataCheck {
  problems: DataProblem[];
  /** The csv's or npy's shape, when it could be read: a file kind's size and task are the file's. */
  shape?: CsvShape;
  /** Every data check ran: the rest of the config is valid, so the data were resolved (and generated, when cheap). */
  complete: boolean;
}

export interface ParseOptions {
  /** Reads a file the experiment refers to (the csv data); undefined when it doesn't exist. */
  readFile?: (path: string) => string | undefined;
  /**
   * The folder a csv's data.path must resolve inside (symlinks followed) before it is read: the
   * workspace folder in the editor; null allows anywhere (`l2exp --allow-outside-data`).
   * Default: the config file's own folder tree.
   */
  dataRoot?: string | null;
  /**
   * The checks that need the data. Absent: they run here (the data file is read for its shape
   * checks, small data are generated). `false`: left out, and no file is read (the editor's own
   * process): a csv or npy experiment then has no `experiment`, its size being the file's. A
   * DataCheck (the engine's, for this text): its problems are added and its shape used.
   */
  data?: false | DataCheck;
}

export interface ParseResult {
  /** Present only when there is no error (warnings allowed). */
  experiment?: Experiment;
  problems: ConfigProblem[];
  /** When the data checks ran here: what they found. */
  data?: DataCheck;
}

const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value (a number, string, true/false, null, object or array)',
  ColonExpected: 'expected a colon ":" after the property name',
  CommaExpected: 'expected a comma "," between entries',
  CloseBraceExpected: 'expected a closing brace "}"',
  CloseBracketExpected: 'expected a closing bracket "]"',
  EndOfFileExpected: 'expected the end of the file after the experiment object',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment: expected "*/"',
  UnexpectedEndOfString: 'unterminated string: expected a closing double quote',
  UnexpectedEndOfNumber: 'incomplete number: expected digits',
  InvalidUnicode: 'invalid unicode escape: expected \\u followed by 4 hex digits',
  InvalidEscapeCharacter: 'invalid escape sequence in string',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

function syntaxFinding(e: ParseError, text: string): Finding {
  const what = SYNTAX[printParseErrorCode(e.error)] ?? printParseErrorCode(e.error);
  const near = text.slice(e.offset, e.offset + Math.max(e.length, 1)).trim();
  const at = near && e.length > 0 ? ` near ${JSON.stringify(near.slice(0, 20))}` : e.offset >= text.length ? ' at the end of the file' : '';
  return { offset: e.offset, length: e.length, message: `syntax error: ${what}${at}`, severity: 'error' };
}

/** undefined when the file does not exist; any other failure (a folder, EACCES) is thrown, for the caller to describe. */
function defaultReadFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Values generated while validating, at most: about this many floating-point operations (a few
 * milliseconds), so the editor can afford it on every change. Larger data are checked by shape
 * only, and the CLI loads them before the run starts (src/cli/main.ts).
 */
const DRY_LOAD_LIMIT = 2e7;

/** What generating the data costs, roughly; Infinity for data read from a package (mnist: 21 MB of JSON). */
function generationCost(e: Experiment): number {
  const { kind, n, inputDim: d, outputDim: k } = e.data;
  switch (kind) {
    case 'mnist':
      return Infinity;
    case 'linear':
      return n * d * k + ((e.data.whiten ?? true) ? 2 * n * d * d + 10 * d ** 3 : 0);
    case 'teacher': {
      const widths = [d, ...(e.data.teacherHidden ?? [32]), k];
      let macs = 0;
      for (let i = 1; i < widths.length; i++) macs += widths[i - 1] * widths[i];
      return n * macs;
    }
    default:
      return n * (d + k) * 4;
  }
}

/**
 * The data exactly as a run loads them (loadDataset), when that is cheap: the problems only
 * generating them shows (a numerically singular whitening, a training split of one class, a
 * value that overflows) are then reported here too, at their setting.
 */
function dryLoadProblems(e: Experiment, file: string, options: ParseOptions): DataProblem[] {
  const configDir = dirname(resolve(file));
  try {
    if (e.data.kind === 'mnist') {
      // The images are 21 MB of JSON; which digits the training rows hold is known without them.
      const labels = mnistLabels(e.data.n, e.seed);
      const problem = singleClassProblem(Array.from(splitIndices(e.data.n, e.data.testFraction, e.seed).train, (r) => labels[r]));
      if (problem) throw problem;
      return [];
    }
    if (!(generationCost(e) <= DRY_LOAD_LIMIT)) return [];
    loadDataset(e.data, e.seed, configDir, { root: options.dataRoot === undefined ? configDir : options.dataRoot, readFile: options.readFile ?? defaultReadFile });
    return [];
  } catch (err) {
    const field = err instanceof DataError ? [...err.field] : ['data', 'kind'];
    const message = err instanceof DataError ? err.message : `the data cannot be generated: ${(err as Error).message}`;
    return [{ field, message, severity: 'error' }];
  }
}

/** Findings that hold for any well-formed JSON: values that overflowed, keys written twice. */
function jsonFindings(root: Node, text: string): { findings: Finding[]; nonFinite: Set<Node> } {
  const nonFinite = new Set(nonFiniteNumbers(root));
  const findings: Finding[] = [...nonFinite].map((n) => ({
    offset: n.offset,
    length: n.length,
    message: `number ${sourceOf(n, text)} is too large: it overflows to ${n.value > 0 ? '' : '-'}Infinity; use a finite value`,
    severity: 'error' as const,
  }));
  const lines = new LineIndex(text);
  for (const [first, later] of duplicateKeys(root)) {
    findings.push({
      offset: later.offset,
      length: later.length,
      message: `duplicate key ${sourceOf(later, text)} (first on line ${lines.position(first.offset).line}): remove one of them`,
      severity: 'error',
    });
  }
  return { findings, nonFinite };
}

export function parseExperiment(source: string, file: string, options: ParseOptions = {}): ParseResult {
  // A byte-order mark is not part of the JSON (editors hide it; Windows tools write it).
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = new LineIndex(text);
  const place = (groups: [ProblemSource, Finding[]][]): ConfigProblem[] => {
    const seen = new Set<string>();
    return groups
      .flatMap(([source, findings]) => findings.map((f) => ({ f, source })))
      .filter(({ f }) => {
        const key = `${f.offset}:${f.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      })
      .map(({ f, source }) => lines.place(file, f, source))
      .sort(compareProblems);
  };

  // Before the parser, which recurses once per level: a file nested thousands deep would
  // overflow the stack.
  const structure = scanStructure(text);
  if (structure.tooDeep) return { problems: place([['syntax', [structure.tooDeep]]]) };
  if (structure.empty) {
    const message = 'the file is empty: expected an experiment object such as { "name": "demo", "data": { "kind": "linear" }, "sweep": { "from": 1e-4, "to": 1 } }';
    return { problems: place([['syntax', [{ offset: 0, length: 0, message, severity: 'error' }]]]) };
  }
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  // After a syntax error the recovered tree is a guess; schema messages about it would mislead.
  if (syntaxErrors.length > 0 || !root) return { problems: place([['syntax', syntaxErrors.map((e) => syntaxFinding(e, text))]]) };

  const value: unknown = getNodeValue(root);
  const json = jsonFindings(root, text);
  const given = options.data === false ? { problems: [], complete: false } : options.data;
  const files: DataFiles = given ? { shape: given.shape } : { read: options.readFile ?? defaultReadFile, dataRoot: options.dataRoot };
  const semantic = semanticFindings(root, value, text, file, files);
  const schema = schemaFindings(root, text, value, json.nonFinite);
  // The config's own problems and the data's, the latter located at their settings in this text.
  const withData = (data: DataProblem[]) =>
    place([
      ['json', json.findings],
      ['schema', schema],
      ['semantic', [...semantic.findings, ...data.map((p): Finding => ({ ...locate(root, p.field), message: p.message, severity: p.severity }))]],
    ]);
  const hasError = (ps: ConfigProblem[]) => ps.some((p) => p.severity === 'error');
  if (given) {
    const problems = withData(given.problems);
    // Without its file's shape a csv or npy experiment cannot be resolved (nor run).
    if (hasError(problems) || (isFileKind((value as RawExperiment).data!.kind!) && !given.shape)) return { problems };
    return { experiment: resolveExperiment(value as RawExperiment, given.shape), problems };
  }
  // No `shape` key without a shape: the check is the same after a trip through JSON (the engine's reply).
  const read: DataCheck = { problems: semantic.fileProblems, ...(semantic.csv && { shape: semantic.csv }), complete: false };
  const problems = withData(read.problems);
  if (hasError(problems)) return { problems, data: read };
  const experiment = resolveExperiment(value as RawExperiment, semantic.csv);
  const data: DataCheck = { ...read, problems: [...read.problems, ...dryLoadProblems(experiment, file, options)], complete: true };
  const all = withData(data.problems);
  return hasError(all) ? { problems: all, data } : { experiment, problems: all, data };
}

/**
 * The checks that need the data, alone (the engine's `validate`): the data file read for its
 * shape checks and small data generated, as `l2exp validate` does; undefined when the text is
 * not JSON (the editor says so from the config alone).
 */
export function checkData(source: string, file: string, options: Omit<ParseOptions, 'data'> = {}): DataCheck | undefined {
  return parseExperiment(source, file, options).data;
}

/**
 * A problem found after parsing (the run's own data load), placed at `field` in the config's
 * text like every other problem; the file's own position when the text has no such setting.
 */
export function problemAt(source: string, file: string, field: readonly (string | number)[], message: string): ConfigProblem {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const root = scanStructure(text).tooDeep ? undefined : parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const range = root ? locate(root, [...field]) : { offset: 0, length: 0 };
  return new LineIndex(text).place(file, { ...range, message, severity: 'error' }, 'semantic');
}
