// parseExperiment: defaults, JSONC leniency, and a located message for every class of mistake.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExperiment } from '../../src/core/config/parse';
import { formatProblem, type ConfigProblem } from '../../src/core/config/problems';
import { experimentHash } from '../../src/core/config/hash';
import type { Experiment } from '../../src/core/config/types';

const FILE = '/experiments/demo/exp.l2exp.json';
/** No test touches the disk: files the config refers to come from here. */
const noFiles = () => undefined;

/** Lines joined with \n, so a test's line numbers are its array indices + 1. */
const lines = (...ls: string[]) => ls.join('\n');

function parse(text: string, files: Record<string, string> = {}) {
  return parseExperiment(text, FILE, { readFile: (p) => files[p] ?? noFiles() });
}

/** Exactly one problem, at line:column, whose message contains `fragment`. */
function expectOne(text: string, line: number, column: number, fragment: string, files?: Record<string, string>): ConfigProblem {
  const { experiment, problems } = parse(text, files);
  assert.equal(problems.length, 1, `expected one problem, got:\n${problems.map(formatProblem).join('\n')}`);
  const [p] = problems;
  assert.deepEqual([p.line, p.column], [line, column], formatProblem(p));
  assert.ok(p.message.includes(fragment), `"${p.message}" lacks "${fragment}"`);
  if (p.severity === 'error') assert.equal(experiment, undefined);
  return p;
}

/** A valid experiment with `inner` spliced into the top-level object on lines 2+. */
const withBase = (...inner: string[]) => lines('{', '  "name": "t",', ...inner, '}');

const MINIMAL = `{ "name": "demo", "data": { "kind": "linear" }, "sweep": { "from": 1e-4, "to": 1 } }`;

test('a minimal config resolves with every default', () => {
  const { experiment, problems } = parse(MINIMAL);
  assert.deepEqual(problems, []);
  const expected: Experiment = {
    name: 'demo',
    seed: 0,
    data: { kind: 'linear', n: 512, inputDim: 2, outputDim: 1, noise: 0, testFraction: 0.2, whiten: true },
    model: { hidden: [16], activation: 'tanh', bias: true, regularizeBias: false },
    loss: 'mse',
    train: {
      optimizer: 'lbfgs',
      learningRate: 1,
      batchSize: 'full',
      maxSteps: 2000,
      tolerance: 1e-6,
      init: 'xavier',
      initScale: 1,
      memory: 10,
      escape: { enabled: true, maxEscapes: 3, lanczosSteps: 40 },
    },
    sweep: { parameter: 'lambda', from: 1e-4, to: 1, points: 24, scale: 'log', direction: 'up', warmStart: true, fresh: false, perturbation: 0.001, seeds: [0] },
    analysis: {
      geometricComplexity: true,
      activeThreshold: 0.01,
      hessian: {
        enabled: true,
        exactLimit: 2000,
        topK: 20,
        lanczosSteps: 80,
        slqProbes: 8,
        slqGridPoints: 256,
        hutchinsonProbes: 32,
        tolerance: 1e-6,
      },
      transitions: { refine: true, bracketWidth: 0.02, refineBudget: 96 },
    },
    backend: 'auto',
    workers: 'auto',
  };
  assert.deepEqual(experiment, expected);
});

test('defaults follow the data kind and the optimizer', () => {
  const resolve = (data: string, extra = '') => parse(`{ "name": "t", "data": ${data}, ${extra} "sweep": { "from": 0.01, "to": 1 } }`).experiment!;
  const moons = resolve('{ "kind": "two-moons" }');
  assert.deepEqual([moons.data.outputDim, moons.data.noise, moons.loss], [2, 0.1, 'cross-entropy']);
  assert.equal(moons.data.whiten, undefined, 'linear-only fields stay unset for other kinds');
  const iris = resolve('{ "kind": "iris" }');
  assert.deepEqual([iris.data.n, iris.data.inputDim, iris.data.outputDim], [150, 4, 3]);
  const mnist = resolve('{ "kind": "mnist" }');
  assert.deepEqual([mnist.data.downsample, mnist.data.inputDim, mnist.data.outputDim], [4, 49, 10]);
  assert.equal(resolve('{ "kind": "mnist", "downsample": 2 }').data.inputDim, 196);
  assert.equal(resolve('{ "kind": "spirals" }').data.outputDim, 3);
  assert.equal(resolve('{ "kind": "teacher" }', '"train": { "optimizer": "adam" },').train.learningRate, 1e-3);
  const seeds = parse(`{ "name": "t", "data": { "kind": "xor" }, "sweep": { "from": 0.01, "to": 1, "seeds": 3 } }`);
  assert.deepEqual(seeds.experiment?.sweep.seeds, [0, 1, 2]);
});

test('comments and trailing commas are accepted', () => {
  const text = lines(
    '// a sweep over weight decay',
    '{',
    '  "name": "demo", /* inline */',
    '  "data": { "kind": "linear", },',
    '  "sweep": {',
    '    "from": 1e-4, // smallest λ',
    '    "to": 1,',
    '  },',
    '}',
  );
  const { experiment, problems } = parse(text);
  assert.deepEqual(problems, []);
  assert.equal(experiment?.sweep.to, 1);
});

test('a csv data set takes its shape from the file, resolved beside the config', () => {
  const csv = 'x1,x2,x3,label\n0.1,0.2,0.3,0\n0.4,0.5,0.6,1\n0.7,0.8,0.9,2\n';
  const text = `{ "name": "t", "data": { "kind": "csv", "path": "data/points.csv" }, "sweep": { "from": 0.01, "to": 1 } }`;
  const { experiment, problems } = parse(text, { '/experiments/demo/data/points.csv': csv });
  assert.deepEqual(problems, []);
  assert.deepEqual(experiment?.data, {
    kind: 'csv',
    path: 'data/points.csv',
    n: 3,
    inputDim: 3,
    outputDim: 3,
    noise: 0.1,
    testFraction: 0.2,
    target: 3,
    task: 'classification',
  });
  assert.equal(experiment?.loss, 'cross-entropy');
});

test('wrong type: expected number, got string', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "train": { "learningRate": "abc" },', '  "sweep": { "from": 0.01, "to": 1 }');
  const p = expectOne(text, 4, 30, 'train.learningRate: expected number, got string "abc"');
  // The range covers the value exactly; the end column is exclusive, as in editors.
  assert.deepEqual([p.endLine, p.endColumn, p.length], [4, 35, 5]);
});

test('unknown key points at the key and suggests the near miss', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "model": { "hiden": [8] },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(text, 4, 14, 'unknown key "hiden" in model (did you mean "hidden"?)');
  // Case-only differences count as a near miss too.
  const cased = withBase('  "data": { "kind": "linear", "inputdim": 3 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(cased, 3, 31, '(did you mean "inputDim"?)');
});

test('a key in the wrong section says where it belongs', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "model": { "maxSteps": 10 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(text, 4, 14, 'unknown key "maxSteps" in model: it belongs in train');
});

test('enum near miss lists the allowed values and suggests one', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "model": { "activation": "tahn" },', '  "sweep": { "from": 0.01, "to": 1 }');
  const p = expectOne(text, 4, 28, '"tahn" is not allowed (did you mean "tanh"?)');
  assert.ok(p.message.includes('"relu"'));
});

test('"full"-or-integer settings give one message, not one per alternative', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "train": { "batchSize": "ful" },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(text, 4, 27, 'expected "full" or an integer batch size ≥ 1, got string "ful" (did you mean "full"?)');
  const seeds = withBase('  "data": { "kind": "linear" },', '  "sweep": { "from": 0.01, "to": 1, "seeds": "all" }');
  expectOne(seeds, 4, 46, 'sweep.seeds: expected an array of distinct integer seeds');
});

test('out of range says the bound and the value', () => {
  const text = withBase('  "data": { "kind": "linear", "testFraction": 1.5 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(text, 3, 47, 'data.testFraction must be at most 0.9, got 1.5');
  const lr = withBase('  "data": { "kind": "linear" },', '  "train": { "learningRate": 0 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(lr, 4, 30, 'train.learningRate must be greater than 0, got 0');
});

test('missing required key points at its section', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "sweep": { "from": 0.01 }');
  expectOne(text, 4, 3, 'missing required key "to" in sweep');
});

test('sweep.from > sweep.to says how to fix it', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "sweep": {', '    "from": 1,', '    "to": 0.01', '  }');
  expectOne(text, 5, 13, 'sweep.from (1) is larger than sweep.to (0.01): swap them, or set direction "down"');
  const equal = withBase('  "data": { "kind": "linear" },', '  "sweep": { "from": 0.1, "to": 0.1 }');
  expectOne(equal, 4, 33, 'widen the range, or set "points": 1');
  const log = withBase('  "data": { "kind": "linear" },', '  "sweep": { "from": 0, "to": 1 }');
  expectOne(log, 4, 22, 'a log-scale sweep needs from > 0');
});

test('csv: missing path, missing file (with the resolved path), unknown target column', () => {
  const noPath = withBase('  "data": { "kind": "csv" },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(noPath, 3, 21, 'data kind "csv" needs data.path');
  const missing = withBase('  "data": { "kind": "csv", "path": "shared/points.csv" },', '  "sweep": { "from": 0.01, "to": 1 }');
  const p = expectOne(missing, 3, 36, 'CSV file not found: /experiments/demo/shared/points.csv');
  assert.ok(p.message.includes('fix data.path'));
  const files = { '/experiments/demo/p.csv': 'a,b,price\n1,2,3.5\n4,5,6.5\n' };
  const target = withBase('  "data": { "kind": "csv", "path": "p.csv", "target": "prise" },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(target, 3, 55, 'no column "prise" (did you mean "price"?)', files);
});

test('syntax error names what was expected', () => {
  const text = lines('{', '  "name": "t"', '  "data": { "kind": "linear" },', '  "sweep": { "from": 0.01, "to": 1 }', '}');
  expectOne(text, 3, 3, 'syntax error: expected a comma');
  expectOne('  // nothing here\n', 1, 1, 'the file is empty');
});

test('a number too large for a double (1e400) is caught once', () => {
  const text = withBase('  "data": { "kind": "linear", "n": 1e400 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(text, 3, 36, 'number 1e400 is too large');
});

test('cross-entropy on a regression kind', () => {
  const text = withBase('  "data": { "kind": "teacher" },', '  "loss": "cross-entropy",', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(text, 4, 11, 'loss "cross-entropy" needs class labels, but data kind "teacher" is a regression task: use "mse"');
});

test('data-set facts: class counts, mnist input size, sample counts', () => {
  const moons = withBase('  "data": { "kind": "two-moons", "outputDim": 3 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(moons, 3, 47, 'two-moons has 2 classes');
  const mnist = withBase('  "data": { "kind": "mnist", "downsample": 2, "inputDim": 49 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(mnist, 3, 59, 'mnist at downsample 2 has (28/2)² = 196 inputs');
  const iris = withBase('  "data": { "kind": "iris", "n": 200 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(iris, 3, 34, 'iris has only 150 samples');
});

test('duplicate seeds point at the repeat', () => {
  const text = withBase('  "data": { "kind": "linear" },', '  "sweep": { "from": 0.01, "to": 1, "seeds": [0, 1, 0] }');
  expectOne(text, 4, 53, 'sweep.seeds: 0 appears twice (items 0 and 2)');
});

test('memory: the run and the exact Hessian must fit', () => {
  const big = withBase('  "data": { "kind": "teacher", "n": 1000000 },', '  "model": { "hidden": [4096] },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(big, 3, 37, 'would need about 30.5 GiB');
  const hessian = withBase('  "data": { "kind": "linear" },', '  "analysis": { "hessian": { "exactLimit": 30000 } },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(hessian, 4, 44, 'use at most 23170');
});

test('output: a 2-D sweep counts every row of chains, and a VAE its reconstructions', () => {
  // 10000 λ × 100 δ rows × 2 seeds: two million records, which the 1-D count (24 points) would miss.
  const grid = withBase(
    '  "data": { "kind": "multi-index", "n": 2000, "inputDim": 10, "indexDim": 1 },',
    '  "model": { "hidden": [4] },',
    '  "sweep": [',
    '    { "parameter": "lambda", "from": 1e-3, "to": 3, "points": 10000, "seeds": [0, 1] },',
    '    { "parameter": "samples", "ratio": true, "from": 2, "to": 160, "points": 100, "scale": "linear" }',
    '  ]',
  );
  const p = expectOne(grid, 6, 63, '2,000,096 points (200 chains, 100 δ rows × 10000 λ values + 96 refinement points)');
  assert.match(p.message, /reduce sweep\.0\.points, sweep\.1\.points or sweep\.0\.seeds/);
  // 20,000 β points of a 784-pixel, 160-unit VAE: 1.5 GiB of parameters per thousand points, and four times that in pictures.
  const vae = withBase(
    '  "data": { "kind": "mnist", "n": 2000, "downsample": 1 },',
    '  "model": { "kind": "vae", "hidden": [], "activation": "linear", "latentDim": 160 },',
    '  "sweep": { "parameter": "beta", "from": 0.1, "to": 3, "points": 10000, "direction": "both" },',
    '  "analysis": { "hessian": { "enabled": false }, "transitions": { "refine": false } }',
  );
  const q = expectOne(vae, 5, 67, '20,000 points (2 chains × 10000 β values)');
  assert.match(q.message, /about 6 MB of reconstructions per point in reconstructions\//);
  // The same sweep of 16 units stores far less: its parameters alone are under the limit.
  assert.equal(parse(vae.replace('"latentDim": 160', '"latentDim": 16')).problems.filter((x) => x.severity === 'error').length, 0);
});

test('warnings do not block resolution', () => {
  const text = withBase('  "data": { "kind": "iris", "whiten": false },', '  "workers": 100,', '  "sweep": { "from": 0.01, "to": 1 }');
  const { experiment, problems } = parse(text);
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.severity]),
    [
      [3, 29, 'warning'],
      [4, 14, 'warning'],
    ],
  );
  assert.ok(problems[0].message.includes('only applies to kind "linear"'));
  assert.ok(problems[1].message.includes('more than 64'));
  assert.equal(experiment?.workers, 100);
  assert.equal(experiment?.data.whiten, undefined, 'a field of another kind is dropped');
});

test('duplicate keys are reported at the second one', () => {
  const text = lines('{', '  "name": "a",', '  "name": "b",', '  "data": { "kind": "linear" },', '  "sweep": { "from": 0.01, "to": 1 }', '}');
  expectOne(text, 3, 3, 'duplicate key "name" (first on line 2)');
});

test('several problems are all reported in one pass, sorted by position', () => {
  const text = lines(
    '{',
    '  "name": "bad name",',
    '  "data": { "kind": "linear", "noise": -1 },',
    '  "model": { "hiden": [8], "activation": "RELU" },',
    '  "loss": "cross-entropy",',
    '  "train": { "maxSteps": 2.5 },',
    '  "sweep": { "from": 1, "to": 1e-3, "seeds": [2, 2] },',
    '}',
  );
  const { experiment, problems } = parse(text);
  assert.equal(experiment, undefined);
  const got = problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  const expected: Array<[string, string]> = [
    ['2:11', 'name: "bad name" is not allowed'],
    ['3:40', 'data.noise must be at least 0, got -1'],
    ['4:14', 'unknown key "hiden"'],
    ['4:42', '(did you mean "relu"?)'],
    ['5:11', 'loss "cross-entropy" needs class labels'],
    ['6:26', 'train.maxSteps: expected integer, got number 2.5'],
    ['7:22', 'sweep.from (1) is larger than sweep.to (1e-3)'],
    ['7:50', '2 appears twice'],
  ];
  assert.equal(got.length, expected.length, got.join('\n'));
  expected.forEach(([at, fragment], i) => {
    assert.ok(got[i].startsWith(`${at} `) && got[i].includes(fragment), `#${i}: "${got[i]}" ≠ ${at} …${fragment}`);
  });
});

test('formatProblem gives file:line:col: message', () => {
  const [p] = parse(withBase('  "data": { "kind": "linear" },', '  "sweep": { "from": 0.01 }')).problems;
  assert.equal(formatProblem(p), `${FILE}:4:3: missing required key "to" in sweep`);
});

test('experimentHash: stable across key order and explicit defaults, sensitive to settings', () => {
  const base = parse(MINIMAL).experiment!;
  const reordered = parse(`{ "sweep": { "to": 1, "from": 1e-4, "points": 24 }, "data": { "whiten": true, "kind": "linear" }, "name": "demo", "workers": 4 }`).experiment!;
  assert.match(experimentHash(base), /^[0-9a-f]{12}$/);
  assert.equal(experimentHash(reordered), experimentHash(base), 'key order, written-out defaults and workers do not matter');
  const changed = parse(MINIMAL.replace('"to": 1', '"to": 2')).experiment!;
  assert.notEqual(experimentHash(changed), experimentHash(base));
});

test('data.path must resolve inside the data root before anything is read (editor and CLI alike)', () => {
  const read: string[] = [];
  const files: Record<string, string> = { '/experiments/shared/points.csv': 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n' };
  const readFile = (p: string) => (read.push(p), files[p]);
  const text = withBase('  "data": { "kind": "csv", "path": "../shared/points.csv" },', '  "sweep": { "from": 0.01, "to": 1 }');
  const outside = parseExperiment(text, FILE, { readFile });
  assert.equal(outside.problems.length, 1, outside.problems.map(formatProblem).join('\n'));
  assert.deepEqual([outside.problems[0].line, outside.problems[0].column], [3, 36]);
  assert.match(outside.problems[0].message, /resolves outside \/experiments\/demo.*--allow-outside-data/);
  assert.deepEqual(read, [], 'a file outside the root was read');
  // The workspace as the root (the editor), or no root at all (--allow-outside-data).
  for (const dataRoot of ['/experiments', null]) {
    const { experiment, problems } = parseExperiment(text, FILE, { readFile, dataRoot });
    assert.deepEqual(problems, [], String(dataRoot));
    assert.equal(experiment?.data.n, 5);
  }
  for (const path of ['/etc/passwd', '../../etc/passwd']) {
    const r = parseExperiment(withBase(`  "data": { "kind": "csv", "path": "${path}" },`, '  "sweep": { "from": 0.01, "to": 1 }'), FILE, { readFile });
    assert.match(r.problems[0].message, /resolves outside/);
  }
  // Read (by the validator and the run's own loader) only where allowed.
  assert.ok(read.length > 0 && read.every((p) => p === '/experiments/shared/points.csv'), read.join(', '));
});

test('a BOM is ignored (positions as the editor shows them); an unterminated comment is no empty file; deep nesting is located', () => {
  const bom = parse(`\uFEFF${MINIMAL}`);
  assert.deepEqual(bom.problems, []);
  expectOne(`\uFEFF{ "name": 5, "data": { "kind": "linear" }, "sweep": { "from": 1e-4, "to": 1 } }`, 1, 11, 'name');
  const comment = parse(`/* a comment that never ends\n${MINIMAL}`).problems;
  assert.ok(
    comment.some((p) => p.line === 1 && p.column === 1 && p.message.includes('unterminated comment')),
    comment.map(formatProblem).join('\n'),
  );
  assert.ok(!comment.some((p) => p.message.includes('empty')));
  expectOne(`{ "name": "t", "x": ${'['.repeat(200_000)}${']'.repeat(200_000)} }`, 1, 84, 'more than 64 levels');
  assert.equal(
    parse(`{ "name": "t", "data": { "kind": "linear" }, "sweep": { "from": 1e-4, "to": 1 }, "x": ${'['.repeat(60)}${']'.repeat(60)} }`).problems.length,
    1,
    'a deep but legal nesting is only an unknown key',
  );
});

test('what only the data show is found while validating, at its setting', () => {
  const csv = { '/experiments/demo/one.csv': 'a,b,y\n1,2,1\n3,4,1\n5,6,1\n' };
  const one = withBase('  "data": { "kind": "csv", "path": "one.csv", "target": "y" },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(one, 3, 57, 'single class ("1")', csv);
  const moons = withBase('  "data": { "kind": "two-moons", "n": 2, "testFraction": 0.5 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(moons, 3, 39, 'all belong to one class');
  const whiten = withBase('  "data": { "kind": "linear", "n": 8, "inputDim": 10 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(whiten, 3, 36, 'raise n to at least 12');
  const budget = withBase('  "data": { "kind": "linear", "n": 1000000, "inputDim": 40 },', '  "sweep": { "from": 0.01, "to": 1 }');
  expectOne(budget, 3, 36, 'data.json about 861 MB');
});
