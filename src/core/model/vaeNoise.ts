import type { Rng } from '../random';

/** The fixed reparameterization noise of a data set: ε_ik ∈ R^L for row i, draw k (eps: n×S×L). */
export interface VaeNoise {
  n: number;
  samples: number;
  latentDim: number;
  eps: Float64Array;
}

/**
 * S standard normal draws per row, drawn once (common random numbers: the objective is then a
 * fixed smooth function of θ). With `matchMoments` each row's S draws are centered and whitened
 * so that their empirical mean is exactly 0 and their empirical covariance (1/S)Σ_k εεᵀ exactly I
 * (needs S ≥ L + 1): moment matching (Boyle, Broadie & Glasserman 1997). For a decoder
 * linear in z the objective is then the exact expectation over q(z|x) (predict/linearVae.ts
 * relies on it); for any decoder it removes the first two moments' sampling error.
 */
export function drawNoise(n: number, samples: number, latentDim: number, rng: Rng, matchMoments = false): VaeNoise {
  const L = latentDim;
  const S = samples;
  if (matchMoments && S < L + 1) throw new Error(`drawNoise: matching moments needs samples ≥ latentDim + 1 (got ${S} for ${L})`);
  const eps = rng.fillNormal(new Float64Array(n * S * L));
  if (matchMoments) for (let i = 0; i < n; i++) whiten(eps.subarray(i * S * L, (i + 1) * S * L), S, L);
  return { n, samples: S, latentDim: L, eps };
}

/** Centers the S×L block's columns, then right-multiplies by C^{−1/2}ᵀ via the Cholesky factor of C = (1/S)EᵀE. */
function whiten(e: Float64Array, S: number, L: number): void {
  for (let j = 0; j < L; j++) {
    let m = 0;
    for (let k = 0; k < S; k++) m += e[k * L + j];
    m /= S;
    for (let k = 0; k < S; k++) e[k * L + j] -= m;
  }
  // C = R Rᵀ (R lower triangular); E ← E R^{−ᵀ} gives (1/S)EᵀE = R^{−1} C R^{−ᵀ} = I.
  const c = new Float64Array(L * L);
  for (let a = 0; a < L; a++) for (let b = 0; b <= a; b++) for (let k = 0; k < S; k++) c[a * L + b] += (e[k * L + a] * e[k * L + b]) / S;
  const r = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = 0; b <= a; b++) {
      let s = c[a * L + b];
      for (let q = 0; q < b; q++) s -= r[a * L + q] * r[b * L + q];
      r[a * L + b] = a === b ? Math.sqrt(s) : s / r[b * L + b];
    }
  }
  // Solve y R ᵀ = row for each row (forward substitution on Rᵀ's columns).
  const y = new Float64Array(L);
  for (let k = 0; k < S; k++) {
    for (let a = 0; a < L; a++) {
      let s = e[k * L + a];
      for (let q = 0; q < a; q++) s -= y[q] * r[a * L + q];
      y[a] = s / r[a * L + a];
    }
    e.set(y, k * L);
  }
}

/** The noise of the given rows only (a minibatch), in their order. */
export function noiseRows(noise: VaeNoise, rows: ArrayLike<number>): VaeNoise {
  const w = noise.samples * noise.latentDim;
  const eps = new Float64Array(rows.length * w);
  for (let i = 0; i < rows.length; i++) eps.set(noise.eps.subarray(rows[i] * w, (rows[i] + 1) * w), i * w);
  return { n: rows.length, samples: noise.samples, latentDim: noise.latentDim, eps };
}
