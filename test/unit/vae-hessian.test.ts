import { test } from 'node:test';
import assert from 'node:assert/strict';
import { norm2 } from '../../src/core/linalg/vec';
import { symmetricEigen } from '../../src/core/linalg/symmetricEigen';
import { addPenaltyHessian } from '../../src/core/model/layout';
import { assembleVaeHessian, VaeHessian, vaeObjectiveHessianApply, vaeReconstructionHessianApply } from '../../src/core/model/vaeHessian';
import type { Activation } from '../../src/core/config/types';
import { fdHessianVector } from './finiteDifferences';
import { setup } from './vaeFixtures';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const ACTIVATIONS: Activation[] = ['tanh', 'sigmoid', 'gelu', 'linear'];

for (const observation of ['bernoulli', 'gaussian'] as const) {
  for (const activation of ACTIVATIONS) {
    test(`VAE Hessian-vector products equal central differences of the gradient: ${observation}, ${activation}, three random θ and directions`, () => {
      for (const seed of [1, 2, 3]) {
        const { rng, vae, problem, theta, n, noise } = setup(observation, seed, { activation });
        const hd = new VaeHessian(vae, theta, problem.x, n, noise);
        // Its value and gradient are the problem's data terms.
        const g = new Float64Array(problem.size);
        const lambda = problem.lambda;
        problem.lambda = 0;
        const value = problem.valueGrad(theta, g);
        problem.lambda = lambda;
        assert.ok(Math.abs(hd.value(problem.beta) - value) < 1e-13 * Math.abs(value));
        const hg = hd.gradient(problem.beta);
        assert.ok(norm2(hg.map((a, i) => a - g[i])) < 1e-13 * norm2(g));
        const apply = vaeObjectiveHessianApply(hd, vae.layout, problem.beta, problem.lambda);
        for (let trial = 0; trial < 2; trial++) {
          const v = rng.fillNormal(new Float64Array(problem.size));
          const hv = new Float64Array(problem.size);
          apply(v, hv);
          const fd = fdHessianVector(problem, theta, v);
          // See fdHessianVector: the reference agrees to 4e-10–6e-9 relative here (measured); a wrong R-term
          // (the ¼e^{s/2} second derivative of z, the KL's ½e^s, R(X)ᵀG₀ in the decoder) is O(1).
          const err = norm2(hv.map((a, i) => a - fd[i]));
          assert.ok(err <= 1e-6 * Math.max(1, norm2(fd)), `seed ${seed}: ‖Hv − FD‖ = ${err}, ‖FD‖ = ${norm2(fd)}`);
        }
      }
    });
  }
}

test('one VAE Hessian operator serves every β: products at β₁, β₂ and back equal fresh operators, and H(β) = H(0) + β·H_KL is affine in β', () => {
  const { rng, vae, problem, theta, n, noise } = setup('bernoulli', 4);
  const hd = new VaeHessian(vae, theta, problem.x, n, noise);
  const v = rng.fillNormal(new Float64Array(problem.size));
  const at = (h: VaeHessian, beta: number) => {
    const out = new Float64Array(problem.size);
    h.apply(v, out, beta);
    return out;
  };
  const h0 = at(hd, 0);
  const h1 = at(hd, 1);
  const h3 = at(hd, 3);
  const again = at(hd, 1);
  assert.deepEqual(again, h1);
  assert.deepEqual(at(new VaeHessian(vae, theta, problem.x, n, noise), 3), h3);
  const affine = h0.map((a, i) => a + 3 * (h1[i] - a));
  assert.ok(norm2(affine.map((a, i) => a - h3[i])) < 1e-12 * norm2(h3));
  // The reconstruction operator is β = 0, and differs from β = 1 (the KL has curvature).
  const rec = new Float64Array(problem.size);
  vaeReconstructionHessianApply(hd)(v, rec);
  assert.deepEqual(rec, h0);
  assert.ok(norm2(h1.map((a, i) => a - h0[i])) > 1e-3);
});

test('the VAE Hessian operator is symmetric: uᵀ(Hv) = vᵀ(Hu), both observation models', () => {
  for (const observation of ['bernoulli', 'gaussian'] as const) {
    const { rng, vae, problem, theta, n, noise } = setup(observation, 9);
    const hd = new VaeHessian(vae, theta, problem.x, n, noise);
    const u = rng.fillNormal(new Float64Array(problem.size));
    const v = rng.fillNormal(new Float64Array(problem.size));
    const hu = new Float64Array(problem.size);
    const hv = new Float64Array(problem.size);
    hd.apply(u, hu, 0.7);
    hd.apply(v, hv, 0.7);
    const a = dot(u, hv);
    const b = dot(v, hu);
    assert.ok(Math.abs(a - b) < 1e-12 * Math.max(1, Math.abs(a)), `${observation}: ${a} vs ${b}`);
  }
});

test('the assembled VAE Hessian is symmetric, has the operator as its columns, and with addPenaltyHessian gives the objective spectrum (trace = Σ eigenvalues, H·v = the objective product)', () => {
  const { rng, vae, problem, theta, n, noise } = setup('gaussian', 6);
  const P = problem.size;
  const hd = new VaeHessian(vae, theta, problem.x, n, noise);
  const h = assembleVaeHessian(hd, problem.beta);
  for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) assert.equal(h[i * P + j], h[j * P + i]);
  addPenaltyHessian(vae.layout, h, problem.lambda);
  const v = rng.fillNormal(new Float64Array(P));
  const hv = new Float64Array(P);
  vaeObjectiveHessianApply(hd, vae.layout, problem.beta, problem.lambda)(v, hv);
  const dense = new Float64Array(P);
  for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) dense[i] += h[i * P + j] * v[j];
  assert.ok(norm2(dense.map((a, i) => a - hv[i])) < 1e-11 * norm2(hv));
  const { values } = symmetricEigen(h, P);
  let trace = 0;
  for (let i = 0; i < P; i++) trace += h[i * P + i];
  assert.ok(Math.abs(values.reduce((s, x) => s + x, 0) - trace) < 1e-10 * Math.max(1, Math.abs(trace)));
  // A random θ is no minimum: the spectrum has both signs.
  assert.ok(values[0] < 0 && values[P - 1] > 0);
});
