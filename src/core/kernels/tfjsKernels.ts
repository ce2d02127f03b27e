import type * as tfTypes from '@tensorflow/tfjs';
import type { Vec } from '../linalg/vec';
import type { Kernels } from './kernels';
import * as js from './jsKernels';
import { withJsEpilogues } from './jsEpilogues';

type Tf = typeof tfTypes;

/**
 * Below this many multiply-adds a product stays in JS: crossing into TF.js costs ~15–40 µs
 * (tensor creation, kernel dispatch, copy back), which is what JS needs for ~30k of them.
 */
const MIN_FLOPS = 40_000;

/** Transposes a row-major r×c matrix into `out` (c×r). */
function transpose(a: Vec, r: number, c: number, out: Vec): Vec {
  for (let i = 0; i < r; i++) {
    const ai = i * c;
    for (let j = 0; j < c; j++) out[j * r + i] = a[ai + j];
  }
  return out;
}

/**
 * Products through a TF.js backend ("tensorflow" native or "wasm"). Only plain A·B goes to
 * TF.js: its WASM matMul with a transpose flag is ~7× slower than without (measured), so the
 * transposes happen here in JS, which costs O(size) against the product's O(size·width).
 */
export function tfjsKernels(tf: Tf, name: string): Kernels {
  let scratch = new Float32Array(0);
  const scratchOf = (len: number) => (scratch.length >= len ? scratch : (scratch = new Float32Array(len)));

  const mm = (a: Vec, b: Vec, m: number, k: number, n: number, out: Vec, accumulate = false): void => {
    if (m * k * n < MIN_FLOPS || !(a instanceof Float32Array) || !(b instanceof Float32Array)) {
      js.mm(a, b, m, k, n, out, accumulate);
      return;
    }
    // tf.tidy would walk a returned typed array element by element, so nothing is returned.
    tf.tidy(() => {
      const c = tf.matMul(tf.tensor2d(a.subarray(0, m * k), [m, k], 'float32'), tf.tensor2d(b.subarray(0, k * n), [k, n], 'float32')).dataSync() as Float32Array;
      if (!accumulate) out.set(c);
      else for (let i = 0; i < c.length; i++) out[i] += c[i];
    });
  };

  return withJsEpilogues({
    name,
    mm,
    mmTN(a, b, m, k, n, out, accumulate) {
      if (m * k * n < MIN_FLOPS || !(a instanceof Float32Array)) return js.mmTN(a, b, m, k, n, out, accumulate);
      const at = transpose(a, m, k, scratchOf(m * k).subarray(0, m * k));
      mm(at, b, k, m, n, out, accumulate);
    },
    mmNT(a, b, m, n, k, out, accumulate) {
      if (m * k * n < MIN_FLOPS || !(b instanceof Float32Array)) return js.mmNT(a, b, m, n, k, out, accumulate);
      mm(a, transpose(b, k, n, scratchOf(k * n).subarray(0, k * n)), m, n, k, out, accumulate);
    },
  });
}
