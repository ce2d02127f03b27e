// What can be said before training about a VAE's sweep: the collapse thresholds of a linear VAE
// with a gaussian decoder under a β sweep (linearVae.ts's closed form), else why there is none.
import type { Experiment } from '../config/types';
import { vaeModel } from '../config/defaults';
import type { Dataset } from '../data/dataset';
import { ACTIVE_UNIT_KL } from '../measures/vaeMeasures';
import { linearVaeCollapses } from './linearVae';
import { fmt, rowsNote, type Prediction, type TransitionPredictions } from './types';

/** Why a VAE config has no closed form, or null when it has one (linear, gaussian decoder, a β sweep). */
function noTheory(e: Experiment): string | null {
  const m = vaeModel(e.model)!;
  const swept = [e.sweep.parameter, e.sweep.across?.parameter];
  if (!swept.includes('beta')) return `No prediction for a ${e.sweep.parameter} sweep of a VAE: the closed form (Lucas et al. 2019) is of β, for a linear VAE with a gaussian decoder.`;
  if (m.decoder !== 'gaussian') return 'No prediction: the collapse thresholds are known in closed form for a gaussian decoder only (a bernoulli decoder has no linear-VAE theory).';
  if (m.activation !== 'linear' && (m.hidden.length > 0 || m.decoderHidden.length > 0)) {
    return `No prediction: the collapse thresholds are known in closed form for a linear VAE (activation "linear", or no hidden layers); a ${m.activation} VAE's units need not align with the data's principal directions.`;
  }
  if (e.sweep.parameter !== 'beta')
    return `No prediction for a ${e.sweep.parameter} × β sweep of a VAE: the closed form is along β at one λ, and here each row is at one β (sweep β first for a prediction per row).`;
  if ((e.train.lambda ?? 0) > 0 && (m.hidden.length > 0 || m.decoderHidden.length > 0)) {
    // λ·Σ‖W_l‖² over the factors of a linear map is not λ‖A‖²: it acts like a nuclear norm of the map, a different reduction.
    return 'No prediction: at λ > 0 the closed form is for a linear VAE without hidden layers (the L2 penalty of a linear hidden layer and the layer after it acts on their product like a nuclear norm, not as λ‖A‖²); set train.lambda to 0 or remove the hidden layers.';
  }
  return null;
}

/**
 * A linear VAE with a gaussian decoder of variance σ², swept in β: latent direction i collapses at
 * β_i = ℓ_i/σ² (λ = 0; β_i(λ) for λ > 0), ℓ_i the i-th eigenvalue of the training rows' 1/n
 * covariance. The prediction's value is where the active-unit count (KL > τ) drops,
 * β_i·e^{−2τ} (τ = analysis.activeKl; at λ > 0 where linearVae.ts puts the unit's KL at τ), which the detector measures; the basis gives β_i itself. Exact with moment-matched
 * noise (linearVae.ts, step 0); raw draws make it an estimate.
 */
export function vaePredictions(e: Experiment, ds: Dataset): TransitionPredictions {
  const reason = noTheory(e);
  if (reason) return { predictions: [], notes: [reason] };
  const m = vaeModel(e.model)!;
  const s2 = m.observationVariance ?? 1;
  const lambda = e.train.lambda ?? 0;
  const tau = e.analysis.activeKl ?? ACTIVE_UNIT_KL;
  // A linear hidden layer narrower than the latent layer caps the rank of the encoder's mean and the decoder's map: only that many directions can be active.
  const rank = Math.min(m.latentDim, ...m.hidden, ...m.decoderHidden);
  const collapses = linearVaeCollapses(ds.train.x, ds.train.n, ds.inputDim, { latentDim: rank, observationVariance: s2, lambda, bias: m.bias, threshold: tau });
  const exact = m.matchMoments;
  const predictions = collapses
    .filter((c) => (m.bias ? (c.collapse ?? 0) : c.beta) > 0)
    .map((c): Prediction => {
      const i = c.direction + 1;
      const drop = lambda > 0 ? `where the unit's KL falls to ${fmt(tau)}, β = ${fmt(c.activeUntil ?? 0)}` : `at β_${i}·e^{−${fmt(2 * tau)}}`;
      const count = c.activeUntil === null ? '' : c.firstOrder ? '; the active-unit count drops with the jump' : `; the active-unit count (KL > ${fmt(tau)} nats) drops ${drop}`;
      const onset = lambda > 0 ? `β_${i}(λ) = ℓ_${i}/(σ²(1 + 2λσ²)) − 2λ/ℓ_${i} = ${fmt(c.beta)}` : `β_${i} = ℓ_${i}/σ² = ${fmt(c.beta)}`;
      const at = c.firstOrder && c.collapse !== null ? `a jump at β* = ${fmt(c.collapse)}, where the active branch's objective meets the collapsed one's (locally stable from ${onset})` : onset;
      const trust = !exact
        ? 'an estimate: with raw noise draws the objective is the expectation over q only as n·samples → ∞ (set "matchMoments": true for the exact objective)'
        : c.exactness === 'exact'
          ? 'exact for a linear VAE with moment-matched noise'
          : 'exact onset: without biases the collapsed point is a local minimum above it, but the mean is not removed';
      return {
        axis: 'beta',
        lambda: c.activeUntil ?? c.collapse ?? c.beta,
        order: c.firstOrder ? 'first' : 'second',
        basis: `latent direction ${i} of the data covariance (eigenvalue ℓ_${i} = ${fmt(c.eigenvalue)}, σ² = ${fmt(s2)}): ${at}${count}`,
        exactness: exact ? c.exactness : 'estimate',
        why: trust,
      };
    });
  predictions.sort((a, b) => a.lambda - b.lambda);
  const dropped = collapses.length - predictions.length;
  const notes = [`Linear VAE: ${predictions.length} of ${m.latentDim} latent unit(s) can be active (the top min(latentDim, inputDim, narrowest hidden width) directions).`, rowsNote(ds.train.n)];
  if (dropped > 0) notes.push(`${dropped} direction(s) are collapsed at every β ≥ 0 at λ = ${fmt(lambda)}.`);
  return { predictions, notes };
}
