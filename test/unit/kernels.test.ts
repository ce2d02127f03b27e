import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Activation } from '../../src/core/config/types';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { ownKernelsOrJs, selectBackend, tfjsWasmBackend } from '../../src/core/kernels/selectBackend';
import type { Kernels, Precision } from '../../src/core/kernels/kernels';
import { copiedBytes, KERNEL_FILES, relaxedSimdSupported, validWasm } from '../../src/core/kernels/wasm/wasmKernels';
import { activation } from '../../src/core/model/activations';
import { makeLayout } from '../../src/core/model/layout';
import { lossFns } from '../../src/core/model/losses';
import { Mlp } from '../../src/core/model/mlp';
import { bernoulliValueGrad } from '../../src/core/model/vaeTerms';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';

const ROOT = join(__dirname, '..', '..');

/** Compiles dist/l2-kernels-*.wasm (as `npm run build` does) when missing or older than their source, so the tests never run stale kernels. */
function ensureKernelsBuilt(): void {
  const source = statSync(join(ROOT, 'src/core/kernels/wasm/assembly/kernels.ts')).mtimeMs;
  const fresh = Object.values(KERNEL_FILES).every((f) => existsSync(join(ROOT, 'dist', f)) && statSync(join(ROOT, 'dist', f)).mtimeMs >= source);
  if (fresh) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-kernels.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const ACTIVATIONS: Activation[] = ['linear', 'tanh', 'relu', 'sigmoid', 'gelu'];

/** The textbook triple loop, the reference every kernel must equal. */
function reference(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = s;
    }
  return out;
}

// Odd sizes exercise the remainder loops (rows past a multiple of 4, columns past a multiple
// of 2 vectors, a last vector with 1…3 lanes); 300 and 257 cross the reduction tile (256);
// sparse B the JS kernels' zero-row skipping.
const SHAPES = [
  [1, 1, 1],
  [1, 5, 1],
  [3, 7, 1],
  [4, 1, 8],
  [7, 3, 5],
  [13, 9, 6],
  [9, 1, 13],
  [5, 300, 9],
  [17, 257, 3],
  [8, 16, 10],
  [200, 20, 33],
  [301, 64, 17],
  [64, 64, 64],
];

/** Each output is a sum of k products of O(1) normals: float64 rounding is ~1e-16·√k, float32 ~6e-8·√k; `tol` multiplies √k. */
function check(kernels: Kernels, precision: Precision, tol: number, alloc?: (len: number) => Float32Array | Float64Array) {
  const rng = new Rng(4, 'kernels');
  const F = precision === 'float32' ? Float32Array : Float64Array;
  const make = (v: Float64Array) => {
    if (!alloc) return F.from(v);
    const w = alloc(v.length);
    w.set(v);
    return w;
  };
  for (const [m, k, n] of SHAPES) {
    for (const sparse of [false, true]) {
      const draw = (len: number, zeroRows = 0, width = 1) => {
        const v = rng.fillNormal(new Float64Array(len));
        if (zeroRows) for (let r = 0; r < len / width; r++) if (r % zeroRows !== 0) v.fill(0, r * width, (r + 1) * width);
        return v;
      };
      const close = (ref: Float64Array, got: ArrayLike<number>, depth: number, what: string) => {
        assert.equal(got.length, ref.length);
        ref.forEach((v, i) => assert.ok(Math.abs(v - got[i]) <= tol * Math.sqrt(depth), `${what} ${m}x${k}x${n}[${i}]: ${got[i]} vs ${v}`));
      };
      const A = draw(m * k);
      const B = draw(k * n, sparse ? 3 : 0, n);
      const mm = make(new Float64Array(m * n).fill(NaN));
      kernels.mm(make(A), make(B), m, k, n, mm);
      const r1 = reference(A, B, m, k, n, false, false);
      close(r1, mm, k, 'mm');
      // Accumulating adds the product to what out holds.
      const C = draw(m * n);
      const acc = make(C);
      kernels.mm(make(A), make(B), m, k, n, acc, true);
      close(
        r1.map((v, i) => v + C[i]),
        acc,
        k + 1,
        'mm accumulate',
      );
      // mmTN: A is m×k, B2 is m×n → k×n
      const B2 = draw(m * n);
      const tn = make(new Float64Array(k * n).fill(NaN));
      kernels.mmTN(make(A), make(B2), m, k, n, tn);
      const r2 = reference(A, B2, k, m, n, true, false);
      close(r2, tn, m, 'mmTN');
      const acc2 = make(draw(k * n));
      const before2 = Float64Array.from(acc2);
      kernels.mmTN(make(A), make(B2), m, k, n, acc2, true);
      close(
        r2.map((v, i) => v + before2[i]),
        acc2,
        m + 1,
        'mmTN accumulate',
      );
      // mmNT: A3 is m×n, B3 is k×n → m×k
      const A3 = draw(m * n);
      const B3 = draw(k * n, sparse ? 2 : 0, n);
      const nt = make(new Float64Array(m * k).fill(NaN));
      kernels.mmNT(make(A3), make(B3), m, n, k, nt);
      const r3 = reference(A3, B3, m, n, k, false, true);
      close(r3, nt, n, 'mmNT');
      const acc3 = make(draw(m * k));
      const before3 = Float64Array.from(acc3);
      kernels.mmNT(make(A3), make(B3), m, n, k, acc3, true);
      close(
        r3.map((v, i) => v + before3[i]),
        acc3,
        n + 1,
        'mmNT accumulate',
      );
    }
  }
}

async function ours(): Promise<Kernels> {
  ensureKernelsBuilt();
  const backend = await selectBackend('wasm');
  assert.match(backend.description, /l2-landscape SIMD kernels/, 'the wasm backend runs our kernels');
  if (process.env.L2_EXPECT_RELAXED) assert.match(backend.description, /relaxed-SIMD FMA/);
  return backend.kernels;
}

test('JS kernels equal the textbook product in float64 and float32', () => {
  check(jsKernels, 'float64', 1e-13);
  check(jsKernels, 'float32', 1e-5);
});

test('TF.js WASM kernels equal the textbook product (float32)', async () => {
  const backend = await tfjsWasmBackend();
  check(backend.kernels, 'float32', 1e-5);
});

test('our WebAssembly kernels equal the textbook product in float64 and float32, on plain arrays and in a workspace', async () => {
  const k = await ours();
  check(k, 'float64', 1e-13);
  check(k, 'float32', 1e-5);
  const ws = k.workspace();
  check(k, 'float64', 1e-13, (len) => ws.alloc('float64', len));
  check(k, 'float32', 1e-5, (len) => ws.alloc('float32', len));
  // Operands from another workspace, and of the other precision, are copied in.
  const other = k.workspace();
  const rng = new Rng(2, 'mixed');
  const a = ws.alloc('float32', 6 * 5);
  a.set(rng.fillNormal(new Float64Array(30)));
  const b = other.alloc('float32', 5 * 7);
  b.set(rng.fillNormal(new Float64Array(35)));
  const out = other.alloc('float32', 6 * 7);
  k.mm(Float64Array.from(a), b, 6, 5, 7, out);
  reference(Float64Array.from(a), Float64Array.from(b), 6, 5, 7, false, false).forEach((v, i) => assert.ok(Math.abs(v - out[i]) < 1e-5 * Math.sqrt(5)));
});

test('the relaxed-SIMD probe agrees with the relaxed build, and that build equals the reference where the engine has relaxed SIMD', () => {
  ensureKernelsBuilt();
  const bytes = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'dist', f)));
  assert.equal(validWasm(bytes(KERNEL_FILES.simd)), true);
  assert.equal(validWasm(bytes(KERNEL_FILES.relaxed)), relaxedSimdSupported());
  if (process.env.L2_EXPECT_RELAXED) return;
  // Node 20's V8 has relaxed SIMD behind a flag: this file's product tests again with it on.
  const env: NodeJS.ProcessEnv = { ...process.env, L2_EXPECT_RELAXED: '1' };
  delete env.NODE_TEST_CONTEXT; // else the child reports to this runner instead of its stdout
  const flagged = spawnSync(
    process.execPath,
    ['--experimental-wasm-relaxed-simd', '--import', 'tsx', '--test', '--test-reporter', 'tap', '--test-name-pattern', 'our WebAssembly kernels|fused', __filename],
    { encoding: 'utf8', env, cwd: ROOT },
  );
  if (/unknown flag|bad option/i.test(flagged.stderr)) return; // a Node without the flag has relaxed SIMD on by default, tested above
  assert.equal(flagged.status, 0, flagged.stdout + flagged.stderr);
  assert.match(flagged.stdout, /# pass 4\b/); // the products, the fused epilogues, the fused softmax cross-entropy and Bernoulli loss
});

/** The fused layer steps against the products followed by the JS elementwise passes (model/activations.ts). */
test('fused bias + activation and derivative epilogues equal the JS layer steps, for every activation, in both precisions', async () => {
  const k = await ours();
  const ref = jsKernels;
  const rng = new Rng(6, 'epilogues');
  for (const precision of ['float64', 'float32'] as const) {
    const F = precision === 'float32' ? Float32Array : Float64Array;
    const ws = k.workspace();
    for (const act of ACTIVATIONS) {
      for (const [m, kk, n] of [
        [1, 1, 1],
        [5, 3, 7],
        [13, 20, 9],
        [64, 33, 64],
        [9, 300, 2],
      ]) {
        for (const withBias of [true, false]) {
          // Scaled so pre-activations are O(1) and cover both signs and the saturated range of tanh/sigmoid.
          const x = rng.fillNormal(new Float64Array(m * kk));
          const w = rng.fillNormal(new Float64Array(kk * n), 2 / Math.sqrt(kk));
          const bias = withBias ? rng.fillNormal(new Float64Array(n)) : null;
          const place = (v: Float64Array) => {
            const out = ws.alloc(precision, v.length);
            out.set(v);
            return out;
          };
          const z = ws.alloc(precision, m * n).fill(NaN);
          const h = ws.alloc(precision, m * n).fill(NaN);
          k.denseForward(place(x), place(w), bias && place(bias), m, kk, n, z, act, h);
          const z64 = new Float64Array(m * n);
          const h64 = new Float64Array(m * n);
          ref.denseForward(x, w, bias, m, kk, n, z64, act, h64);
          // float64: the same formulas, so rounding only; float32: the product's rounding (~6e-8·√k·|x||w|)
          // carried through σ (slope ≤ 1.13), plus float32 evaluation of σ itself (~1e-6 relative).
          const tol = precision === 'float64' ? 1e-12 : 2e-5 * Math.sqrt(kk);
          for (let i = 0; i < m * n; i++) {
            assert.ok(Math.abs(z[i] - z64[i]) <= tol, `${precision} ${act} z[${i}] ${z[i]} vs ${z64[i]}`);
            assert.ok(Math.abs(h[i] - h64[i]) <= tol, `${precision} ${act} h[${i}] ${h[i]} vs ${h64[i]}`);
          }
          // The output layer: bias only, no activation.
          const zOut = ws.alloc(precision, m * n);
          k.denseForward(place(x), place(w), bias && place(bias), m, kk, n, zOut, act, null);
          const zOut64 = new Float64Array(m * n);
          ref.denseForward(x, w, bias, m, kk, n, zOut64, act, null);
          for (let i = 0; i < m * n; i++) assert.ok(Math.abs(zOut[i] - zOut64[i]) <= tol, `${precision} output z[${i}]`);
          // Backward into this layer: d = g·Wᵀ ⊙ σ'(z, h), g (m×q) from a next layer of width q.
          const q = 1 + (n % 5);
          const g = rng.fillNormal(new Float64Array(m * q));
          const w2 = rng.fillNormal(new Float64Array(n * q), 1 / Math.sqrt(q));
          const d = ws.alloc(precision, m * n).fill(NaN);
          k.denseBackward(place(g), place(w2), m, q, n, d, act, z, h);
          const d64 = new Float64Array(m * n);
          // The reference from the same z and h, so only the epilogue is compared.
          ref.denseBackward(g, w2, m, q, n, d64, act, Float64Array.from(z), Float64Array.from(h));
          const dtol = precision === 'float64' ? 1e-12 : 2e-5 * Math.sqrt(q);
          for (let i = 0; i < m * n; i++) assert.ok(Math.abs(d[i] - d64[i]) <= dtol, `${precision} ${act} d[${i}] ${d[i]} vs ${d64[i]}`);
          // Without z and h (the signal at the input): the product alone.
          const dIn = ws.alloc(precision, m * n);
          k.denseBackward(place(g), place(w2), m, q, n, dIn, act, null, null);
          reference(g, w2, m, q, n, false, true).forEach((v, i) => assert.ok(Math.abs(v - dIn[i]) <= dtol));
        }
      }
      // Bias rows and elementwise products (the Hessian-vector product's steps), odd lengths included.
      for (const [m, n] of [
        [1, 1],
        [7, 3],
        [33, 64],
        [5, 9],
      ]) {
        const z0 = rng.fillNormal(new Float64Array(m * n));
        const bias = rng.fillNormal(new Float64Array(n));
        const z = ws.alloc(precision, m * n);
        z.set(z0);
        k.addBias(z, F.from(bias), m, n);
        const eps = precision === 'float64' ? 1e-15 : 1e-6;
        z0.forEach((v, i) => assert.ok(Math.abs(z[i] - (v + bias[i % n])) <= 4 * eps, `addBias ${i}`));
        const [a, b, c, d] = [0, 1, 2, 3].map(() => rng.fillNormal(new Float64Array(m * n)));
        const out = ws.alloc(precision, m * n).fill(NaN);
        k.hadamard(out, F.from(a), F.from(b));
        a.forEach((v, i) => assert.ok(Math.abs(out[i] - v * b[i]) <= 10 * eps * Math.max(1, Math.abs(v * b[i])), `hadamard ${i}`));
        const inPlace = ws.alloc(precision, m * n);
        inPlace.set(a);
        k.hadamard(inPlace, inPlace, F.from(b), F.from(c), F.from(d));
        a.forEach((v, i) => assert.ok(Math.abs(inPlace[i] - (v * b[i] + c[i] * d[i])) <= 20 * eps * Math.max(1, Math.abs(v * b[i]) + Math.abs(c[i] * d[i])), `hadamard+ ${i}`));
      }
      // Column sums (bias gradients), odd widths included.
      for (const [m, n] of [
        [1, 1],
        [7, 3],
        [100, 9],
        [33, 64],
      ]) {
        const x = rng.fillNormal(new Float64Array(m * n));
        const out = ws.alloc(precision, n).fill(NaN);
        k.columnSums(F.from(x), m, n, out);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += x[i * n + j];
          assert.ok(Math.abs(out[j] - s) <= (precision === 'float64' ? 1e-13 : 1e-5) * Math.sqrt(m), `colsum ${j}`);
        }
      }
    }
  }
  // Sanity of the reference itself: its activation is model/activations.ts's.
  const z = new Float64Array([0.3]);
  const h = new Float64Array(1);
  activation('tanh').forward(z, null, 1, h);
  assert.equal(h[0], Math.tanh(0.3));
});

test('a training step on our kernels copies nothing into or out of WebAssembly memory, and views survive the memory growing', async () => {
  const k = await ours();
  const rng = new Rng(8, 'in-place');
  const layout = makeLayout(20, 3, { hidden: [64, 32], bias: true, regularizeBias: false });
  const n = 500;
  const model = new Mlp(layout, 'tanh', 'mse', k, 'float32');
  const problem = new TrainingProblem(model, { n, x: rng.fillNormal(new Float64Array(n * 20)), y: rng.fillNormal(new Float64Array(n * 3)) });
  const theta = rng.fillNormal(new Float64Array(layout.size), 0.2);
  const grad = new Float64Array(layout.size);
  problem.valueGrad(theta, grad); // sizes the buffers
  const before = copiedBytes();
  for (let i = 0; i < 3; i++) problem.valueGrad(theta, grad);
  assert.equal(copiedBytes() - before, 0, "products between the model's buffers run in place");
  // The same step from plain arrays does copy: the counter sees copies.
  k.mm(new Float32Array(4), new Float32Array(4), 2, 2, 2, new Float32Array(4));
  assert.ok(copiedBytes() > before);
  // Growing a workspace's memory leaves earlier views valid.
  const ws = k.workspace();
  const small = ws.alloc('float64', 8).fill(3);
  const big = ws.alloc('float32', 4_000_000);
  big[big.length - 1] = 1;
  assert.equal(small.length, 8);
  assert.deepEqual(Array.from(small), new Array(8).fill(3));
  const expected = problem.valueGrad(theta, grad);
  const g32 = Float64Array.from(grad);
  // And the step agrees with the JS kernels to float32 rounding.
  const ref = new TrainingProblem(new Mlp(layout, 'tanh', 'mse', jsKernels, 'float32'), problem.train);
  const g2 = new Float64Array(layout.size);
  const value = ref.valueGrad(theta, g2);
  assert.ok(Math.abs(value - expected) <= 1e-5 * Math.abs(value));
  const scale = g2.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  g2.forEach((v, i) => assert.ok(Math.abs(v - g32[i]) <= 1e-4 * scale, `grad[${i}]`));
});

test('the fused softmax cross-entropy equals the JS loss (value and ∂L/∂f) on random shapes, extreme logits and soft targets, in both precisions', async () => {
  const kernels = await ours();
  assert.ok(kernels.softmaxCrossEntropy);
  const ref = lossFns('cross-entropy');
  const rng = new Rng(6, 'softmax-xent');
  for (const precision of ['float64', 'float32'] as const) {
    const F = precision === 'float32' ? Float32Array : Float64Array;
    for (const [n, k] of [
      [1, 1],
      [1, 2],
      [3, 3],
      [7, 10],
      [5, 11],
      [100, 10],
      [33, 5],
    ]) {
      for (const spread of [1, 30, 1000]) {
        for (const soft of [false, true]) {
          const f = F.from(rng.fillNormal(new Float64Array(n * k), spread));
          const y = new F(n * k);
          for (let i = 0; i < n; i++) {
            if (soft) {
              let s = 0;
              for (let j = 0; j < k; j++) s += y[i * k + j] = rng.uniform();
              for (let j = 0; j < k; j++) y[i * k + j] /= s;
            } else y[i * k + rng.int(k)] = 1;
          }
          const label = `${precision} n=${n} k=${k} spread=${spread} soft=${soft}`;
          const gRef = new Float64Array(n * k);
          const vRef = ref.valueGrad(f, y, n, k, gRef);
          const g = new F(n * k);
          const v = kernels.softmaxCrossEntropy(f, y, n, k, g);
          assert.equal(kernels.softmaxCrossEntropy(f, y, n, k, null), v, `${label}: the value does not depend on g`);
          // float64 throughout: the value to a few ulps of its terms (|f| up to ~4·spread), each gradient entry to ~1e-15/n.
          assert.ok(Math.abs(v - vRef) <= 1e-14 * Math.max(1, 4 * spread), `${label}: loss ${v} vs ${vRef}`);
          for (let i = 0; i < n * k; i++) {
            const want = precision === 'float32' ? Math.fround(gRef[i]) : gRef[i];
            const tol = precision === 'float32' ? 2 ** -23 * Math.abs(want) + 1e-45 : 1e-15 / n;
            assert.ok(Math.abs(g[i] - want) <= tol, `${label}: g[${i}] ${g[i]} vs ${want}`);
          }
        }
      }
    }
  }
  const nan = Float64Array.of(0, NaN, 1);
  assert.ok(Number.isNaN(kernels.softmaxCrossEntropy(nan, Float64Array.of(1, 0, 0), 1, 3, null)), 'a NaN logit gives a NaN loss');
});

test('the fused Bernoulli negative log-likelihood equals the JS loop (value and gradient) on edge shapes, repeated rows and extreme logits, in both precisions', async () => {
  const kernels = await ours();
  assert.ok(kernels.bernoulliNll);
  const rng = new Rng(9, 'bernoulli');
  const eps = 2 ** -52;
  for (const precision of ['float64', 'float32'] as const) {
    const F = precision === 'float32' ? Float32Array : Float64Array;
    for (const [rows, d, rep] of [
      [1, 1, 1],
      [1, 2, 1],
      [3, 3, 2],
      [7, 49, 1],
      [5, 11, 3],
      [40, 17, 1],
    ]) {
      for (const spread of [0.5, 5, 800]) {
        const m = rows * rep;
        const f = F.from(rng.fillNormal(new Float64Array(m * d), spread));
        // Grey levels in [0, 1], exact zeros and ones among them (MNIST's background and strokes).
        const x = F.from(Array.from({ length: rows * d }, () => [0, 1, rng.uniform()][rng.int(3)]));
        const label = `${precision} m=${m} d=${d} rep=${rep} spread=${spread}`;
        const scale = 1 / m;
        const gRef = new Float64Array(m * d);
        const vRef = bernoulliValueGrad(f, x, m, d, rep, scale, gRef);
        const g = new F(m * d);
        const v = kernels.bernoulliNll(f, x, m, d, rep, scale, g);
        assert.equal(kernels.bernoulliNll(f, x, m, d, rep, scale, null), v, `${label}: the value does not depend on g`);
        // float64 both: each term to a few ulps of its size |f| + 1, their sums in other orders (~√N ulps).
        let size = 0;
        for (const fv of f) size += Math.abs(fv) + 1;
        assert.ok(Math.abs(v - vRef) <= 16 * eps * (1 + Math.sqrt(m * d)) * size, `${label}: loss ${v} vs ${vRef}`);
        for (let i = 0; i < m * d; i++) {
          const want = precision === 'float32' ? Math.fround(gRef[i]) : gRef[i];
          // g = scale·(sigmoid(f) − x) with |g| ≤ scale: a few ulps of scale in float64, one float32 ulp of it.
          const tol = precision === 'float32' ? 2 ** -23 * Math.abs(want) + 1e-45 : 8 * eps * scale;
          assert.ok(Math.abs(g[i] - want) <= tol, `${label}: g[${i}] ${g[i]} vs ${want}`);
        }
      }
    }
  }
  // Logits where exp under- or overflows: softplus(f) = max(f, 0) + log1p(e^{−|f|}) stays exact.
  const f = Float64Array.of(-1000, -40, -1e-300, 0, 1e-300, 40, 1000);
  const x = Float64Array.of(0, 1, 0.5, 1, 0, 0.25, 1);
  const g = new Float64Array(f.length);
  const gRef = new Float64Array(f.length);
  const v = kernels.bernoulliNll(f, x, 1, f.length, 1, 1, g);
  const vRef = bernoulliValueGrad(f, x, 1, f.length, 1, 1, gRef);
  assert.ok(Math.abs(v - vRef) <= 1e-12 * 1000, `extremes: ${v} vs ${vRef}`);
  g.forEach((gi, i) => assert.ok(Math.abs(gi - gRef[i]) <= 1e-15, `extremes: g[${i}] ${gi} vs ${gRef[i]}`));
  // A background pixel (x = 0) the decoder calls dark: the term is log1p(e^f) alone, tiny, and kept to a few ulps of itself (not of 1).
  for (let f0 = -0.5; f0 > -36; f0 -= 0.7) {
    const one = Float64Array.of(f0);
    const want = bernoulliValueGrad(one, Float64Array.of(0), 1, 1, 1, 1, null);
    const got = kernels.bernoulliNll(one, Float64Array.of(0), 1, 1, 1, 1, null);
    assert.ok(Math.abs(got - want) <= 4 * eps * want, `log1p(e^${f0}): ${got} vs ${want}`);
  }
  assert.ok(Number.isNaN(kernels.bernoulliNll(Float64Array.of(0, NaN), Float64Array.of(0, 1), 1, 2, 1, 1, null)), 'a NaN logit gives a NaN loss');
});

test('products with a compressed sparse left operand equal the dense kernels (forward with every epilogue, and Aᵀ·B) on edge shapes and densities, in both precisions', async () => {
  const k = await ours();
  assert.ok(k.compressRows && k.sparseForward && k.sparseTN);
  const rng = new Rng(8, 'sparse');
  // Plain SIMD: the same terms in the same order, so bit for bit (but the sign of an all-zero
  // sum); the relaxed build's fused multiply-add may round the scalar row tail of Aᵀ·B apart.
  const exact = !relaxedSimdSupported();
  for (const precision of ['float64', 'float32'] as const) {
    const ws = k.workspace();
    const place = (v: Float64Array) => {
      const out = ws.alloc(precision, v.length);
      out.set(v);
      return out;
    };
    for (const [m, kk, n] of [
      [1, 1, 1],
      [3, 5, 3],
      [7, 4, 5],
      [6, 9, 8],
      [5, 196, 10],
      [40, 30, 31],
      [17, 20, 32],
      [9, 13, 33],
      [50, 196, 64],
      [11, 7, 65],
    ]) {
      for (const density of [0, 0.05, 0.3, 1]) {
        const a64 = rng.fillNormal(new Float64Array(m * kk)).map((v) => (rng.uniform() < density ? v : 0));
        if (m > 2) a64.fill(0, kk, 2 * kk); // an all-zero row
        const a = place(a64);
        const sa = k.compressRows(a, m, kk);
        assert.equal(sa.rows, m);
        assert.equal(sa.nonzeros, a64.filter((v) => v !== 0).length);
        const w = place(rng.fillNormal(new Float64Array(kk * n)));
        const bias = place(rng.fillNormal(new Float64Array(n)));
        const same = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
          const tol = exact ? 0 : (precision === 'float64' ? 1e-13 : 1e-5) * Math.sqrt(kk);
          for (let i = 0; i < want.length; i++)
            assert.ok(Math.abs(got[i] - want[i]) <= tol || (got[i] === 0 && want[i] === 0), `${precision} ${m}×${kk}·${n} density ${density} ${what}[${i}]: ${got[i]} vs ${want[i]}`);
        };
        for (const act of ACTIVATIONS) {
          for (const b of [bias, null]) {
            const z = ws.alloc(precision, m * n).fill(NaN);
            const h = ws.alloc(precision, m * n).fill(NaN);
            k.sparseForward(sa, w, b, n, z, act, h);
            const zd = ws.alloc(precision, m * n);
            const hd = ws.alloc(precision, m * n);
            k.denseForward(a, w, b, m, kk, n, zd, act, hd);
            same(z, zd, `${act} z`);
            same(h, hd, `${act} h`);
          }
        }
        const zo = ws.alloc(precision, m * n).fill(NaN);
        k.sparseForward(sa, w, bias, n, zo, 'tanh', null);
        const zod = ws.alloc(precision, m * n);
        k.denseForward(a, w, bias, m, kk, n, zod, 'tanh', null);
        same(zo, zod, 'output z');
        // Aᵀ·G, G m×n, into a buffer with a guard after it (the row tail must not spill).
        const g = place(rng.fillNormal(new Float64Array(m * n)));
        const guarded = ws.alloc(precision, kk * n + 4).fill(7);
        const out = guarded.subarray(0, kk * n);
        k.sparseTN(sa, g, n, out);
        const outd = ws.alloc(precision, kk * n);
        k.mmTN(a, g, m, kk, n, outd);
        same(out, outd, 'Aᵀ·G');
        assert.deepEqual(Array.from(guarded.subarray(kk * n)), [7, 7, 7, 7], 'nothing written past the output');
        k.sparseTN(sa, g, n, out, true);
        k.mmTN(a, g, m, kk, n, outd, true);
        same(out, outd, 'Aᵀ·G accumulated');
        // From plain arrays (staged into the memory) the same.
        const plain = precision === 'float32' ? new Float32Array(kk * n) : new Float64Array(kk * n);
        k.sparseTN(sa, precision === 'float32' ? Float32Array.from(g) : Float64Array.from(g), n, plain);
        k.mmTN(a, g, m, kk, n, outd);
        same(plain, outd, 'Aᵀ·G from plain arrays');
      }
    }
  }
});

test("a model with compressed inputs gives the dense model's loss and gradient exactly, in both precisions", async () => {
  const kernels = await ours();
  const rng = new Rng(10, 'sparse-model');
  for (const precision of ['float32', 'float64'] as const) {
    for (const hidden of [[], [16], [12, 5]]) {
      const layout = makeLayout(30, 4, { hidden, bias: true, regularizeBias: false });
      const n = 57;
      const x = rng.fillNormal(new Float64Array(n * 30)).map((v) => (rng.uniform() < 0.25 ? v : 0));
      const y = new Float64Array(n * 4);
      for (let i = 0; i < n; i++) y[i * 4 + rng.int(4)] = 1;
      const theta = rng.fillNormal(new Float64Array(layout.size), 0.3);
      const results = [false, true].map((compress) => {
        const model = new Mlp(layout, 'tanh', 'cross-entropy', kernels, precision);
        const px = model.place(x);
        const py = model.place(y);
        if (compress) assert.equal(model.compressInput(px, n), true);
        else assert.equal(model.compressInput(px, n, 0.1), false, 'denser than asked: stays dense');
        const grad = new Float64Array(layout.size);
        return { value: model.lossGrad(theta, px, py, n, grad), grad };
      });
      const tol = relaxedSimdSupported() ? (precision === 'float64' ? 1e-13 : 1e-6) : 0;
      assert.ok(Math.abs(results[0].value - results[1].value) <= tol, `${precision} [${hidden}] loss`);
      for (let i = 0; i < layout.size; i++) assert.ok(Math.abs(results[0].grad[i] - results[1].grad[i]) <= tol, `${precision} [${hidden}] ∂θ[${i}] ${results[0].grad[i]} vs ${results[1].grad[i]}`);
    }
  }
});

test('ownKernelsOrJs: the WASM kernels synchronously, the JS ones for cpu', () => {
  ensureKernelsBuilt();
  assert.equal(ownKernelsOrJs('auto').kernels.name, 'wasm');
  assert.equal(ownKernelsOrJs('wasm').kernels.name, 'wasm');
  assert.equal(ownKernelsOrJs('cpu').kernels, jsKernels);
});
