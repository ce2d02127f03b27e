import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainConfig } from '../../src/core/config/types';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { lbfgs } from '../../src/core/train/lbfgs';
import { FLOAT32_GRADIENT_FLOOR, minimize } from '../../src/core/train/minimize';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';

function problem(precision: 'float32' | 'float64') {
  const rng = new Rng(2, 'minimize');
  const n = 200;
  const layout = makeLayout(5, 3, { hidden: [8], bias: true, regularizeBias: false });
  const x = rng.fillNormal(new Float64Array(n * 5));
  const y = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) y[i * 3 + rng.int(3)] = 1;
  const p = new TrainingProblem(new Mlp(layout, 'tanh', 'cross-entropy', jsKernels, precision), { n, x, y });
  p.lambda = 0.05;
  return { p, start: rng.fillNormal(new Float64Array(layout.size), 0.3) };
}

const cfg = (tolerance: number): TrainConfig => ({
  optimizer: 'lbfgs',
  learningRate: 1,
  batchSize: 'full',
  maxSteps: 2000,
  tolerance,
  init: 'xavier',
  initScale: 1,
  memory: 10,
  escape: { enabled: false, maxEscapes: 3, lanczosSteps: 50 },
});

test('float32 L-BFGS asked for less than its floor stops there unconverged, and float64 from that point reaches the tolerance', () => {
  const f32 = problem('float32');
  const fit = minimize(f32.p, f32.start, cfg(1e-9), new Rng(0, 'b'));
  assert.equal(fit.converged, false, 'float32 cannot certify 1e-9');
  assert.equal(fit.diverged, false);
  assert.ok(fit.gradNorm <= FLOAT32_GRADIENT_FLOOR, `stopped at the floor: ‖∇‖ = ${fit.gradNorm}`);
  // Without the floor float32 L-BFGS spends all 2000 steps (8871 evaluations) creeping below it
  // in the rounding noise (measured on this problem); with it, 63.
  assert.ok(fit.steps < 200, `${fit.steps} steps`);
  // The float64 polish (as sweep/runChain runs it) finishes from there.
  const f64 = problem('float64');
  const polished = lbfgs(f64.p, fit.theta, { maxSteps: 500, tolerance: 1e-9 });
  assert.equal(polished.converged, true);
  // At a tolerance float32 can reach the result is what lbfgs gives, converged.
  const plain = minimize(f32.p, f32.start, cfg(1e-4), new Rng(0, 'b'));
  assert.equal(plain.converged, true);
  assert.ok(plain.gradNorm <= 1e-4);
});
