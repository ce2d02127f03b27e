import type { Vae } from '../model/vae';
import type { VaeNoise } from '../model/vaeNoise';

/**
 * Average KL (nats) above which a latent unit counts as active: the order parameter of posterior
 * collapse. Burda, Grosse & Salakhutdinov 2016 (IWAE, §5.2) call a unit active when
 * Cov_x(E_q[z_j]) > 10⁻², a cut in the wide gap between the used and unused units of trained
 * VAEs. With σ_j² at its prior value 1 a unit's KL is ½·E_x[μ_j²], so 10⁻² nats is the same
 * scale in the form posterior-collapse analyses use (Lucas et al. 2019: a unit is ε-collapsed
 * when its KL is below ε). For a linear VAE the unit's KL is ½·log(ℓ/(βσ²)) (predict/linearVae.ts),
 * so a count with this threshold drops at β_c·e^{−2·0.01} ≈ 0.98·β_c, just before the collapse.
 */
export const ACTIVE_UNIT_KL = 0.01;

/** A VAE's measures at one θ on one data set (its rows and their fixed noise). */
export interface VaeMeasures {
  /** Mean over rows and noise draws of −log p(x|z) (the objective's reconstruction term). */
  reconstruction: number;
  /** Mean over rows of KL(q(z|x) ‖ N(0, I)). */
  kl: number;
  /** −(reconstruction + KL) per row: the ELBO (gaussian: without −(D/2)·log(2πσ²)). */
  elbo: number;
  /** Each latent unit's KL averaged over rows (they sum to `kl`). */
  klPerUnit: number[];
  /** Units whose average KL exceeds the threshold. */
  activeUnits: number;
  threshold: number;
}

export function countActiveUnits(klPerUnit: ArrayLike<number>, threshold = ACTIVE_UNIT_KL): number {
  let count = 0;
  for (let j = 0; j < klPerUnit.length; j++) if (klPerUnit[j] > threshold) count++;
  return count;
}

export function vaeMeasures(vae: Vae, theta: Float64Array, x: ArrayLike<number>, n: number, noise: VaeNoise, threshold = ACTIVE_UNIT_KL): VaeMeasures {
  const { reconstruction, kl } = vae.terms(theta, vae.toModel(x), n, noise, 0);
  const klPerUnit = Array.from(vae.klPerUnit(theta, x, n));
  return { reconstruction, kl, elbo: -(reconstruction + kl), klPerUnit, activeUnits: countActiveUnits(klPerUnit, threshold), threshold };
}
