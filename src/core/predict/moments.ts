// The data statistics the predictions need, from one pass over the training split: x̄, ȳ and
// the d×K cross moment E[x yᵀ]. Everything at the trivial point is affine in y (the output f₀
// is the same constant for every sample), so E[x rᵀ] for any residual r = α(y − f₀) follows
// from these without touching the samples again. Directional quantities (E[(x·u)²] along a
// singular vector, Σu) are single O(n·d) passes. Nothing is n×n, and the d×d second moment is
// only formed on request (for a note about whitening, when d is small).
//
// An "augmented" input x̃ = (x, 1) appears when the biases are regularized: a regularized
// hidden bias is exactly a weight on a constant input (see trivialPoint.ts).

import type { Split } from '../data/dataset';

export interface Moments {
  n: number;
  d: number;
  k: number;
  /** The split's rows, row-major n×d and n×k. */
  x: Float64Array;
  y: Float64Array;
  xMean: Float64Array;
  yMean: Float64Array;
  /** E[x yᵀ], d×k row-major. */
  xy: Float64Array;
  /** E[‖y‖²] and E[‖x‖²]. */
  yy: number;
  xx: number;
}

export function moments(split: Split, d: number, k: number): Moments {
  const { n, x, y } = split;
  const xMean = new Float64Array(d);
  const yMean = new Float64Array(k);
  const xy = new Float64Array(d * k);
  let yy = 0;
  let xx = 0;
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    const yi = i * k;
    for (let a = 0; a < d; a++) {
      xMean[a] += x[xi + a];
      xx += x[xi + a] * x[xi + a];
    }
    for (let b = 0; b < k; b++) {
      yMean[b] += y[yi + b];
      yy += y[yi + b] * y[yi + b];
    }
    for (let a = 0; a < d; a++) {
      const v = x[xi + a];
      if (v === 0) continue;
      const row = a * k;
      for (let b = 0; b < k; b++) xy[row + b] += v * y[yi + b];
    }
  }
  const inv = 1 / n;
  for (let a = 0; a < d; a++) xMean[a] *= inv;
  for (let b = 0; b < k; b++) yMean[b] *= inv;
  for (let i = 0; i < d * k; i++) xy[i] *= inv;
  return { n, d, k, x, y, xMean, yMean, xy, yy: yy * inv, xx: xx * inv };
}

/** z_i = x̃_i·u for every row; u has d entries, or d + 1 with `augmented` (x̃ = (x, 1)). */
export function project(m: Moments, u: ArrayLike<number>, augmented: boolean): Float64Array {
  const { n, d, x } = m;
  const z = new Float64Array(n);
  const shift = augmented ? u[d] : 0;
  for (let i = 0; i < n; i++) {
    let s = shift;
    const xi = i * d;
    for (let a = 0; a < d; a++) s += x[xi + a] * u[a];
    z[i] = s;
  }
  return z;
}

/** E[(x̃·u)²], or its variance E[(x̃·u)²] − (E[x̃·u])² when `centered`. */
export function secondMomentAlong(m: Moments, u: ArrayLike<number>, augmented: boolean, centered: boolean): number {
  const z = project(m, u, augmented);
  let s = 0;
  let mean = 0;
  for (const v of z) {
    s += v * v;
    mean += v;
  }
  s /= m.n;
  mean /= m.n;
  return centered ? s - mean * mean : s;
}

/** Σ̃u_j for each column u_j: Σ̃ = E[x̃x̃ᵀ], or the covariance when `centered`; O(n·d) per column. */
export function secondMomentTimes(m: Moments, us: Float64Array[], augmented: boolean, centered: boolean): Float64Array[] {
  const { n, d, x } = m;
  const dim = augmented ? d + 1 : d;
  return us.map((u) => {
    const z = project(m, u, augmented);
    const out = new Float64Array(dim);
    let zMean = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      zMean += zi;
      const xi = i * d;
      for (let a = 0; a < d; a++) out[a] += x[xi + a] * zi;
      if (augmented) out[d] += zi;
    }
    zMean /= n;
    for (let a = 0; a < dim; a++) out[a] /= n;
    if (centered) {
      for (let a = 0; a < d; a++) out[a] -= m.xMean[a] * zMean;
      if (augmented) out[d] -= zMean;
    }
    return out;
  });
}

/** The d×d matrix E[xxᵀ] (or the covariance), row-major: O(n·d²), for small d only. */
export function secondMomentMatrix(m: Moments, centered: boolean): Float64Array {
  const { n, d, x } = m;
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    for (let a = 0; a < d; a++) {
      const va = x[xi + a];
      if (va === 0) continue;
      for (let b = a; b < d; b++) c[a * d + b] += va * x[xi + b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let v = c[a * d + b] / n;
      if (centered) v -= m.xMean[a] * m.xMean[b];
      c[a * d + b] = v;
      c[b * d + a] = v;
    }
  }
  return c;
}
