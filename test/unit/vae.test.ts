import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { selectBackend } from '../../src/core/kernels/selectBackend';
import { norm2 } from '../../src/core/linalg/vec';
import { ACTIVE_UNIT_KL, countActiveUnits, vaeMeasures } from '../../src/core/measures/vaeMeasures';
import { initialParameters } from '../../src/core/model/init';
import { penalty } from '../../src/core/model/layout';
import { Vae } from '../../src/core/model/vae';
import { drawNoise } from '../../src/core/model/vaeNoise';
import { Rng } from '../../src/core/random';
import { lbfgs } from '../../src/core/train/lbfgs';
import { VaeProblem } from '../../src/core/train/vaeProblem';
import { assertGradMatchesFd } from './finiteDifferences';
import { ensureKernelsBuilt } from './ownKernels';
import { D, L, setup, spec } from './vaeFixtures';

for (const observation of ['bernoulli', 'gaussian'] as const) {
  for (const regularizeBias of [false, true]) {
    test(`VAE objective's gradient matches central differences: ${observation}, tanh, hidden layers, regularizeBias=${regularizeBias}, three random θ`, () => {
      for (const seed of [1, 2, 3]) {
        const { problem, theta } = setup(observation, seed, { regularizeBias });
        const grad = new Float64Array(problem.size);
        problem.valueGrad(theta, grad);
        const scratch = new Float64Array(problem.size);
        assertGradMatchesFd((t) => problem.valueGrad(t, scratch), theta, grad, `${observation} seed ${seed}`);
      }
    });
  }
}

test("on our WebAssembly kernels (the fused Bernoulli loss) the VAE's gradient matches central differences and the JS kernels' value and gradient", async () => {
  ensureKernelsBuilt();
  const { kernels, description } = await selectBackend('wasm');
  assert.match(description, /l2-landscape SIMD kernels/);
  assert.ok(kernels.bernoulliNll);
  for (const seed of [1, 2]) {
    const { problem, theta } = setup('bernoulli', seed, {}, kernels);
    const grad = new Float64Array(problem.size);
    const value = problem.valueGrad(theta, grad);
    const scratch = new Float64Array(problem.size);
    assertGradMatchesFd((t) => problem.valueGrad(t, scratch), theta, grad, `wasm seed ${seed}`);
    const js = setup('bernoulli', seed);
    const jsGrad = new Float64Array(problem.size);
    assert.ok(Math.abs(js.problem.valueGrad(theta, jsGrad) - value) <= 1e-12 * Math.abs(value));
    jsGrad.forEach((g, i) => assert.ok(Math.abs(g - grad[i]) <= 1e-12 * (1 + Math.abs(g)), `grad[${i}]`));
  }
});

test('the minibatch objective is the full one on those rows (their data and their noise), and its gradient matches central differences', () => {
  const { problem, theta } = setup('bernoulli', 4);
  const rows = Int32Array.from([4, 1, 3]);
  const grad = new Float64Array(problem.size);
  const value = problem.batchValueGrad(theta, grad, rows);
  const scratch = new Float64Array(problem.size);
  assertGradMatchesFd((t) => problem.batchValueGrad(t, scratch, rows), theta, grad, 'batch');
  // The same rows as a data set of their own, with the same noise rows.
  const { vae, noise } = problem;
  const w = noise.samples * noise.latentDim;
  const x = new Float64Array(rows.length * D);
  const eps = new Float64Array(rows.length * w);
  rows.forEach((r, i) => {
    x.set(problem.x.subarray(r * D, (r + 1) * D), i * D);
    eps.set(noise.eps.subarray(r * w, (r + 1) * w), i * w);
  });
  const own = new VaeProblem(vae, { n: rows.length, x }, { ...noise, n: rows.length, eps });
  own.beta = problem.beta;
  own.lambda = problem.lambda;
  assert.ok(Math.abs(own.valueGrad(theta, scratch) - value) < 1e-12 * Math.abs(value));
});

test('the fixed noise makes the objective deterministic: the same θ gives bit-identical values and gradients, across calls and across problems built with the same seed; other noise gives another value', () => {
  for (const observation of ['bernoulli', 'gaussian'] as const) {
    const a = setup(observation, 7);
    const b = setup(observation, 7);
    const g1 = new Float64Array(a.problem.size);
    const g2 = new Float64Array(a.problem.size);
    const g3 = new Float64Array(a.problem.size);
    const v1 = a.problem.valueGrad(a.theta, g1);
    // Another θ in between: no state carries over.
    a.problem.valueGrad(
      a.theta.map((t) => t + 0.3),
      new Float64Array(a.problem.size),
    );
    const v2 = a.problem.valueGrad(a.theta, g2);
    const v3 = b.problem.valueGrad(b.theta, g3);
    assert.equal(v1, v2);
    assert.equal(v1, v3);
    assert.deepEqual(g1, g2);
    assert.deepEqual(g1, g3);
    const other = new VaeProblem(a.vae, { n: a.n, x: a.problem.x }, drawNoise(a.n, 3, L, new Rng(99, 'other')));
    other.beta = a.problem.beta;
    other.lambda = a.problem.lambda;
    assert.notEqual(other.valueGrad(a.theta, g3), v1);
  }
});

test('the KL term is the closed form ½Σ(μ² + σ² − 1 − log σ²) of the encoder output, and agrees with a direct Monte-Carlo estimate of E_q[log q − log p]', () => {
  const { vae, problem, theta, n, noise } = setup('gaussian', 5);
  const { mu, logVar } = vae.encode(theta, problem.x, n);
  let closed = 0;
  for (let i = 0; i < mu.length; i++) closed += 0.5 * (mu[i] ** 2 + Math.exp(logVar[i]) - 1 - logVar[i]);
  closed /= n;
  const terms = vae.terms(theta, problem.x, n, noise, 1);
  assert.ok(Math.abs(terms.kl - closed) < 1e-13 * closed, `${terms.kl} vs ${closed}`);
  const perUnit = vae.klPerUnit(theta, problem.x, n);
  assert.ok(Math.abs(perUnit.reduce((s, v) => s + v, 0) - closed) < 1e-13 * closed);
  // log q(z) − log p(z) per unit = −½ log σ² − ½ε² + ½z², z = μ + σε: its mean over many draws
  // is the KL. 2·10⁵ draws per row and unit: standard error ≈ 2e-3 of an O(1) KL, so 1.5% is > 5 SE.
  const rng = new Rng(3, 'kl-mc');
  let mc = 0;
  const draws = 200000;
  for (let i = 0; i < mu.length; i++) {
    const s = Math.exp(0.5 * logVar[i]);
    let acc = 0;
    for (let k = 0; k < draws; k++) {
      const e = rng.normal();
      const z = mu[i] + s * e;
      acc += -0.5 * logVar[i] - 0.5 * e * e + 0.5 * z * z;
    }
    mc += acc / draws;
  }
  mc /= n;
  assert.ok(Math.abs(mc - closed) < 0.015 * closed, `Monte Carlo ${mc} vs closed form ${closed}`);
});

test('the objective is reconstruction + β·KL + λ·(weights only, unless biases are regularized)', () => {
  for (const regularizeBias of [false, true]) {
    const { vae, problem, theta, n, noise } = setup('bernoulli', 6, { regularizeBias });
    const t = vae.terms(theta, problem.x, n, noise, 0);
    let w2 = 0;
    for (const l of vae.layout.layers) {
      for (let i = l.wOffset; i < l.wOffset + l.fanIn * l.fanOut; i++) w2 += theta[i] ** 2;
      if (regularizeBias) for (let i = l.bOffset; i < l.bOffset + l.fanOut; i++) w2 += theta[i] ** 2;
    }
    const value = problem.valueGrad(theta, new Float64Array(problem.size));
    const expected = t.reconstruction + problem.beta * t.kl + problem.lambda * w2;
    assert.ok(Math.abs(value - expected) < 1e-12 * expected, `${value} vs ${expected}`);
    assert.ok(Math.abs(penalty(vae.layout, theta, 1) - w2) < 1e-12 * w2);
  }
});

test('reconstruction terms: bernoulli is the binary cross-entropy of the sigmoid of the logits, gaussian ‖x − x̂‖²/(2σ²), each summed over pixels and averaged over rows and draws', () => {
  for (const observation of ['bernoulli', 'gaussian'] as const) {
    const { vae, problem, theta, n, noise } = setup(observation, 8);
    const { mu, logVar } = vae.encode(theta, problem.x, n);
    const S = noise.samples;
    const z = new Float64Array(n * S * L);
    for (let i = 0; i < n; i++) for (let k = 0; k < S; k++) for (let j = 0; j < L; j++) z[(i * S + k) * L + j] = mu[i * L + j] + Math.exp(0.5 * logVar[i * L + j]) * noise.eps[(i * S + k) * L + j];
    const means = vae.decode(theta, z, n * S);
    let rec = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < S; k++) {
        for (let c = 0; c < D; c++) {
          const xv = problem.x[i * D + c];
          const m = means[(i * S + k) * D + c];
          rec += observation === 'bernoulli' ? -(xv * Math.log(m) + (1 - xv) * Math.log(1 - m)) : (xv - m) ** 2 / (2 * 0.7);
        }
      }
    }
    rec /= n * S;
    const t = vae.terms(theta, problem.x, n, noise, 0);
    assert.ok(Math.abs(t.reconstruction - rec) < 1e-12 * rec, `${observation}: ${t.reconstruction} vs ${rec}`);
  }
});

test('reconstruct is the decoder mean at z = μ(x): sigmoid outputs in (0, 1) for bernoulli; decode of a latent traversal moves the output', () => {
  const { vae, problem, theta } = setup('bernoulli', 9);
  const rec = vae.reconstruct(theta, problem.x.subarray(0, 2 * D), 2);
  const { mu } = vae.encode(theta, problem.x.subarray(0, 2 * D), 2);
  assert.deepEqual(rec, vae.decode(theta, mu, 2));
  for (const v of rec) assert.ok(v > 0 && v < 1);
  const traversal = vae.decode(theta, [-2, 0, 0, 0, 2, 0], 3);
  assert.equal(traversal.length, 3 * D);
  assert.ok(norm2(traversal.subarray(0, D).map((v, i) => v - traversal[2 * D + i])) > 1e-3);
});

test('moment-matched noise has per-row empirical mean 0 and covariance I exactly', () => {
  const S = 5;
  const noise = drawNoise(4, S, 3, new Rng(2, 'mm'), true);
  for (let i = 0; i < 4; i++) {
    for (let a = 0; a < 3; a++) {
      let m = 0;
      for (let k = 0; k < S; k++) m += noise.eps[(i * S + k) * 3 + a] / S;
      assert.ok(Math.abs(m) < 1e-14);
      for (let b = 0; b < 3; b++) {
        let c = 0;
        for (let k = 0; k < S; k++) c += (noise.eps[(i * S + k) * 3 + a] * noise.eps[(i * S + k) * 3 + b]) / S;
        assert.ok(Math.abs(c - (a === b ? 1 : 0)) < 1e-13, `row ${i} C[${a},${b}] = ${c}`);
      }
    }
  }
  assert.throws(() => drawNoise(4, 3, 3, new Rng(2, 'mm'), true), /samples ≥ latentDim \+ 1/);
});

test('measures: ELBO = −(reconstruction + KL), per-unit KL sums to KL, active units count KL above 0.01 nats; L-BFGS trains the VAE unchanged and a large β collapses every unit', () => {
  const rng = new Rng(11, 'vae/train');
  const vae = new Vae(spec('gaussian', { encoderHidden: [6], decoderHidden: [6], observationVariance: 0.1 }), jsKernels, 'float64');
  const n = 40;
  // Two strong latent directions in 5 dims.
  const x = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const a = 2 * rng.normal();
    const b = 1.5 * rng.normal();
    for (let c = 0; c < D; c++) x[i * D + c] = a * Math.sin(c + 1) + b * Math.cos(2 * c) + 0.05 * rng.normal();
  }
  const noise = drawNoise(n, 4, L, rng, true);
  const problem = new VaeProblem(vae, { n, x }, noise);
  const start = initialParameters(vae.layout, 'xavier', 1, rng);
  const counts: number[] = [];
  for (const beta of [0.5, 1000]) {
    problem.beta = beta;
    const fit = lbfgs(problem, start, { maxSteps: 3000, tolerance: 1e-7 });
    assert.ok(!fit.diverged);
    const m = vaeMeasures(vae, fit.theta, x, n, noise);
    assert.ok(Math.abs(m.elbo + m.reconstruction + m.kl) < 1e-12 * Math.abs(m.elbo));
    assert.ok(Math.abs(m.klPerUnit.reduce((s, v) => s + v, 0) - m.kl) < 1e-12 * Math.max(1, m.kl));
    assert.equal(m.activeUnits, countActiveUnits(m.klPerUnit, ACTIVE_UNIT_KL));
    assert.equal(m.threshold, 0.01);
    // The trained objective is the problem's value there.
    const t = vae.terms(fit.theta, problem.x, n, noise, 0);
    assert.ok(Math.abs(t.reconstruction + beta * t.kl - fit.value) < 1e-9 * Math.abs(fit.value));
    counts.push(m.activeUnits);
  }
  assert.deepEqual(counts, [2, 0]);
});
