// `*.l2exp.json` text → a resolved Experiment, or every problem with the file at once, each
// located at the key or value it is about.

import { getNodeValue, parseTree, printParseErrorCode, stripComments, type Node, type ParseError } from 'jsonc-parser';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolveExperiment, type RawExperiment } from './defaults';
import { duplicateKeys, nonFiniteNumbers, sourceOf } from './json-tree';
import { compareProblems, LineIndex, type ConfigProblem, type Finding, type ProblemSource } from './problems';
import { schemaFindings } from './schema-errors';
import { semanticFindings, type ReadFile } from './semantic';
import type { Experiment } from './types';

export interface ParseOptions {
  /** Reads a file the experiment refers to (the csv data); undefined when it doesn't exist. */
  readFile?: (path: string) => string | undefined;
}

export interface ParseResult {
  /** Present only when there is no error (warnings allowed). */
  experiment?: Experiment;
  problems: ConfigProblem[];
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

function defaultReadFile(path: string): string | undefined {
  try {
    return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
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

export function parseExperiment(text: string, file: string, options: ParseOptions = {}): ParseResult {
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

  if (stripComments(text).trim() === '') {
    const message = 'the file is empty: expected an experiment object such as { "name": "demo", "data": { "kind": "linear" }, "sweep": { "from": 1e-4, "to": 1 } }';
    return { problems: place([['syntax', [{ offset: 0, length: 0, message, severity: 'error' }]]]) };
  }
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  // After a syntax error the recovered tree is a guess; schema messages about it would mislead.
  if (syntaxErrors.length > 0 || !root) return { problems: place([['syntax', syntaxErrors.map((e) => syntaxFinding(e, text))]]) };

  const value: unknown = getNodeValue(root);
  const json = jsonFindings(root, text);
  const readFile: ReadFile = options.readFile ?? defaultReadFile;
  const semantic = semanticFindings(root, value, text, file, readFile);
  const problems = place([
    ['json', json.findings],
    ['schema', schemaFindings(root, text, value, json.nonFinite)],
    ['semantic', semantic.findings],
  ]);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { experiment: resolveExperiment(value as RawExperiment, semantic.csv), problems };
}
