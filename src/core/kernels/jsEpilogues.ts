import type { Activation } from '../config/types';
import type { Vec } from '../linalg/vec';
import { activation } from '../model/activations';
import type { Kernels, Precision, Workspace } from './kernels';

/** The three products a backend provides; the rest of `Kernels` can be built from them. */
export type Products = Pick<Kernels, 'name' | 'mm' | 'mmTN' | 'mmNT'>;

/** Plain typed arrays: the workspace of kernels that have no memory of their own. */
export const heapWorkspace: Workspace = {
  alloc: (precision: Precision, length: number): Vec => (precision === 'float32' ? new Float32Array(length) : new Float64Array(length)),
};

/** out[j] = Σ_i x[i, j] in JS. */
export function columnSumsJs(x: Vec, m: number, n: number, out: Vec): void {
  out.fill(0, 0, n);
  for (let i = 0; i < m * n; i += n) for (let j = 0; j < n; j++) out[j] += x[i + j];
}

/**
 * Kernels whose layer steps are the products followed by JS elementwise passes (bias,
 * activation and its derivative from model/activations.ts): the JS and TF.js backends, and the
 * reference the fused WebAssembly epilogues are tested against.
 */
export function withJsEpilogues(p: Products): Kernels {
  return {
    name: p.name,
    mm: p.mm,
    mmTN: p.mmTN,
    mmNT: p.mmNT,
    denseForward(x: Vec, w: Vec, bias: Vec | null, m: number, k: number, n: number, z: Vec, act: Activation, h: Vec | null): void {
      p.mm(x, w, m, k, n, z);
      if (h) activation(act).forward(z, bias, n, h);
      else if (bias) for (let i = 0; i < m * n; i += n) for (let j = 0; j < n; j++) z[i + j] += bias[j];
    },
    denseBackward(g: Vec, w: Vec, m: number, n: number, k: number, d: Vec, act: Activation, z: Vec | null, h: Vec | null): void {
      p.mmNT(g, w, m, n, k, d);
      if (z && h) activation(act).mulDerivative(d, z, h);
    },
    addBias(z: Vec, bias: Vec, m: number, n: number): void {
      for (let i = 0; i < m * n; i += n) for (let j = 0; j < n; j++) z[i + j] += bias[j];
    },
    hadamard(out: Vec, a: Vec, b: Vec, c?: Vec | null, d?: Vec | null): void {
      if (c && d) for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i] + c[i] * d[i];
      else for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
    },
    columnSums: columnSumsJs,
    workspace: () => heapWorkspace,
  };
}
