import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Activation, HessianSettings } from '../../src/core/config/types';
import { analyzePoint } from '../../src/core/analysis/analyzePoint';
import { scalarCurvature } from '../../src/core/analysis/curvature';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { symmetricEigen } from '../../src/core/linalg/symmetricEigen';
import { assembleHessian, DataHessian } from '../../src/core/model/hessian';
import { addPenaltyHessian, makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { lbfgs } from '../../src/core/train/lbfgs';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';

const SETTINGS: HessianSettings = { enabled: true, exactLimit: 2000, topK: 5, lanczosSteps: 80, slqProbes: 8, slqGridPoints: 256, hutchinsonProbes: 32, tolerance: 1e-6 };

function net(d: number, hidden: number[], k: number, act: Activation, bias: boolean, n: number, seed: number) {
  const rng = new Rng(seed, 'analysis');
  const layout = makeLayout(d, k, { hidden, bias, regularizeBias: false });
  const model = new Mlp(layout, act, 'mse', jsKernels, 'float64');
  const x = rng.fillNormal(new Float64Array(n * d));
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) y[i * k + j] = Math.sin(x[i * d] + j) + 0.3 * x[i * d + (1 % d)] + 0.1 * rng.normal();
  return { rng, layout, model, x, y, n };
}

function trained(p: ReturnType<typeof net>, lambda: number) {
  const problem = new TrainingProblem(p.model, { n: p.n, x: p.x, y: p.y });
  problem.lambda = lambda;
  const start = p.rng.fillNormal(new Float64Array(p.layout.size), 0.5);
  const fit = lbfgs(problem, start, { maxSteps: 5000, tolerance: 5e-8 });
  assert.ok(fit.converged, `training converged (‖∇‖ = ${fit.gradNorm})`);
  return fit.theta;
}

const sorted = (a: ArrayLike<number>) => Array.from(a).sort((u, v) => u - v);

test('exact spectrum of a linear regression objective = eigenvalues of 2XᵀX/N + 2λI', () => {
  const p = net(6, [], 1, 'linear', false, 40, 1);
  const lambda = 0.3;
  const theta = p.rng.fillNormal(new Float64Array(6));
  const { hessian } = analyzePoint({ exact: p.model, fast: p.model }, theta, p.x, p.y, p.n, lambda, SETTINGS, 0);
  const m = new Float64Array(36);
  for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) for (let i = 0; i < p.n; i++) m[a * 6 + b] += (2 * p.x[i * 6 + a] * p.x[i * 6 + b]) / p.n + (a === b && i === 0 ? 2 * lambda : 0);
  const expected = sorted(symmetricEigen(m, 6).values);
  assert.equal(hessian.method, 'exact');
  // Both sides are float64 eigenproblems of the same matrix up to rounding: 1e-12 relative.
  hessian.eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12 * expected[5], `${v} vs ${expected[i]}`));
  assert.equal(hessian.morse, 'nondegenerate-minimum');
});

test('at the origin of a one-hidden-layer linear net the spectrum is 2λ ± 2‖E[xy]‖ (h times each) and 2λ (h(d−1) times)', () => {
  const d = 4;
  const h = 3;
  const p = net(d, [h], 1, 'linear', false, 50, 2);
  const c = new Float64Array(d);
  for (let i = 0; i < p.n; i++) for (let a = 0; a < d; a++) c[a] += (p.x[i * d + a] * p.y[i]) / p.n;
  const cNorm = Math.hypot(...c);
  for (const lambda of [0.5 * cNorm, 2 * cNorm]) {
    const { hessian } = analyzePoint({ exact: p.model, fast: p.model }, new Float64Array(p.layout.size), p.x, p.y, p.n, lambda, SETTINGS, 0);
    const expected = sorted([...Array<number>(h).fill(2 * lambda - 2 * cNorm), ...Array<number>(h).fill(2 * lambda + 2 * cNorm), ...Array<number>(h * (d - 1)).fill(2 * lambda)]);
    hessian.eigenvalues.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12 * (2 * lambda + 2 * cNorm), `${v} vs ${expected[i]}`));
    // Below λc = ‖c‖ the origin is a saddle with Morse index h; above, a nondegenerate minimum.
    if (lambda < cNorm) {
      assert.equal(hessian.morse, 'saddle');
      assert.equal(hessian.negativeCount, h);
    } else assert.equal(hessian.morse, 'nondegenerate-minimum');
  }
});

test('Lanczos top/bottom eigenvalues, SLQ density and Hutchinson curvature agree with the exact path', () => {
  const p = net(5, [12, 10], 2, 'tanh', true, 60, 3);
  const theta = trained(p, 1e-2);
  const exact = analyzePoint({ exact: p.model, fast: p.model }, theta, p.x, p.y, p.n, 1e-2, SETTINGS, 0);
  const approx = analyzePoint({ exact: p.model, fast: p.model }, theta, p.x, p.y, p.n, 1e-2, { ...SETTINGS, exactLimit: 10 }, 0);
  assert.equal(exact.hessian.method, 'exact');
  assert.equal(approx.hessian.method, 'lanczos');
  const all = exact.hessian.eigenvalues;
  const scale = Math.max(Math.abs(all[0]), Math.abs(all[all.length - 1]));
  // The extremes converge first in Lanczos (Kaniel–Paige–Saad): the top 3 and bottom 1 to 1e-8·‖H‖.
  const ritz = approx.hessian.eigenvalues;
  for (let t = 0; t < 3; t++) assert.ok(Math.abs(ritz[ritz.length - 1 - t] - all[all.length - 1 - t]) < 1e-8 * scale, `top ${t}`);
  // The bottom end here is a cluster of near-zero eigenvalues (biases of units L2 switched off
  // are flat directions), where Lanczos converges slowest: 1e-6·‖H‖ after 80 steps.
  assert.ok(Math.abs(ritz[0] - all[0]) < 1e-6 * scale, `bottom ${ritz[0]} vs ${all[0]}`);
  // SLQ density integrates to 1 and its mean eigenvalue matches tr H / P.
  const { grid, values } = approx.hessian.density!;
  let mass = 0;
  let mean = 0;
  for (let i = 1; i < grid.length; i++) {
    const dx = grid[i] - grid[i - 1];
    mass += (dx * (values[i] + values[i - 1])) / 2;
    mean += (dx * (grid[i] * values[i] + grid[i - 1] * values[i - 1])) / 2;
  }
  assert.ok(Math.abs(mass - 1) < 1e-3, `mass ${mass}`);
  const P = exact.hessian.size;
  // The density's mean is Hutchinson's estimate from the 8 SLQ probes v = z/√P (not deflated):
  // per probe Var(vᵀHv) = 2 Σ_{i≠j} H_ij² / P², from the exact float64 Hessian.
  const h = assembleHessian(new DataHessian(p.model, theta, p.x, p.y, p.n), p.layout);
  addPenaltyHessian(p.layout, h, 1e-2);
  let offDiagonal2 = 0;
  for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) if (i !== j) offDiagonal2 += h[i * P + j] ** 2;
  const slqStdErr = Math.sqrt((2 * offDiagonal2) / 8) / P;
  assert.ok(Math.abs(mean - exact.hessian.trace / P) < 4 * slqStdErr, `∫xρ ${mean} vs trH/P ${exact.hessian.trace / P} ± ${slqStdErr}`);
  assert.ok(Math.abs(approx.hessian.trace - exact.hessian.trace) <= 4 * approx.hessian.traceStdErr!, 'Hutchinson trace within 4 standard errors');
  // The HVP-based curvature estimate is within its stated (upper-bound) error of the exact value.
  for (const which of ['error', 'objective'] as const) {
    const err = approx.curvature[`${which}StdErr`]!;
    assert.ok(err > 0);
    assert.ok(Math.abs(approx.curvature[which] - exact.curvature[which]) <= 3 * err, `${which}: ${approx.curvature[which]} vs ${exact.curvature[which]} ± ${err}`);
  }
});

test('scalar curvature: R = 2 on the unit sphere’s graph patch and 2K on the saddle z = x² − y²', () => {
  for (const [x, y] of [
    [0, 0],
    [0.3, -0.2],
    [0.5, 0.4],
  ]) {
    // z = √(1 − x² − y²)
    const z = Math.sqrt(1 - x * x - y * y);
    const g = [-x / z, -y / z];
    const z3 = z * z * z;
    const H = [-(1 - y * y) / z3, -(x * y) / z3, -(x * y) / z3, -(1 - x * x) / z3];
    const inputs = (hh: number[], gg: number[]) => {
      const hg = [hh[0] * gg[0] + hh[1] * gg[1], hh[2] * gg[0] + hh[3] * gg[1]];
      return { trH: hh[0] + hh[3], trH2: hh.reduce((s, v) => s + v * v, 0), gHg: gg[0] * hg[0] + gg[1] * hg[1], gH2g: hg[0] ** 2 + hg[1] ** 2, g2: gg[0] ** 2 + gg[1] ** 2 };
    };
    assert.ok(Math.abs(scalarCurvature(inputs(H, g)) - 2) < 1e-12, `sphere at (${x}, ${y})`);
    // z = x² − y²: K = (f_xx f_yy − f_xy²)/(1 + |∇f|²)² = −4/(1 + 4x² + 4y²)².
    const K = -4 / (1 + 4 * x * x + 4 * y * y) ** 2;
    assert.ok(Math.abs(scalarCurvature(inputs([2, 0, 0, -2], [2 * x, -2 * y])) - 2 * K) < 1e-12, `saddle at (${x}, ${y})`);
  }
});

test('Morse check: a degenerate linear-net minimum and a nondegenerate tanh minimum', () => {
  // Hidden-space rotations (W1 → W1 R, W2 → Rᵀ W2) keep loss and penalty: zero modes at a minimum.
  const lin = net(3, [3], 2, 'linear', false, 40, 4);
  const tl = trained(lin, 1e-2);
  const a = analyzePoint({ exact: lin.model, fast: lin.model }, tl, lin.x, lin.y, lin.n, 1e-2, SETTINGS, 0);
  assert.equal(a.hessian.morse, 'degenerate-minimum');
  assert.ok(a.hessian.nullity >= 1, `nullity ${a.hessian.nullity}`);
  assert.equal(a.hessian.negativeCount, 0);

  const nl = net(3, [5], 1, 'tanh', true, 40, 5);
  const tn = trained(nl, 1e-2);
  const b = analyzePoint({ exact: nl.model, fast: nl.model }, tn, nl.x, nl.y, nl.n, 1e-2, SETTINGS, 0);
  assert.equal(b.hessian.morse, 'nondegenerate-minimum', `eigenvalues ${b.hessian.eigenvalues.slice(0, 4)}`);
  assert.equal(b.hessian.nullity, 0);
  // At a minimum the objective's normal curvatures along its extreme eigenvectors are the extreme eigenvalues.
  const ev = b.hessian.eigenvalues;
  assert.ok(Math.abs(b.curvature.alongTop - ev[ev.length - 1]) < 1e-6 * ev[ev.length - 1]);
  assert.ok(Math.abs(b.curvature.alongBottom - ev[0]) < 1e-6 * ev[ev.length - 1]);
});
