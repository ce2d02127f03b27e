// analysis.trajectory: the spectrum, objective and overlap at chosen steps of a first-order
// optimizer's path. Checked against what the run says elsewhere: the step a point stopped at is
// the point itself (same objective, overlap and eigenvalues), and step 0 of a chain's first point
// is its fresh initialization, recomputed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveExperiment, type RawExperiment } from '../../src/core/config/defaults';
import { loadDataset } from '../../src/core/data/generate';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { initialParameters } from '../../src/core/model/init';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { Rng } from '../../src/core/random';
import type { PointRecord } from '../../src/core/sweep/point';
import { TrainingProblem } from '../../src/core/train/problem';
import { l2exp, points, tempDir, writeConfig } from './helpers';

const MAX_STEPS = 150;

const PATH: RawExperiment = {
  name: 'path',
  data: { kind: 'multi-index', n: 300, inputDim: 10, outputDim: 1, indexDim: 1, noise: 0.05 },
  model: { hidden: [6], activation: 'tanh' },
  // The tolerance is out of reach in MAX_STEPS steps: every point trains to MAX_STEPS, no polish.
  train: { optimizer: 'adam', learningRate: 0.01, maxSteps: MAX_STEPS, tolerance: 1e-12, escape: { enabled: false } },
  sweep: { from: 1e-3, to: 0.1, points: 3, direction: 'up', seeds: [0] },
  analysis: { trajectory: [MAX_STEPS, 0, 40, 40, 5 * MAX_STEPS], transitions: { refine: false } },
};

/** The objective at θ, recomputed in float64 from the experiment's own data and layout. */
function objectiveAt(raw: RawExperiment, dir: string, theta: Float64Array, lambda: number): number {
  const e = resolveExperiment(raw);
  const ds = loadDataset(e.data, e.seed, dir);
  const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
  const problem = new TrainingProblem(new Mlp(layout, e.model.activation, e.loss, jsKernels, 'float64'), ds.train);
  problem.lambda = lambda;
  return problem.valueGrad(theta, new Float64Array(layout.size));
}

for (const optimizer of ['adam', 'sgd'] as const) {
  test(`${optimizer}: every point records its path at the configured steps; the last is the point itself, the first its start`, () => {
    const raw: RawExperiment = { ...PATH, train: { ...PATH.train, optimizer, learningRate: optimizer === 'adam' ? 0.01 : 0.05 } };
    const dir = tempDir(`path-${optimizer}`);
    const out = join(dir, 'out');
    const r = l2exp(['run', writeConfig(dir, raw), '--out', out, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const recorded = points(out) as unknown as PointRecord[];
    assert.equal(recorded.length, 3);
    for (const p of recorded) {
      assert.ok(p.trajectory, `${p.id} has a trajectory`);
      // Sorted and deduplicated; a step past the end is never reached.
      assert.deepEqual(
        p.trajectory.map((s) => s.step),
        [0, 40, MAX_STEPS],
      );
      assert.equal(p.steps, MAX_STEPS);
      const last = p.trajectory[2];
      assert.ok(Math.abs(last.objective! - p.objective!) <= 1e-12 * Math.abs(p.objective!), `${p.id}: ${last.objective} vs ${p.objective}`);
      assert.equal(last.featureOverlap, p.featureOverlap);
      assert.deepEqual(last.hessian?.eigenvalues, p.hessian?.eigenvalues);
      // The point's ‖∇‖ is the float32 training gradient's (the optimizer's last check), the path's float64: they agree to float32 rounding of a small gradient.
      assert.ok(last.gradNorm! > 0 && Math.abs(last.gradNorm! - p.gradNorm!) <= 1e-3 * p.gradNorm!, `${p.id}: ‖∇‖ ${last.gradNorm} vs ${p.gradNorm}`);
      // Training lowers the objective along the path.
      assert.ok(p.trajectory[0].objective! > last.objective!, `${p.id}: ${p.trajectory[0].objective} → ${last.objective}`);
      assert.ok(p.trajectory.every((s) => s.hessian && s.hessian.eigenvalues.length === s.hessian.size));
    }
    // The chain's first point starts from the seeded fresh initialization (runChain: init/s<seed>).
    const e = resolveExperiment(raw);
    const ds = loadDataset(e.data, e.seed, dir);
    const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
    const start = initialParameters(layout, e.train.init, e.train.initScale, new Rng(e.seed, 'init/s0'));
    const first = recorded.find((p) => p.index === 0)!;
    const expected = objectiveAt(raw, dir, start, first.lambda);
    assert.ok(Math.abs(first.trajectory![0].objective! - expected) <= 1e-12 * expected, `step 0: ${first.trajectory![0].objective} vs ${expected}`);
  });
}

test('no trajectory is recorded unless asked for', () => {
  const raw: RawExperiment = { ...PATH, analysis: { transitions: { refine: false } }, sweep: { ...PATH.sweep, points: 2 } };
  const dir = tempDir('path-none');
  const out = join(dir, 'out');
  assert.equal(l2exp(['run', writeConfig(dir, raw), '--out', out, '--json']).status, 0);
  for (const p of points(out)) assert.equal(p.trajectory, undefined);
});

test('validation: a trajectory needs a first-order optimizer, and steps past maxSteps are flagged where they are written', () => {
  const dir = tempDir('path-bad');
  const text = `{
  "name": "bad",
  "data": { "kind": "multi-index", "n": 200, "inputDim": 8, "indexDim": 1 },
  "train": { "maxSteps": 100 },
  "sweep": { "from": 0.001, "to": 0.1, "points": 2 },
  "analysis": { "trajectory": [0, 50] }
}
`;
  const bad = join(dir, 'bad.l2exp.json');
  writeFileSync(bad, text);
  const r = l2exp(['validate', bad]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /bad\.l2exp\.json:6:17: analysis\.trajectory records the spectra along a first-order optimizer's path, but train\.optimizer is "lbfgs".*add "optimizer": "adam"/);

  const vae = join(dir, 'vae.l2exp.json');
  writeFileSync(vae, text.replace('"train": {', '"model": { "kind": "vae", "latentDim": 2 },\n  "train": { "optimizer": "adam",'));
  const v = l2exp(['validate', vae]);
  assert.equal(v.status, 2, v.stderr);
  assert.match(v.stderr, /vae\.l2exp\.json:7:17: analysis\.trajectory records the training path of an MLP/);

  const late = join(dir, 'late.l2exp.json');
  writeFileSync(late, text.replace('"maxSteps": 100', '"optimizer": "sgd", "maxSteps": 100').replace('[0, 50]', '[0, 500]'));
  const w = l2exp(['validate', late]);
  assert.equal(w.status, 0, w.stderr);
  assert.match(w.stderr + w.stdout, /late\.l2exp\.json:6:35: .*step 500 is past train\.maxSteps \(100\)/);
});
