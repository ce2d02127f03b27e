// Finite-difference references shared by the model tests.
import assert from 'node:assert/strict';
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

/**
 * The gradient against central differences of f, entry by entry. With h = 1e-5 the truncation
 * is ~h²·|f'''| ≈ 1e-10 and the rounding ~ε·|f|/h ≈ 1e-11 for O(1)–O(10) objectives, so 1e-7
 * relative to the gradient's largest entry leaves two to three orders of margin, while a wrong
 * chain-rule term (off by a factor or a sign, a lost ½, a mis-scaled 1/n) is off by O(|∂f/∂θ_i|).
 */
export function assertGradMatchesFd(f: (t: Float64Array) => number, theta: Float64Array, grad: Float64Array, label: string): void {
  const h = 1e-5;
  const t = Float64Array.from(theta);
  let scale = 0;
  for (const g of grad) scale = Math.max(scale, Math.abs(g));
  for (let i = 0; i < theta.length; i++) {
    t[i] = theta[i] + h;
    const fp = f(t);
    t[i] = theta[i] - h;
    const fm = f(t);
    t[i] = theta[i];
    const fd = (fp - fm) / (2 * h);
    assert.ok(Math.abs(fd - grad[i]) <= 1e-7 * Math.max(1, scale), `${label}: ∂/∂θ[${i}] analytic ${grad[i]} vs FD ${fd}`);
  }
}
