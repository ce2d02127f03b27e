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
  kind: 'linear', n: 400, inputDim: 4, outputDim: singularValues.length, singularValues, noise: 0, testFraction: 0.25, ...extra,
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
  assert.ok(Math.abs(t.lambda - 1) < 0.05, `λc = ${t.lambda}`);
  const [p] = s.predictions;
  assert.ok(Math.abs(t.lambda - p.lambda) / p.lambda < 0.05, `measured ${t.lambda} vs predicted ${p.lambda}`);
  assert.equal(p.order, 'second');
  assert.equal(t.order, 'second');
  assert.equal(t.hysteresis, undefined);
  assert.ok(t.bracket[1] / t.bracket[0] - 1 <= 0.02 + 1e-12, `bracket ${t.bracket}`);
  assert.ok(t.bracket[0] <= 1 && 1 <= t.bracket[1], `the bracket holds the exact λc: ${t.bracket}`);
  const cp = t.curvatureChangePoint!;
  assert.ok(cp.lambda >= t.bracket[0] && cp.lambda <= t.bracket[1], `curvature change point ${cp.lambda} in ${t.bracket}`);
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
  assert.ok(Math.abs(t.lambda - theory) / theory < 0.05, `λc = ${t.lambda} vs ${theory}`);
  const [p] = s.predictions;
  assert.ok(Math.abs(t.lambda - p.lambda) / p.lambda < 0.05, `measured ${t.lambda} vs predicted ${p.lambda}`);
  assert.equal(p.order, 'first');
  assert.equal(t.order, 'first');
  assert.ok(t.hysteresis, 'up and down chains disagree');
  assert.ok(t.hysteresis!.up > t.lambda, 'the up chain stays on the nontrivial branch past λc (metastable)');
  // The trivial point is a local minimum at every λ for D ≥ 2: the down chain never leaves it.
  assert.equal(t.hysteresis!.down, null);
});

test('three distinct singular values give three transitions, one per mode', () => {
  const sigma = [0.5, 1, 2];
  const s = sweep('t3', {
    name: 't3',
    data: { ...linear(sigma), inputDim: 3, outputDim: 3 },
    model: { hidden: [3], activation: 'linear', bias: false },
    sweep: { from: 0.2, to: 4, points: 24, direction: 'up', seeds: [0] },
  });
  assert.equal(s.transitions.length, 3, JSON.stringify(s.transitions.map((t) => t.lambda)));
  s.transitions.forEach((t, i) => {
    assert.ok(Math.abs(t.lambda - sigma[i]) / sigma[i] < 0.05, `transition ${i}: ${t.lambda} vs σ = ${sigma[i]}`);
    assert.equal(t.order, 'second');
  });
});

test('predict prints the λc values before training', () => {
  const dir = tempDir('predict');
  const config = writeConfig(dir, { name: 'p', data: linear([2, 1]), model: { hidden: [4], activation: 'linear', bias: false }, sweep: { from: 0.1, to: 3 } });
  const r = l2exp(['predict', config, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { predictions } = JSON.parse(r.stdout) as { predictions: { lambda: number; order: string; exactness: string }[] };
  // Whitened inputs, noise 0: σ(E[x yᵀ]) = the teacher's singular values.
  assert.deepEqual(predictions.map((p) => [Number(p.lambda.toFixed(9)), p.order, p.exactness]), [[1, 'second', 'exact'], [2, 'second', 'exact']]);
});
