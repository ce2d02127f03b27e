// Thin SVD of a small dense matrix (here the d×K moment E[x rᵀ]) by one-sided Jacobi
// (Hestenes 1958; Demmel & Veselić 1992): rotate pairs of columns of the tall orientation until
// all are mutually orthogonal; then A V = U Σ with the column norms as singular values. Works on
// A itself, not on AᵀA, so small singular values keep full relative accuracy. O(m n²) per sweep,
// m ≥ n the long and short sides, and a handful of sweeps (quadratic convergence).

export interface ThinSvd {
  /** Singular values, descending, min(rows, cols) of them. */
  values: number[];
  /** Left singular vectors (length rows); zero vectors where the value is 0. */
  u: Float64Array[];
  /** Right singular vectors (length cols). */
  v: Float64Array[];
}

/** One-sided Jacobi on the columns of a tall m×n matrix given as n column arrays (modified in place). */
function jacobiColumns(cols: Float64Array[], m: number): { values: number[]; u: Float64Array[]; v: Float64Array[] } {
  const n = cols.length;
  const v = Array.from({ length: n }, (_, j) => {
    const e = new Float64Array(n);
    e[j] = 1;
    return e;
  });
  const rotate = (a: Float64Array, b: Float64Array, c: number, s: number) => {
    for (let i = 0; i < a.length; i++) {
      const ai = a[i];
      const bi = b[i];
      a[i] = c * ai - s * bi;
      b[i] = s * ai + c * bi;
    }
  };
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const a = cols[p];
        const b = cols[q];
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += a[i] * a[i];
          beta += b[i] * b[i];
          gamma += a[i] * b[i];
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the off-diagonal entry γ of the 2×2 Gram [[α, γ], [γ, β]].
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(a, b, c, s);
        rotate(v[p], v[q], c, s);
      }
    }
    if (!rotated) break;
  }
  const norms = cols.map((col) => Math.sqrt(col.reduce((acc, x) => acc + x * x, 0)));
  const order = norms.map((_, j) => j).sort((i, j) => norms[j] - norms[i]);
  return {
    values: order.map((j) => norms[j]),
    u: order.map((j) => (norms[j] > 0 ? cols[j].map((x) => x / norms[j]) : new Float64Array(m))),
    v: order.map((j) => v[j]),
  };
}

/** Thin SVD A = Σ_k σ_k u_k v_kᵀ of the row-major rows×cols matrix `a` (not modified). */
export function thinSvd(a: Float64Array, rows: number, cols: number): ThinSvd {
  if (rows >= cols) {
    const c = Array.from({ length: cols }, (_, j) => Float64Array.from({ length: rows }, (_, i) => a[i * cols + j]));
    return jacobiColumns(c, rows);
  }
  // Wide: work on Aᵀ = U' Σ V'ᵀ, so A = V' Σ U'ᵀ.
  const c = Array.from({ length: rows }, (_, i) => Float64Array.from(a.subarray(i * cols, (i + 1) * cols)));
  const t = jacobiColumns(c, cols);
  return { values: t.values, u: t.v, v: t.u };
}
