import type { Precision } from '../kernels/kernels';
import type { MatVec } from '../linalg/lanczos';
import type { Vec } from '../linalg/vec';
import { penalty } from '../model/layout';
import type { Vae, VaeTerms } from '../model/vae';
import { VaeHessian, vaeObjectiveHessianApply } from '../model/vaeHessian';
import type { VaeLayout } from '../model/vaeLayout';
import { noiseRows, type VaeNoise } from '../model/vaeNoise';
import type { TrainingObjective } from './objective';

/**
 * The VAE training objective at one (β, λ): reconstruction + β·KL on the training rows, with
 * their fixed noise, plus λ·Σ‖W‖²_F (layout.ts's penalty over both networks). A TrainingObjective
 * as TrainingProblem is (valueGrad, batchValueGrad, n, precision, hessianAt; mutable λ), so the optimizers train it as is
 * and a sweep can move β or λ between solves on one problem.
 */
export class VaeProblem implements TrainingObjective {
  readonly size: number;
  readonly x: Vec;
  readonly n: number;
  beta = 1;
  lambda = 0;
  /** The terms at the θ of the last valueGrad or batchValueGrad. */
  last: VaeTerms = { reconstruction: NaN, kl: NaN };
  private bx: Vec | null = null;

  constructor(
    readonly vae: Vae,
    train: { n: number; x: ArrayLike<number> },
    readonly noise: VaeNoise,
  ) {
    if (noise.n !== train.n) throw new Error(`VaeProblem: noise for ${noise.n} rows, data has ${train.n}`);
    this.size = vae.layout.size;
    this.x = vae.place(train.x);
    this.n = train.n;
  }

  get layout(): VaeLayout {
    return this.vae.layout;
  }

  get precision(): Precision {
    return this.vae.precision;
  }

  /** H·v of the objective at θ and the current β and λ (VaeHessian's R-operator). */
  hessianAt(theta: ArrayLike<number>): MatVec {
    return vaeObjectiveHessianApply(new VaeHessian(this.vae, theta, this.x, this.n, this.noise), this.layout, this.beta, this.lambda);
  }

  valueGrad(theta: Float64Array, grad: Float64Array): number {
    this.last = this.vae.terms(theta, this.x, this.n, this.noise, this.beta, grad);
    return this.last.reconstruction + this.beta * this.last.kl + penalty(this.layout, theta, this.lambda, grad);
  }

  /** The same objective with the data terms averaged over the given rows (and their noise) only. */
  batchValueGrad(theta: Float64Array, grad: Float64Array, rows: Int32Array): number {
    const d = this.layout.inputDim;
    const b = rows.length;
    if (!this.bx || this.bx.length < b * d) this.bx = this.vae.place(new Float64Array(b * d));
    for (let i = 0; i < b; i++) this.bx.set(this.x.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
    this.last = this.vae.terms(theta, this.bx.subarray(0, b * d), b, noiseRows(this.noise, rows), this.beta, grad);
    return this.last.reconstruction + this.beta * this.last.kl + penalty(this.layout, theta, this.lambda, grad);
  }
}
