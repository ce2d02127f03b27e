// The finite-difference checks of model.test.ts (gradients) and hessian.test.ts (Hessian-vector
// products), run on every backend's kernels in float64: the JS kernels, and our WebAssembly
// kernels with their fused layer epilogues and in-place workspaces (the model's buffers and a
// DataHessian's own). Tolerances are theirs, argued there: central differences with h = 1e-5
// are good to ~1e-10, so 1e-7 (gradients) and 1e-6 (HVPs) relative leave orders of margin
// while a wrong term is off by O(1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Activation, LossKind } from '../../src/core/config/types';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import type { Kernels } from '../../src/core/kernels/kernels';
import { selectBackend } from '../../src/core/kernels/selectBackend';
import { KERNEL_FILES } from '../../src/core/kernels/wasm/wasmKernels';
import { norm2 } from '../../src/core/linalg/vec';
import { DataHessian, objectiveHessianApply } from '../../src/core/model/hessian';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';
import { fdHessianVector } from './finiteDifferences';

const ACTIVATIONS: Activation[] = ['linear', 'tanh', 'relu', 'sigmoid', 'gelu'];
const LOSSES: LossKind[] = ['mse', 'cross-entropy'];
const ROOT = join(__dirname, '..', '..');

/** Compiles dist/l2-kernels-*.wasm when missing or older than their source (as kernels.test.ts does). */
function ensureKernelsBuilt(): void {
  const source = statSync(join(ROOT, 'src/core/kernels/wasm/assembly/kernels.ts')).mtimeMs;
  const fresh = Object.values(KERNEL_FILES).every((f) => existsSync(join(ROOT, 'dist', f)) && statSync(join(ROOT, 'dist', f)).mtimeMs >= source);
  if (fresh) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-kernels.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

async function backends(): Promise<[string, Kernels][]> {
  ensureKernelsBuilt();
  const wasm = await selectBackend('wasm');
  assert.match(wasm.description, /l2-landscape SIMD kernels/);
  return [
    ['js', jsKernels],
    ['wasm', wasm.kernels],
  ];
}

/** n rows, inputs d, hidden layers, outputs k: the small net of model.test.ts, and one wide enough for full SIMD tiles and tails. */
const NETS = [
  { n: 7, d: 3, hidden: [5, 4], k: 2 },
  { n: 37, d: 6, hidden: [9, 8], k: 3 },
];

function setup(kernels: Kernels, act: Activation, loss: LossKind, bias: boolean, net: (typeof NETS)[number], seed: number) {
  const rng = new Rng(seed, `mk/${act}/${loss}/${bias}/${net.n}`);
  const layout = makeLayout(net.d, net.k, { hidden: net.hidden, bias, regularizeBias: bias });
  const model = new Mlp(layout, act, loss, kernels, 'float64');
  const x = rng.fillNormal(new Float64Array(net.n * net.d));
  const y = new Float64Array(net.n * net.k);
  for (let i = 0; i < net.n; i++) {
    if (loss === 'mse') for (let j = 0; j < net.k; j++) y[i * net.k + j] = rng.normal();
    else y[i * net.k + rng.int(net.k)] = 1;
  }
  const problem = new TrainingProblem(model, { n: net.n, x, y });
  const theta = rng.fillNormal(new Float64Array(layout.size), 0.7);
  return { rng, layout, model, problem, theta };
}

test('gradients match central differences on every backend, every activation and loss', async () => {
  for (const [name, kernels] of await backends()) {
    for (const net of NETS) {
      for (const act of ACTIVATIONS) {
        for (const loss of LOSSES) {
          for (const bias of [true, false]) {
            const { problem, theta } = setup(kernels, act, loss, bias, net, 1);
            problem.lambda = 0.3;
            const grad = new Float64Array(problem.size);
            problem.valueGrad(theta, grad);
            const scale = Math.max(1, ...Array.from(grad, Math.abs));
            const h = 1e-5;
            const t = Float64Array.from(theta);
            const scratch = new Float64Array(problem.size);
            for (let i = 0; i < theta.length; i++) {
              t[i] = theta[i] + h;
              const fp = problem.valueGrad(t, scratch);
              t[i] = theta[i] - h;
              const fm = problem.valueGrad(t, scratch);
              t[i] = theta[i];
              const fd = (fp - fm) / (2 * h);
              assert.ok(Math.abs(fd - grad[i]) <= 1e-7 * scale, `${name} ${act}/${loss}/bias=${bias}/n=${net.n}: ∂/∂θ[${i}] ${grad[i]} vs FD ${fd}`);
            }
          }
        }
      }
    }
  }
});

test('Hessian-vector products match central differences of the gradient on every backend', async () => {
  for (const [name, kernels] of await backends()) {
    for (const net of NETS) {
      for (const act of ACTIVATIONS) {
        for (const loss of LOSSES) {
          for (const bias of [true, false]) {
            const { rng, layout, model, problem, theta } = setup(kernels, act, loss, bias, net, 5);
            const lambda = 0.2;
            problem.lambda = lambda;
            const hd = new DataHessian(model, theta, problem.x, problem.y, problem.n);
            const g = new Float64Array(layout.size);
            model.lossGrad(theta, problem.x, problem.y, problem.n, g);
            for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i] - hd.gradient[i]) < 1e-12 * Math.max(1, norm2(g)), `${name}: DataHessian's gradient`);
            const apply = objectiveHessianApply(hd, layout, lambda);
            for (let trial = 0; trial < 2; trial++) {
              const v = rng.fillNormal(new Float64Array(layout.size));
              const hv = new Float64Array(layout.size);
              apply(v, hv);
              const fd = fdHessianVector(problem, theta, v);
              const err = norm2(hv.map((a, i) => a - fd[i]));
              assert.ok(err <= 1e-6 * Math.max(1, norm2(fd)), `${name} ${act}/${loss}/bias=${bias}/n=${net.n}: ‖Hv − FD‖ = ${err}, ‖FD‖ = ${norm2(fd)}`);
            }
          }
        }
      }
    }
  }
});

test('the WebAssembly and JS kernels give the same float64 gradient and Hessian-vector product to rounding', async () => {
  const [[, js], [, wasm]] = await backends();
  for (const act of ACTIVATIONS) {
    const net = { n: 120, d: 10, hidden: [33, 17], k: 4 };
    const a = setup(js, act, 'cross-entropy', true, net, 9);
    const b = setup(wasm, act, 'cross-entropy', true, net, 9);
    const ga = new Float64Array(a.layout.size);
    const gb = new Float64Array(a.layout.size);
    assert.ok(Math.abs(a.problem.valueGrad(a.theta, ga) - b.problem.valueGrad(b.theta, gb)) < 1e-13);
    const scale = norm2(ga);
    assert.ok(norm2(ga.map((v, i) => v - gb[i])) <= 1e-12 * scale, `${act}: gradients`);
    const v = a.rng.fillNormal(new Float64Array(a.layout.size));
    const ha = new Float64Array(a.layout.size);
    const hb = new Float64Array(a.layout.size);
    new DataHessian(a.model, a.theta, a.problem.x, a.problem.y, net.n).apply(v, ha);
    new DataHessian(b.model, b.theta, b.problem.x, b.problem.y, net.n).apply(v, hb);
    assert.ok(norm2(ha.map((x, i) => x - hb[i])) <= 1e-11 * Math.max(1, norm2(ha)), `${act}: HVPs`);
  }
});
