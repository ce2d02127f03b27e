import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Activation, LossKind } from '../../src/core/config/types';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { norm2 } from '../../src/core/linalg/vec';
import { assembleHessian, DataHessian, objectiveHessianApply } from '../../src/core/model/hessian';
import { selectBackend } from '../../src/core/kernels/selectBackend';
import { ensureKernelsBuilt } from './ownKernels';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';
import { fdHessianVector } from './finiteDifferences';

const ACTIVATIONS: Activation[] = ['linear', 'tanh', 'relu', 'sigmoid', 'gelu'];
const LOSSES: LossKind[] = ['mse', 'cross-entropy'];

function setup(act: Activation, loss: LossKind, bias: boolean, seed = 5) {
  const rng = new Rng(seed, `hvp/${act}/${loss}/${bias}`);
  const layout = makeLayout(3, 2, { hidden: [5, 4], bias, regularizeBias: bias });
  const model = new Mlp(layout, act, loss, jsKernels, 'float64');
  const n = 9;
  const x = rng.fillNormal(new Float64Array(n * 3));
  const y = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    if (loss === 'mse') for (let j = 0; j < 2; j++) y[i * 2 + j] = rng.normal();
    else y[i * 2 + rng.int(2)] = 1;
  }
  const problem = new TrainingProblem(model, { n, x, y });
  const theta = rng.fillNormal(new Float64Array(layout.size), 0.8);
  return { rng, layout, model, problem, theta, x: problem.x, y: problem.y, n };
}

for (const act of ACTIVATIONS) {
  for (const loss of LOSSES) {
    for (const bias of [true, false]) {
      test(`Hessian-vector products equal central differences of the gradient: ${act}, ${loss}, bias=${bias}`, () => {
        const { rng, layout, model, problem, theta, x, y, n } = setup(act, loss, bias);
        const lambda = 0.2;
        problem.lambda = lambda;
        const hd = new DataHessian(model, theta, x, y, n);
        // Its gradient is the training gradient of the data term.
        const g = new Float64Array(layout.size);
        model.lossGrad(theta, x, y, n, g);
        for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i] - hd.gradient[i]) < 1e-12 * Math.max(1, norm2(g)));
        const applyObjective = objectiveHessianApply(hd, layout, lambda);
        for (let trial = 0; trial < 3; trial++) {
          const v = rng.fillNormal(new Float64Array(layout.size));
          const hv = new Float64Array(layout.size);
          applyObjective(v, hv);
          const fd = fdHessianVector(problem, theta, v);
          const err = norm2(hv.map((a, i) => a - fd[i]));
          assert.ok(err <= 1e-6 * Math.max(1, norm2(fd)), `‖Hv − FD‖ = ${err}, ‖FD‖ = ${norm2(fd)}`);
        }
      });
    }
  }
}

test('the Hessian operator is symmetric: uᵀ(Hv) = vᵀ(Hu)', () => {
  for (const act of ACTIVATIONS) {
    const { rng, layout, model, theta, x, y, n } = setup(act, 'cross-entropy', true, 9);
    const hd = new DataHessian(model, theta, x, y, n);
    const u = rng.fillNormal(new Float64Array(layout.size));
    const v = rng.fillNormal(new Float64Array(layout.size));
    const hu = new Float64Array(layout.size);
    const hv = new Float64Array(layout.size);
    hd.apply(u, hu);
    hd.apply(v, hv);
    const a = u.reduce((s, ui, i) => s + ui * hv[i], 0);
    const b = v.reduce((s, vi, i) => s + vi * hu[i], 0);
    assert.ok(Math.abs(a - b) < 1e-12 * Math.max(1, Math.abs(a)), `${act}: ${a} vs ${b}`);
  }
});

test('unit-column products (applyUnit) equal the dense product with e_i on their layers and leave the rest untouched; the assembled Hessian equals the dense columns, on the JS and our WebAssembly kernels, both precisions', async () => {
  ensureKernelsBuilt();
  const wasm = (await selectBackend('wasm')).kernels;
  const shapes: { hidden: number[]; input: number; output: number }[] = [
    { hidden: [], input: 3, output: 2 },
    { hidden: [5], input: 3, output: 1 },
    { hidden: [5, 4], input: 3, output: 2 },
    { hidden: [3, 6, 2], input: 4, output: 3 },
  ];
  for (const kernels of [jsKernels, wasm]) {
    for (const precision of ['float64', 'float32'] as const) {
      for (const { hidden, input, output } of shapes) {
        for (const act of ACTIVATIONS) {
          for (const loss of LOSSES) {
            for (const bias of [true, false]) {
              const label = `${kernels.name} ${precision} [${hidden}] ${act} ${loss} bias=${bias}`;
              const rng = new Rng(9, `unit/${label}`);
              const layout = makeLayout(input, output, { hidden, bias, regularizeBias: false });
              const model = new Mlp(layout, act, loss, kernels, precision);
              const n = 7;
              const x = rng.fillNormal(new Float64Array(n * input));
              const y = new Float64Array(n * output);
              for (let i = 0; i < n; i++) {
                if (loss === 'mse') for (let j = 0; j < output; j++) y[i * output + j] = rng.normal();
                else y[i * output + rng.int(output)] = 1;
              }
              const theta = rng.fillNormal(new Float64Array(layout.size), 0.8);
              const hd = new DataHessian(model, theta, model.toModel(x), model.toModel(y), n);
              const P = layout.size;
              const e = new Float64Array(P);
              const dense = new Float64Array(P);
              const unit = new Float64Array(P);
              const full = new Float64Array(P * P);
              let scale = 0;
              for (let i = 0; i < P; i++) {
                e[i] = 1;
                hd.apply(e, dense);
                e[i] = 0;
                full.set(dense, i * P);
                for (const v of dense) scale = Math.max(scale, Math.abs(v));
              }
              // Both are the same sums in another order: float64 rounding ~1e-15, float32 ~1e-6 of the largest entry.
              const tol = (precision === 'float64' ? 1e-13 : 1e-5) * Math.max(1, scale);
              for (let i = 0; i < P; i++) {
                let m = layout.layers.length - 1;
                while (m > 0 && layout.layers[m].wOffset > i) m--;
                const start = layout.layers[m].wOffset;
                unit.fill(12345);
                hd.applyUnit(i, unit);
                for (let j = 0; j < P; j++) {
                  if (j < start) assert.equal(unit[j], 12345, `${label}: column ${i} wrote entry ${j} below its layer`);
                  else assert.ok(Math.abs(unit[j] - full[i * P + j]) <= tol, `${label}: H[${j}, ${i}] ${unit[j]} vs ${full[i * P + j]}`);
                }
              }
              const h = assembleHessian(hd, layout);
              for (let i = 0; i < P * P; i++) assert.ok(Math.abs(h[i] - full[i]) <= tol, `${label}: assembled entry ${i}`);
            }
          }
        }
      }
    }
  }
});
