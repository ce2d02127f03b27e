// Seeded fuzzing of config files: mutations of the bundled examples (keys deleted and written
// twice, types changed, extreme numbers, truncated text, garbage bytes, deep nesting, other data
// kinds and data paths) through `l2exp validate`, and a sample of those that validate through a
// small `l2exp run`. Every one must exit 0 or 2; a 2 must say where (file:line:col or the path);
// nothing may print a stack trace. The same mutations every time: a failure prints its case
// number, its mutations and the mutant's text, and `FUZZ_CASE=<n>` runs that case alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyEdits, modify, parse, type JSONPath } from 'jsonc-parser';
import { CLI, tempDir, uniforms } from './helpers';

const SEED = 20261202;
const CASES = 200;
/** Mutants that validate and are then run (with a small budget)… */
const RUNS = 6;
/** …and stopped (SIGTERM, as a cluster's time limit would) if still training after this. */
const RUN_SECONDS = 12;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const EXAMPLES = resolve(__dirname, '../../examples');
const BASES = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.l2exp.json'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(EXAMPLES, f), 'utf8') }));

/** Every path in a JSON value (objects' keys and arrays' items), the root excluded. */
function paths(value: unknown, at: JSONPath = []): JSONPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...paths(v, [...at, k])]);
}

const EXTREMES: unknown[] = [0, -1, 1, 0.5, -0, 1e308, -1e308, 1e-320, 2 ** 53 + 1, 1e20, 12345678901234567000, 1e6, 'NaN', 'Infinity', '-1', '', 'abc'];
const OTHER_TYPES: unknown[] = ['text', 3, 2.5, true, false, null, [], {}, [1, 2], { a: 1 }, [[[]]]];
const KINDS = ['linear', 'teacher', 'multi-index', 'two-moons', 'spirals', 'xor', 'gaussian-mixture', 'iris', 'mnist', 'csv', 'bogus'];
const DATA_PATHS = ['ok.csv', 'missing.csv', '/etc/passwd', '../outside.csv', 'folder', 'bad.csv', 'link.csv', ''];
const GARBAGE = ['\u0000', '\uFFFD', '\u00e9', '"', '{', '}', '[', ']', ',', ':', '/*', '//', '\\', '\uFEFF', '\u2028', '\t', '\r', 'π', '💥', '\u0007'];

/** `text` with the value at `path` set, or unchanged where jsonc-parser cannot (an earlier mutation made a parent a number). */
function edited(text: string, path: JSONPath, value: unknown): string {
  try {
    return applyEdits(text, modify(text, path, value, {}));
  } catch {
    return text;
  }
}

interface Mutation {
  what: string;
  apply(text: string, r: Rand): string;
}

/** A change of the value at a random path, written with jsonc-parser (comments kept). */
function atPath(what: string, choose: (r: Rand, path: JSONPath, old: unknown) => unknown): Mutation {
  return {
    what,
    apply(text, r) {
      let value: unknown;
      try {
        value = parse(text, [], { allowTrailingComma: true }) as unknown;
      } catch {
        return text; // nested too deep for the (recursive) parser here; the CLI must still cope, and is run on it
      }
      const all = paths(value);
      if (all.length === 0) return text;
      const path = pick(r, all);
      let old: unknown = value;
      for (const k of path) old = (old as Record<string | number, unknown>)[k];
      const next = choose(r, path, old);
      this.what = `${what} at ${JSON.stringify(path)}${next === undefined ? '' : ` = ${JSON.stringify(next)?.slice(0, 40)}`}`;
      try {
        return applyEdits(text, modify(text, path, next, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
      } catch {
        return text; // jsonc-parser refuses some edits (e.g. into an array of the wrong shape)
      }
    },
  };
}

const MUTATIONS: (() => Mutation)[] = [
  () => atPath('delete', () => undefined),
  () => atPath('change type', (r) => pick(r, OTHER_TYPES)),
  () => atPath('extreme number', (r) => pick(r, EXTREMES)),
  () => atPath('extreme number', (r) => pick(r, EXTREMES)),
  () => ({
    what: 'data kind',
    apply(text, r) {
      const kind = pick(r, KINDS);
      this.what = `data.kind = ${kind}`;
      return edited(text, ['data', 'kind'], kind);
    },
  }),
  () => ({
    what: 'csv data',
    apply(text, r) {
      const path = pick(r, DATA_PATHS);
      const data: Record<string, unknown> = { kind: 'csv', path };
      if (r() < 0.3) data.target = pick(r, ['y', 'b', 0, 2, 7, 'nope']);
      if (r() < 0.3) data.inputDim = int(r, 1, 3);
      if (r() < 0.2) data.task = pick(r, ['classification', 'regression']);
      this.what = `data = ${JSON.stringify(data)}`;
      return edited(text, ['data'], data);
    },
  }),
  () => ({
    what: 'duplicate a line',
    apply(text, r) {
      const lines = text.split('\n');
      const i = int(r, 0, lines.length - 1);
      this.what = `duplicate line ${i + 1}`;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    },
  }),
  () => ({
    what: 'truncate',
    apply(text, r) {
      const at = int(r, 0, text.length - 1);
      this.what = `truncate at ${at}`;
      return text.slice(0, at);
    },
  }),
  () => ({
    what: 'garbage',
    apply(text, r) {
      const at = int(r, 0, text.length);
      const junk = Array.from({ length: int(r, 1, 4) }, () => pick(r, GARBAGE)).join('');
      this.what = `insert ${JSON.stringify(junk)} at ${at}`;
      return text.slice(0, at) + junk + text.slice(at);
    },
  }),
  () => ({
    what: 'nest deeply',
    apply(text, r) {
      const depth = pick(r, [10, 63, 65, 1000, 100_000]);
      const at = text.indexOf('"model"');
      this.what = `"deep": ${depth} nested arrays`;
      return at < 0 ? text : `${text.slice(0, at)}"deep": ${'['.repeat(depth)}${']'.repeat(depth)},\n  ${text.slice(at)}`;
    },
  }),
  () => ({
    what: 'number literal',
    apply(text, r) {
      const numbers = [...text.matchAll(/(?<=[:[,]\s*)-?\d[\d.eE+-]*/g)];
      if (numbers.length === 0) return text;
      const m = pick(r, numbers);
      const lit = pick(r, ['1e400', '-1e400', '1e-400', '00', '1.', '.5', '+1', '0x10', '1_000', '99999999999999999999999']);
      this.what = `number ${m[0]} → ${lit}`;
      return text.slice(0, m.index) + lit + text.slice(m.index + m[0].length);
    },
  }),
  () => ({
    what: 'BOM',
    apply(text) {
      return `\uFEFF${text}`;
    },
  }),
  () => ({
    what: 'unterminated comment',
    apply(text, r) {
      const at = int(r, 0, text.length);
      this.what = `/* at ${at}`;
      return `${text.slice(0, at)}/*${text.slice(at)}`;
    },
  }),
];

interface Mutant {
  index: number;
  base: string;
  what: string[];
  text: string;
}

function mutant(index: number): Mutant {
  const r = uniforms(SEED, `fuzz/case${index}`);
  const base = pick(r, BASES);
  let text = base.text;
  const what: string[] = [];
  for (let k = int(r, 1, 3); k > 0; k--) {
    const m = pick(r, MUTATIONS)();
    text = m.apply(text, r);
    what.push(m.what);
  }
  return { index, base: base.name, what, text };
}

interface Outcome {
  code: number | null;
  signal: string | null;
  /** We sent SIGTERM: the CLI must then stop cleanly with 130. */
  stopped: boolean;
  stderr: string;
}

/** Runs the CLI; after `stopAfterMs` it gets a SIGTERM (a validate that long is itself a failure). */
function cli(args: string[], stopAfterMs: number): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let stopped = false;
    const timer = setTimeout(() => {
      stopped = true;
      child.kill('SIGTERM');
    }, stopAfterMs);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stopped, stderr });
    });
  });
}

/** What is wrong with one CLI outcome, or null. */
function judge(r: Outcome, config: string, mayStop = false): string | null {
  if (r.stopped && !mayStop) return 'still running after the time limit';
  if (r.signal) return `killed by ${r.signal}`;
  if (r.stopped ? r.code !== 130 : r.code !== 0 && r.code !== 2) return `exit ${r.code}${r.stopped ? ' after SIGTERM (expected 130)' : ''}`;
  if (/^\s+at /m.test(r.stderr)) return 'a stack trace';
  if (r.code === 2) {
    const errors = r.stderr.split('\n').filter((l) => l.trim() && !/: warning: /.test(l));
    if (errors.length === 0) return 'exit 2 without a message';
    const unlocated = errors.filter((l) => !(l.startsWith(`${config}:`) || l.includes(config)));
    if (unlocated.length) return `a message without the location: ${unlocated[0]}`;
  }
  return null;
}

/** Runs `jobs` two at a time (the machine is shared). */
async function pool<T, R>(items: T[], work: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return out;
}

function fixtures(): string {
  const dir = tempDir('fuzz');
  writeFileSync(join(dir, 'ok.csv'), 'a,b,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 5},${i % 3}`).join('\n') + '\n');
  writeFileSync(join(dir, 'bad.csv'), 'a,b,y\n1,2,0\n3,"4,1\n5,NaN,0\n');
  mkdirSync(join(dir, 'folder'));
  const outside = tempDir('fuzz-outside');
  writeFileSync(join(outside, 'secret.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n');
  symlinkSync(join(outside, 'secret.csv'), join(dir, 'link.csv'));
  return dir;
}

test('fuzzed configs: validate and run exit 0 or 2 with a located message, never a trace', { timeout: 180_000 }, async () => {
  const dir = fixtures();
  const only = process.env.FUZZ_CASE;
  const indices = only !== undefined ? [Number(only)] : Array.from({ length: CASES }, (_, i) => i);
  const mutants = indices.map(mutant);
  const failures: string[] = [];
  const report = (m: Mutant, cmd: string, why: string, config: string, stderr: string) =>
    failures.push(
      `case ${m.index} (seed ${SEED}, FUZZ_CASE=${m.index}): ${cmd}: ${why}\n  base ${m.base}; mutations: ${m.what.join('; ')}\n  config ${config}:\n${m.text.slice(0, 600)}\n  stderr:\n${stderr.slice(0, 1200)}`,
    );

  const validated = await pool(mutants, async (m) => {
    const config = join(dir, `case-${m.index}.l2exp.json`);
    writeFileSync(config, m.text);
    const r = await cli(['validate', config], 60_000);
    const why = judge(r, config);
    if (why) report(m, 'validate', why, config, r.stderr);
    return r.code === 0 ? m : null;
  });

  // A sample of those that validate, run for real with a small budget (the mutated settings
  // kept, the sweep made short); the shrunk config is validated first like any other.
  const ok = validated.filter((m): m is Mutant => m !== null);
  const sample = only !== undefined ? ok : ok.filter((_, i) => i % Math.max(1, Math.floor(ok.length / RUNS)) === 0).slice(0, RUNS);
  await pool(sample, async (m) => {
    let text = m.text;
    // A 2-D sweep in list form: its first axis is the one with points and seeds to shrink.
    const sweep: JSONPath = Array.isArray((parse(text) as { sweep?: unknown } | undefined)?.sweep) ? ['sweep', 0] : ['sweep'];
    const small: [JSONPath, unknown][] = [
      [[...sweep, 'points'], 2],
      [[...sweep, 'seeds'], [0]],
      [['train', 'maxSteps'], 30],
      [['analysis', 'transitions', 'refine'], false],
      [['workers'], 1],
    ];
    for (const [path, value] of small) text = edited(text, path, value);
    const config = join(dir, `run-${m.index}.l2exp.json`);
    writeFileSync(config, text);
    const v = await cli(['validate', config], 60_000);
    const whyV = judge(v, config);
    if (whyV) return report({ ...m, text }, 'validate (small run)', whyV, config, v.stderr);
    if (v.code !== 0) return;
    const r = await cli(['run', config, '--out', join(dir, `out-${m.index}`)], RUN_SECONDS * 1000);
    const why = judge(r, config, true);
    if (why) report({ ...m, text }, 'run', why, config, r.stderr);
  });

  assert.ok(only !== undefined || ok.length >= 10, `only ${ok.length} mutants validated: the mutations are too destructive to reach the run`);
  assert.ok(only !== undefined || ok.length < mutants.length - 50, 'almost every mutant validated: the mutations do not bite');
  assert.deepEqual(failures, [], `${failures.length} of ${mutants.length} fuzzed configs broke the rule:\n\n${failures.join('\n\n')}`);
});
