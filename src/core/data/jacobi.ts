// Cyclic Jacobi eigensolver for small dense symmetric matrices (float64). Used for the ZCA
// whitening of the linear teacher's inputs, where exactness on the finite sample matters more
// than speed; O(d³) per sweep is fine for d up to a few hundred.

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Row-major d×d; column k is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition A = V diag(λ) Vᵀ of the symmetric d×d row-major matrix `a` (not modified;
 * only its upper triangle's symmetry is assumed, the full matrix is read).
 */
export function symmetricEigen(a: Float64Array, d: number, maxSweeps = 100): SymmetricEigen {
  if (a.length !== d * d) throw new Error(`symmetricEigen: expected ${d}×${d} = ${d * d} entries, got ${a.length}`);
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += m[i] * m[i];
  // Converged when the off-diagonal mass is negligible next to the whole matrix.
  const threshold = scale * 1e-30;

  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q] * m[p * d + q];
    if (off <= threshold) break;

    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        const app = m[p * d + p];
        const aqq = m[q * d + q];
        // Rotation angle that zeroes a_pq; t = tan θ chosen as the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;

        m[p * d + p] = app - t * apq;
        m[q * d + q] = aqq + t * apq;
        m[p * d + q] = 0;
        m[q * d + p] = 0;
        for (let r = 0; r < d; r++) {
          if (r === p || r === q) continue;
          const arp = m[r * d + p];
          const arq = m[r * d + q];
          const np = c * arp - s * arq;
          const nq = s * arp + c * arq;
          m[r * d + p] = np;
          m[p * d + r] = np;
          m[r * d + q] = nq;
          m[q * d + r] = nq;
        }
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p];
          const vrq = v[r * d + q];
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }

  // Sort ascending, carrying the eigenvector columns along.
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[i * d + i] - m[j * d + j]);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, k) => {
    values[k] = m[src * d + src];
    for (let r = 0; r < d; r++) vectors[r * d + k] = v[r * d + src];
  });
  return { values, vectors };
}
