// Flat vectors and row-major matrices. Training runs in float32 (what the kernels are fast at),
// analysis and optimizer state in float64; most code accepts either.

export type Vec = Float32Array | Float64Array;
export type VecCtor = Float32ArrayConstructor | Float64ArrayConstructor;

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** y += alpha·x */
export function axpy(alpha: number, x: ArrayLike<number>, y: Vec): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
