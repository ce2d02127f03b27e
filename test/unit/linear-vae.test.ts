import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { ACTIVE_UNIT_KL, countActiveUnits } from '../../src/core/measures/vaeMeasures';
import { initialParameters } from '../../src/core/model/init';
import { Vae } from '../../src/core/model/vae';
import { drawNoise } from '../../src/core/model/vaeNoise';
import { dataCovariance, linearVaeCollapses, linearVaeCriticalBeta, linearVaeUnitKl } from '../../src/core/predict/linearVae';
import { Rng } from '../../src/core/random';
import { lbfgs } from '../../src/core/train/lbfgs';
import { VaeProblem } from '../../src/core/train/vaeProblem';

const D = 4;
const L = 3;
const N = 160;
/** σ² ≠ 1, so a formula that drops it (β_c = ℓ) fails. */
const S2 = 0.5;

/**
 * n rows x = m + Σ_a √c_a g_a q_a with a random orthonormal basis q and an offset m ≠ 0 (the
 * closed form must center): covariance eigenvalues near c = [4, 2, 1, 0.25], distinct.
 */
function linearData(seed: number): Float64Array {
  const rng = new Rng(seed, 'linear-vae/data');
  const c = [4, 2, 1, 0.25];
  const q: Float64Array[] = [];
  while (q.length < D) {
    const v = rng.fillNormal(new Float64Array(D));
    for (const u of q) {
      let p = 0;
      for (let j = 0; j < D; j++) p += u[j] * v[j];
      for (let j = 0; j < D; j++) v[j] -= p * u[j];
    }
    const norm = Math.hypot(...v);
    q.push(v.map((t) => t / norm));
  }
  const x = new Float64Array(N * D);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) x[i * D + j] = 0.7 * (j + 1);
    for (let a = 0; a < D; a++) {
      const g = Math.sqrt(c[a]) * rng.normal();
      for (let j = 0; j < D; j++) x[i * D + j] += g * q[a][j];
    }
  }
  return x;
}

/** A linear VAE on the data with moment-matched noise (S = L + 1), trained by L-BFGS from one fixed start per β. */
function linearVae(x: Float64Array, lambda = 0) {
  const vae = new Vae(
    { inputDim: D, latentDim: L, encoderHidden: [], activation: 'linear', bias: true, regularizeBias: false, observation: 'gaussian', observationVariance: S2 },
    jsKernels,
    'float64',
  );
  const noise = drawNoise(N, L + 1, L, new Rng(2, 'linear-vae/noise'), true);
  const problem = new VaeProblem(vae, { n: N, x }, noise);
  problem.lambda = lambda;
  const start = initialParameters(vae.layout, 'xavier', 1, new Rng(3, 'linear-vae/init'));
  /** The minimum at β reached from `from` (default the fixed start). */
  const fitAt = (beta: number, from = start) => {
    problem.beta = beta;
    // Tolerance 1e-10 on ‖∇J‖: a unit's KL is then resolved far below the thresholds used (≥ 1e-4).
    const fit = lbfgs(problem, from, { maxSteps: 20000, tolerance: 1e-10 });
    assert.ok(!fit.diverged, `β = ${beta}`);
    return fit;
  };
  const klAt = (beta: number): Float64Array => vae.klPerUnit(fitAt(beta).theta, x, N);
  return { vae, klAt, fitAt };
}

/** The β in (lo, hi) where the count with `threshold` drops from `above` units, by bisection to 1e-4 relative. */
function bisectDrop(count: (beta: number) => number, lo: number, hi: number, above: number): number {
  while (hi / lo - 1 > 1e-4) {
    const mid = Math.sqrt(lo * hi);
    if (count(mid) >= above) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

test('dataCovariance is the 1/n covariance (centered) or the second moment; linearVaeCollapses returns the top latentDim eigenvalues over σ², largest first', () => {
  const x = Float64Array.from([1, 2, 3, 6, 5, 4]);
  const c = dataCovariance(x, 3, 2, true);
  // Columns (1, 3, 5) and (2, 6, 4): means 3 and 4; 1/n sums: var 8/3, 8/3; cov (−2·−2 + 0 + 2·0)/3.
  assert.deepEqual(
    Array.from(c, (v) => Math.round(v * 3)),
    [8, 4, 4, 8],
  );
  const m = dataCovariance(x, 3, 2, false);
  assert.deepEqual(
    Array.from(m, (v) => Math.round(v * 3)),
    [35, 40, 40, 56],
  );
  const p = linearVaeCollapses(x, 3, 2, { latentDim: 5, observationVariance: 2 });
  assert.equal(p.length, 2);
  assert.ok(Math.abs(p[0].eigenvalue - 4) < 1e-12 && Math.abs(p[1].eigenvalue - 4 / 3) < 1e-12);
  assert.ok(Math.abs(p[0].beta - 2) < 1e-12 && Math.abs(p[1].beta - 2 / 3) < 1e-12);
  assert.ok(Math.abs(p[0].activeUntil! - 2 * Math.exp(-0.02)) < 1e-12);
  assert.equal(p[0].exactness, 'exact');
  assert.equal(linearVaeCollapses(x, 3, 2, { latentDim: 1, observationVariance: 2, bias: false })[0].exactness, 'exact-onset');
  // λ > 0: β(λ) = ℓ/(σ²(1 + 2λσ²)) − 2λ/ℓ; first order (exact-onset) when ℓ²(1 + 4λσ²) ≤ 4λσ²(1 + 2λσ²)².
  assert.ok(Math.abs(linearVaeCriticalBeta(4, 2, 0.1) - (4 / (2 * 1.4) - 0.05)) < 1e-12);
  const jump = linearVaeCollapses(Float64Array.from([0.1, -0.1]), 2, 1, { latentDim: 1, observationVariance: 1, lambda: 0.5 })[0];
  assert.ok(jump.firstOrder && jump.collapse === null, 'ℓ = 0.01 < 2λσ²: first order, and the active branch is never the lower');
});

test('linear VAE, λ = 0: the active-unit count drops exactly where the closed form says, at each of the three directions (β_i·e^{−2τ} with τ = 0.01 nats, and the collapse itself within 0.2% of β_i = ℓ_i/σ²); per-unit KL = ½·log(ℓ_i/(βσ²))', () => {
  const x = linearData(1);
  const predicted = linearVaeCollapses(x, N, D, { latentDim: L, observationVariance: S2 });
  const { klAt } = linearVae(x);
  // A coarse grid first, located without the prediction: counts fall as β grows, 3 → 0.
  const grid = Array.from({ length: 15 }, (_, i) => 0.8 * Math.pow(1.25, i));
  const counts = grid.map((b) => countActiveUnits(klAt(b)));
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] <= counts[i - 1], `counts ${counts} not falling with β ${grid}`);
  assert.equal(counts[0], 3);
  assert.equal(counts[counts.length - 1], 0);
  for (const above of [3, 2, 1]) {
    const i = counts.findIndex((c) => c < above);
    assert.equal(counts[i - 1], above, `one direction at a time: ${counts}`);
    const p = predicted[above - 1];
    const drop = bisectDrop((b) => countActiveUnits(klAt(b), ACTIVE_UNIT_KL), grid[i - 1], grid[i], above);
    // The threshold's prediction, exact up to the bisection (1e-4) and the training tolerance.
    assert.ok(Math.abs(drop / p.activeUntil! - 1) < 2e-3, `direction ${above - 1}: count drops at β = ${drop}, predicted ${p.activeUntil}`);
    // The collapse itself: the KL leaves 1e-4 nats (β_i·e^{−2e-4} = 0.9998·β_i), against β_i = ℓ_i/σ².
    const collapse = bisectDrop((b) => countActiveUnits(klAt(b), 1e-4), grid[i - 1], grid[i] * 1.05, above);
    assert.ok(Math.abs(collapse / p.beta - 1) < 2e-3, `direction ${above - 1}: collapses at β = ${collapse}, closed form ${p.beta}`);
  }
  // Per-unit KL between the collapses: the trained units, sorted, against ½·log(ℓ_i/(βσ²)).
  for (const beta of [1.1, 3.3, 6]) {
    const kl = Array.from(klAt(beta)).sort((a, b) => b - a);
    predicted.forEach((p, i) => {
      const expected = linearVaeUnitKl(p.eigenvalue, beta, S2);
      assert.ok(Math.abs(kl[i] - expected) < 1e-5 + 1e-3 * expected, `β = ${beta}, direction ${i}: KL ${kl[i]} vs ${expected}`);
    });
  }
});

test('linear VAE, λ > 0: each direction collapses at β_i(λ) = ℓ_i/(σ²(1 + 2λσ²)) − 2λ/ℓ_i (continuous here), within 0.2% (the KL cut 1e-4 alone puts it 0.02% below); the count (τ = 0.01 nats) drops at activeUntil and the unit KL is linearVaeUnitKl', () => {
  const x = linearData(2);
  const lambda = 0.05;
  const predicted = linearVaeCollapses(x, N, D, { latentDim: L, observationVariance: S2, lambda });
  for (const p of predicted) assert.equal(p.exactness, 'exact');
  // β_i(λ) differs from λ = 0's ℓ_i/σ² by more than the tolerance, so the test tells them apart.
  for (const p of predicted) assert.ok(Math.abs(p.beta / (p.eigenvalue / S2) - 1) > 0.05);
  const { klAt } = linearVae(x, lambda);
  for (const [i, p] of predicted.entries()) {
    const collapse = bisectDrop((b) => countActiveUnits(klAt(b), 1e-4), p.beta * 0.85, p.beta * 1.15, i + 1);
    assert.ok(Math.abs(collapse / p.beta - 1) < 2e-3, `direction ${i}: collapses at β = ${collapse}, closed form ${p.beta}`);
    // The count the detector reads (τ = 0.01) drops about 2% below β_i(λ): a prediction of β_i(λ) itself would miss it by that much.
    const drop = bisectDrop((b) => countActiveUnits(klAt(b), ACTIVE_UNIT_KL), p.beta * 0.85, p.beta * 1.15, i + 1);
    assert.ok(Math.abs(drop / p.activeUntil! - 1) < 2e-3, `direction ${i}: count drops at β = ${drop}, predicted ${p.activeUntil}`);
  }
  for (const beta of [0.9, 2.5]) {
    const kl = Array.from(klAt(beta)).sort((a, b) => b - a);
    predicted.forEach((p, i) => {
      const expected = linearVaeUnitKl(p.eigenvalue, beta, S2, lambda);
      assert.ok(Math.abs(kl[i] - expected) < 1e-5 + 1e-3 * expected, `β = ${beta}, direction ${i}: KL ${kl[i]} vs ${expected}`);
    });
  }
});

test("linear VAE, λ > 0, first order: the collapse is a jump at β* above β_i(λ), where the active branch's objective meets the collapsed point's", () => {
  const x = linearData(3);
  const top = linearVaeCollapses(x, N, D, { latentDim: L, observationVariance: S2 })[0].eigenvalue;
  // g = 2λσ² with ℓ² = 1.05·g(1 + g): β_1(λ) > 0 and ℓ²(1 + 2g) < 2g(1 + g)², the first-order side; the other directions never activate (ℓ < g).
  const g = (-1 + Math.sqrt(1 + (4 * top * top) / 1.05)) / 2;
  const lambda = g / (2 * S2);
  const [p, ...rest] = linearVaeCollapses(x, N, D, { latentDim: L, observationVariance: S2, lambda });
  assert.ok(p.firstOrder && p.beta > 0 && p.collapse! > 1.05 * p.beta, `β_1(λ) = ${p.beta}, β* = ${p.collapse}`);
  for (const q of rest) assert.equal(q.collapse, null);
  assert.equal(p.activeUntil, p.collapse, 'the count drops with the jump');
  const { vae, fitAt } = linearVae(x, lambda);
  // The collapsed point (every unit off): its objective is the reconstruction by the mean alone, tr Σ/(2σ²).
  const trace = Array.from(dataCovariance(x, N, D, true)).reduce((sum, v, k) => (k % (D + 1) === 0 ? sum + v : sum), 0);
  const collapsed = trace / (2 * S2);
  // The active branch, followed up from below β_1(λ) (where the collapsed point is a saddle).
  let theta = fitAt(p.beta * 0.5).theta;
  const gap = (beta: number) => {
    const fit = fitAt(beta, theta);
    theta = fit.theta;
    return { gap: fit.value - collapsed, active: vae.klPerUnit(fit.theta, x, N).some((kl) => kl > ACTIVE_UNIT_KL) };
  };
  for (const f of [0.8, 0.95, 0.99]) {
    const at = gap(p.collapse! * f);
    assert.ok(at.active && at.gap < 0, `β = ${f}·β*: the active branch is the lower (${at.gap})`);
  }
  const above = gap(p.collapse! * 1.01);
  assert.ok(!above.active || above.gap > 0, `β = 1.01·β*: the active branch is above the collapsed point or gone (${above.gap})`);
});
