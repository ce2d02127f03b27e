import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { selectBackend } from '../../src/core/kernels/selectBackend';
import { norm2 } from '../../src/core/linalg/vec';
import { DataHessian } from '../../src/core/model/hessian';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { MlpRop } from '../../src/core/model/mlpRop';
import { Vae } from '../../src/core/model/vae';
import { drawNoise } from '../../src/core/model/vaeNoise';
import { Rng } from '../../src/core/random';
import { ensureKernelsBuilt } from './ownKernels';
import { spec } from './vaeFixtures';

function mseSetup(seed: number) {
  const rng = new Rng(seed, 'backwardFrom');
  const layout = makeLayout(3, 2, { hidden: [5, 4], bias: true, regularizeBias: false });
  const model = new Mlp(layout, 'tanh', 'mse', jsKernels, 'float64');
  const n = 7;
  const x = rng.fillNormal(new Float64Array(n * 3));
  const y = rng.fillNormal(new Float64Array(n * 2));
  const theta = rng.fillNormal(new Float64Array(layout.size), 0.8);
  return { rng, layout, model, n, x, y, theta };
}

/** ∂(mse)/∂f = 2(f − y)/n, the signal lossGrad back-propagates. */
function mseSignal(f: ArrayLike<number>, y: Float64Array, n: number): Float64Array {
  return Float64Array.from(y, (yv, i) => (2 * (f[i] - yv)) / n);
}

test('Mlp.backwardFrom with the loss gradient as signal gives lossGrad’s gradient, and its input signal matches central differences in x', () => {
  const { model, layout, n, x, y, theta } = mseSetup(1);
  const g = new Float64Array(layout.size);
  model.lossGrad(theta, x, y, n, g);
  const f = Float64Array.from(model.forward(theta, x, n));
  const g2 = new Float64Array(layout.size);
  const gx = Float64Array.from(model.backwardFrom(mseSignal(f, y, n), x, n, g2)!);
  assert.ok(norm2(g.map((a, i) => a - g2[i])) < 1e-14 * norm2(g));
  // h = 1e-5 central differences of an O(1) loss: error ~1e-10, so 1e-7 absolute is three orders clear.
  const h = 1e-5;
  const loss = (xs: Float64Array) => model.lossGrad(theta, xs, y, n);
  for (let i = 0; i < x.length; i++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[i] += h;
    xm[i] -= h;
    const fd = (loss(xp) - loss(xm)) / (2 * h);
    assert.ok(Math.abs(fd - gx[i]) < 1e-7, `∂/∂x[${i}]: ${gx[i]} vs ${fd}`);
  }
  // Without wantInput it returns null and still writes the gradient.
  model.forward(theta, x, n);
  const g3 = new Float64Array(layout.size);
  assert.equal(model.backwardFrom(mseSignal(f, y, n), x, n, g3, false), null);
  assert.deepEqual(g3, g2);
  assert.throws(() => model.backwardFrom(new Float64Array(3), x, n), /signal/);
});

test('MlpRop with a constant input reproduces DataHessian’s products, and its input tangent matches central differences of the gradient along (v, rx)', () => {
  const { rng, model, layout, n, x, y, theta } = mseSetup(2);
  const rop = new MlpRop(layout, model.act, jsKernels, 'float64', theta, x, n);
  const f = Float64Array.from(rop.output);
  const grad = new Float64Array(layout.size);
  rop.setSignal(mseSignal(f, y, n), grad);
  const hd = new DataHessian(model, theta, x, y, n);
  assert.ok(norm2(grad.map((a, i) => a - hd.gradient[i])) < 1e-14 * norm2(grad));
  const v = rng.fillNormal(new Float64Array(layout.size));
  const expected = new Float64Array(layout.size);
  hd.apply(v, expected);
  const rf = rop.rForward(v, null);
  const out = new Float64Array(layout.size);
  rop.rBackward(
    Float64Array.from(rf, (r) => (2 * r) / n),
    out,
    false,
  );
  assert.ok(norm2(out.map((a, i) => a - expected[i])) < 1e-13 * norm2(expected));

  // With an input tangent: the loss as a function of (θ, x) along (v, rx). The R-operator's
  // R(∂θ) and R(∂x) are the two blocks of ∇²_{(θ,x)} L · (v, rx); compare with differences of the gradient.
  const rx = rng.fillNormal(new Float64Array(x.length));
  const outTheta = new Float64Array(layout.size);
  const rf2 = rop.rForward(v, rx);
  const rgx = Float64Array.from(
    rop.rBackward(
      Float64Array.from(rf2, (r) => (2 * r) / n),
      outTheta,
      true,
    )!,
  );
  const eps = 1e-5;
  const gradAt = (s: number) => {
    const th = theta.map((t, i) => t + s * eps * v[i]);
    const xs = x.map((t, i) => t + s * eps * rx[i]);
    const m = new Mlp(layout, 'tanh', 'mse', jsKernels, 'float64');
    const g = new Float64Array(layout.size);
    m.lossGrad(th, xs, y, n, g);
    const fo = Float64Array.from(m.forward(th, xs, n));
    const gx = Float64Array.from(m.backwardFrom(mseSignal(fo, y, n), xs, n)!);
    return { g, gx };
  };
  const p = gradAt(1);
  const q = gradAt(-1);
  const fdTheta = p.g.map((a, i) => (a - q.g[i]) / (2 * eps));
  const fdX = p.gx.map((a, i) => (a - q.gx[i]) / (2 * eps));
  assert.ok(norm2(outTheta.map((a, i) => a - fdTheta[i])) < 1e-6 * norm2(fdTheta), 'R(∂θ) with an input tangent');
  assert.ok(norm2(rgx.map((a, i) => a - fdX[i])) < 1e-6 * norm2(fdX), 'R(∂x)');
});

test('the VAE gives the same objective and gradient on our WebAssembly kernels as on the JS ones (float64), and float32 within its rounding', async () => {
  ensureKernelsBuilt();
  const wasm = (await selectBackend('wasm')).kernels;
  const rng = new Rng(3, 'vae/kernels');
  const n = 9;
  const x = Float64Array.from({ length: n * 5 }, () => rng.uniform());
  const noise = drawNoise(n, 2, 2, rng);
  const s = spec('bernoulli');
  const ref = new Vae(s, jsKernels, 'float64');
  const theta = rng.fillNormal(new Float64Array(ref.layout.size), 0.6);
  const g0 = new Float64Array(theta.length);
  const t0 = ref.terms(theta, ref.toModel(x), n, noise, 0.5, g0);
  for (const precision of ['float64', 'float32'] as const) {
    const vae = new Vae(s, wasm, precision);
    const g = new Float64Array(theta.length);
    const t = vae.terms(theta, vae.place(x), n, noise, 0.5, g);
    // Same sums in another order (float64: ~1e-15), or float32 products (~1e-7 relative, summed over ~100 terms).
    const tol = precision === 'float64' ? 1e-12 : 1e-4;
    assert.ok(Math.abs(t.reconstruction - t0.reconstruction) < tol * t0.reconstruction, `${precision}: ${t.reconstruction} vs ${t0.reconstruction}`);
    assert.ok(Math.abs(t.kl - t0.kl) < tol * Math.max(1, t0.kl));
    assert.ok(norm2(g.map((a, i) => a - g0[i])) < tol * norm2(g0), `${precision} gradient`);
  }
});
