import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Activation, LossKind } from '../../src/core/config/types';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { erf, fastTanh } from '../../src/core/model/activations';
import { selectBackend } from '../../src/core/kernels/selectBackend';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { lbfgs } from '../../src/core/train/lbfgs';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';
import { assertGradMatchesFd } from './finiteDifferences';
import { ensureKernelsBuilt } from './ownKernels';

const ACTIVATIONS: Activation[] = ['linear', 'tanh', 'relu', 'sigmoid', 'gelu'];
const LOSSES: LossKind[] = ['mse', 'cross-entropy'];

function randomData(rng: Rng, n: number, d: number, k: number, loss: LossKind) {
  const x = rng.fillNormal(new Float64Array(n * d));
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    if (loss === 'mse') for (let j = 0; j < k; j++) y[i * k + j] = rng.normal();
    else y[i * k + rng.int(k)] = 1;
  }
  return { n, x, y };
}

function problemFor(act: Activation, loss: LossKind, bias: boolean, regularizeBias = false, seed = 1) {
  const rng = new Rng(seed, `${act}/${loss}/${bias}`);
  const layout = makeLayout(3, 2, { hidden: [5, 4], bias, regularizeBias });
  const model = new Mlp(layout, act, loss, jsKernels, 'float64');
  const problem = new TrainingProblem(model, randomData(rng, 7, 3, 2, loss));
  const theta = rng.fillNormal(new Float64Array(layout.size), 0.7);
  return { problem, theta, model };
}

for (const act of ACTIVATIONS) {
  for (const loss of LOSSES) {
    for (const bias of [true, false]) {
      test(`gradient of the regularized objective matches finite differences: ${act}, ${loss}, bias=${bias}`, () => {
        const { problem, theta } = problemFor(act, loss, bias, bias);
        problem.lambda = 0.3;
        const grad = new Float64Array(problem.size);
        problem.valueGrad(theta, grad);
        assertGradMatchesFd((t) => problem.valueGrad(t, new Float64Array(problem.size)), theta, grad, `${act}/${loss}/${bias}`);
      });
    }
  }
}

test('the penalty covers weights only, or biases too when regularizeBias', () => {
  for (const regularizeBias of [false, true]) {
    const layout = makeLayout(2, 1, { hidden: [3], bias: true, regularizeBias });
    const covered = layout.penalized.reduce((s, [a, b]) => s + b - a, 0);
    assert.equal(covered, 2 * 3 + 3 * 1 + (regularizeBias ? 3 + 1 : 0));
  }
});

test('geometric complexity equals the mean squared input-gradient norm by finite differences', () => {
  for (const act of ACTIVATIONS) {
    const { problem, theta, model } = problemFor(act, 'mse', true);
    const n = problem.n;
    const gc = model.inputGradientNormSq(theta, problem.x, n);
    const h = 1e-6;
    let fdTotal = 0;
    const x = Float64Array.from(problem.x);
    for (let i = 0; i < x.length; i++) {
      const keep = x[i];
      x[i] = keep + h;
      const fp = Float64Array.from(model.forward(theta, x, n));
      x[i] = keep - h;
      const fm = Float64Array.from(model.forward(theta, x, n));
      x[i] = keep;
      const row = Math.floor(i / 3);
      for (let k = 0; k < 2; k++) fdTotal += ((fp[row * 2 + k] - fm[row * 2 + k]) / (2 * h)) ** 2;
    }
    const fd = fdTotal / n;
    assert.ok(Math.abs(gc - fd) <= 1e-6 * Math.max(1, fd), `${act}: ${gc} vs ${fd}`);
  }
});

test('float32 training on the fast backend agrees with the float64 reference', async () => {
  const backend = await selectBackend('wasm');
  const rng = new Rng(3, 'f32');
  // Large enough (n·width² above the JS cut-off) that the products really run in TF.js.
  const layout = makeLayout(20, 1, { hidden: [64, 64], bias: true, regularizeBias: false });
  const data = randomData(rng, 300, 20, 1, 'mse');
  const theta = rng.fillNormal(new Float64Array(layout.size), 0.15);
  const grads = (['float32', 'float64'] as const).map((precision) => {
    const model = new Mlp(layout, 'tanh', 'mse', precision === 'float32' ? backend.kernels : jsKernels, precision);
    const problem = new TrainingProblem(model, data);
    problem.lambda = 1e-3;
    const g = new Float64Array(layout.size);
    const value = problem.valueGrad(theta, g);
    return { value, g };
  });
  // float32 rounding (ε ≈ 6e-8) accumulated over sums of 300×64 terms: 1e-4 relative is generous
  // for rounding and far below what a wrong kernel or layout would give.
  assert.ok(Math.abs(grads[0].value - grads[1].value) <= 1e-5 * grads[1].value);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < layout.size; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(grads[0].g[i] - grads[1].g[i]));
    scale = Math.max(scale, Math.abs(grads[1].g[i]));
  }
  assert.ok(maxDiff <= 1e-4 * scale, `max |Δgrad| ${maxDiff} vs scale ${scale}`);
});

test('L-BFGS reaches the closed-form ridge solution on a convex problem', () => {
  // hidden [] and no bias: f = x·W, objective (1/n)‖XW − Y‖² + λ‖W‖², so
  // (XᵀX/n + λI) W = XᵀY/n. Solved here by Gaussian elimination in float64.
  const d = 6;
  const n = 40;
  const lambda = 0.05;
  const rng = new Rng(11, 'ridge');
  const data = randomData(rng, n, d, 1, 'mse');
  const layout = makeLayout(d, 1, { hidden: [], bias: false, regularizeBias: false });
  const problem = new TrainingProblem(new Mlp(layout, 'linear', 'mse', jsKernels, 'float64'), data);
  problem.lambda = lambda;
  const result = lbfgs(problem, new Float64Array(d), { maxSteps: 200, tolerance: 1e-10 });
  assert.ok(result.converged, `gradient norm ${result.gradNorm}`);

  const a = new Float64Array(d * (d + 1));
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += data.x[i * d + r] * data.x[i * d + c];
      a[r * (d + 1) + c] = s / n + (r === c ? lambda : 0);
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += data.x[i * d + r] * data.y[i];
    a[r * (d + 1) + d] = s / n;
  }
  for (let p = 0; p < d; p++) {
    for (let r = p + 1; r < d; r++) {
      const m = a[r * (d + 1) + p] / a[p * (d + 1) + p];
      for (let c = p; c <= d; c++) a[r * (d + 1) + c] -= m * a[p * (d + 1) + c];
    }
  }
  const w = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = a[r * (d + 1) + d];
    for (let c = r + 1; c < d; c++) s -= a[r * (d + 1) + c] * w[c];
    w[r] = s / a[r * (d + 1) + r];
  }
  // ‖∇‖ ≤ 1e-10 with a Hessian whose smallest eigenvalue is ≥ 2λ = 0.1 bounds the error by 1e-9.
  for (let i = 0; i < d; i++) assert.ok(Math.abs(result.theta[i] - w[i]) < 1e-8, `w[${i}] ${result.theta[i]} vs ${w[i]}`);
});

test('L-BFGS reports divergence instead of returning NaN as a minimum', () => {
  const obj = {
    size: 1,
    valueGrad(t: Float64Array, g: Float64Array) {
      g[0] = t[0] > 1 ? NaN : -1;
      return t[0] > 1 ? NaN : -t[0];
    },
  };
  const result = lbfgs(obj, new Float64Array([0]), { maxSteps: 50, tolerance: 1e-8 });
  assert.equal(result.converged, false);
  assert.ok(Number.isFinite(result.value), 'returns the last finite point');
});

test('fastTanh (float32 training) is within 5e-8 relative of Math.tanh, and erf matches reference values', () => {
  // 5e-8 is below float32's ε = 6e-8: the approximation is invisible in float32 arithmetic.
  let worst = 0;
  for (let i = -200_000; i <= 200_000; i++) {
    const x = (i / 200_000) * 12;
    const t = Math.tanh(x);
    if (t !== 0) worst = Math.max(worst, Math.abs(fastTanh(x) - t) / Math.abs(t));
    assert.ok(Math.abs(fastTanh(x)) <= 1);
  }
  for (const x of [1e-30, 1e-12, 1e-6, 1e-3]) worst = Math.max(worst, Math.abs(fastTanh(x) - Math.tanh(x)) / Math.tanh(x));
  assert.ok(worst <= 5e-8, `worst relative error ${worst}`);
  // erf values from Abramowitz & Stegun Table 7.1 (to 16 digits via mpmath); both branches of erf.
  const reference: [number, number][] = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [-1.5, -0.9661051464753108],
  ];
  for (const [x, v] of reference) assert.ok(Math.abs(erf(x) - v) < 1e-13, `erf(${x}) = ${erf(x)}`);
});

test('the mean input Jacobian equals central differences of the mean output under a shift of one input feature in every row', async () => {
  ensureKernelsBuilt();
  const wasm = (await selectBackend('wasm')).kernels;
  for (const kernels of [jsKernels, wasm]) {
    for (const hidden of [[], [6], [5, 4]]) {
      for (const act of ['tanh', 'relu', 'gelu'] as const) {
        const rng = new Rng(3, `jbar/${hidden}/${act}`);
        const d = 4;
        const k = 3;
        const n = 11;
        const layout = makeLayout(d, k, { hidden, bias: true, regularizeBias: false });
        const model = new Mlp(layout, act, 'mse', kernels, 'float64');
        const theta = rng.fillNormal(new Float64Array(layout.size), 0.7);
        const x = rng.fillNormal(new Float64Array(n * d));
        const j = model.meanInputJacobian(theta, Float64Array.from(x), n);
        const meanOut = (xs: Float64Array) => {
          const f = model.forward(theta, xs, n);
          const m = new Float64Array(k);
          for (let i = 0; i < n; i++) for (let o = 0; o < k; o++) m[o] += f[i * k + o] / n;
          return m;
        };
        const eps = 1e-6;
        for (let c = 0; c < d; c++) {
          const plus = Float64Array.from(x);
          const minus = Float64Array.from(x);
          for (let i = 0; i < n; i++) {
            plus[i * d + c] += eps;
            minus[i * d + c] -= eps;
          }
          const mp = meanOut(plus);
          const mm = meanOut(minus);
          // relu's kinks: a row whose pre-activation is within eps of 0 would break the FD; with
          // 11 Gaussian rows that has probability ~1e-5, and the seed is fixed.
          for (let o = 0; o < k; o++)
            assert.ok(Math.abs(j[o * d + c] - (mp[o] - mm[o]) / (2 * eps)) <= 1e-7, `${kernels.name} [${hidden}] ${act}: J̄[${o}, ${c}] ${j[o * d + c]} vs FD ${(mp[o] - mm[o]) / (2 * eps)}`);
        }
      }
    }
  }
});
