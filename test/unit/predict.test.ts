import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExperiment, type RawExperiment } from '../../src/core/config/defaults';
import type { Activation, Experiment, LossKind } from '../../src/core/config/types';
import type { Dataset } from '../../src/core/data/dataset';
import { loadDataset } from '../../src/core/data/generate';
import { symmetricEigen } from '../../src/core/linalg/symmetricEigen';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { makeLayout, type Layout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { deepCriticalLambda, deepJump, deepReducedObjective, deepSpinodal, predictTransitions } from '../../src/core/predict/index';
import { Rng } from '../../src/core/random';
import { TrainingProblem } from '../../src/core/train/problem';

// ---------------------------------------------------------------------------------------------
// Helpers

function experiment(raw: RawExperiment): Experiment {
  return resolveExperiment({ name: 'predict-test', sweep: { from: 0.01, to: 1 }, ...raw });
}

/** σ_k of the d×K row-major matrix a, from the eigenvalues of aᵀa (independent of the code under test). */
function singularValues(a: Float64Array, d: number, k: number): number[] {
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let r = 0; r < d; r++) g[i * k + j] += a[r * k + i] * a[r * k + j];
  return Array.from(symmetricEigen(g, k).values)
    .map((v) => Math.sqrt(Math.max(v, 0)))
    .reverse();
}

/** E[x yᵀ] over a split, d×K. */
function crossMoment(ds: Dataset): Float64Array {
  const { n, x, y } = ds.train;
  const d = ds.inputDim;
  const k = ds.outputDim;
  const a = new Float64Array(d * k);
  for (let i = 0; i < n; i++) for (let r = 0; r < d; r++) for (let j = 0; j < k; j++) a[r * k + j] += (x[i * d + r] * y[i * k + j]) / n;
  return a;
}

/**
 * A small regression or classification set with nonzero input and target means (so the bias
 * terms matter) and, for classes, unbalanced frequencies (about 60/25/15).
 */
function smallDataset(task: 'regression' | 'classification', n: number, d: number, k: number, seed: number): Dataset {
  const rng = new Rng(seed, 'predict-test/data');
  const x = new Float64Array(n * d);
  const y = new Float64Array(n * k);
  const proj = rng.fillNormal(new Float64Array(d * k), 1 / Math.sqrt(d));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) x[i * d + a] = rng.normal() + 0.3 * ((a % 3) + 1);
    const s = new Float64Array(k);
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) s[j] += x[i * d + a] * proj[a * k + j];
    if (task === 'regression') {
      for (let j = 0; j < k; j++) y[i * k + j] = Math.tanh(s[j]) + 0.5 + 0.3 * rng.normal();
    } else {
      // Softmax sampling with a strong prior on class 0.
      const logits = Array.from(s, (v, j) => 0.8 * v + (j === 0 ? 1.2 : 0));
      const mx = Math.max(...logits);
      const p = logits.map((v) => Math.exp(v - mx));
      const z = p.reduce((a2, v) => a2 + v, 0);
      let u = rng.uniform() * z;
      let c = 0;
      while (c < k - 1 && u > p[c]) u -= p[c++];
      y[i * k + c] = 1;
    }
  }
  return { task, inputDim: d, outputDim: k, train: { n, x, y }, test: { n: 0, x: new Float64Array(0), y: new Float64Array(0) } };
}

interface Net {
  layout: Layout;
  problem: TrainingProblem;
}

function net(ds: Dataset, hidden: number[], act: Activation, loss: LossKind, bias: boolean, regularizeBias = false): Net {
  const layout = makeLayout(ds.inputDim, ds.outputDim, { hidden, bias, regularizeBias });
  const model = new Mlp(layout, act, loss, jsKernels, 'float64');
  return { layout, problem: new TrainingProblem(model, ds.train) };
}

/**
 * The trivial point: all weights 0, hidden biases at `b1`, the output bias at its optimum
 * (MSE: ȳ, or ȳ/(1+λ) when regularized; CE: log of the class frequencies, or, when regularized,
 * found by Newton's method on the output bias with the problem's own gradient).
 */
function trivialTheta(n: Net, ds: Dataset, loss: LossKind, b1: number, lambda = 0, regularized = false): Float64Array {
  const theta = new Float64Array(n.layout.size);
  const { layers } = n.layout;
  for (let l = 0; l + 1 < layers.length; l++) if (layers[l].bOffset >= 0) theta.fill(b1, layers[l].bOffset, layers[l].bOffset + layers[l].fanOut);
  const out = layers[layers.length - 1];
  if (out.bOffset < 0) return theta;
  const k = ds.outputDim;
  const mean = new Float64Array(k);
  for (let i = 0; i < ds.train.n; i++) for (let j = 0; j < k; j++) mean[j] += ds.train.y[i * k + j] / ds.train.n;
  if (loss === 'mse' || !regularized) {
    for (let j = 0; j < k; j++) theta[out.bOffset + j] = loss === 'mse' ? mean[j] / (regularized ? 1 + lambda : 1) : Math.log(mean[j]);
    return theta;
  }
  // Regularized CE: the objective restricted to b₂ is strictly convex; Newton with the Hessian
  // diag q − qqᵀ + 2λI (q = softmax b₂) and the problem's gradient.
  n.problem.lambda = lambda;
  const grad = new Float64Array(n.layout.size);
  for (let it = 0; it < 50; it++) {
    n.problem.valueGrad(theta, grad);
    const b = theta.subarray(out.bOffset, out.bOffset + k);
    const mx = Math.max(...b);
    const e = Array.from(b, (v) => Math.exp(v - mx));
    const z = e.reduce((a, v) => a + v, 0);
    const q = e.map((v) => v / z);
    const h = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) h[i * k + j] = (i === j ? q[i] + 2 * lambda : 0) - q[i] * q[j];
    const eig = symmetricEigen(h, k, { vectors: true });
    const g = grad.subarray(out.bOffset, out.bOffset + k);
    // step = H⁻¹g via the eigendecomposition
    for (let c = 0; c < k; c++) {
      let proj = 0;
      for (let i = 0; i < k; i++) proj += eig.vectors[i * k + c] * g[i];
      for (let i = 0; i < k; i++) b[i] -= (eig.vectors[i * k + c] * proj) / eig.values[c];
    }
  }
  return theta;
}

/** The Hessian of the regularized objective by central differences of the analytic gradient, symmetrized. */
function hessian(n: Net, theta: Float64Array, lambda: number): Float64Array {
  const p = n.layout.size;
  n.problem.lambda = lambda;
  const h = 1e-5;
  const H = new Float64Array(p * p);
  const gp = new Float64Array(p);
  const gm = new Float64Array(p);
  const t = Float64Array.from(theta);
  for (let c = 0; c < p; c++) {
    t[c] = theta[c] + h;
    n.problem.valueGrad(t, gp);
    t[c] = theta[c] - h;
    n.problem.valueGrad(t, gm);
    t[c] = theta[c];
    for (let r = 0; r < p; r++) H[r * p + c] = (gp[r] - gm[r]) / (2 * h);
  }
  for (let r = 0; r < p; r++) {
    for (let c = r + 1; c < p; c++) {
      const v = (H[r * p + c] + H[c * p + r]) / 2;
      H[r * p + c] = v;
      H[c * p + r] = v;
    }
  }
  return H;
}

/** Smallest eigenvalue of the principal submatrix of H on `idx`. */
function minEig(H: Float64Array, p: number, idx: number[]): number {
  const m = idx.length;
  const s = new Float64Array(m * m);
  idx.forEach((r, i) => idx.forEach((c, j) => (s[i * m + j] = H[r * p + c])));
  return symmetricEigen(s, m).values[0];
}

/** Indices of the weight matrices, and of the output bias. */
function weightIndices(layout: Layout): number[] {
  const out: number[] = [];
  for (const l of layout.layers) for (let i = 0; i < l.fanIn * l.fanOut; i++) out.push(l.wOffset + i);
  return out;
}
function outputBiasIndices(layout: Layout): number[] {
  const l = layout.layers[layout.layers.length - 1];
  return l.bOffset < 0 ? [] : Array.from({ length: l.fanOut }, (_, j) => l.bOffset + j);
}
const allIndices = (layout: Layout) => Array.from({ length: layout.size }, (_, i) => i);

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

// ---------------------------------------------------------------------------------------------
// D ≥ 2: the closed form against brute force on the reduced objective

/** min over p > 0 of F(p) (grid over (0, c/s], where the nontrivial minimum lies since F' > 0 for s p ≥ c, then golden section). */
function nontrivialMin(depth: number, c: number, s: number, lambda: number): { p: number; value: number } {
  const F = (p: number) => deepReducedObjective(depth, c, s, lambda, p);
  const hi = (1.2 * c) / s;
  const N = 4000;
  let best = 1;
  for (let i = 1; i <= N; i++) if (F((i * hi) / N) < F((best * hi) / N)) best = i;
  let a = (Math.max(best - 1, 1e-9) * hi) / N;
  let b = (Math.min(best + 1, N) * hi) / N;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = F(x1);
  let f2 = F(x2);
  for (let it = 0; it < 200 && b - a > 1e-15 * b; it++) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = F(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = F(x2);
    }
  }
  const p = (a + b) / 2;
  return { p, value: F(p) };
}

/** Bisection for the λ where the nontrivial minimum's value crosses 0 (it is < 0 below, > 0 above). */
function bruteForceLambdaC(depth: number, c: number, s: number): number {
  let lo = (1e-6 * (c * c)) / s;
  let hi = (10 * c * c) / s;
  assert.ok(nontrivialMin(depth, c, s, lo).value < 0 && nontrivialMin(depth, c, s, hi).value > 0, 'bracket');
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (nontrivialMin(depth, c, s, mid).value < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

test('deep reduction: λc closed form equals the brute-force zero crossing of the nontrivial minimum (D = 2, 3, 5)', () => {
  for (const depth of [2, 3, 5]) {
    for (const [s, c] of [
      [1, 1],
      [2, 0.5],
      [0.3, 1.7],
      [1, 3],
    ]) {
      const brute = bruteForceLambdaC(depth, c, s);
      const closed = deepCriticalLambda(depth, c, s);
      assert.ok(rel(closed, brute) < 1e-6, `D=${depth} s=${s} c=${c}: closed ${closed} vs brute ${brute}`);
      // The jump: at λc the nontrivial minimizer sits at p* = (D−1)c/(Ds).
      const at = nontrivialMin(depth, c, s, closed);
      assert.ok(rel(at.p, deepJump(depth, c, s)) < 1e-6, `D=${depth} s=${s} c=${c}: p* ${at.p} vs ${deepJump(depth, c, s)}`);
      assert.ok(Math.abs(at.value) < 1e-12 * c * at.p, `F(p*) at λc should be 0, got ${at.value}`);
    }
  }
  // The README's values for s = c = 1.
  for (const [depth, value] of [
    [2, 0.39685],
    [3, 0.27217],
    [5, 0.17235],
  ]) {
    assert.ok(Math.abs(deepCriticalLambda(depth, 1, 1) - value) < 1e-4, `λc(${depth}) = ${deepCriticalLambda(depth, 1, 1)}`);
  }
});

test('deep reduction: the spinodal (where the nontrivial local minimum disappears) matches brute force', () => {
  for (const depth of [2, 3, 5]) {
    const c = 1.3;
    const s = 0.7;
    const sp = deepSpinodal(depth, c, s);
    // Just below λs there is an interior local minimum (F' changes sign − → +), just above there is none (F' > 0 on p > 0).
    const dF = (lambda: number, p: number) => 2 * s * p - 2 * c + 2 * lambda * Math.pow(p, 2 / (depth + 1) - 1);
    const hasInteriorMin = (lambda: number) => {
      const N = 20000;
      const hi = (2 * c) / s;
      for (let i = 1; i < N; i++) if (dF(lambda, (i * hi) / N) < 0) return true;
      return false;
    };
    assert.ok(hasInteriorMin(sp.lambda * (1 - 1e-4)), `D=${depth}: a local minimum below λs`);
    assert.ok(!hasInteriorMin(sp.lambda * (1 + 1e-4)), `D=${depth}: none above λs`);
    assert.ok(sp.lambda > deepCriticalLambda(depth, c, s), 'λs lies above λc (hysteresis)');
  }
});

// ---------------------------------------------------------------------------------------------
// D = 1, linear: exact thresholds at the singular values

test('D = 1, linear, MSE, whitened linear data: transitions at σ₁ and σ₂ of E[x yᵀ], second-order, exact', () => {
  const e = experiment({
    data: { kind: 'linear', n: 500, inputDim: 4, outputDim: 3, singularValues: [1.5, 0.7], whiten: true, noise: 0 },
    model: { hidden: [6], activation: 'linear', bias: false },
  });
  const ds = loadDataset(e.data, e.seed, '.');
  const sv = singularValues(crossMoment(ds), ds.inputDim, ds.outputDim);
  const { predictions } = predictTransitions(e, ds);
  assert.equal(predictions.length, 2);
  assert.ok(Math.abs(predictions[1].lambda - sv[0]) < 1e-10, `σ₁: ${predictions[1].lambda} vs ${sv[0]}`);
  assert.ok(Math.abs(predictions[0].lambda - sv[1]) < 1e-10, `σ₂: ${predictions[0].lambda} vs ${sv[1]}`);
  assert.ok(Math.abs(sv[0] - 1.5) < 1e-9 && Math.abs(sv[1] - 0.7) < 1e-9, 'whitened, noiseless: the teacher’s singular values');
  for (const p of predictions) {
    assert.equal(p.order, 'second');
    assert.equal(p.exactness, 'exact');
  }
  // A single hidden unit can carry only one mode.
  const narrow = predictTransitions(experiment({ ...e, model: { ...e.model, hidden: [1] } }), ds);
  assert.equal(narrow.predictions.length, 1);
  assert.ok(Math.abs(narrow.predictions[0].lambda - sv[0]) < 1e-10, `${narrow.predictions[0].lambda}`);
});

test('D = 1, linear, MSE, inputs not whitened: the first threshold stays exact, the second becomes an estimate', () => {
  const e = experiment({
    data: { kind: 'linear', n: 500, inputDim: 4, outputDim: 3, singularValues: [1.5, 0.7], whiten: false, noise: 0 },
    model: { hidden: [6], activation: 'linear', bias: false },
  });
  const ds = loadDataset(e.data, e.seed, '.');
  const sv = singularValues(crossMoment(ds), ds.inputDim, ds.outputDim);
  const { predictions } = predictTransitions(e, ds);
  assert.ok(Math.abs(predictions[1].lambda - sv[0]) < 1e-10, `${predictions[1].lambda} vs ${sv[0]}`);
  assert.equal(predictions[1].exactness, 'exact');
  assert.equal(predictions[0].exactness, 'estimate');
});

// ---------------------------------------------------------------------------------------------
// D = 1: the instability claim itself, on the Hessian at the trivial point

interface Case {
  name: string;
  act: Activation;
  loss: LossKind;
  bias: boolean;
  regularizeBias?: boolean;
  width: number;
  /** Hidden bias at the trivial point (free biases: any value lies on the trivial manifold). */
  b1: number;
  /** Hessian block whose smallest eigenvalue must change sign at λ̂. */
  block: 'weights' | 'weights+outputBias' | 'all';
  /** The smallest eigenvalue of the block is exactly 2λ − 2λ̂ (the block is [[2λI, σ'G], [σ'Gᵀ, 2λI]]). */
  exactValue: boolean;
  centerTargets?: boolean;
  exactness: string;
}

const CASES: Case[] = [
  { name: 'tanh, MSE, biases', act: 'tanh', loss: 'mse', bias: true, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'tanh, MSE, no biases', act: 'tanh', loss: 'mse', bias: false, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'tanh, cross-entropy (unbalanced), biases', act: 'tanh', loss: 'cross-entropy', bias: true, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'tanh, cross-entropy (unbalanced), no biases', act: 'tanh', loss: 'cross-entropy', bias: false, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'sigmoid, MSE, biases (σ(0) = ½ absorbed by b₂)', act: 'sigmoid', loss: 'mse', bias: true, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'sigmoid, MSE, biases, ONE hidden unit', act: 'sigmoid', loss: 'mse', bias: true, width: 1, b1: 0, block: 'weights+outputBias', exactValue: false, exactness: 'exact-onset' },
  { name: 'sigmoid, cross-entropy, biases', act: 'sigmoid', loss: 'cross-entropy', bias: true, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'sigmoid, MSE, no biases, centred targets', act: 'sigmoid', loss: 'mse', bias: false, width: 4, b1: 0, block: 'weights', exactValue: true, centerTargets: true, exactness: 'exact-onset' },
  {
    name: 'sigmoid, MSE, no biases, centred targets, ONE hidden unit',
    act: 'sigmoid',
    loss: 'mse',
    bias: false,
    width: 1,
    b1: 0,
    block: 'weights',
    exactValue: false,
    centerTargets: true,
    exactness: 'exact-onset',
  },
  { name: 'gelu, MSE, biases at the most unstable b₁ = √2', act: 'gelu', loss: 'mse', bias: true, width: 4, b1: Math.SQRT2, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: "gelu, cross-entropy, no biases (b₁ = 0, σ'(0) = ½)", act: 'gelu', loss: 'cross-entropy', bias: false, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact-onset' },
  { name: 'linear, cross-entropy, biases', act: 'linear', loss: 'cross-entropy', bias: true, width: 4, b1: 0, block: 'weights', exactValue: true, exactness: 'exact' },
  {
    name: 'tanh, MSE, regularized biases (λ-dependent trivial point)',
    act: 'tanh',
    loss: 'mse',
    bias: true,
    regularizeBias: true,
    width: 4,
    b1: 0,
    block: 'all',
    exactValue: false,
    exactness: 'exact-onset',
  },
  { name: 'tanh, cross-entropy, regularized biases', act: 'tanh', loss: 'cross-entropy', bias: true, regularizeBias: true, width: 4, b1: 0, block: 'all', exactValue: false, exactness: 'exact-onset' },
];

function caseData(c: Case): Dataset {
  const ds = smallDataset(c.loss === 'mse' ? 'regression' : 'classification', 240, 3, c.loss === 'mse' ? 2 : 3, 7);
  if (c.centerTargets) {
    const { n, y } = ds.train;
    const k = ds.outputDim;
    for (let j = 0; j < k; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += y[i * k + j] / n;
      for (let i = 0; i < n; i++) y[i * k + j] -= m;
    }
  }
  return ds;
}

for (const c of CASES) {
  test(`D = 1 instability at the predicted λ̂ (Hessian at the trivial point): ${c.name}`, () => {
    const ds = caseData(c);
    const e = experiment({
      data: { kind: c.loss === 'mse' ? 'linear' : 'gaussian-mixture', n: 300, inputDim: ds.inputDim, outputDim: ds.outputDim },
      model: { hidden: [c.width], activation: c.act, bias: c.bias, regularizeBias: c.regularizeBias ?? false },
      loss: c.loss,
    });
    const { predictions } = predictTransitions(e, ds);
    assert.ok(predictions.length >= 1, 'a prediction');
    const top = predictions[predictions.length - 1];
    assert.equal(top.exactness, c.exactness, top.why);
    const lhat = top.lambda;
    const n = net(ds, [c.width], c.act, c.loss, c.bias, c.regularizeBias);
    const idx = c.block === 'weights' ? weightIndices(n.layout) : c.block === 'all' ? allIndices(n.layout) : [...weightIndices(n.layout), ...outputBiasIndices(n.layout)];
    for (const f of [0.98, 1.02]) {
      const lambda = f * lhat;
      const theta = trivialTheta(n, ds, c.loss, c.b1, lambda, c.regularizeBias);
      // The trivial point is stationary (gradient 0) — otherwise a Hessian test would mean nothing.
      const grad = new Float64Array(n.layout.size);
      n.problem.lambda = lambda;
      n.problem.valueGrad(theta, grad);
      const gmax = grad.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      assert.ok(gmax < 1e-6, `${c.name}: gradient at the trivial point ${gmax}`);
      const H = hessian(n, theta, lambda);
      const low = minEig(H, n.layout.size, idx);
      if (f < 1) assert.ok(low < -1e-4 * lhat, `${c.name}: λ = 0.98λ̂ should be unstable, min eig ${low}`);
      else assert.ok(low > -1e-7, `${c.name}: λ = 1.02λ̂ should be stable, min eig ${low}`);
      if (c.exactValue) {
        // The ½ and the slope: smallest eigenvalue 2λ − σ'σ₁(G) = 2λ − 2λ̂.
        assert.ok(Math.abs(low - 2 * (lambda - lhat)) < 1e-6, `${c.name}: min eig ${low} vs 2(λ − λ̂) = ${2 * (lambda - lhat)}`);
      }
      // The whole Hessian (biases included) agrees: no direction is more unstable than the weights'.
      const full = minEig(H, n.layout.size, allIndices(n.layout));
      if (f > 1) assert.ok(full > -1e-7, `${c.name}: full Hessian at 1.02λ̂ has ${full}`);
    }
  });
}

test('σ(b₁) ≠ 0 with ONE hidden unit: the output bias must absorb it — the weights-only block (b₂ fixed) is still stable below λ̂', () => {
  const c = CASES.find((x) => x.name === 'sigmoid, MSE, biases, ONE hidden unit')!;
  const ds = caseData(c);
  const e = experiment({ data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2 }, model: { hidden: [1], activation: 'sigmoid', bias: true } });
  const lhat = predictTransitions(e, ds).predictions[0].lambda;
  const n = net(ds, [1], 'sigmoid', 'mse', true);
  const H = hessian(n, trivialTheta(n, ds, 'mse', 0), 0.98 * lhat);
  assert.ok(minEig(H, n.layout.size, weightIndices(n.layout)) > 0, 'weights only: spuriously stable');
  assert.ok(minEig(H, n.layout.size, [...weightIndices(n.layout), ...outputBiasIndices(n.layout)]) < 0, 'weights + output bias: unstable');
});

test('gelu with free biases: the threshold depends on b₁ — at b₁ = 0 (slope ½) the trivial point is still stable at 0.98λ̂', () => {
  const ds = smallDataset('regression', 240, 3, 2, 7);
  const e = experiment({ data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2 }, model: { hidden: [4], activation: 'gelu', bias: true } });
  const lhat = predictTransitions(e, ds).predictions.at(-1)!.lambda;
  const n = net(ds, [4], 'gelu', 'mse', true);
  const H = hessian(n, trivialTheta(n, ds, 'mse', 0), 0.98 * lhat);
  assert.ok(minEig(H, n.layout.size, weightIndices(n.layout)) > 0, 'stable at b₁ = 0');
});

test('relu with free biases: units with b₁ > 0 are exactly linear, so at b₁ = 0.5 the threshold is σ₁ of E[x rᵀ] (the linear net’s)', () => {
  const ds = smallDataset('regression', 240, 3, 2, 7);
  const linear = predictTransitions(experiment({ data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2 }, model: { hidden: [4], activation: 'linear', bias: true } }), ds);
  const rho = linear.predictions.at(-1)!.lambda;
  const relu = predictTransitions(experiment({ data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2 }, model: { hidden: [4], activation: 'relu', bias: true } }), ds);
  assert.ok(relu.predictions.at(-1)!.lambda >= rho * (1 - 1e-12), 'the manifold is at least as unstable as its b₁ > 0 part');
  const n = net(ds, [4], 'relu', 'mse', true);
  for (const f of [0.98, 1.02]) {
    const H = hessian(n, trivialTheta(n, ds, 'mse', 0.5), f * rho);
    const low = minEig(H, n.layout.size, weightIndices(n.layout));
    assert.ok(Math.abs(low - 2 * (f * rho - rho)) < 1e-6, `min eig ${low}`);
  }
});

test('relu without biases: along the predicted half-space direction the objective is 2(λ − λ̂)t² + O(t⁴)', () => {
  // ReLU has no Hessian at 0; along w₁ = t·u, w₂ = t·v the output change is exactly t²(x·u)₊v.
  const ds = smallDataset('regression', 240, 3, 2, 7);
  const e = experiment({ data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2 }, model: { hidden: [4], activation: 'relu', bias: false } });
  const pred = predictTransitions(e, ds).predictions.at(-1)!;
  assert.equal(pred.exactness, 'estimate');
  const lhat = pred.lambda;
  const n = net(ds, [4], 'relu', 'mse', false);
  // Best direction along ±u₁ (u₁ top left singular vector of E[x yᵀ]): scan both signs and the optimal v.
  const d = 3;
  const k = 2;
  const a = crossMoment(ds);
  const g = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) g[i * d + j] += a[i * k + c] * a[j * k + c];
  const eig = symmetricEigen(g, d, { vectors: true });
  const u1 = Array.from({ length: d }, (_, i) => eig.vectors[i * d + d - 1]);
  // For each sign, v ∝ E[y (x·u)₊] and its norm, the gain along that half-space.
  const dirs = [1, -1].map((sign) => {
    const u = u1.map((x) => sign * x);
    const v = new Float64Array(k);
    for (let i = 0; i < ds.train.n; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += ds.train.x[i * d + j] * u[j];
      if (z > 0) for (let c = 0; c < k; c++) v[c] += (ds.train.y[i * k + c] * z) / ds.train.n;
    }
    return { u, v, gain: Math.hypot(...v) };
  });
  const top = dirs[0].gain >= dirs[1].gain ? dirs[0] : dirs[1];
  const best = top.gain;
  // The t² coefficient of the objective along (t·u, t·v/‖v‖) in hidden unit 0, at λ = 0.98λ̂ and 1.02λ̂.
  const grad = new Float64Array(n.layout.size);
  const [l0, l1] = n.layout.layers;
  for (const f of [0.98, 1.02]) {
    n.problem.lambda = f * lhat;
    const t = 1e-3;
    const theta = new Float64Array(n.layout.size);
    for (let j = 0; j < d; j++) theta[l0.wOffset + j * l0.fanOut] = t * top.u[j];
    for (let c = 0; c < k; c++) theta[l1.wOffset + c] = (t * top.v[c]) / best;
    const j0 = n.problem.valueGrad(new Float64Array(n.layout.size), grad);
    const j1 = n.problem.valueGrad(theta, grad);
    const coef = (j1 - j0) / (t * t);
    assert.ok(Math.abs(coef - 2 * (f * lhat - lhat)) < 1e-3 * lhat, `t² coefficient ${coef} vs ${2 * (f - 1) * lhat}`);
    assert.ok(f < 1 ? coef < 0 : coef > 0, `sign of the t² coefficient at ${f}λ̂`);
  }
  assert.ok(rel(best, lhat) < 1e-12, `λ̂ = max over ± of ‖E[y (±x·u₁)₊]‖: ${best} vs ${lhat}`);
});

// ---------------------------------------------------------------------------------------------
// D = 2 linear, and no hidden layer

test('D = 2, linear, MSE, whitened data with one singular value: λc = closed form with s = 1, first-order, exact', () => {
  const cTeacher = 1.3;
  const e = experiment({
    data: { kind: 'linear', n: 400, inputDim: 4, outputDim: 1, singularValues: [cTeacher], whiten: true, noise: 0 },
    model: { hidden: [4, 4], activation: 'linear', bias: false },
  });
  const ds = loadDataset(e.data, e.seed, '.');
  const c = singularValues(crossMoment(ds), ds.inputDim, ds.outputDim)[0];
  assert.ok(Math.abs(c - cTeacher) < 1e-9, `σ₁ ${c}`);
  const expected = (c / 2) * Math.cbrt(c / 2); // (c/D)((D−1)c/(Ds))^((D−1)/(D+1)) at D = 2, s = 1
  const { predictions, notes } = predictTransitions(e, ds);
  assert.equal(predictions.length, 1);
  assert.ok(Math.abs(predictions[0].lambda - expected) < 1e-10, `${predictions[0].lambda} vs ${expected}`);
  assert.equal(predictions[0].order, 'first');
  assert.equal(predictions[0].exactness, 'exact');
  assert.ok(
    notes.some((s) => /local minimum at every λ/.test(s)),
    notes.join('\n'),
  );
  // The example file's setting: c = s = 1 gives the README's 0.397.
  const e1 = experiment({ ...e, data: { ...e.data, singularValues: [1] } });
  const p1 = predictTransitions(e1, loadDataset(e1.data, e1.seed, '.')).predictions[0];
  assert.ok(Math.abs(p1.lambda - 0.39685) < 1e-4, `${p1.lambda}`);
});

test('D = 3 on non-whitened inputs: an estimate, with a note about the inputs', () => {
  const e = experiment({
    data: { kind: 'linear', n: 400, inputDim: 4, outputDim: 2, singularValues: [1.3, 0.5], whiten: false, noise: 0 },
    model: { hidden: [4, 4, 4], activation: 'linear', bias: false },
  });
  const { predictions, notes } = predictTransitions(e, loadDataset(e.data, e.seed, '.'));
  assert.equal(predictions.length, 2);
  assert.ok(
    predictions.every((p) => p.exactness === 'estimate' && p.order === 'first'),
    JSON.stringify(predictions),
  );
  assert.ok(predictions[0].lambda <= predictions[1].lambda, 'sorted');
  assert.ok(
    notes.some((s) => /not isotropic/.test(s)),
    notes.join('\n'),
  );
});

test('hidden: [] gives no prediction, with a note', () => {
  const e = experiment({ data: { kind: 'linear', n: 200, inputDim: 3, outputDim: 1 }, model: { hidden: [], activation: 'linear' } });
  const { predictions, notes } = predictTransitions(e, loadDataset(e.data, e.seed, '.'));
  assert.equal(predictions.length, 0);
  assert.ok(
    notes.some((s) => /ridge/.test(s)),
    notes.join('\n'),
  );
});

test('runs in milliseconds on n = 10⁴ samples, d = 300 inputs, 10 classes', () => {
  const ds = smallDataset('classification', 10000, 300, 10, 3);
  const e = experiment({ data: { kind: 'gaussian-mixture', n: 10000, inputDim: 300, outputDim: 10 }, model: { hidden: [64, 64], activation: 'tanh', bias: true } });
  const t0 = performance.now();
  const r = predictTransitions(e, ds);
  const ms = performance.now() - t0;
  assert.ok(r.predictions.length > 0, 'predictions');
  assert.ok(ms < 1000, `took ${ms} ms`);
});
