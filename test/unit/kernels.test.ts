import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { selectBackend } from '../../src/core/kernels/selectBackend';
import type { Kernels } from '../../src/core/kernels/kernels';
import { Rng } from '../../src/core/random';

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

function check(kernels: Kernels, precision: 'float32' | 'float64', tol: number) {
  const rng = new Rng(4, 'kernels');
  // Odd sizes exercise the remainder loops; sparse B the zero-row skipping.
  for (const [m, k, n] of [[1, 1, 1], [7, 3, 5], [13, 9, 6], [200, 20, 33], [301, 64, 17]]) {
    for (const sparse of [false, true]) {
      const F = precision === 'float32' ? Float32Array : Float64Array;
      const draw = (len: number, zeroRows = 0, width = 1) => {
        const v = rng.fillNormal(new Float64Array(len));
        if (zeroRows) for (let r = 0; r < len / width; r++) if (r % zeroRows !== 0) v.fill(0, r * width, (r + 1) * width);
        return v;
      };
      const A = draw(m * k);
      const B = draw(k * n, sparse ? 3 : 0, n);
      const scale = Math.sqrt(k);
      const mm = new F(m * n);
      kernels.mm(F.from(A), F.from(B), m, k, n, mm);
      const r1 = reference(A, B, m, k, n, false, false);
      r1.forEach((v, i) => assert.ok(Math.abs(v - mm[i]) <= tol * scale, `mm ${m}x${k}x${n}`));
      // mmTN: A is m×k, B2 is m×n → k×n
      const B2 = draw(m * n);
      const tn = new F(k * n);
      kernels.mmTN(F.from(A), F.from(B2), m, k, n, tn);
      const r2 = reference(A, B2, k, m, n, true, false);
      r2.forEach((v, i) => assert.ok(Math.abs(v - tn[i]) <= tol * Math.sqrt(m), `mmTN ${m}x${k}x${n}`));
      // mmNT: A3 is m×n, B3 is k×n → m×k
      const A3 = draw(m * n);
      const B3 = draw(k * n, sparse ? 2 : 0, n);
      const nt = new F(m * k).fill(NaN);
      kernels.mmNT(F.from(A3), F.from(B3), m, n, k, nt);
      const r3 = reference(A3, B3, m, n, k, false, true);
      r3.forEach((v, i) => assert.ok(Math.abs(v - nt[i]) <= tol * Math.sqrt(n), `mmNT ${m}x${n}x${k}`));
    }
  }
}

// Each output is a sum of k products of O(1) normals: float64 rounding is ~1e-16·√k, float32 ~6e-8·√k.
test('JS kernels equal the textbook product in float64 and float32', () => {
  check(jsKernels, 'float64', 1e-13);
  check(jsKernels, 'float32', 1e-5);
});

test('TF.js WASM kernels equal the textbook product (float32)', async () => {
  const backend = await selectBackend('wasm');
  check(backend.kernels, 'float32', 1e-5);
});
