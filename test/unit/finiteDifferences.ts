// Finite-difference references shared by the model tests.
import type { Objective } from '../../src/core/train/objective';

/**
 * (∇f(θ + εv) − ∇f(θ − εv)) / 2ε, the central difference of the problem's gradient along v:
 * with ε = 1e-5 the truncation is ~ε²‖∇³f‖‖v‖³ ≈ 1e-10 and the rounding ~ε_mach‖∇f‖/ε ≈ 1e-11,
 * so a Hessian-vector product within 1e-6 (relative) of it is right, and a wrong term of the
 * R-operator (a missing σ'' or G·Vᵀ) is off by O(1).
 */
export function fdHessianVector(problem: Objective, theta: Float64Array, v: Float64Array, eps = 1e-5): Float64Array {
  const gp = new Float64Array(theta.length);
  const gm = new Float64Array(theta.length);
  problem.valueGrad(
    theta.map((t, i) => t + eps * v[i]),
    gp,
  );
  problem.valueGrad(
    theta.map((t, i) => t - eps * v[i]),
    gm,
  );
  return gp.map((a, i) => (a - gm[i]) / (2 * eps));
}
