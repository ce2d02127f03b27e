// Which hidden-unit slope σ'(b₁) the instability condition uses.
//
// At the trivial point the hidden pre-activation is z = x·w₁ + b₁ with w₁ = 0, so to first order
// a hidden unit is σ(b₁) + σ'(b₁)·(x·w₁): a constant plus a linear unit of gain σ'(b₁).
// - The constant σ(b₁)·w₂ is an output shift. With a free output bias it is absorbed exactly
//   (δb₂ = −σ(b₁)·Σ_j w₂j cancels it at second order), so a nonzero σ(b₁) (sigmoid; gelu at
//   b₁ ≠ 0) does not move the threshold. Without biases σ(0) ≠ 0 (sigmoid) is not absorbed:
//   oneHidden.ts handles it.
// - Free (unregularized) hidden biases: the trivial point is a manifold in b₁ (the loss does not
//   see b₁ while W₂ = 0). Unit j contributes a block with smallest eigenvalue 2λ − |σ'(b₁j)|·σ₁(G),
//   so the manifold first loses stability, coming down in λ, at its most unstable point
//   b* = argmax |σ'|: tanh, sigmoid, linear at 0 (σ'(0) = 1, ¼, 1); gelu at b* = √2 where
//   σ'' = φ(b)(2 − b²) = 0, σ'(√2) = Φ(√2) + √2·φ(√2) ≈ 1.1289 (not σ'(0) = ½); relu at any
//   b₁ > 0, where the unit is exactly linear near w₁ = 0 (slope 1).
// - No or regularized biases: b₁ = 0 (pinned by the penalty), slope σ'(0); relu has no
//   derivative there and gets the effective slope ½ of a random half-space (E[(x·u)₊] ≈ ½ x·u
//   for symmetric data); oneHidden.ts refines it along the top direction.

import type { Activation } from '../config/types';
import { activation } from '../model/activations';
import type { BiasMode } from './trivialPoint';

export interface HiddenSlope {
  /** |σ'(b*)|, the gain of a hidden unit linearized at the trivial point. */
  value: number;
  /** The hidden bias it applies at. */
  bias: number;
  /** σ(b*), the unit's constant output there. */
  constant: number;
  /** σ''(b*): nonzero means a cubic term in the expansion (see oneHidden.ts). */
  curvature: number;
  /** relu at b₁ = 0: not differentiable, the slope is an effective one. */
  kink: boolean;
  /** "σ'(0) = 1", "σ'(√2) = 1.129 at the most unstable hidden bias", … */
  text: string;
}

const SQRT2 = Math.SQRT2;

/** σ(b), σ'(b), σ''(b) from the engine's own activation definitions. */
function evalAt(kind: Activation, b: number): { h: number; d1: number; d2: number } {
  const fns = activation(kind);
  const z = new Float64Array([b]);
  const h = new Float64Array(1);
  fns.forward(z, null, 1, h);
  return { h: h[0], d1: fns.d1(z[0], h[0]), d2: fns.d2(z[0], h[0]) };
}

export function hiddenSlope(kind: Activation, mode: BiasMode): HiddenSlope {
  const fns = activation(kind);
  if (mode === 'free') {
    const b = kind === 'gelu' ? SQRT2 : kind === 'relu' ? 1 : 0;
    const { h, d1, d2 } = evalAt(kind, b);
    const where =
      kind === 'gelu'
        ? `σ'(√2) = ${d1.toPrecision(4)} at the most unstable hidden bias b₁ = √2`
        : kind === 'relu'
          ? "σ' = 1 for hidden biases b₁ > 0 (the unit is linear near w₁ = 0)"
          : `σ'(0) = ${d1}`;
    // σ''(b*) = 0 at an interior maximum of |σ'| (gelu's φ(√2)(2 − 2) rounds to ~1e-16).
    return { value: Math.abs(d1), bias: b, constant: h, curvature: Math.abs(d2) < 1e-12 ? 0 : d2, kink: false, text: where };
  }
  const { h, d2 } = evalAt(kind, 0);
  const value = fns.slopeAtZero;
  return {
    value,
    bias: 0,
    constant: h,
    curvature: kind === 'relu' ? 0 : d2,
    kink: kind === 'relu',
    text: kind === 'relu' ? 'effective ReLU slope ½ (random half-space)' : `σ'(0) = ${value}`,
  };
}
