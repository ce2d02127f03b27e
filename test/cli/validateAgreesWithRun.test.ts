// `l2exp validate` accepts a config exactly when `l2exp run` does: each case of issue 9 where
// the two disagreed goes through both. A rejected config exits 2 from each, with a message at
// file:line:col, and the run leaves no results folder behind to block the fixed config. And the
// exit codes of the CLI's own failures (one rule: 2 bad input, 1 a failed run, never a trace).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { l2exp, tempDir, writeConfig } from './helpers';

/** A cheap sweep: 2 λ values, short training, no refinement and no Hessian. */
const tiny = {
  model: { hidden: [2] },
  train: { maxSteps: 30 },
  sweep: { from: 0.1, to: 1, points: 2 },
  analysis: { hessian: { enabled: false }, transitions: { refine: false } },
  workers: 1,
};

interface Case {
  name: string;
  data: object;
  /** Other sections, over `tiny`. */
  over?: object;
  /** Files beside the config. */
  files?: Record<string, string>;
  /** undefined: both accept; else the setting the message must be at and a fragment of it. */
  rejects?: { at: string; says: RegExp };
}

const twoClassCsv = (header: string, rows: number) => [header, ...Array.from({ length: rows }, (_, i) => `${i},${(i * 7) % 5},${i % 2}`)].join('\n') + '\n';

const CASES: Case[] = [
  {
    name: 'whitening with fewer training samples than inputs',
    data: { kind: 'linear', n: 8, inputDim: 10 },
    rejects: { at: 'n', says: /whitened.*inputDim \(10\).*6 training.*raise n to at least 12/ },
  },
  { name: 'whitening, data too large to generate while validating', data: { kind: 'linear', n: 3000, inputDim: 3000 }, rejects: { at: 'n', says: /whitened.*inputDim \(3000\).*2400 training/ } },
  { name: 'just enough training samples to whiten', data: { kind: 'linear', n: 12, inputDim: 10, testFraction: 0.1 } },
  { name: 'teacher data are not whitened: n < inputDim is fine', data: { kind: 'teacher', n: 8, inputDim: 10 } },
  { name: 'no whitening: n < inputDim is fine', data: { kind: 'linear', n: 8, inputDim: 10, whiten: false } },
  { name: 'an empty training set', data: { kind: 'linear', n: 2, inputDim: 1, testFraction: 0.9 }, rejects: { at: 'testFraction', says: /0 training and 2 test.*training set is empty/ } },
  {
    name: 'an empty test set although testFraction > 0',
    data: { kind: 'linear', n: 4, inputDim: 1, testFraction: 0.1 },
    rejects: { at: 'testFraction', says: /test set is empty.*testFraction 0 for no test set/ },
  },
  { name: 'mnist beyond the package', data: { kind: 'mnist', n: 20000 }, rejects: { at: 'n', says: /mnist package holds 10000 images/ } },
  { name: 'mnist: a training split of one digit', data: { kind: 'mnist', n: 20, testFraction: 0.9 }, over: { seed: 9 }, rejects: { at: 'n', says: /2 training sample\(s\) all belong to one class/ } },
  { name: 'a 2-D shape with one input', data: { kind: 'two-moons', inputDim: 1, n: 40 }, rejects: { at: 'inputDim', says: /2-D shape: inputDim must be ≥ 2/ } },
  { name: 'a training split of one class', data: { kind: 'two-moons', n: 2, testFraction: 0.5 }, rejects: { at: 'n', says: /1 training sample\(s\) all belong to one class/ } },
  { name: 'data.json beyond what one JSON text holds', data: { kind: 'linear', n: 1_000_000, inputDim: 40 }, rejects: { at: 'n', says: /data\.json about 861 MB.*reduce data\.n or data\.inputDim/ } },
  {
    name: 'points × seeds beyond the results store',
    data: { kind: 'linear', n: 40, inputDim: 2 },
    over: { sweep: { from: 0.1, to: 1, points: 10000, seeds: 10000 } },
    rejects: { at: 'seeds', says: /100,000,000 points.*reduce sweep\.points or sweep\.seeds/ },
  },
  { name: 'noise that overflows', data: { kind: 'linear', n: 20, inputDim: 2, noise: 1e308 }, rejects: { at: 'noise', says: /at most 1000000/ } },
  // CSV: the validator and the loader are one reader now.
  { name: 'csv: a quoted header cell with a comma', data: { kind: 'csv', path: 'q.csv', inputDim: 2 }, files: { 'q.csv': twoClassCsv('a,"b, c",y', 10) } },
  {
    name: 'csv: a non-numeric cell',
    data: { kind: 'csv', path: 'x.csv' },
    files: { 'x.csv': 'a,b,y\n1,2,0\n3,oops,1\n5,6,0\n7,8,1\n' },
    rejects: { at: 'path', says: /x\.csv: line 3, column "b": "oops" is not a number/ },
  },
  {
    name: 'csv: NaN',
    data: { kind: 'csv', path: 'x.csv' },
    files: { 'x.csv': 'a,b,y\n1,2,0\n3,NaN,1\n5,6,0\n7,8,1\n' },
    rejects: { at: 'path', says: /line 3, column "b": "NaN" is not a number \(missing/ },
  },
  {
    name: 'csv: an unterminated quote',
    data: { kind: 'csv', path: 'x.csv' },
    files: { 'x.csv': 'a,b,y\n1,"2,0\n3,4,1\n5,6,0\n' },
    rejects: { at: 'path', says: /line 2, column 2: unterminated quoted cell/ },
  },
  {
    name: 'csv: 0x10 in a data row',
    data: { kind: 'csv', path: 'x.csv' },
    files: { 'x.csv': 'a,b,y\n1,2,0\n0x10,4,1\n5,6,0\n7,8,1\n' },
    rejects: { at: 'path', says: /line 3, column "a": "0x10" is not a decimal number/ },
  },
  { name: 'csv: 0x10 as the first cell makes the first row a header', data: { kind: 'csv', path: 'x.csv', inputDim: 2, n: 4 }, files: { 'x.csv': '0x10,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n' } },
  {
    name: 'csv: a single-class target',
    data: { kind: 'csv', path: 'x.csv', target: 'y' },
    files: { 'x.csv': 'a,b,y\n1,2,1\n3,4,1\n5,6,1\n7,8,1\n' },
    rejects: { at: 'target', says: /target column "y".*single class \("1"\).*at least 2/ },
  },
  { name: 'csv: string labels are classes', data: { kind: 'csv', path: 'x.csv' }, files: { 'x.csv': 'a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,dog\n9,1,cat\n' } },
  {
    name: 'csv: outputDim other than the class count',
    data: { kind: 'csv', path: 'x.csv', outputDim: 3 },
    files: { 'x.csv': twoClassCsv('a,b,y', 10) },
    rejects: { at: 'outputDim', says: /has 2 classes \(0, 1\): set outputDim to 2/ },
  },
  { name: 'csv: a path outside the config folder', data: { kind: 'csv', path: '/etc/passwd' }, rejects: { at: 'path', says: /resolves outside .*--allow-outside-data/ } },
  { name: 'csv: a symlink inside the folder to a file outside it', data: { kind: 'csv', path: 'link.csv' }, rejects: { at: 'path', says: /"link\.csv" resolves outside/ } },
];

/** The 1-based line:col of the first `"key":` in `text`, where the problem must be reported. */
function keyAt(text: string, key: string): { line: number; column: number } {
  const offset = text.indexOf(`"${key}":`);
  assert.ok(offset >= 0, `"${key}" is not in the config`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function setUp(c: Case): { dir: string; config: string; text: string } {
  const dir = tempDir('agree');
  for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text);
  if (c.name.includes('symlink')) {
    const outside = tempDir('outside');
    writeFileSync(join(outside, 'secret.csv'), twoClassCsv('a,b,y', 10));
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'link.csv'));
  }
  const config = writeConfig(dir, { name: 'agree', ...tiny, ...c.over, data: c.data });
  return { dir, config, text: JSON.stringify({ name: 'agree', ...tiny, ...c.over, data: c.data }, null, 2) };
}

for (const c of CASES) {
  test(`validate and run agree: ${c.name}`, () => {
    const { dir, config, text } = setUp(c);
    const validate = l2exp(['validate', config]);
    const run = l2exp(['run', config]);
    for (const [what, r] of [
      ['validate', validate],
      ['run', run],
    ] as const) {
      assert.doesNotMatch(r.stderr, /^\s+at /m, `${what} printed a stack trace:\n${r.stderr}`);
    }
    if (!c.rejects) {
      assert.equal(validate.status, 0, `validate rejected it:\n${validate.stderr}`);
      assert.equal(run.status, 0, `run failed:\n${run.stderr}`);
      return;
    }
    const { line, column } = keyAt(text, c.rejects.at);
    for (const [what, r] of [
      ['validate', validate],
      ['run', run],
    ] as const) {
      assert.equal(r.status, 2, `${what} exit ${r.status}:\n${r.stderr}`);
      const located = r.stderr.split('\n').find((l) => c.rejects!.says.test(l));
      assert.ok(located, `${what} does not say ${c.rejects.says}:\n${r.stderr}`);
      // At the setting's value (or, for an object, its key): on its line, at or after its key.
      const m = /^(.+?):(\d+):(\d+): /.exec(located);
      assert.ok(m && m[1] === config, `${what}: not located in ${config}: ${located}`);
      assert.equal(Number(m[2]), line, `${what}: ${located}`);
      assert.ok(Number(m[3]) >= column, `${what}: column ${m[3]} before "${c.rejects.at}" at ${column}: ${located}`);
    }
    assert.ok(!existsSync(join(dir, '.l2exp')), 'a rejected run left a results folder');
    assert.doesNotMatch(validate.stderr + run.stderr, /root:x:0:0/, 'the file outside was read and echoed');
  });
}

test('--allow-outside-data lets validate read a data file outside the config folder', () => {
  const outside = tempDir('outside');
  writeFileSync(join(outside, 'data.csv'), twoClassCsv('a,b,y', 10));
  const dir = tempDir('allow');
  const config = writeConfig(dir, { name: 'allow', ...tiny, data: { kind: 'csv', path: join(outside, 'data.csv') } });
  assert.equal(l2exp(['validate', config]).status, 2);
  const allowed = l2exp(['validate', config, '--allow-outside-data']);
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.equal(l2exp(['predict', config, '--allow-outside-data']).status, 0);
});

test('--allow-outside-data (or a --data-root holding it) lets run read a data file outside the config folder', () => {
  const outside = tempDir('outside');
  writeFileSync(join(outside, 'data.csv'), twoClassCsv('a,b,y', 10));
  const dir = tempDir('allow');
  const config = writeConfig(dir, { name: 'allow', ...tiny, data: { kind: 'csv', path: join(outside, 'data.csv') } });
  const r = l2exp(['run', config, '--allow-outside-data']);
  assert.equal(r.status, 0, r.stderr);
  const refused = l2exp(['run', config, '--data-root', dir]);
  assert.equal(refused.status, 2, refused.stderr);
  const rooted = l2exp(['run', config, '--data-root', join(outside, '..')]);
  assert.equal(rooted.status, 0, rooted.stderr);
});

// ---- one rule for every CLI failure ----

/** Exit 2 (or `code`), a message naming `path`, no trace. */
function assertRefused(r: ReturnType<typeof l2exp>, path: string, says: RegExp, code = 2): void {
  assert.equal(r.status, code, r.stderr);
  assert.ok(r.stderr.includes(path), `does not name ${path}:\n${r.stderr}`);
  assert.match(r.stderr, says);
  assert.doesNotMatch(r.stderr, /^\s+at /m, r.stderr);
}

test('CONFIG that is a folder, missing, below a file, or unreadable: exit 2 naming the path', () => {
  const dir = tempDir('cfg');
  for (const cmd of ['validate', 'run', 'predict']) {
    assertRefused(l2exp([cmd, dir]), dir, /is a folder; give the path of an experiment file/);
    assertRefused(l2exp([cmd, join(dir, 'nope.l2exp.json')]), join(dir, 'nope.l2exp.json'), /no such file/);
  }
  const file = join(dir, 'plain');
  writeFileSync(file, 'x');
  assertRefused(l2exp(['validate', join(file, 'x.l2exp.json')]), join(file, 'x.l2exp.json'), /a part of this path is a file/);
  const locked = writeConfig(dir, { name: 'locked', data: { kind: 'linear' }, sweep: { from: 0.1, to: 1 } }, 'locked.l2exp.json');
  chmodSync(locked, 0o000);
  const r = l2exp(['validate', locked]);
  chmodSync(locked, 0o644);
  // root reads any file: EACCES only happens for other users.
  if (process.getuid?.() !== 0) assertRefused(r, locked, /permission denied/);
  else assert.equal(r.status, 0, r.stderr);
});

test('a BOM is accepted; an unterminated comment, 200 000 nested arrays: located syntax errors, exit 2', () => {
  const dir = tempDir('syntax');
  const body = JSON.stringify({ name: 'bom', ...tiny, data: { kind: 'linear', n: 40, inputDim: 2 } });
  const bom = join(dir, 'bom.l2exp.json');
  writeFileSync(bom, `\uFEFF${body}`);
  const ok = l2exp(['validate', bom]);
  assert.equal(ok.status, 0, ok.stderr);
  // Positions are the text's own, as an editor shows it (the BOM is not a column).
  writeFileSync(bom, `\uFEFF{ "name": 5, "data": { "kind": "linear" }, "sweep": { "from": 0.1, "to": 1 } }`);
  assert.match(l2exp(['validate', bom]).stderr, /bom\.l2exp\.json:1:11: /);

  const comment = join(dir, 'comment.l2exp.json');
  writeFileSync(comment, `/* the experiment\n${body}\n`);
  const c = l2exp(['validate', comment]);
  assertRefused(c, `${comment}:1:1: syntax error: unterminated comment`, /expected "\*\/"/);
  assert.doesNotMatch(c.stderr, /empty/);

  const deep = join(dir, 'deep.l2exp.json');
  writeFileSync(deep, '['.repeat(200_000) + ']'.repeat(200_000));
  assertRefused(l2exp(['validate', deep]), `${deep}:1:65: syntax error: the file nests`, /more than 64 levels/);
  const inner = join(dir, 'inner.l2exp.json');
  writeFileSync(inner, `{ "name": "deep", "data": { "kind": "linear", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)} } }`);
  assertRefused(l2exp(['run', inner]), `${inner}:1:`, /more than 64 levels/);
});

test('--out an existing file, or below one: exit 2 naming it, before anything runs', () => {
  const dir = tempDir('out');
  const config = writeConfig(dir, { name: 'out', ...tiny, data: { kind: 'linear', n: 40, inputDim: 2 } });
  const file = join(dir, 'results.txt');
  writeFileSync(file, 'mine');
  assertRefused(l2exp(['run', config, '--out', file]), file, /is a file, not a folder/);
  assertRefused(l2exp(['run', config, '--out', join(file, 'sub')]), file, /is a file, not a folder/);
  assertRefused(l2exp(['merge', dir, '--out', file]), file, /is a file, not a folder/);
  assert.deepEqual(readdirSync(dir).sort(), ['exp.l2exp.json', 'results.txt']);
});

test('bad arguments exit 2 with the usage; an unknown command too', () => {
  const dir = tempDir('args');
  const config = writeConfig(dir, { name: 'args', ...tiny, data: { kind: 'linear', n: 40, inputDim: 2 } });
  for (const args of [['run', config, '--workers', '0'], ['run', config, '--shard', 'x'], ['validate'], ['frobnicate'], ['run', config, '--bogus']]) {
    const r = l2exp(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^l2exp: .*\n\nusage:/, r.stderr);
  }
});

test('a results folder the store cannot read: one line naming run.json, no trace', () => {
  const dir = tempDir('fail');
  mkdirSync(join(dir, 'results'));
  // A results folder whose run.json is a folder: not input the CLI checks, so whatever the
  // store makes of it, the CLI must print it by the rule, never a trace.
  mkdirSync(join(dir, 'results', 'run.json'));
  const config = writeConfig(dir, { name: 'fail', ...tiny, data: { kind: 'linear', n: 40, inputDim: 2 } });
  const r = l2exp(['run', config, '--out', join(dir, 'results')]);
  assert.ok(r.status === 1 || r.status === 2, `exit ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /run\.json/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, r.stderr);
});
