// predictTransitions: the critical λ values of an experiment, read off the training data alone
// before any training. One pass for the moments (x̄, ȳ, E[x yᵀ]), a thin SVD of the d×K moment
// E[x rᵀ] at the trivial point, and O(n·d) passes along its top directions; nothing n×n.
//
//   hidden: []   ridge / logistic regression: never trivial at finite λ (no prediction);
//   D = 1        second-order instability of the trivial point at λ_k = σ'·σ_k(E[x rᵀ]) (oneHidden.ts);
//   D ≥ 2        first-order jumps at λc = (c/D)((D−1)c/(Ds))^((D−1)/(D+1)) (deep.ts, deepLinear.ts).

import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import { deepPredictions } from './deep';
import { moments } from './moments';
import { oneHiddenPredictions } from './oneHidden';
import type { TransitionPredictions } from './types';

export type { Exactness, Prediction, TransitionOrder, TransitionPredictions } from './types';
export { deepCriticalLambda, deepJump, deepReducedObjective, deepSpinodal } from './deepLinear';

export function predictTransitions(e: Experiment, ds: Dataset): TransitionPredictions {
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
  notes.push(`All moments are over the ${m.n} training rows.`);
  return { predictions, notes };
}
