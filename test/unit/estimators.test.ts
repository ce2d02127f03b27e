import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HessianSettings } from '../../src/core/config/types';
import { analyzePoint } from '../../src/core/analysis/analyzePoint';
import { hutchinson } from '../../src/core/analysis/hutchinson';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { extremeEigenvalues } from '../../src/core/linalg/extremeEigenpairs';
import type { MatVec } from '../../src/core/linalg/lanczos';
import { symmetricEigen } from '../../src/core/linalg/symmetricEigen';
import { assembleHessian, DataHessian, objectiveHessianApply } from '../../src/core/model/hessian';
import { addPenaltyHessian, makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { lbfgs } from '../../src/core/train/lbfgs';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';

const SETTINGS: HessianSettings = { enabled: true, exactLimit: 2000, topK: 20, lanczosSteps: 80, slqProbes: 8, slqGridPoints: 256, hutchinsonProbes: 32, tolerance: 1e-6 };
/**
 * Forces the matrix-free path (Lanczos, SLQ, Hutchinson) that networks above exactLimit take; one
 * SLQ probe, as nothing here reads the density and its products are most of the run time.
 */
const MATRIX_FREE = { ...SETTINGS, exactLimit: 10, slqProbes: 1 };

function denseMatvec(a: Float64Array, n: number): MatVec {
  return (v, out) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
      out[i] = s;
    }
  };
}

/**
 * A trained [20,20] tanh net (P = 582) at λ = 1e-3, with its exact float64 objective Hessian: a
 * few outlying top eigenvalues (up to ≈ 45) over a bulk that reaches zero, and its smallest
 * eigenvalue slightly negative at the edge of that bulk (≈ −2.5e-6), where Lanczos is slowest.
 */
const net = (() => {
  const rng = new Rng(8, 'estimators');
  const d = 5;
  const k = 2;
  const n = 80;
  const lambda = 1e-3;
  const layout = makeLayout(d, k, { hidden: [20, 20], bias: true, regularizeBias: false });
  const exact = new Mlp(layout, 'tanh', 'mse', jsKernels, 'float64');
  const fast = new Mlp(layout, 'tanh', 'mse', jsKernels, 'float32');
  const x = rng.fillNormal(new Float64Array(n * d));
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) y[i * k + j] = Math.sin(x[i * d] + j) + 0.3 * x[i * d + 1] * x[i * d + 2] + 0.1 * rng.normal();
  const problem = new TrainingProblem(exact, { n, x, y });
  problem.lambda = lambda;
  const theta = lbfgs(problem, rng.fillNormal(new Float64Array(layout.size), 0.5), { maxSteps: 3000, tolerance: 1e-6 }).theta;
  const P = layout.size;
  const h = assembleHessian(new DataHessian(exact, theta, x, y, n), layout);
  addPenaltyHessian(layout, h, lambda);
  let trace = 0;
  let offDiagonal2 = 0;
  for (let i = 0; i < P; i++)
    for (let j = 0; j < P; j++)
      if (i === j) trace += h[i * P + i];
      else offDiagonal2 += h[i * P + j] ** 2;
  const eigenvalues = symmetricEigen(Float64Array.from(h), P).values;
  const scale = Math.max(-eigenvalues[0], eigenvalues[P - 1]);
  return { layout, exact, fast, x, y, n, lambda, theta, P, trace, offDiagonal2, eigenvalues, scale };
})();

test('hutchinson: deflating the whole range of a rank-6 matrix leaves nothing to sample (exact tr A, tr A², zero standard error)', () => {
  const rng = new Rng(1, 'estimators/low-rank');
  const n = 50;
  const r = 6;
  // A = U diag(c) Uᵀ with a Gaussian, not orthonormal, U: the estimator orthonormalizes it.
  const u = Array.from({ length: r }, () => rng.fillNormal(new Float64Array(n)));
  const c = [9, 4, 1, -0.5, -2, 3];
  const a = new Float64Array(n * n);
  for (let t = 0; t < r; t++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += c[t] * u[t][i] * u[t][j];
  let trA = 0;
  let trA2 = 0;
  for (let i = 0; i < n; i++) trA += a[i * n + i];
  for (let i = 0; i < n * n; i++) trA2 += a[i] * a[i];
  const e = hutchinson(denseMatvec(a, n), n, { probes: 8, seed: 3, deflate: u });
  // Every probe is projected onto the complement of range(A), where A vanishes: rounding only.
  assert.ok(Math.abs(e.trace - trA) <= 1e-10 * trA2 ** 0.5, `${e.trace} vs ${trA}`);
  assert.ok(Math.abs(e.trace2 - trA2) <= 1e-10 * trA2, `${e.trace2} vs ${trA2}`);
  assert.ok(e.traceStdErr <= 1e-10 * trA2 ** 0.5);
  // Without deflation the same probes carry the full Rademacher variance 2 Σ_{i≠j} A_ij².
  const plain = hutchinson(denseMatvec(a, n), n, { probes: 8, seed: 3 });
  assert.ok(plain.traceStdErr > 0.1 * Math.abs(trA), `plain SE ${plain.traceStdErr}`);
});

test('matrix-free Hutchinson trace of a trained tanh net (float32 products) agrees with the exact float64 trace on 20 points', () => {
  const zs: number[] = [];
  const stdErrs: number[] = [];
  for (let p = 0; p < 20; p++) {
    const { hessian } = analyzePoint({ exact: net.exact, fast: net.fast }, net.theta, net.x, net.y, net.n, net.lambda, MATRIX_FREE, 0, `up-s0-${p}`);
    assert.equal(hessian.method, 'lanczos');
    zs.push((hessian.trace - net.trace) / hessian.traceStdErr!);
    stdErrs.push(hessian.traceStdErr!);
  }
  // Each within 3 standard errors. Calibrated errors put about 1 in 20 beyond 2 (t with 31
  // degrees of freedom: 5.4%; 5 or more of 20 has probability 0.4%; measured on 100 points of
  // this net: 6 beyond 2, none beyond 3, sd of z 0.96), and split the signs evenly (all 20 on one
  // side is what a probe seed shared by every point gives).
  zs.forEach((z, p) => assert.ok(Math.abs(z) <= 3, `point ${p}: z = ${z}`));
  assert.ok(zs.filter((z) => Math.abs(z) > 2).length <= 4, `beyond 2 SE: ${zs.map((z) => z.toFixed(2))}`);
  const above = zs.filter((z) => z > 0).length;
  assert.ok(above >= 4 && above <= 16, `${above} of 20 above the exact trace`);
  // Deflating the top Ritz vectors: far below the plain estimator's exact standard error
  // √(2 Σ_{i≠j} H_ij² / 32), whose skewed probe values made the reported error untrustworthy.
  const plainStdErr = Math.sqrt((2 * net.offDiagonal2) / SETTINGS.hutchinsonProbes);
  for (const se of stdErrs) assert.ok(se < 0.1 * plainStdErr, `SE ${se} vs plain ${plainStdErr}`);
  // Reproducible per point.
  const again = analyzePoint({ exact: net.exact, fast: net.fast }, net.theta, net.x, net.y, net.n, net.lambda, MATRIX_FREE, 0, 'up-s0-0');
  assert.equal((again.hessian.trace - net.trace) / again.hessian.traceStdErr!, zs[0]);
});

/**
 * A = Q Λ Qᵀ, 600×600 and dense (Q a product of four Householder reflections), with the spectrum
 * of a saddle: outliers 100, 50, 20, 10, 5 on top, a bulk in [0, 1) clustered at 0 (u⁴), and 50
 * negative eigenvalues evenly spaced in [−0.05, 0) — tiny gaps against the range of 100.
 */
function saddleSpectrum(): { a: Float64Array; n: number; lambdaMin: number; lambdaMax: number } {
  const rng = new Rng(2, 'estimators/saddle');
  const n = 600;
  const spectrum = [100, 50, 20, 10, 5];
  for (let i = 0; i < 50; i++) spectrum.push(-0.05 * (1 - i / 50));
  while (spectrum.length < n) spectrum.push(rng.uniform() ** 4);
  const a = new Float64Array(n * n);
  spectrum.forEach((v, i) => (a[i * n + i] = v));
  for (let r = 0; r < 4; r++) {
    // A ← H A H with H = I − 2wwᵀ (unit w): A − 2w(Aw)ᵀ − 2(Aw)wᵀ + 4(wᵀAw)wwᵀ.
    const w = rng.fillNormal(new Float64Array(n));
    const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    for (let i = 0; i < n; i++) w[i] /= norm;
    const aw = new Float64Array(n);
    denseMatvec(a, n)(w, aw);
    const waw = aw.reduce((s, x, i) => s + x * w[i], 0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += -2 * w[i] * aw[j] - 2 * aw[i] * w[j] + 4 * waw * w[i] * w[j];
  }
  return { a, n, lambdaMin: -0.05, lambdaMax: 100 };
}

test('extremeEigenvalues: on a saddle-like spectrum the bottom Ritz value converges like the top one, given a step budget', () => {
  const { a, n, lambdaMin, lambdaMax } = saddleSpectrum();
  const fixed = extremeEigenvalues(denseMatvec(a, n), n, { k: 5, steps: 80, seed: 1 });
  const budget = extremeEigenvalues(denseMatvec(a, n), n, { k: 5, steps: 80, maxSteps: 320, tolerance: 1e-8, seed: 1 });
  // In 80 steps the top outlier is exact to rounding but the bottom is not resolved yet.
  assert.ok(Math.abs(fixed.top[0] - lambdaMax) <= 1e-11 * lambdaMax);
  assert.ok(fixed.bottom[0] - lambdaMin > 1e-6 * lambdaMax, `80 steps: ${fixed.bottom[0]}`);
  // With the budget the run stops once both ends have residual ≤ 1e-8‖A‖; the bottom value is then
  // within residual²/gap (gap 1e-3) of λmin, far inside the 1e-9‖A‖ asserted.
  assert.ok(budget.steps > 80 && budget.steps < 320, `steps ${budget.steps}`);
  assert.ok(budget.bottomResiduals[0] <= 1e-8 * lambdaMax && budget.topResiduals[0] <= 1e-8 * lambdaMax);
  assert.ok(Math.abs(budget.bottom[0] - lambdaMin) <= 1e-9 * lambdaMax, `bottom ${budget.bottom[0]} vs ${lambdaMin}`);
  assert.ok(Math.abs(budget.top[0] - lambdaMax) <= 1e-11 * lambdaMax);
});

test('analyzePoint (matrix-free): the bottom Lanczos eigenvalue of a trained tanh net equals the exact one to 1e-9‖H‖', () => {
  const lambdaMin = net.eigenvalues[0];
  assert.ok(lambdaMin < 0, `the case has a negative eigenvalue: ${lambdaMin}`);
  // The case is hard: 80 fixed steps leave the bottom Ritz value well above λmin (even positive).
  const apply = objectiveHessianApply(new DataHessian(net.exact, net.theta, net.x, net.y, net.n), net.layout, net.lambda);
  const fixed = extremeEigenvalues(apply, net.P, { k: 1, steps: SETTINGS.lanczosSteps, seed: 0 });
  assert.ok(fixed.bottom[0] - lambdaMin > 1e-8 * net.scale, `80 steps: ${fixed.bottom[0]} vs ${lambdaMin}`);
  // float64 products: what is left is the Lanczos error, within the residual 1e-8‖H‖ asked for.
  const { hessian } = analyzePoint({ exact: net.exact, fast: net.exact }, net.theta, net.x, net.y, net.n, net.lambda, MATRIX_FREE, 0, 'up-s0-0');
  assert.ok(Math.abs(hessian.eigenvalues[0] - lambdaMin) <= 1e-9 * net.scale, `bottom ${hessian.eigenvalues[0]} vs ${lambdaMin}`);
  const top = hessian.eigenvalues[hessian.eigenvalues.length - 1];
  assert.ok(Math.abs(top - net.eigenvalues[net.P - 1]) <= 1e-12 * net.scale);
});
