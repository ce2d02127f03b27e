// Feature-learning measures of a first layer against a known latent subspace (the multi-index
// model y = g(Θ*ᵀx), x ∈ R^d, Θ* ∈ R^{d×k}; "Phase Transitions for Feature Learning in Neural
// Networks", 2026, issue 12): how much of W₁ lies in span Θ* (the overlap), how far its
// dominant input directions are from it (the principal angles), and, for any layer, how many
// directions its weights use (the stable rank).
//
// Conventions. A weight matrix is the engine's: fanIn×fanOut, row-major, y = x·W + b
// (`LayerSlice`), so column c, W[·, c] ∈ R^{fanIn}, is unit c's incoming weights and the input
// side is the LEFT side: P acts as P·W and the input directions are W's left singular vectors.
// Θ* is d×k row-major (Θ[i·k + j]: column j is the j-th latent direction), as `multiIndexData`
// stores its U; its columns need only span the subspace (any scale, even dependent).

import { symmetricEigen } from '../linalg/symmetricEigen';
import { thinSvd } from '../predict/svd';

const EPS = 2.220446049250313e-16;

function checkMatrix(name: string, a: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new Error(`${name}: bad shape ${rows}×${cols}`);
  if (a.length < rows * cols) throw new Error(`${name}: a ${rows}×${cols} matrix needs ${rows * cols} entries, got ${a.length}`);
  for (let i = 0; i < rows * cols; i++) if (!Number.isFinite(a[i])) throw new Error(`${name}: non-finite entry at ${i}`);
}

/** Singular vectors of σ_j > max(rows, cols)·ε·σ₁ (the numerical rank, as LAPACK/NumPy define it). */
function nonzero(svd: { values: number[] }, rows: number, cols: number): number {
  const tol = Math.max(rows, cols) * EPS * (svd.values[0] ?? 0);
  return svd.values.filter((s) => s > tol).length;
}

/**
 * Orthonormal basis (columns, each of length d) of span Θ, Θ d×k row-major: the left singular
 * vectors of its nonzero singular values (one-sided Jacobi, `thinSvd`), so dependent or badly
 * scaled columns give the span's true dimension.
 */
export function subspaceBasis(theta: ArrayLike<number>, d: number, k: number): Float64Array[] {
  checkMatrix('subspaceBasis', theta, d, k);
  const svd = thinSvd(
    Float64Array.from({ length: d * k }, (_, i) => theta[i]),
    d,
    k,
  );
  return svd.u.slice(0, nonzero(svd, d, k));
}

/** Qᵀ·W for Q given as columns of length W's row count; result r×cols row-major. */
function project(q: Float64Array[], w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(q.length * cols);
  q.forEach((qj, j) => {
    for (let i = 0; i < rows; i++) {
      const qi = qj[i];
      if (qi === 0) continue;
      for (let c = 0; c < cols; c++) out[j * cols + c] += qi * w[i * cols + c];
    }
  });
  return out;
}

/**
 * Overlap of a first layer with the latent subspace, ‖P_Θ W‖²_F / ‖W‖²_F ∈ [0, 1], with
 * P_Θ = Q Qᵀ the orthogonal projector onto span Θ acting on the input side (‖P W‖_F = ‖Qᵀ W‖_F).
 * `w` is the fanIn×fanOut weight matrix (e.g. θ.subarray(layer.wOffset, layer.wOffset + fanIn·fanOut)),
 * `theta` the fanIn×k basis. It is 1 when every unit's weights lie in span Θ and, for W with
 * i.i.d. Gaussian entries, Beta(k·fanOut/2, (fanIn−k)·fanOut/2)-distributed: mean k/fanIn,
 * variance 2(k/d)(1−k/d)/(d·fanOut + 2) (‖QᵀW‖² and ‖(I−P)W‖² are independent χ² with k·fanOut
 * and (d−k)·fanOut degrees of freedom). NaN for W = 0 (the trivial phase), where no direction is used.
 */
export function subspaceOverlap(w: ArrayLike<number>, fanIn: number, fanOut: number, theta: ArrayLike<number>, k: number): number {
  checkMatrix('subspaceOverlap', w, fanIn, fanOut);
  const q = subspaceBasis(theta, fanIn, k);
  let total = 0;
  for (let i = 0; i < fanIn * fanOut; i++) total += w[i] * w[i];
  if (total === 0) return NaN;
  const qw = project(q, w, fanIn, fanOut);
  let inside = 0;
  for (let i = 0; i < qw.length; i++) inside += qw[i] * qw[i];
  return Math.min(1, inside / total);
}

export interface PrincipalAngleOptions {
  /** How many of W's leading left singular directions to compare. Default: the dimension of span Θ. */
  dims?: number;
}

/**
 * Principal angles (radians, ascending, in [0, π/2]) between span Θ and the span of the top
 * `dims` left singular vectors of the fanIn×fanOut weight matrix W (its dominant input
 * directions; only those with nonzero singular values, so a W of lower rank gives fewer).
 * min(dim span Θ, directions) angles. The cosines are the singular values of Q_Θᵀ Q_W
 * (Björck & Golub 1973); the sines, the singular values of the smaller basis's component
 * orthogonal to the larger one, and θ = atan2(sin, cos) pairs them (cosines descending with sines
 * ascending), which keeps small angles accurate where acos(cos) would lose them below ~1e-8
 * (Knyazev & Argentati 2002).
 */
export function principalAngles(w: ArrayLike<number>, fanIn: number, fanOut: number, theta: ArrayLike<number>, k: number, opts: PrincipalAngleOptions = {}): number[] {
  checkMatrix('principalAngles', w, fanIn, fanOut);
  const qt = subspaceBasis(theta, fanIn, k);
  const svdW = thinSvd(
    Float64Array.from({ length: fanIn * fanOut }, (_, i) => w[i]),
    fanIn,
    fanOut,
  );
  const dims = opts.dims ?? qt.length;
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`principalAngles: dims must be a positive integer, got ${dims}`);
  const qw = svdW.u.slice(0, Math.min(dims, nonzero(svdW, fanIn, fanOut)));
  if (qt.length === 0 || qw.length === 0) return [];
  // a = the smaller basis, b = the larger: project a onto b's complement.
  const [a, b] = qw.length <= qt.length ? [qw, qt] : [qt, qw];
  const m = a.length;
  const r = b.length;
  // M = bᵀa (r×m) and R = a − b·M (fanIn×m), both row-major.
  const bm = new Float64Array(r * m);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < fanIn; t++) s += b[i][t] * a[j][t];
      bm[i * m + j] = s;
    }
  const res = new Float64Array(fanIn * m);
  for (let t = 0; t < fanIn; t++)
    for (let j = 0; j < m; j++) {
      let s = a[j][t];
      for (let i = 0; i < r; i++) s -= b[i][t] * bm[i * m + j];
      res[t * m + j] = s;
    }
  const cos = thinSvd(bm, r, m).values; // m values, descending
  const sin = thinSvd(res, fanIn, m).values.slice().reverse(); // m values, ascending
  return cos.map((c, j) => Math.atan2(Math.min(1, sin[j]), Math.min(1, c)));
}

/**
 * Stable rank ‖W‖²_F / ‖W‖²₂ = Σσ² / σ₁² ∈ [1, rank W] of a rows×cols matrix (row-major): r for
 * r equal nonzero singular values, 1 for rank one; a continuous count of the directions in use
 * (Rudelson & Vershynin 2007). σ₁² is the top eigenvalue of the smaller Gram matrix (WᵀW or WWᵀ),
 * exact to O(ε‖W‖²), which is all a ratio to ‖W‖²_F needs. NaN for W = 0.
 */
export function stableRank(w: ArrayLike<number>, rows: number, cols: number): number {
  checkMatrix('stableRank', w, rows, cols);
  const n = Math.min(rows, cols);
  const gram = new Float64Array(n * n); // lower triangle suffices for symmetricEigen
  if (cols <= rows) {
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      for (let a = 0; a < cols; a++) {
        const x = w[r + a];
        if (x === 0) continue;
        for (let b = 0; b <= a; b++) gram[a * n + b] += x * w[r + b];
      }
    }
  } else {
    for (let a = 0; a < rows; a++)
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += w[a * cols + c] * w[b * cols + c];
        gram[a * n + b] = s;
      }
  }
  let frob = 0;
  for (let i = 0; i < n; i++) frob += gram[i * n + i];
  if (frob === 0) return NaN;
  const values = symmetricEigen(gram, n).values;
  return frob / values[n - 1];
}
