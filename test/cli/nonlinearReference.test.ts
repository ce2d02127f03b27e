import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveExperiment } from '../../src/core/config/defaults';
import { loadDataset } from '../../src/core/data/generate';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { modeSpectrum } from '../../src/core/measures/modeSpectrum';
import { initialParameters } from '../../src/core/model/init';
import { layerNorms, makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { Rng } from '../../src/core/random';
import type { RunSummary } from '../../src/core/results/summary';
import type { PointRecord } from '../../src/core/sweep/point';
import { lbfgs } from '../../src/core/train/lbfgs';
import { TrainingProblem } from '../../src/core/train/problem';
import { phaseOf, scalesOf, type Usable } from '../../src/core/transitions/branches';
import { l2exp, tempDir, writeConfig } from './helpers';

// Iris (3 classes, cross-entropy), one tanh hidden layer with biases: two modes of E[∂f/∂x]
// (the logits' common direction carries no loss), so two transitions, no closed form. The
// reference is the best of many float64 minimizations per λ: random initializations at three
// scales, the trivial point, and continuation up and down its own grid, all to ‖∇‖ ≤ 1e-9.
const config = {
  name: 'iris-ref',
  data: { kind: 'iris' },
  model: { hidden: [8], activation: 'tanh' },
  sweep: { from: 0.01, to: 1, points: 20, direction: 'both', seeds: [0] },
};

test('a nonlinear sweep agrees with a float64 multi-start reference: same phases everywhere, every transition found once', () => {
  const dir = tempDir('nonlinear');
  const path = writeConfig(dir, config);
  const out = join(dir, 'out');
  const r = l2exp(['run', path, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;

  const e = resolveExperiment(config as Parameters<typeof resolveExperiment>[0]);
  const ds = loadDataset(e.data, e.seed, dirname(path));
  const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
  const model = new Mlp(layout, e.model.activation, e.loss, jsKernels, 'float64');
  const problem = new TrainingProblem(model, ds.train);
  const solve = (start: Float64Array) => lbfgs(problem, start, { maxSteps: 4000, tolerance: 1e-9, memory: 20 });
  const grid = Array.from({ length: 15 }, (_, i) => 0.012 * Math.pow(0.9 / 0.012, i / 14));
  const best: { lambda: number; objective: number; theta: Float64Array }[] = grid.map((lambda) => ({ lambda, objective: Infinity, theta: new Float64Array(layout.size) }));
  const consider = (i: number, start: Float64Array) => {
    problem.lambda = grid[i];
    const fit = solve(start);
    const f = problem.valueGrad(fit.theta, new Float64Array(layout.size));
    if (Number.isFinite(f) && f < best[i].objective) best[i] = { lambda: grid[i], objective: f, theta: fit.theta };
  };
  grid.forEach((_, i) => {
    consider(i, new Float64Array(layout.size));
    for (const scale of [0.5, 1, 3]) for (let s = 0; s < 3; s++) consider(i, initialParameters(layout, e.train.init, scale, new Rng(11, `ref/${i}/${scale}/${s}`)));
  });
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let i = 1; i < grid.length; i++) consider(i, best[i - 1].theta);
    for (let i = grid.length - 2; i >= 0; i--) consider(i, best[i + 1].theta);
  }
  // The reference's phase at each λ, by the product's own definition of a phase (modes above
  // MODE_ON of the largest, the trivial solution 0), applied to the reference's own minima.
  const records = best.map((b) => {
    const norms = layerNorms(layout, b.theta);
    return { lambda: b.lambda, objective: b.objective, weightNorm: norms.reduce((a, c) => a + c, 0), modes: modeSpectrum(model, b.theta, problem.x, problem.n) } as PointRecord as Usable;
  });
  const s = scalesOf(records);
  const reference = records.map((p) => phaseOf(p, s));
  // The product's phase at λ: the number of its transitions above λ (each switches one mode off).
  const product = grid.map((l) => summary.transitions.filter((t) => t.value > l).length);
  const changes = reference.slice(1).reduce((n, p, i) => n + Math.abs(p - reference[i]), 0);
  assert.ok(changes >= 2, `the reference sees transitions: ${reference}`);
  assert.equal(summary.transitions.length, reference[0], `one transition per mode the reference uses at the smallest λ: ${JSON.stringify(summary.transitions.map((t) => t.value))}`);
  grid.forEach((l, i) => {
    // Within 2% of a reported λc the grid point may sit on either side of it.
    const near = summary.transitions.some((t) => Math.abs(Math.log(t.value / l)) < Math.log(1.02));
    if (!near) assert.equal(product[i], reference[i], `λ = ${l.toPrecision(4)}: product ${product}, reference ${reference} (objectives: product's best vs reference ${best[i].objective})`);
  });
  for (const t of summary.transitions) assert.ok(t.bracket[1] / t.bracket[0] - 1 <= 0.02 + 1e-12, `bracket ${t.bracket}`);

  // True minima: every point the product does not mark a saddle has no negative eigenvalue in
  // its exact float64 Hessian (P = 67 is under the exact limit, so the record holds all of them).
  const trained = readFileSync(join(out, 'points.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PointRecord);
  for (const p of trained) {
    assert.equal(p.hessian?.method, 'exact', p.id);
    if (!p.saddle) assert.equal(p.hessian.negativeCount, 0, `${p.id} is called a minimum but its Hessian has ${p.hessian.negativeCount} negative eigenvalues (bottom ${p.hessian.eigenvalues[0]})`);
  }
});
