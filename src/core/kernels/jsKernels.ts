import type { Vec } from '../linalg/vec';
import type { Kernels } from './kernels';

// Loop orders keep the innermost loop on contiguous memory of `out` and the right operand,
// which is what V8's JIT turns into tight scalar code (about 1–2 GFLOP/s).

export function mm(a: Vec, b: Vec, m: number, k: number, n: number, out: Vec): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const oi = i * n;
    const ai = i * k;
    for (let p = 0; p < k; p++) {
      const v = a[ai + p];
      if (v === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) out[oi + j] += v * b[bp + j];
    }
  }
}

export function mmTN(a: Vec, b: Vec, m: number, k: number, n: number, out: Vec): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    const bi = i * n;
    for (let p = 0; p < k; p++) {
      const v = a[ai + p];
      if (v === 0) continue;
      const op = p * n;
      for (let j = 0; j < n; j++) out[op + j] += v * b[bi + j];
    }
  }
}

export function mmNT(a: Vec, b: Vec, m: number, n: number, k: number, out: Vec): void {
  for (let i = 0; i < m; i++) {
    const ai = i * n;
    const oi = i * k;
    for (let q = 0; q < k; q++) {
      const bq = q * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += a[ai + j] * b[bq + j];
      out[oi + q] = s;
    }
  }
}

export const jsKernels: Kernels = { name: 'cpu', mm, mmTN, mmNT };
