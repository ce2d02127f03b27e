import type { Kernels } from '../kernels/kernels';
import type { Vec } from '../linalg/vec';
import type { ObservationModel } from './vaeLayout';

// The pieces of the VAE objective between the two networks, as plain loops shared by the
// training passes (vae.ts) and the R-operator (vaeHessian.ts), so both use the same formulas.
// Rows: the encoder has one per data row i (output [μ_i, s_i], s = log σ²); the decoder one per
// (i, k), row i·S + k, for the S fixed noise draws ε_ik of row i.

/** −log p(x|f) per element, up to constants, with its first two derivatives in f. */
export interface ObservationFns {
  /** Σ over the m×d entries of ℓ(x, f); when g is given, g = scale·∂ℓ/∂f. Row r of f is data row ⌊r/rep⌋ of x. */
  valueGrad(f: Vec, x: Vec, m: number, d: number, rep: number, scale: number, g: Vec | null): number;
  /** ∂²ℓ/∂f² at f (it does not depend on x for either model). */
  curvature(f: number): number;
  /** The decoder's mean E[x|f]: sigmoid(f) (bernoulli) or f (gaussian). */
  mean(f: number): number;
}

function sigmoid(f: number): number {
  return f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
}

/** The bernoulli observation's ObservationFns.valueGrad in JavaScript: the kernels' `bernoulliNll` reference. */
export function bernoulliValueGrad(f: Vec, x: Vec, m: number, d: number, rep: number, scale: number, g: Vec | null): number {
  let s = 0;
  for (let r = 0; r < m; r++) {
    const xo = Math.floor(r / rep) * d;
    const fo = r * d;
    for (let j = 0; j < d; j++) {
      const fv = f[fo + j];
      const xv = x[xo + j];
      // softplus(f) = max(f, 0) + log1p(e^{−|f|}) without overflow, and sigmoid(f) as above, from one exp.
      const e = Math.exp(-Math.abs(fv));
      s += Math.max(fv, 0) + Math.log1p(e) - xv * fv;
      if (g) g[fo + j] = scale * ((fv >= 0 ? 1 / (1 + e) : e / (1 + e)) - xv);
    }
  }
  return s;
}

/**
 * bernoulli: ℓ = log(1 + eᶠ) − x·f, the binary cross-entropy of logits f (exact −log p for
 * x ∈ {0, 1}; for grey levels in [0, 1] the usual BCE, not the continuous Bernoulli's normalized
 * density); ℓ' = sigmoid(f) − x, ℓ'' = sigmoid(f)(1 − sigmoid(f)).
 * gaussian: ℓ = (x − f)²/(2σ²), constants excluded; ℓ' = (f − x)/σ², ℓ'' = 1/σ².
 * bernoulli runs the kernels' fused `bernoulliNll` where they have it (in JavaScript its exp and
 * log1p per pixel are most of a VAE step), else bernoulliValueGrad.
 */
export function observationFns(kind: ObservationModel, variance = 1, kernels?: Pick<Kernels, 'bernoulliNll'>): ObservationFns {
  if (kind === 'bernoulli') {
    return {
      valueGrad: kernels?.bernoulliNll ?? bernoulliValueGrad,
      curvature(f) {
        const p = sigmoid(f);
        return p * (1 - p);
      },
      mean: sigmoid,
    };
  }
  if (!(variance > 0)) throw new Error(`gaussian observation model: variance must be > 0 (got ${variance})`);
  const inv = 1 / variance;
  return {
    valueGrad(f, x, m, d, rep, scale, g) {
      let s = 0;
      for (let r = 0; r < m; r++) {
        const xo = Math.floor(r / rep) * d;
        const fo = r * d;
        for (let j = 0; j < d; j++) {
          const e = f[fo + j] - x[xo + j];
          s += e * e;
          if (g) g[fo + j] = scale * inv * e;
        }
      }
      return 0.5 * inv * s;
    },
    curvature: () => inv,
    mean: (f) => f,
  };
}

/**
 * Σ over n rows and L units of KL(N(μ, e^s) ‖ N(0, 1)) = ½(μ² + e^s − 1 − s), the closed form
 * for a diagonal Gaussian against the standard normal (Kingma & Welling 2014, App. B). e is the
 * encoder output (n×2L: μ then s); when g is given it gets scale·∂/∂[μ, s] = scale·[μ, ½(e^s − 1)]
 * (overwritten). `perUnit`, when given, gets each unit's sum over rows added.
 */
export function klValueGrad(e: Vec, n: number, latentDim: number, scale: number, g: Float64Array | null, perUnit?: Float64Array): number {
  const L = latentDim;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = 2 * L * i;
    for (let j = 0; j < L; j++) {
      const mu = e[o + j];
      const s = e[o + L + j];
      const es = Math.exp(s);
      const kl = 0.5 * (mu * mu + es - 1 - s);
      total += kl;
      if (perUnit) perUnit[j] += kl;
      if (g) {
        g[o + j] = scale * mu;
        g[o + L + j] = scale * 0.5 * (es - 1);
      }
    }
  }
  return total;
}

/**
 * The reparameterization z_ik = μ_i + exp(½ s_i) ⊙ ε_ik into z (nS×L, row i·S + k), from the
 * encoder output e (n×2L) and the noise eps (n×S×L, the same layout as z).
 */
export function reparameterize(e: Vec, eps: ArrayLike<number>, n: number, samples: number, latentDim: number, z: Vec): void {
  const L = latentDim;
  for (let i = 0; i < n; i++) {
    const o = 2 * L * i;
    for (let k = 0; k < samples; k++) {
      const r = (i * samples + k) * L;
      for (let j = 0; j < L; j++) z[r + j] = e[o + j] + Math.exp(0.5 * e[o + L + j]) * eps[r + j];
    }
  }
}

/**
 * The encoder's output signal from the decoder's input signal gz = ∂J/∂z (nS×L): by the chain
 * rule through the reparameterization, ∂J/∂μ_i = Σ_k gz_ik and ∂J/∂s_i = Σ_k gz_ik ⊙ ε_ik ⊙ ½e^{½s_i},
 * added into ge (n×2L), which holds the KL's part already.
 */
export function reparameterizeBackward(e: Vec, eps: ArrayLike<number>, gz: ArrayLike<number>, n: number, samples: number, latentDim: number, ge: Float64Array): void {
  const L = latentDim;
  for (let i = 0; i < n; i++) {
    const o = 2 * L * i;
    for (let j = 0; j < L; j++) {
      const half = 0.5 * Math.exp(0.5 * e[o + L + j]);
      let gm = 0;
      let gs = 0;
      for (let k = 0; k < samples; k++) {
        const r = (i * samples + k) * L + j;
        gm += gz[r];
        gs += gz[r] * eps[r];
      }
      ge[o + j] += gm;
      ge[o + L + j] += half * gs;
    }
  }
}
