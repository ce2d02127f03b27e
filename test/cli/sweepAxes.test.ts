// Every sweep axis end to end through the CLI (l2exp run on tiny sweeps), the properties each
// axis promises (nested subsets and noise, width warm starts that keep the function), and the
// located errors validation gives for each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/core/results/summary';
import { parseExperiment } from '../../src/core/config/parse';
import { loadDataset } from '../../src/core/data/generate';
import { makeLayout, sameLayout } from '../../src/core/model/layout';
import { initialParameters } from '../../src/core/model/init';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { Mlp } from '../../src/core/model/mlp';
import { resizeParameters } from '../../src/core/model/resize';
import { Rng } from '../../src/core/random';
import { axisGrid } from '../../src/core/sweep/axis';
import { pointSetting } from '../../src/core/sweep/pointSetting';
import { l2exp, points, tempDir, writeConfig } from './helpers';

const BASE = {
  name: 'axis',
  data: { kind: 'multi-index', n: 200, inputDim: 10, indexDim: 1, noise: 0.05 },
  model: { hidden: [4], activation: 'tanh' },
  train: { maxSteps: 200, lambda: 1e-3 },
  analysis: { hessian: { enabled: true }, transitions: { refine: false } },
};

const AXES = [
  { parameter: 'samples', ratio: true, from: 2, to: 10, points: 5, scale: 'linear' },
  { parameter: 'samples', from: 20, to: 120, points: 4, scale: 'log' },
  { parameter: 'width', from: 1, to: 8, points: 4, scale: 'log' },
  { parameter: 'noise', from: 0, to: 1, points: 4, scale: 'linear' },
  { parameter: 'initScale', from: 0.1, to: 3, points: 3, scale: 'log' },
];

for (const axis of AXES) {
  test(`a ${axis.parameter}${axis.ratio ? ' (ratio)' : ''} sweep runs end to end: one point per grid value, the value recorded, λ the fixed train.lambda`, () => {
    const dir = tempDir(`axis-${axis.parameter}`);
    const config = writeConfig(dir, { ...BASE, sweep: { ...axis, seeds: [0] } });
    const out = join(dir, 'out');
    const r = l2exp(['run', config, '--out', out, '--workers', '1']);
    assert.equal(r.status, 0, r.stderr);
    const e = parseExperiment(JSON.stringify({ ...BASE, sweep: axis }), config).experiment!;
    const recorded = points(out).map((p) => p.value as number);
    assert.deepEqual(
      recorded.sort((a, b) => a - b),
      axisGrid(e.sweep),
    );
    assert.ok(points(out).every((p) => p.lambda === 1e-3 && p.hessian !== null && !p.diverged));
    const symbol = { samples: axis.ratio ? 'δ' : 'n', width: 'w', noise: 'σ', initScale: 'α' }[axis.parameter];
    assert.match(r.stdout, new RegExp(`^${symbol}\\s+dir`, 'm'), 'the points table names the swept parameter');
  });
}

test('samples subsets are nested and the noise is nested: a larger n holds the smaller one, a noisy label stays noisy', () => {
  const text = JSON.stringify({ ...BASE, data: { kind: 'gaussian-mixture', n: 300, inputDim: 3 }, sweep: { parameter: 'noise', from: 0, to: 1, points: 5, scale: 'linear' } });
  const e = parseExperiment(text, '/tmp/x.l2exp.json').experiment!;
  const ds = loadDataset(e.data, e.seed, '/tmp');
  const noisy = (v: number) => {
    const y = pointSetting(e, ds, { value: v }).train.y;
    return Array.from({ length: ds.train.n }, (_, i) => y.slice(i * 3, i * 3 + 3).join() !== ds.train.y.slice(i * 3, i * 3 + 3).join());
  };
  const [low, high] = [noisy(0.3), noisy(0.8)];
  assert.ok(
    low.every((flipped, i) => !flipped || high[i]),
    'every label changed at 0.3 is changed at 0.8',
  );
  assert.ok(high.filter(Boolean).length > low.filter(Boolean).length);
  assert.equal(noisy(0).filter(Boolean).length, 0);

  const s = parseExperiment(JSON.stringify({ ...BASE, sweep: { parameter: 'samples', from: 10, to: 100, points: 3 } }), '/tmp/x.l2exp.json').experiment!;
  const sd = loadDataset(s.data, s.seed, '/tmp');
  const [small, large] = [pointSetting(s, sd, { value: 10 }).train, pointSetting(s, sd, { value: 100 }).train];
  assert.equal(small.n, 10);
  assert.equal(large.n, 100);
  assert.deepEqual(Array.from(large.x.subarray(0, small.x.length)), Array.from(small.x), 'the 10 samples are the first 10 of the 100');
});

test('a width warm start that pads units keeps the function; trimming keeps the strongest units', () => {
  const from = makeLayout(5, 2, { hidden: [3, 4], bias: true, regularizeBias: false });
  const to = makeLayout(5, 2, { hidden: [6, 7], bias: true, regularizeBias: false });
  const theta = initialParameters(from, 'xavier', 1, new Rng(1, 't'));
  for (const l of from.layers) for (let j = 0; j < l.fanOut; j++) theta[l.bOffset + j] = 0.1 * (j + 1);
  const padded = resizeParameters(from, theta, to, initialParameters(to, 'xavier', 1, new Rng(2, 't')));
  const x = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i));
  const f = (layout: typeof from, th: Float64Array) => Array.from(new Mlp(layout, 'tanh', 'mse', jsKernels, 'float64').forward(th, x, 8));
  f(from, theta).forEach((v, i) => assert.ok(Math.abs(v - f(to, padded)[i]) < 1e-12, `output ${i}`));
  // Unit 1 of the first layer made dominant: a trim to 1 unit keeps it.
  const strong = Float64Array.from(theta);
  for (let r = 0; r < 5; r++) strong[from.layers[0].wOffset + r * 3 + 1] *= 10;
  const one = makeLayout(5, 2, { hidden: [1, 4], bias: true, regularizeBias: false });
  const trimmed = resizeParameters(from, strong, one, initialParameters(one, 'xavier', 1, new Rng(3, 't')));
  assert.equal(trimmed[one.layers[0].wOffset], strong[from.layers[0].wOffset + 1]);
  // Equal sizes do not make θ carry over as it is: 3 → [1, 5] → 2 and 3 → [2, 3] → 2 both have 18 weights.
  const [a, b] = [makeLayout(3, 2, { hidden: [1, 5], bias: false, regularizeBias: false }), makeLayout(3, 2, { hidden: [2, 3], bias: false, regularizeBias: false })];
  assert.equal(a.size, b.size);
  assert.ok(!sameLayout(a, b) && sameLayout(a, makeLayout(3, 2, { hidden: [1, 5], bias: false, regularizeBias: false })));
});

const problemsOf = (sweep: object, extra: object = {}) => parseExperiment(JSON.stringify({ ...BASE, ...extra, sweep }), '/tmp/x.l2exp.json').problems.map((p) => p.message);

test('each axis has its located errors, with the numbers and the fix', () => {
  assert.ok(problemsOf({ parameter: 'width', from: 1, to: 8 }, { model: { hidden: [] } }).some((m) => /width sweep needs a hidden layer, but model.hidden is \[\]/.test(m)));
  assert.ok(problemsOf({ parameter: 'width', from: 1, to: 8, layer: 3 }).some((m) => /layer is 3, but model.hidden has 1 hidden layer/.test(m)));
  assert.ok(problemsOf({ parameter: 'width', from: 1, to: 3, points: 10 }).some((m) => /round to the same width/.test(m)));
  assert.ok(problemsOf({ parameter: 'samples', ratio: true, from: 1, to: 30 }).some((m) => /asks for 300 training samples \(δ 30 × d 10\), but data.n 200 leaves 160 for training/.test(m)));
  assert.ok(problemsOf({ parameter: 'samples', ratio: true, from: 1, to: 3 }, { data: { kind: 'two-moons' } }).some((m) => /no fixed d/.test(m)));
  assert.ok(problemsOf({ parameter: 'noise', from: 0, to: 2, scale: 'linear' }, { data: { kind: 'xor' } }).some((m) => /fraction of labels replaced/.test(m)));
  assert.ok(
    problemsOf([
      { parameter: 'lambda', from: 0.01, to: 1 },
      { parameter: 'lambda', from: 1, to: 2 },
    ]).some((m) => /both axes of the 2-D sweep/.test(m)),
  );
  assert.deepEqual(problemsOf({ parameter: 'samples', ratio: true, from: 1, to: 10, points: 6 }), []);
});

test('a λ × δ sweep (list form) runs one row of chains per δ, and each record has both coordinates', () => {
  const dir = tempDir('axis-2d');
  const sweep = [
    { parameter: 'lambda', from: 1e-3, to: 1, points: 4, seeds: [0] },
    { parameter: 'samples', ratio: true, from: 4, to: 12, points: 3, scale: 'linear' },
  ];
  const config = writeConfig(dir, { ...BASE, sweep });
  const out = join(dir, 'out');
  const r = l2exp(['run', config, '--out', out, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  const ps = points(out);
  assert.equal(ps.length, 12);
  assert.deepEqual(
    [...new Set(ps.map((p) => p.across as number))].sort((a, b) => a - b),
    [4, 8, 12],
  );
  assert.ok(ps.every((p) => p.lambda === p.value));
});

test("a 2-D sweep's transitions name their row by its parameter, in the summary and the CLI's words", () => {
  const out = join(tempDir('axis-rows'), 'out');
  const r = l2exp(['run', join(__dirname, '../../examples/lambda-delta.l2exp.json'), '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  assert.ok(summary.transitions.length > 0, 'the rows fall into the trivial regime');
  for (const t of summary.transitions) assert.deepEqual([t.acrossAxis, [2, 7, 12].includes(t.across!)], ['delta', true]);
  assert.match(r.stderr, /λc ≈ \S+ \([^)]*\) at δ = (2|7|12)/);
  assert.doesNotMatch(r.stderr, /at row/);
});

test('l2exp predict says per axis what the λ theory implies, or why it cannot predict', () => {
  const dir = tempDir('axis-predict');
  const linear = { kind: 'linear', n: 300, inputDim: 4, outputDim: 3, singularValues: [2, 1, 0.5] };
  const model = { hidden: [4], activation: 'linear', bias: false };
  const width = writeConfig(dir, { name: 'w', data: linear, model, train: { lambda: 0.8 }, sweep: { parameter: 'width', from: 1, to: 4, points: 4, scale: 'linear' } }, 'w.l2exp.json');
  const w = l2exp(['predict', width]);
  assert.equal(w.status, 0, w.stderr);
  // σ = 2, 1, 0.5 on white inputs: λc = σ for one hidden layer, so two modes are on at λ = 0.8.
  assert.match(w.stdout, /λ = 0\.8 \(train\.lambda\) the λ theory gives 2 mode\(s\) with λc above it/);
  const samples = writeConfig(dir, { name: 's', data: linear, model, sweep: { parameter: 'samples', from: 20, to: 200, points: 3 } }, 's.l2exp.json');
  const s = l2exp(['predict', samples]);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /No prediction for a samples sweep/);
  // Not "no transition": there is no theory of nc to say so.
  assert.match(s.stdout, /^predicted: no prediction of nc$/m);
  assert.match(w.stdout, /^predicted: no prediction of wc$/m);
});

test('l2exp predict on the bundled λ × δ example: one λc per δ row, each of its own training rows, named "at δ ="', () => {
  const r = l2exp(['predict', join(__dirname, '../../examples/lambda-delta.l2exp.json')]);
  assert.equal(r.status, 0, r.stderr);
  const rows = [...r.stdout.matchAll(/^predicted: λc ≈ ([0-9.]+) \(second-order, [a-z-]+\) at δ = (\d+) from /gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(
    rows.map(([, delta]) => delta),
    [2, 7, 12],
    r.stdout,
  );
  // Each row's moments are over its own n = round(δ·d) rows, so the rows' λc differ.
  assert.equal(new Set(rows.map(([lambda]) => lambda)).size, 3, r.stdout);
  assert.match(r.stdout, /^note: Per δ row: .*n = 20, 70, 120/m);
});

test('the bundled δ example finds the feature-learning transition and a spectral one within one grid step of it', () => {
  const dir = tempDir('axis-delta-example');
  const out = join(dir, 'out');
  const r = l2exp(['run', join(__dirname, '../../examples/feature-learning.l2exp.json'), '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  const learning = summary.transitions.filter((t) => t.kind === 'feature-learning');
  assert.equal(learning.length, 1, JSON.stringify(summary.transitions));
  const grid = [...new Set(points(out).map((p) => p.value as number))].sort((a, b) => a - b);
  const step = (v: number) => grid.findIndex((g) => g >= v);
  const near = summary.transitions.filter((t) => t.kind === 'spectral' && Math.abs(step(t.bracket[0]) - step(learning[0].bracket[0])) <= 1);
  assert.ok(near.length >= 1, `no spectral transition within a grid step of δc ≈ ${learning[0].value}: ${JSON.stringify(summary.transitions.map((t) => [t.kind, t.bracket]))}`);
  assert.equal(learning[0].axis, 'delta');
});

test('validate names the grid it will walk: each axis, its symbol and range', () => {
  const example = join(__dirname, '../../examples/lambda-delta.l2exp.json');
  const r = l2exp(['validate', example]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /: ok \(lambda-delta: multi-index data, hidden \[4\], 10 λ values from 0\.001 to 3 × 3 δ values from 2 to 12\)/);
  const dir = tempDir('validate-width');
  const width = writeConfig(dir, { name: 'w', data: { kind: 'linear', n: 50 }, model: { hidden: [2] }, sweep: { parameter: 'width', from: 1, to: 8, points: 4 } });
  assert.match(l2exp(['validate', width]).stdout, /4 w values from 1 to 8\)/);
});
