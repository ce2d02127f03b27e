import type { Vec } from '../linalg/vec';

/**
 * Dense products on row-major matrices; the only operations whose cost grows with n·width²,
 * so the only ones worth routing to a faster backend. Everything elementwise stays in JS
 * (TF.js-WASM elementwise ops cost ~12 ns per element against ~1 ns for a JS loop).
 * `out` is overwritten, and must have the right length and the inputs' precision.
 */
export interface Kernels {
  /** Short name printed to the user: "tensorflow", "wasm" or "cpu". */
  readonly name: string;
  /** out (m×n) = A (m×k) · B (k×n) */
  mm(a: Vec, b: Vec, m: number, k: number, n: number, out: Vec): void;
  /** out (k×n) = Aᵀ · B with A m×k, B m×n */
  mmTN(a: Vec, b: Vec, m: number, k: number, n: number, out: Vec): void;
  /** out (m×k) = A · Bᵀ with A m×n, B k×n */
  mmNT(a: Vec, b: Vec, m: number, n: number, k: number, out: Vec): void;
}
