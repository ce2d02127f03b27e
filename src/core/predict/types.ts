// What predictTransitions returns: the critical λ values read off the data before any training.

// The record itself is shared with the results and the webviews (src/core/transitions/types.ts).
import type { Prediction } from '../transitions/types';

export type { Prediction, TransitionOrder } from '../transitions/types';

/**
 * How far the number is a theorem for this config:
 * - 'exact': the global minimum leaves the trivial solution exactly at this λ;
 * - 'exact-onset': the trivial point is a local minimum above this λ and a saddle below it, exactly;
 *   where the global minimum jumps (and the shape of the branch) may differ;
 * - 'estimate': an approximation; `why` says which one.
 */
export type Exactness = Prediction['exactness'];

export interface TransitionPredictions {
  /** Ascending by lambda. */
  predictions: Prediction[];
  notes: string[];
}

/** 4 significant digits, without trailing zeros, for the one-line explanations. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}
