// The saddle check and escape (train/bottomMode, train/escapeSaddle) on cases with known answers:
// the trivial point of a one-hidden-layer linear net, whose bottom eigenvalue is 2(λ − σ₁) and
// whose minima are known in closed form, and the trivial point of a tanh net below λc.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { morseCheck } from '../../src/core/analysis/morse';
import type { Activation, DataConfig, LossKind } from '../../src/core/config/types';
import { loadDataset } from '../../src/core/data/generate';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { symmetricEigen } from '../../src/core/linalg/symmetricEigen';
import { norm2 } from '../../src/core/linalg/vec';
import { assembleHessian, DataHessian, objectiveHessianApply } from '../../src/core/model/hessian';
import { addPenaltyHessian, layerNorms, makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { moments } from '../../src/core/predict/moments';
import { thinSvd } from '../../src/core/predict/svd';
import { Rng } from '../../src/core/random';
import { bottomMode } from '../../src/core/train/bottomMode';
import { escapeSaddle, type EscapeOptions, type Measured } from '../../src/core/train/escapeSaddle';
import { lbfgs } from '../../src/core/train/lbfgs';
import type { OptimizeResult } from '../../src/core/train/objective';
import { TrainingProblem } from '../../src/core/train/problem';

const TOLERANCE = 1e-6;
const OPTIONS: EscapeOptions = { maxEscapes: 3, lanczosSteps: 40, tolerance: TOLERANCE, stepScale: 1, seed: 0 };

function problemOn(data: DataConfig, hidden: number[], activation: Activation, loss: LossKind, bias: boolean, lambda: number) {
  const ds = loadDataset(data, 0, '.');
  const layout = makeLayout(data.inputDim, data.outputDim, { hidden, bias, regularizeBias: false });
  const problem = new TrainingProblem(new Mlp(layout, activation, loss, jsKernels, 'float64'), ds.train);
  problem.lambda = lambda;
  return { ds, layout, problem };
}

/** y = W x + noise on exactly white inputs, E[x yᵀ] with singular values near 1.5 and 0.7. */
function linearNet(lambda: number) {
  const data: DataConfig = { kind: 'linear', n: 200, inputDim: 3, outputDim: 2, noise: 0.05, testFraction: 0, singularValues: [1.5, 0.7], whiten: true };
  const p = problemOn(data, [4], 'linear', 'mse', false, lambda);
  const sigma = thinSvd(moments(p.ds.train, 3, 2).xy, 3, 2).values;
  return { ...p, sigma };
}

const train = (problem: TrainingProblem) => (start: Float64Array) => lbfgs(problem, start, { maxSteps: 3000, tolerance: 1e-9 });
const objective = (problem: TrainingProblem, theta: Float64Array) => problem.valueGrad(theta, new Float64Array(problem.size));

/** Every eigenvalue of the objective Hessian, from the dense float64 matrix, and their Morse check. */
function exactSpectrum(problem: TrainingProblem, theta: Float64Array) {
  const h = assembleHessian(new DataHessian(problem.model, theta, problem.x, problem.y, problem.n), problem.layout);
  addPenaltyHessian(problem.layout, h, problem.lambda);
  const values = symmetricEigen(h, problem.size).values;
  return { values, ...morseCheck(values, TOLERANCE) };
}

/** A measurement that knows nothing of the spectrum, so every check is escapeSaddle's own. */
const unmeasured = (): Measured => ({ hessian: null });
/** A measurement with the exact spectrum, as the point analysis of a small net gives it. */
const exactlyMeasured =
  (problem: TrainingProblem) =>
  (fit: OptimizeResult): Measured => {
    const s = exactSpectrum(problem, fit.theta);
    return { hessian: { method: 'exact', eigenvalues: s.values, threshold: s.threshold } };
  };

test('bottomMode at the trivial point of a linear net: the eigenpair 2(λ − σ₁), negative exactly below λc = σ₁', () => {
  for (const lambda of [1, 2]) {
    const { problem, sigma } = linearNet(lambda);
    const theta = new Float64Array(problem.size);
    const mode = bottomMode(problem, theta, 40, TOLERANCE, 0);
    const expected = 2 * (lambda - sigma[0]);
    assert.ok(Math.abs(mode.value - expected) < 1e-9, `λ = ${lambda}: ${mode.value} vs 2(λ − σ₁) = ${expected}`);
    assert.equal(mode.negative, lambda < sigma[0]);
    // An eigenvector: ‖Hv − μv‖ at rounding level, ‖v‖ = 1.
    const hv = new Float64Array(problem.size);
    objectiveHessianApply(new DataHessian(problem.model, theta, problem.x, problem.y, problem.n), problem.layout, lambda)(mode.vector, hv);
    assert.ok(Math.abs(norm2(mode.vector) - 1) < 1e-12);
    assert.ok(norm2(hv.map((v, i) => v - mode.value * mode.vector[i])) < 1e-9);
    assert.ok(mode.products <= 40);
  }
});

test('a linear net started on its trivial saddle (zero gradient) escapes to the known minimum Σ‖W‖² = 2Σ(σₖ − λ)₊', () => {
  for (const lambda of [1, 0.5]) {
    const { problem, layout, sigma } = linearNet(lambda);
    const trapped = train(problem)(new Float64Array(problem.size));
    assert.equal(trapped.steps, 0, 'L-BFGS stops at once: ∇f = 0 at the origin');
    const r = escapeSaddle(problem, trapped, train(problem), unmeasured, OPTIONS);
    const modesOn = sigma.filter((s) => s > lambda).length;
    assert.ok(r.escapes >= modesOn, `λ = ${lambda}: one escape per mode to switch on (${modesOn}), took ${r.escapes}`);
    assert.equal(r.saddle, false);
    const weightNorm = layerNorms(layout, r.fit.theta).reduce((a, b) => a + b, 0);
    const theory = 2 * sigma.reduce((s, sk) => s + Math.max(sk - lambda, 0), 0);
    assert.ok(Math.abs(weightNorm - theory) < 1e-6 * theory, `λ = ${lambda}: Σ‖W‖² = ${weightNorm}, theory ${theory}`);
    assert.ok(objective(problem, r.fit.theta) < objective(problem, trapped.theta));
    // A minimum by the exact Hessian; its zero modes (hidden-space rotations) are not negative.
    const exact = exactSpectrum(problem, r.fit.theta);
    assert.equal(exact.negativeCount, 0);
    assert.ok(exact.nullity > 0, 'the rotation symmetry leaves exact zero modes');
  }
});

test('a minimum is left as it is: escapes 0, even with the symmetry zero modes of a linear net', () => {
  // Above λc the origin is the minimum; below it, the trained nontrivial minimum has zero modes.
  for (const lambda of [2, 1]) {
    const { problem } = linearNet(lambda);
    const start = lambda > 1.5 ? new Float64Array(problem.size) : new Rng(3, 'start').fillNormal(new Float64Array(problem.size), 0.5);
    const minimum = train(problem)(start);
    assert.ok(minimum.converged);
    for (const measure of [unmeasured, exactlyMeasured(problem)]) {
      const r = escapeSaddle(problem, minimum, () => assert.fail('a minimum is never retrained'), measure, OPTIONS);
      assert.deepEqual([r.escapes, r.saddle], [0, false], `λ = ${lambda}`);
      assert.equal(r.fit, minimum);
    }
  }
});

test('the objective never rises: a new minimization that ends higher is not taken, and the point stays a saddle', () => {
  const { problem } = linearNet(1);
  const trapped = train(problem)(new Float64Array(problem.size));
  const worse = (start: Float64Array): OptimizeResult => ({ ...trapped, theta: start.map((v) => 10 * v + 1), steps: 5 });
  const r = escapeSaddle(problem, trapped, worse, unmeasured, OPTIONS);
  assert.deepEqual([r.escapes, r.saddle, r.fit], [0, true, trapped]);
  // maxEscapes 0 only checks.
  const checked = escapeSaddle(problem, trapped, () => assert.fail('no escape allowed'), unmeasured, { ...OPTIONS, maxEscapes: 0 });
  assert.deepEqual([checked.escapes, checked.saddle], [0, true]);
});

test('tanh nets forced onto their trivial saddle below λc escape to a lower minimum, exact Hessian without negative eigenvalues', () => {
  for (const [hidden, seed] of [
    [4, 0],
    [6, 1],
    [3, 2],
  ] as const) {
    const data: DataConfig = { kind: 'two-moons', n: 120 + 20 * seed, inputDim: 2, outputDim: 2, noise: 0.15, testFraction: 0 };
    const { problem, layout } = problemOn(data, [hidden], 'tanh', 'cross-entropy', true, 0.02);
    // From θ = 0 only the output bias moves: every weight's gradient vanishes at W = 0.
    const trapped = train(problem)(new Float64Array(problem.size));
    assert.ok(trapped.converged);
    assert.equal(
      layerNorms(layout, trapped.theta).reduce((a, b) => a + b, 0),
      0,
    );
    assert.ok(exactSpectrum(problem, trapped.theta).negativeCount > 0, 'the trivial point is a saddle below λc');
    for (const measure of [unmeasured, exactlyMeasured(problem)]) {
      const r = escapeSaddle(problem, trapped, train(problem), measure, OPTIONS);
      assert.ok(r.escapes >= 1);
      assert.equal(r.saddle, false);
      assert.ok(objective(problem, r.fit.theta) < objective(problem, trapped.theta) - 1e-3, 'a much lower objective');
      assert.ok(
        layerNorms(layout, r.fit.theta).every((w) => w > 1e-2),
        'weights switched on',
      );
      assert.equal(exactSpectrum(problem, r.fit.theta).negativeCount, 0, `[${hidden}] tanh: a minimum by the exact Hessian`);
    }
  }
});
