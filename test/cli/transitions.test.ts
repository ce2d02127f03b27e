import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/core/results/summary';
import { l2exp, tempDir, writeConfig } from './helpers';

function sweep(label: string, config: object): RunSummary {
  const dir = tempDir(label);
  const out = join(dir, 'out');
  const r = l2exp(['run', writeConfig(dir, config), '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
}

const linear = (singularValues: number[], extra: object = {}) => ({
  kind: 'linear',
  n: 400,
  inputDim: 4,
  outputDim: singularValues.length,
  singularValues,
  noise: 0,
  testFraction: 0.25,
  ...extra,
});

test('one hidden layer on linear data: one second-order transition at λc = σ₁, no hysteresis, bracket refined to 2%, curvature change point inside it', () => {
  const s = sweep('t1', {
    name: 't1',
    data: linear([1]),
    model: { hidden: [4], activation: 'linear', bias: false },
    sweep: { from: 0.2, to: 3, points: 16, direction: 'both', seeds: [0] },
  });
  assert.equal(s.transitions.length, 1, JSON.stringify(s.transitions));
  const [t] = s.transitions;
  // Whitened inputs and noise 0: ‖E[x yᵀ]‖₂ = 1 exactly.
  assert.ok(Math.abs(t.value - 1) < 0.05, `λc = ${t.value}`);
  const [p] = s.predictions;
  assert.ok(Math.abs(t.value - p.lambda) / p.lambda < 0.05, `measured ${t.value} vs predicted ${p.lambda}`);
  assert.equal(p.order, 'second');
  assert.equal(t.order, 'second');
  assert.equal(t.hysteresis, undefined);
  assert.ok(t.bracket[1] / t.bracket[0] - 1 <= 0.02 + 1e-12, `bracket ${t.bracket}`);
  assert.ok(t.bracket[0] <= 1 && 1 <= t.bracket[1], `the bracket holds the exact λc: ${t.bracket}`);
  const cp = t.curvatureChangePoint!;
  assert.ok(cp.value >= t.bracket[0] && cp.value <= t.bracket[1], `curvature change point ${cp.value} in ${t.bracket}`);
});

test('two hidden layers: one first-order transition at the deep-linear λc, with a hysteresis loop', () => {
  const s = sweep('t2', {
    name: 't2',
    data: linear([1]),
    model: { hidden: [4, 4], activation: 'linear', bias: false },
    sweep: { from: 0.1, to: 1, points: 16, direction: 'both', seeds: [0] },
  });
  assert.equal(s.transitions.length, 1, JSON.stringify(s.transitions));
  const [t] = s.transitions;
  // λc(2) = (c/D)·((D−1)c/(Ds))^((D−1)/(D+1)) = ½·(½)^(1/3) for c = s = 1.
  const theory = 0.5 * Math.pow(0.5, 1 / 3);
  assert.ok(Math.abs(t.value - theory) / theory < 0.05, `λc = ${t.value} vs ${theory}`);
  const [p] = s.predictions;
  assert.ok(Math.abs(t.value - p.lambda) / p.lambda < 0.05, `measured ${t.value} vs predicted ${p.lambda}`);
  assert.equal(p.order, 'first');
  assert.equal(t.order, 'first');
  assert.ok(t.hysteresis, 'up and down chains disagree');
  assert.ok(t.hysteresis.up > t.value, 'the up chain stays on the nontrivial branch past λc (metastable)');
  // The trivial point is a local minimum at every λ for D ≥ 2: the down chain never leaves it.
  assert.equal(t.hysteresis.down, null);
});

test('three distinct singular values give three transitions, one per mode', () => {
  const sigma = [0.5, 1, 2];
  const s = sweep('t3', {
    name: 't3',
    data: { ...linear(sigma), inputDim: 3, outputDim: 3 },
    model: { hidden: [3], activation: 'linear', bias: false },
    sweep: { from: 0.2, to: 4, points: 24, direction: 'up', seeds: [0] },
  });
  assert.equal(s.transitions.length, 3, JSON.stringify(s.transitions.map((t) => t.value)));
  s.transitions.forEach((t, i) => {
    assert.ok(Math.abs(t.value - sigma[i]) / sigma[i] < 0.05, `transition ${i}: ${t.value} vs σ = ${sigma[i]}`);
    assert.equal(t.order, 'second');
  });
});

/** Ziyin & Ueda (2022), per mode on whitened inputs (s = 1): D = 1 λ = σ, D ≥ 2 λ = (σ/D)((D−1)σ/D)^((D−1)/(D+1)). */
const theory = (sigma: number, depth: number) => (depth === 1 ? sigma : (sigma / depth) * Math.pow(((depth - 1) * sigma) / depth, (depth - 1) / (depth + 1)));

// Depth 1–3, several distinct singular values (two of them 7% apart at depth 2, inside one grid
// bracket), both walking directions: every theory transition once, within 2%, with its order,
// and nothing else; each bracket refined to 2% and holding the exact λc.
const cases: { sigma: number[]; hidden: number[]; direction: 'up' | 'both'; from: number; to: number; points: number }[] = [
  { sigma: [2.2, 1.3, 0.7, 0.35], hidden: [5], direction: 'both', from: 0.1, to: 4, points: 25 },
  { sigma: [1.8, 1.68, 0.9], hidden: [4, 4], direction: 'up', from: 0.05, to: 2, points: 20 },
  { sigma: [2.5, 1.4, 0.6], hidden: [3, 3, 3], direction: 'both', from: 0.02, to: 2, points: 28 },
];
for (const c of cases) {
  test(`linear depth ${c.hidden.length}, σ = ${c.sigma}, ${c.direction}: one transition per mode at theory λc`, () => {
    const s = sweep(`modes${c.hidden.length}`, {
      name: 'modes',
      data: { ...linear(c.sigma), inputDim: 5 },
      model: { hidden: c.hidden, activation: 'linear', bias: false },
      sweep: { from: c.from, to: c.to, points: c.points, direction: c.direction, seeds: [0] },
    });
    const depth = c.hidden.length;
    const want = c.sigma.map((x) => theory(x, depth)).sort((a, b) => a - b);
    const got = s.transitions.map((t) => `${t.value.toPrecision(4)} ${t.order} [${t.bracket.map((b) => b.toPrecision(4))}]`);
    assert.equal(s.transitions.length, want.length, `theory ${want.map((x) => x.toPrecision(4))}, got ${got}`);
    s.transitions.forEach((t, i) => {
      assert.ok(Math.abs(t.value - want[i]) / want[i] < 0.02, `transition ${i}: ${got[i]} vs theory ${want[i].toPrecision(4)}`);
      assert.equal(t.order, depth === 1 ? 'second' : 'first', got[i]);
      assert.ok(t.bracket[1] / t.bracket[0] - 1 <= 0.02 + 1e-12, `bracket ${got[i]}`);
      assert.ok(t.bracket[0] <= want[i] * 1.0001 && want[i] <= t.bracket[1] * 1.0001, `the bracket holds the exact λc: ${got[i]} vs ${want[i]}`);
      // Modes switch off weakest first: the k-th transition from the top is mode k.
      assert.equal(t.mode, want.length - i);
      assert.deepEqual(t.phases, [want.length - i, want.length - i - 1]);
      assert.equal(t.kind, i === want.length - 1 ? 'collapse' : 'cascade');
    });
  });
}

test('predict prints the λc values before training', () => {
  const dir = tempDir('predict');
  const config = writeConfig(dir, { name: 'p', data: linear([2, 1]), model: { hidden: [4], activation: 'linear', bias: false }, sweep: { from: 0.1, to: 3 } });
  const r = l2exp(['predict', config, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { predictions } = JSON.parse(r.stdout) as { predictions: { lambda: number; order: string; exactness: string }[] };
  // Whitened inputs, noise 0: σ(E[x yᵀ]) = the teacher's singular values.
  assert.deepEqual(
    predictions.map((p) => [Number(p.lambda.toFixed(9)), p.order, p.exactness]),
    [
      [1, 'second', 'exact'],
      [2, 'second', 'exact'],
    ],
  );
});
