// One hidden layer (D = 1): where the trivial point loses stability.
//
// f(x) = σ(x W₁ + b₁) W₂ + b₂. Expand the objective to second order in the weights around the
// trivial point (W₁ = W₂ = 0, biases at their optimum, trivialPoint.ts), with g = ∂ℓ/∂f there:
//   f − f₀ = σ(b₁)W₂ + δb₂ + Σ_j σ'(b₁j)(x·w₁j) w₂jᵀ + O(3)       (w₁j column j of W₁, w₂j row j of W₂)
//   E ℓ(f) = E ℓ(f₀) + E[gᵀ(f − f₀)] + ½E[(f − f₀)ᵀH(f − f₀)] + …
// The constant part c = σ(b₁)W₂ + δb₂ meets E[g] = 0 (free output bias) in the linear term and
// H in the quadratic one, where a free δb₂ = −σ(b₁)W₂ cancels it (slope.ts); the x-dependent part
// is already second order, so its H-term is fourth order. What is left, per hidden unit j:
//   Q_j = λ‖w₁j‖² + λ‖w₂j‖² + σ'(b₁j)·w₁jᵀ G w₂j,   G = E[x gᵀ] = −2 E[x rᵀ].
// Its Hessian [[2λI, σ'G], [σ'Gᵀ, 2λI]] has eigenvalues 2λ ± σ'·σ_k(G), the smallest
// 2λ − σ'σ₁(G) (eigenvector (u₁, ∓v₁)/√2). So the trivial point is a minimum for
//   λ > λ₁ = σ'·σ₁(G)/2 = σ'·σ₁(E[x rᵀ])      (the ½ cancels the 2 in g = −2r)
// and a saddle below; mode k (σ_k) gives the further threshold σ'·σ_k(E[x rᵀ]), one per hidden
// unit at most. Linear activation: min over factorizations of ‖W₁‖² + ‖W₂‖² is 2‖M‖_* (M = W₁W₂),
// so the problem is convex in M and λ₁ is exactly where the global minimum leaves M = 0; for MSE
// on isotropic inputs the modes decouple into singular-value thresholding, ‖M‖ ∝ (σ_k − λ)₊,
// continuous: second-order.
//
// Special cases handled below:
// - σ(0) ≠ 0 (sigmoid) without biases: nothing absorbs c = σ(0)Σ_j w₂j. If E[g] ≠ 0 at f = 0 the
//   all-zero point is not even stationary (gradient σ(0)E[g] on W₂): estimate. If E[g] = 0, the
//   term ½cᵀHc only stiffens the direction Σ_j w₂j; with ≥ 2 units a direction with Σ_j a_j = 0
//   avoids it (threshold unchanged); with one unit the pair block is
//   [[2λ, −σ'σ], [−σ'σ, 2λ + σ(0)²h]] (h = vᵀHv, σ = σ₁(G)), singular at
//   λ = (−σ(0)²h + √(σ(0)⁴h² + 4σ'²σ²))/4.
// - ReLU at b₁ = 0 (no or regularized biases): along w₁ = t u, w₂ = t v the output change is
//   exactly t²(x·u)₊ v, so the objective is 2λt² − 2t²·vᵀE[r (x·u)₊] + O(t⁴): the trivial point is
//   unstable iff λ < max_u ‖E[r (x·u)₊]‖. We evaluate it at ±u₁ (a lower bound on the max, and
//   ≥ ½σ₁(E[x rᵀ]) since E[r(z)₊] − E[r(−z)₊] = E[r z] = E[x rᵀ]ᵀu₁ has norm σ₁); for data
//   symmetric under x → −x (E[r|z|] = 0) it equals the effective-slope value ½σ₁(E[x rᵀ]).
// - Regularized biases: the trivial point moves with λ (trivialPoint.ts), so λ_k solves λ = T_k(λ).

import type { Activation, Experiment, LossKind } from '../config/types';
import { activation } from '../model/activations';
import { solveFixedPoint } from './fixedPoint';
import { ISOTROPY_TOLERANCE, isotropyOnSpan, type SpanIsotropy } from './isotropy';
import { project, type Moments } from './moments';
import { modesAt, type Modes } from './modes';
import { hiddenSlope, type HiddenSlope } from './slope';
import { cubicJumpLambda } from './landau';
import { biasMode, type BiasMode } from './trivialPoint';
import { fmt, type Exactness, type Prediction, type TransitionOrder } from './types';

export interface PredictContext {
  e: Experiment;
  m: Moments;
  notes: string[];
}

/** max over ± of ‖E[r·(±x̃·u)₊]‖: the ReLU threshold along ±u at hidden bias 0. */
export function halfSpaceGain(m: Moments, modes: Modes, u: Float64Array): number {
  const z = project(m, u, modes.tp.augmented);
  const { k, n } = m;
  const plus = new Float64Array(k);
  const minus = new Float64Array(k);
  const r = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    modes.tp.residual(i, r);
    const zi = z[i];
    const acc = zi > 0 ? plus : minus;
    const w = Math.abs(zi);
    for (let j = 0; j < k; j++) acc[j] += r[j] * w;
  }
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0)) / n;
  return Math.max(norm(plus), norm(minus));
}

interface Setup {
  m: Moments;
  slope: HiddenSlope;
  width: number;
  reluFree: boolean;
}

/** The threshold of mode k at the trivial point `modes` (λ-dependent only with regularized biases). */
function threshold(k: number, modes: Modes, s: Setup): number {
  const rho = modes.svd.values[k];
  if (k === 0 && s.slope.kink) return halfSpaceGain(s.m, modes, modes.svd.u[0]);
  if (k === 0 && s.reluFree) return Math.max(rho, halfSpaceGain(s.m, modes, modes.svd.u[0]));
  if (s.slope.constant !== 0 && modes.tp.mode === 'none' && s.width === 1) {
    const a = s.slope.constant ** 2 * modes.tp.curvature(modes.svd.v[k]);
    return (-a + Math.sqrt(a * a + 16 * s.slope.value ** 2 * rho * rho)) / 4;
  }
  return s.slope.value * rho;
}

const ORDINAL = ['σ₁', 'σ₂', 'σ₃', 'σ₄', 'σ₅', 'σ₆', 'σ₇', 'σ₈', 'σ₉'];
const sigmaName = (k: number) => ORDINAL[k] ?? `σ_${k + 1}`;

export function oneHiddenPredictions(ctx: PredictContext): Prediction[] {
  const { e, m, notes } = ctx;
  const width = e.model.hidden[0];
  const act = e.model.activation;
  const loss = e.loss;
  const mode = biasMode(e.model);
  const slope = hiddenSlope(act, mode);
  const setup: Setup = { m, slope, width, reluFree: act === 'relu' && mode === 'free' };
  const base = modesAt(m, loss, mode, mode === 'regularized' ? 1 : 0);
  const kMax = Math.min(width, base.svd.values.length);

  // Stationarity of the all-zero weights when σ(b₁) ≠ 0 is not absorbed by a free output bias.
  const unabsorbed = slope.constant !== 0 && mode !== 'free';
  const meanR = Math.sqrt(base.tp.meanR.reduce((a, v) => a + v * v, 0));
  const stationary = !unabsorbed || meanR <= 1e-9 * Math.sqrt(base.tp.meanSquareR);

  // Mode decoupling for the further transitions of a linear MSE net (exact only on isotropic inputs).
  let iso: SpanIsotropy | undefined;
  const linearMse = act === 'linear' && loss === 'mse' && mode !== 'regularized';
  if (linearMse && Math.min(kMax, base.rank) >= 2) {
    iso = isotropyOnSpan(m, base.svd.u.slice(0, Math.min(kMax, base.rank)), false, mode === 'free');
  }

  const out: Prediction[] = [];
  for (let k = 0; k < kMax; k++) {
    let modes = base;
    let lambda: number;
    if (!(k < base.rank)) break;
    if (mode === 'regularized') {
      lambda = solveFixedPoint((l) => threshold(k, modesAt(m, loss, mode, l), setup));
      if (!(lambda > 0)) break;
      modes = modesAt(m, loss, mode, lambda);
    } else lambda = threshold(k, base, setup);
    if (!(k < modes.rank) || !(lambda > 0)) break;

    const rho = modes.svd.values[k];
    const xName = modes.tp.augmented ? 'E[x̃ rᵀ] (x̃ = (x, 1))' : 'E[x rᵀ]';
    let basis = `${sigmaName(k)} of ${xName} = ${fmt(rho)} (${modes.tp.rText}), slope ${slope.text}`;
    if (k === 0 && slope.kink) {
      basis = `‖E[r·(x·u₁)₊]‖ = ${fmt(lambda)} along the top singular direction (${modes.tp.rText}; the random-half-space slope ½ would give ½·σ₁ = ${fmt(0.5 * rho)})`;
    } else if (k === 0 && setup.reluFree && lambda > rho) {
      basis = `‖E[r·(x·u₁)₊]‖ = ${fmt(lambda)} at hidden bias 0 exceeds σ₁ of ${xName} = ${fmt(rho)} for units with b₁ > 0 (${modes.tp.rText})`;
    } else if (unabsorbed && width === 1 && mode === 'none' && stationary) {
      basis += `, corrected for the unabsorbed constant σ(0) = ${fmt(slope.constant)} of the single hidden unit`;
    }
    if (mode === 'regularized') basis += `, solving λ = T(λ) for the λ-shrunk output bias`;

    const cubicJump = k === 0 ? cubicJumpLambda(m, modes, slope, lambda) : undefined;
    const { exactness, why, order } = judge(k, act, loss, mode, slope, stationary, width, iso, lambda, cubicJump);
    out.push({ lambda, order: order ?? 'second', basis, exactness, why });
  }

  addNotes(notes, setup, base, mode, act, stationary);
  return out;
}

function judge(
  k: number,
  act: Activation,
  loss: LossKind,
  mode: BiasMode,
  slope: HiddenSlope,
  stationary: boolean,
  width: number,
  iso: SpanIsotropy | undefined,
  lambda: number,
  cubicJump: number | undefined,
): { exactness: Exactness; why: string; order?: TransitionOrder } {
  if (act === 'linear') {
    if (k === 0) {
      return {
        exactness: 'exact',
        why: 'Exact: a one-hidden-layer linear net is convex in its end-to-end map M (penalty 2λ‖M‖_*), so M = 0 is the global minimum exactly for λ ≥ this value and the branch grows continuously below it.',
      };
    }
    if (loss === 'mse' && mode !== 'regularized' && iso && iso.prefixDeviation[k] <= ISOTROPY_TOLERANCE) {
      return {
        exactness: 'exact',
        why: 'Exact: the inputs are isotropic on the singular directions, so the modes decouple (singular-value thresholding) and this one switches on continuously here.',
      };
    }
    const reason =
      loss !== 'mse'
        ? 'cross-entropy is not quadratic, so the modes already switched on change the curvature this one sees'
        : mode === 'regularized'
          ? 'the λ-shrunk output bias moves once earlier modes switch on'
          : `the inputs are not isotropic on the singular directions (relative deviation ${fmt(iso ? iso.prefixDeviation[k] : NaN)}), which couples this mode to the ones already on`;
    return { exactness: 'estimate', why: `Estimate: ${reason}; only the first transition is exact.` };
  }
  if (act === 'relu') {
    const what =
      mode === 'free'
        ? `hidden units with b₁ > 0 are exactly linear near the trivial point (threshold σ_k of E[x rᵀ]) and units at b₁ = 0 have no derivative, so the manifold's onset is at least this but a better half-space than ±u₁ could raise it`
        : k === 0
          ? 'ReLU has no derivative at 0; this is the exact threshold along ±u₁, a lower bound on the true onset (max over all directions), equal to it for data symmetric under x → −x'
          : 'ReLU has no derivative at 0; the effective slope ½ of a random half-space is used, and the mode switches on around a nontrivial solution';
    return { exactness: 'estimate', why: `Estimate: ${what}.` };
  }
  if (k > 0) {
    return {
      exactness: 'estimate',
      why: `Estimate: this mode switches on around a nontrivial solution, where the hidden units no longer have slope ${fmt(slope.value)}; only the first threshold is exact.`,
    };
  }
  if (!stationary) {
    return {
      exactness: 'estimate',
      why: `Estimate: σ(0) = ${fmt(slope.constant)} ≠ 0 with no free output bias to absorb it and E[g] ≠ 0, so all-zero weights are not even stationary: the net never becomes exactly trivial and this marks a crossover, not a sharp transition.`,
    };
  }
  if (slope.constant !== 0 && mode === 'regularized' && width === 1) {
    return {
      exactness: 'estimate',
      why: `Estimate: the single hidden unit's constant σ(0) = ${fmt(slope.constant)} is only partly absorbed by the penalized output bias, which stiffens the unstable direction a little.`,
    };
  }
  const jump = cubicJump === undefined ? lambda : cubicJump;
  if (jump > lambda * (1 + 1e-3)) {
    return {
      exactness: 'exact-onset',
      order: 'first',
      why: `Exact onset of the trivial point's instability, but σ''(0) ≠ 0 and the data's third moment along (u₁, v₁) make the bifurcation transcritical, so the global minimum already jumps (first-order) at about λ ≈ ${fmt(jump)} (cubic Landau estimate).`,
    };
  }
  return {
    exactness: 'exact-onset',
    why: 'Exact onset: the trivial point is a local minimum above this λ and a saddle below it, but whether the branch then grows continuously or the global minimum jumps slightly above depends on quartic terms not computed here.',
  };
}

function addNotes(notes: string[], s: Setup, base: Modes, mode: BiasMode, act: Activation, stationary: boolean): void {
  const { slope, width } = s;
  const rank = base.rank;
  if (rank === 0) {
    notes.push(
      'E[x rᵀ] vanishes: the second-order test never fires, so the trivial point is a local minimum at every λ > 0; any collapse here is a first-order jump driven by nonlinear features, which this analysis does not predict.',
    );
    return;
  }
  const rel = base.svd.values[0] / Math.sqrt(base.tp.scale2);
  if (act !== 'linear' && rel < 0.05) {
    notes.push(
      `E[x rᵀ] is weak (σ₁ is ${fmt(rel)} of its Cauchy–Schwarz bound): the data have little linear signal, and a nonlinear net may leave the trivial point at a larger λ through a first-order jump that this second-order test cannot see.`,
    );
  }
  if (width < rank) notes.push(`Only the top ${width} of ${rank} modes can switch on: the hidden layer has ${width} unit${width === 1 ? '' : 's'}.`);
  if (mode === 'free') {
    const atZero = activation(act).slopeAtZero;
    const differs = act !== 'linear' && slope.value !== atZero;
    notes.push(
      `Free hidden biases make the trivial point a flat manifold in b₁ (the loss does not see b₁ while W₂ = 0); the thresholds use its most unstable point (${slope.text})` +
        (differs
          ? `; units whose hidden biases stay at 0 (e.g. a down-sweep that reached the trivial point with b₁ ≈ 0) keep it stable down to ${act === 'relu' ? 'the half-space value' : `σ'(0)·σ₁ = ${fmt(atZero * base.svd.values[0])}`}${act === 'relu' ? ', and units with b₁ < 0 are dead and never destabilize' : ''}.`
          : '.'),
    );
  }
  if (slope.constant !== 0 && mode !== 'free' && act !== 'linear') {
    notes.push(
      stationary
        ? `σ(0) = ${fmt(slope.constant)} ≠ 0 is a constant hidden output with no free output bias to absorb it; E[g] = 0 here, so the threshold is unchanged with ≥ 2 hidden units${width === 1 ? ' and corrected for the single unit' : ''}.`
        : `σ(0) = ${fmt(slope.constant)} ≠ 0 and E[g] ≠ 0 without a free output bias: the constant hidden output acts as a (penalized) output bias, so the weights never reach exactly 0; add "bias": true for a sharp transition.`,
    );
  }
  if (mode === 'regularized') notes.push('Regularized biases: the output bias is shrunk with λ and a hidden bias acts as a weight on a constant input, so each threshold solves λ = T(λ).');
}
