// The balanced deep-linear reduction and its first-order transition, closed form.
//
// Reduction. With D hidden layers, linearized at the origin, f(x) − f₀ ≈ x·M with
// M = κ·W₁W₂⋯W_{D+1} (κ = σ'^D, the hidden slopes). Expand the data loss to second order in f − f₀:
//   L ≈ L₀ + E[gᵀ(f − f₀)] + ½E[(f − f₀)ᵀH(f − f₀)],   g = −2r.
// Take M rank one along the top singular pair of E[x rᵀ] (u, v unit, uᵀE[x rᵀ]v = σ₁) and let
// p = ‖W₁⋯W_{D+1}‖ (the end-to-end weight gain):
//   E[gᵀ x M] = −2κσ₁·p,   ½E[(x M)ᵀH(x M)] = ½κ²·uᵀE[xxᵀ]u·vᵀHv·p² (MSE: H = 2I → κ²·s₀·p²).
// The smallest Σ_l ‖W_l‖²_F over factorizations of a rank-one product of norm p is
// (D+1)·p^(2/(D+1)): by AM–GM on Π_l a_l = p, equality when each layer carries p^(1/(D+1)) (the
// balanced network; gradient flow conserves balance). So, with c = κσ₁ and s = κ²·s₀·vᵀHv/2,
//   F(p) = s p² − 2c p + λ(D+1) p^(2/(D+1)),   p ≥ 0,   F(0) = 0 the trivial point.
// (κ multiplies both c and s: the FACTS formula is right with these c and s; for σ' = 1 they
// are c = σ₁(E[x rᵀ]) and s = uᵀE[xxᵀ]u.)
//
// Transition. For D ≥ 2 the exponent α = 2/(D+1) < 1 makes F ≈ λ(D+1)p^α > 0 near 0: the origin
// is a local minimum at every λ > 0, and the global minimum jumps (first-order) at the λ where the
// nontrivial local minimum p* has F(p*) = 0. Two equations:
//   F(p)/p = 0:  s p − 2c + λ(D+1)p^(α−1) = 0
//   F'(p)/2 = 0: s p − c + λ p^(α−1) = 0          (α(D+1)/2 = 1)
// Eliminate λp^(α−1) = c − s p from the second: s p − 2c + (D+1)(c − s p) = 0
//   ⇒ (D−1)c = D s p ⇒ p* = (D−1)c/(D s),
// and λc = (c − s p*)·p*^(1−α) = (c/D)·((D−1)c/(D s))^((D−1)/(D+1)).
// (D = 1 gives α = 1: F = s p² − 2(c − λ)p, a continuous transition at λ = c, i.e. oneHidden.ts.)

/** F(p) = s p² − 2c p + λ(D+1)p^(2/(D+1)), the balanced deep-linear objective minus the trivial one. */
export function deepReducedObjective(depth: number, c: number, s: number, lambda: number, p: number): number {
  return s * p * p - 2 * c * p + lambda * (depth + 1) * Math.pow(p, 2 / (depth + 1));
}

/** p* = (D−1)c/(D s): the end-to-end gain the global minimum jumps to at λc. */
export function deepJump(depth: number, c: number, s: number): number {
  return ((depth - 1) * c) / (depth * s);
}

/** λc(D) = (c/D)·((D−1)c/(D s))^((D−1)/(D+1)) for D ≥ 2 hidden layers. */
export function deepCriticalLambda(depth: number, c: number, s: number): number {
  if (!(depth >= 2)) throw new Error(`deepCriticalLambda: needs D ≥ 2 hidden layers (got ${depth})`);
  return (c / depth) * Math.pow(deepJump(depth, c, s), (depth - 1) / (depth + 1));
}

/**
 * The upper end of the hysteresis: the nontrivial local minimum exists for λ < λs and merges with
 * the barrier at λs. F'(p) = 0 and F''(p) = 0 give λp^(α−1) = c − s p and λp^(α−1) = s p/(1−α),
 * so p_s = c(1−α)/(s(2−α)) = (D−1)c/(2Ds) = ½p* and λs = s·p_s^(2D/(D+1))·(D+1)/(D−1).
 */
export function deepSpinodal(depth: number, c: number, s: number): { lambda: number; p: number } {
  const p = deepJump(depth, c, s) / 2;
  return { lambda: (s * Math.pow(p, (2 * depth) / (depth + 1)) * (depth + 1)) / (depth - 1), p };
}
