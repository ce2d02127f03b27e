// Two or more hidden layers (D ≥ 2): first-order transitions of the balanced deep-linear
// reduction (deepLinear.ts), one per singular mode of E[x rᵀ] up to the narrowest layer.
//
// Why the origin is a local minimum at every λ > 0: the lowest-order term coupling the data to
// the weights is E[gᵀ x W₁⋯W_{D+1}]·σ'^D, a product of D + 1 ≥ 3 weight matrices, so it is at
// least cubic while the penalty is λ‖W‖² > 0: no second-order instability exists, and the
// collapse is the global minimum jumping to the origin.
//
// Per mode k, with (ρ_k, u_k, v_k) the singular triple of E[x̃ rᵀ] and κ = σ'^D:
//   c = κ·ρ_k,   s = κ²·s₀·vᵀHv/2,   s₀ = u_kᵀΣ̃u_k
// where Σ̃ = E[xxᵀ] (no biases), the covariance (a free output bias absorbs the mean of x·M:
// min_b E‖xM + b − y‖² = E‖(x − x̄)M − (y − ȳ)‖²) or E[x̃x̃ᵀ] with x̃ = (x, 1) (regularized biases,
// first layer's bias as a weight on a constant input). MSE: vᵀHv/2 = 1, so s = κ²s₀.
//
// Exact for a linear net with MSE whose Σ̃ acts as s·I on the span of all the u_k: then
// tr(MᵀΣ̃M) = s‖M‖², the problem decouples into the modes (von Neumann), and each mode's
// F(p) is the exact objective difference (MSE is quadratic, the minimal penalty of a product is
// (D+1)Σσ_i(M)^(2/(D+1))). Non-isotropic Σ̃, linear MSE: restricting to one rank-one direction
// can only raise the nontrivial minimum, so each λc is a lower bound on the true collapse.

import { activation } from '../model/activations';
import { deepCriticalLambda, deepJump, deepSpinodal } from './deepLinear';
import { solveFixedPoint } from './fixedPoint';
import { inputSpectrum, ISOTROPY_TOLERANCE, isotropyOnSpan } from './isotropy';
import { secondMomentAlong } from './moments';
import { modesAt, type Modes } from './modes';
import type { PredictContext } from './oneHidden';
import { hiddenSlope } from './slope';
import { biasMode } from './trivialPoint';
import { fmt, type Prediction } from './types';

const SIGMA = ['σ₁', 'σ₂', 'σ₃', 'σ₄', 'σ₅', 'σ₆', 'σ₇', 'σ₈', 'σ₉'];

export function deepPredictions(ctx: PredictContext): Prediction[] {
  const { e, m, notes } = ctx;
  const { hidden, activation: act } = e.model;
  const depth = hidden.length;
  const minWidth = Math.min(...hidden);
  const loss = e.loss;
  const mode = biasMode(e.model);
  const slope = hiddenSlope(act, mode);
  const kappa = slope.value ** depth;
  const centered = mode === 'free';

  // s₀ = uᵀΣ̃u; at the λ-independent trivial point (no or free biases) the isotropy pass below
  // has already computed it.
  let known: number[] | undefined;
  const reduce = (k: number, modes: Modes) => {
    const rho = modes.svd.values[k];
    const s0 = modes === base && known ? known[k] : secondMomentAlong(m, modes.svd.u[k], modes.tp.augmented, centered);
    const curv = modes.tp.curvature(modes.svd.v[k]) / 2;
    const c = kappa * rho;
    const s = kappa * kappa * s0 * curv;
    return { rho, s0, curv, c, s, lambda: deepCriticalLambda(depth, c, s), p: deepJump(depth, c, s) };
  };

  const base = modesAt(m, loss, mode, mode === 'regularized' ? 1 : 0);
  const kMax = Math.min(minWidth, base.rank);
  const linearMse = act === 'linear' && loss === 'mse' && mode !== 'regularized';
  const iso = base.rank > 0 ? isotropyOnSpan(m, base.svd.u.slice(0, base.rank), base.tp.augmented, centered) : undefined;
  const isotropic = iso !== undefined && iso.deviation <= ISOTROPY_TOLERANCE;
  if (iso && mode !== 'regularized') known = iso.s;

  const out: Prediction[] = [];
  let top: { lambda: number; c: number; s: number } | undefined;
  for (let k = 0; k < kMax; k++) {
    let modes = base;
    if (mode === 'regularized') {
      const lam = solveFixedPoint((l) => reduce(k, modesAt(m, loss, mode, l)).lambda);
      if (!(lam > 0)) break;
      modes = modesAt(m, loss, mode, lam);
      if (!(k < modes.rank)) break;
    }
    const r = reduce(k, modes);
    if (!(r.lambda > 0) || !Number.isFinite(r.lambda)) continue;
    if (!top || r.lambda > top.lambda) top = r;

    const xName = modes.tp.augmented ? 'E[x̃ rᵀ] (x̃ = (x, 1))' : 'E[x rᵀ]';
    const sName = modes.tp.augmented ? 'ũᵀE[x̃x̃ᵀ]ũ' : centered ? 'Var(x·u)' : 'uᵀE[xxᵀ]u';
    const slopePart = act === 'linear' ? '' : `, slope ${slope.text} per layer (σ'^D = ${fmt(kappa)})`;
    const curvPart = loss === 'mse' ? '' : `, loss curvature vᵀHv/2 = ${fmt(r.curv)}`;
    const basis =
      `${SIGMA[k] ?? `σ_${k + 1}`} of ${xName} = ${fmt(r.rho)} (${modes.tp.rText}), s₀ = ${sName} = ${fmt(r.s0)}${curvPart}${slopePart}, D = ${depth}: ` +
      `λc = (c/D)((D−1)c/(Ds))^((D−1)/(D+1)) with c = ${fmt(r.c)}, s = ${fmt(r.s)}, jumping to end-to-end gain p* = (D−1)c/(Ds) = ${fmt(r.p)}` +
      (mode === 'regularized' ? ', solving λ = T(λ) for the λ-shrunk output bias' : '');

    let why: string;
    const exact = linearMse && isotropic;
    if (exact) {
      why = 'Exact: a linear net with MSE on inputs isotropic along the singular directions decouples into these per-mode problems, whose global minimum jumps to zero exactly here.';
    } else if (linearMse) {
      why = `Estimate: the inputs' second moment is not isotropic on the singular directions (relative deviation ${fmt(iso ? iso.deviation : NaN)}), so the reduction uses s along u only, which makes this a lower bound on where this collapse really happens.`;
    } else if (act !== 'linear') {
      why = `Estimate: the ${act} units are replaced by their linearization (slope ${fmt(slope.value)}), but the jump goes to a finite gain p* where the nonlinearity matters${act === 'relu' ? ' (and ReLU has no slope at 0)' : ''}.`;
    } else if (loss !== 'mse') {
      why = 'Estimate: cross-entropy is replaced by its quadratic expansion at the trivial output, but the jump goes to a finite gain p* where higher-order terms matter.';
    } else {
      why = 'Estimate: regularized biases are modeled only as a first-layer weight on a constant input; the biases of the deeper layers and the shrinking output bias are left out.';
    }
    out.push({ lambda: r.lambda, order: 'first', basis, exactness: exact ? 'exact' : 'estimate', why });
  }

  notes.push(
    `With ${depth} hidden layers the origin is a local minimum at every λ > 0 (the data couple to a product of ${depth + 1} weight matrices), so each collapse is a first-order jump with hysteresis.`,
  );
  if (top) {
    const sp = deepSpinodal(depth, top.c, top.s);
    notes.push(
      `Hysteresis: an up-sweep can hold the nontrivial branch up to λ ≈ ${fmt(sp.lambda)} (where its local minimum disappears, gain p*/2 = ${fmt(sp.p)}); a down-sweep warm-started at the trivial point stays there below λc unless the kick (sweep.perturbation) reaches the nontrivial basin.`,
    );
  }
  if (base.rank === 0) notes.push('E[x rᵀ] vanishes: no mode has a linear signal, so the reduction predicts no transition.');
  if (minWidth < base.rank) notes.push(`Only the top ${minWidth} of ${base.rank} modes can switch on: the narrowest hidden layer has ${minWidth} units.`);
  if (iso && !isotropic) {
    const spec = mode === 'regularized' ? undefined : inputSpectrum(m, centered);
    const what = centered ? 'Cov(x)' : mode === 'regularized' ? 'E[x̃x̃ᵀ]' : 'E[xxᵀ]';
    const detail = spec ? `${what} eigenvalues span ${fmt(spec.min)}–${fmt(spec.max)}` : `${what} along the singular directions: ${iso.s.map(fmt).join(', ')}`;
    notes.push(`Inputs are not isotropic on the singular directions (${detail}): the deep prediction uses s along each top direction and is an estimate.`);
  }
  if (act !== 'linear' && slope.value !== activation(act).slopeAtZero) {
    notes.push(`Free hidden biases: the slope used is the largest on the trivial manifold (${slope.text}); with hidden biases at 0 it is σ'(0) = ${activation(act).slopeAtZero}.`);
  }
  if (mode === 'regularized') notes.push('Regularized biases: the output bias shrinks with λ, so each λc solves λ = T(λ).');
  if (slope.constant !== 0 && mode !== 'free' && Math.hypot(...base.tp.meanR) > 1e-9 * Math.sqrt(base.tp.meanSquareR)) {
    notes.push(
      `σ(0) = ${fmt(slope.constant)} ≠ 0 and E[g] ≠ 0 without a free output bias: all-zero weights are not stationary, so the net never becomes exactly trivial; add "bias": true for sharp transitions.`,
    );
  }
  return out;
}
