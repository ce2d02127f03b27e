import type { Split } from '../data/dataset';
import type { Precision } from '../kernels/kernels';
import type { MatVec } from '../linalg/lanczos';
import type { Vec } from '../linalg/vec';
import { DataHessian, objectiveHessianApply } from '../model/hessian';
import { penalty, type Layout } from '../model/layout';
import type { Mlp } from '../model/mlp';
import type { TrainingObjective } from './objective';

/**
 * The regularized training objective at one λ: data loss on the training split plus
 * λ·Σ‖W‖²_F. Holds the training data in the model's precision, in the model's workspace (so
 * the kernels read it in place); λ can change between solves (continuation along a sweep
 * reuses one problem).
 */
export class TrainingProblem implements TrainingObjective {
  readonly size: number;
  readonly x: Vec;
  readonly y: Vec;
  readonly n: number;
  lambda = 0;
  private bx: Vec;
  private by: Vec;

  constructor(
    readonly model: Mlp,
    readonly train: Split,
  ) {
    this.size = model.layout.size;
    this.x = model.place(train.x);
    this.y = model.place(train.y);
    this.n = train.n;
    // Inputs with many exact zeros (images) let the first layer skip them; the same results.
    // L2EXP_DENSE_INPUTS=1 keeps the dense products (the benchmark reports both).
    if (process.env.L2EXP_DENSE_INPUTS !== '1') model.compressInput(this.x, this.n);
    this.bx = this.x;
    this.by = this.y;
  }

  get layout(): Layout {
    return this.model.layout;
  }

  get precision(): Precision {
    return this.model.precision;
  }

  hessianAt(theta: ArrayLike<number>): MatVec {
    return objectiveHessianApply(new DataHessian(this.model, theta, this.x, this.y, this.n), this.layout, this.lambda);
  }

  valueGrad(theta: Float64Array, grad: Float64Array): number {
    const data = this.model.lossGrad(theta, this.x, this.y, this.n, grad);
    return data + penalty(this.layout, theta, this.lambda, grad);
  }

  /** The same objective with the data term averaged over the given rows only. */
  batchValueGrad(theta: Float64Array, grad: Float64Array, rows: Int32Array): number {
    const { inputDim: d, outputDim: k } = this.layout;
    const b = rows.length;
    if (this.bx === this.x || this.bx.length < b * d) {
      this.bx = this.model.place(new Float64Array(b * d));
      this.by = this.model.place(new Float64Array(b * k));
    }
    for (let i = 0; i < b; i++) {
      const r = rows[i];
      this.bx.set(this.x.subarray(r * d, (r + 1) * d), i * d);
      this.by.set(this.y.subarray(r * k, (r + 1) * k), i * k);
    }
    const data = this.model.lossGrad(theta, this.bx.subarray(0, b * d), this.by.subarray(0, b * k), b, grad);
    return data + penalty(this.layout, theta, this.lambda, grad);
  }
}
