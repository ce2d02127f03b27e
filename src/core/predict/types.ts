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
  /** Ascending by lambda; a 2-D sweep's per-row predictions by row (`across`) first. */
  predictions: Prediction[];
  notes: string[];
}

/** 4 significant digits, without trailing zeros, for the one-line explanations. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}

/** The note naming the rows the moments were taken over: one per prediction of the whole split (a 2-D sweep's rows name theirs in one note, rows.ts). */
export const rowsNote = (n: number): string => `All moments are over the ${n} training rows.`;
