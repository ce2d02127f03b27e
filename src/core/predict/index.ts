// predictTransitions: the critical λ values of an experiment (a VAE's: vae.ts), read off the training data alone
// before any training. One pass for the moments (x̄, ȳ, E[x yᵀ]), a thin SVD of the d×K moment
// E[x rᵀ] at the trivial point, and O(n·d) passes along its top directions; nothing n×n.
//
//   hidden: []   ridge / logistic regression: never trivial at finite λ (no prediction);
//   D = 1        second-order instability of the trivial point at λ_k = σ'·σ_k(E[x rᵀ]) (oneHidden.ts);
//   D ≥ 2        first-order jumps at λc = (c/D)((D−1)c/(Ds))^((D−1)/(D+1)) (deep.ts, deepLinear.ts).

import type { Experiment, SweepParameter } from '../config/types';
import type { Dataset } from '../data/dataset';
import { vaeModel } from '../config/defaults';
import { axisWords } from '../sweep/axis';
import { deepPredictions } from './deep';
import { moments } from './moments';
import { oneHiddenPredictions } from './oneHidden';
import { predictPerRow } from './rows';
import { fmt, rowsNote, type TransitionPredictions } from './types';
import { vaePredictions } from './vae';

export type { Exactness, Prediction, TransitionOrder, TransitionPredictions } from './types';
export { deepCriticalLambda, deepJump, deepReducedObjective, deepSpinodal } from './deepLinear';

/**
 * What can be said before training about the experiment's sweep. The theory here is of λ: for
 * a sweep of λ its critical values; for another parameter at the fixed train.lambda, what the λ
 * theory implies for that parameter (a width sweep: how many modes the global minimum uses at
 * that λ, so how wide the net needs to be), else that no prediction exists and why. A 2-D sweep
 * along λ (a VAE's β) first gets a prediction per row, of that row's setting (rows.ts).
 */
export function predictTransitions(e: Experiment, ds: Dataset): TransitionPredictions {
  if (vaeModel(e.model)) return e.sweep.parameter === 'beta' ? predictPerRow(e, ds, vaePredictions) : vaePredictions(e, ds);
  if (e.sweep.parameter === 'lambda') return predictPerRow(e, ds, predictLambda);
  if (e.sweep.across?.parameter === 'lambda') {
    const { predictions, notes } = predictLambda(e, ds);
    const first = axisWords(e.sweep).symbol;
    return {
      predictions,
      notes: [
        `Not per row: this sweep's rows are λ values (its first axis is ${first}), so these λc are of the full training split, not of any one ${first} point's setting (sweep λ first for a λc per ${first} row).`,
        ...notes,
      ],
    };
  }
  const lambda = e.train.lambda ?? 0;
  const { predictions, notes } = predictLambda(e, ds);
  const at = `at the fixed λ = ${fmt(lambda)} (train.lambda)`;
  const why: Record<Exclude<SweepParameter, 'lambda' | 'beta'>, () => string> = {
    samples: () =>
      'No prediction for a samples sweep: the feature-learning threshold δ_NN = n/d depends on the link function and the optimizer (the spectral transition is measured, not predicted here); the λ theory holds for the full training split only.',
    width: () => {
      const on = predictions.filter((p) => p.lambda > lambda);
      return `Width: ${at} the λ theory gives ${on.length} mode(s) with λc above it (${on.map((p) => fmt(p.lambda)).join(', ') || 'none'}), so the global minimum needs about ${on.length} unit(s) per hidden layer${e.model.activation === 'linear' ? ' (exact for a linear net: wider layers add only zero units)' : ' (an estimate: nonlinear units need not align with the modes)'}; at most N(N+1) = ${ds.train.n * (ds.train.n + 1)} are ever needed.`;
    },
    noise: () => 'No prediction for a label-noise sweep: noise changes E[x yᵀ] only in expectation; the measured transitions are the ones to read.',
    initScale: () => 'No prediction for an init-scale sweep: the minimum reached depends on the initialization, which the data alone do not decide.',
  };
  return { predictions: [], notes: [why[e.sweep.parameter as Exclude<SweepParameter, 'lambda' | 'beta'>](), ...notes] };
}

function predictLambda(e: Experiment, ds: Dataset): TransitionPredictions {
  const notes: string[] = [];
  const { hidden } = e.model;
  if (hidden.length === 0) {
    // min_W L(xW + b) + λ‖W‖² is convex; W = 0 is optimal iff the gradient E[x gᵀ] vanishes there,
    // which no finite λ changes: the weights shrink like 1/λ but reach 0 only as λ → ∞.
    notes.push(
      'No hidden layer: the model is ridge (or L2-regularized logistic) regression, a convex problem whose minimizer shrinks like 1/λ but is nonzero at every finite λ unless E[x gᵀ] = 0, so there is no collapse to predict.',
    );
    return { predictions: [], notes };
  }
  const m = moments(ds.train, ds.inputDim, ds.outputDim);
  const ctx = { e, m, notes };
  const predictions = hidden.length === 1 ? oneHiddenPredictions(ctx) : deepPredictions(ctx);
  predictions.sort((a, b) => a.lambda - b.lambda);
  notes.push(rowsNote(m.n));
  return { predictions, notes };
}
