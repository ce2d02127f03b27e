import type { HessianSettings } from '../config/types';
import { assembleVaeHessian, VaeHessian } from '../model/vaeHessian';
import type { VaeProblem } from '../train/vaeProblem';
import { analyzeLandscape, type LandscapeOperators, type PointAnalysis } from './analyzePoint';

/**
 * analyzePoint for a VAE at the problems' β and λ: the spectrum of the objective reconstruction +
 * β·KL + λ·penalty and the curvatures of the objective and of the reconstruction (the VAE's error
 * landscape), from VaeHessian's exact products on the float64 problem up to `exactLimit`
 * parameters, else on the training (fast) one. The data terms are linear in β, so one operator
 * serves both landscapes (vaeHessian.ts).
 */
export function analyzeVaePoint(problems: { exact: VaeProblem; fast: VaeProblem }, theta: ArrayLike<number>, s: HessianSettings, seed: number, point = ''): PointAnalysis {
  const { beta, lambda, layout } = problems.exact;
  const operators = (exact: boolean): LandscapeOperators => {
    const p = exact ? problems.exact : problems.fast;
    const hd = new VaeHessian(p.vae, theta, p.x, p.n, p.noise);
    return {
      kernels: p.vae.kernels,
      data: { apply: (v, out) => hd.apply(v, out, beta), gradient: hd.gradient(beta), assemble: () => assembleVaeHessian(hd, beta) },
      error: { apply: (v, out) => hd.apply(v, out, 0), gradient: hd.gradient(0), assemble: () => assembleVaeHessian(hd, 0) },
    };
  };
  return analyzeLandscape(layout, operators, theta, lambda, s, seed, point);
}
