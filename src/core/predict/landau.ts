// The cubic term of the expansion along the unstable direction, when σ''(b₁) ≠ 0 (gelu with
// hidden biases pinned at 0). Along w₁ = t·u, w₂ = t·v (u, v the top singular pair, uᵀE[x rᵀ]v = ρ),
// one unit's output change is t(σ(tz) − σ(0))v with z = x·u, so with g = −2r
//   E[gᵀδf] = −2σ'ρ·t² − σ''·κ₃·t³ + O(t⁴),   κ₃ = E[(rᵀv)·z²],
//   ½E[δfᵀHδf] = C₄t⁴ + …,   C₄ ≈ ½σ'²·vᵀHv·E[z²]   (leading part; slaved modes not included),
// and F(t) = 2(λ − λ₁)t² − |σ''κ₃|·|t|³ + C₄t⁴ (t's sign is free). A cubic term makes the
// bifurcation transcritical: F has a negative nontrivial minimum as soon as
// 2(λ − λ₁) < (σ''κ₃)²/(4C₄), so the global minimum jumps (first-order) at about
//   λ₁ + (σ''κ₃)²/(8C₄),
// above the exact onset λ₁. The shift is an estimate (C₄ leaves out the modes slaved at O(t²)).

import { project, type Moments } from './moments';
import type { Modes } from './modes';
import type { HiddenSlope } from './slope';

/** Estimated λ of the first-order jump above the onset λ₁, or λ₁ itself when σ'' = 0 (or C₄ is not positive). */
export function cubicJumpLambda(m: Moments, modes: Modes, slope: HiddenSlope, lambda1: number): number {
  if (slope.curvature === 0) return lambda1;
  const u = modes.svd.u[0];
  const v = modes.svd.v[0];
  const z = project(m, u, modes.tp.augmented);
  const r = new Float64Array(m.k);
  let k3 = 0;
  let z2 = 0;
  for (let i = 0; i < m.n; i++) {
    modes.tp.residual(i, r);
    let rv = 0;
    for (let j = 0; j < m.k; j++) rv += r[j] * v[j];
    k3 += rv * z[i] * z[i];
    z2 += z[i] * z[i];
  }
  k3 /= m.n;
  z2 /= m.n;
  const c3 = slope.curvature * k3;
  const c4 = 0.5 * slope.value ** 2 * modes.tp.curvature(v) * z2;
  return c4 > 0 ? lambda1 + (c3 * c3) / (8 * c4) : lambda1;
}
