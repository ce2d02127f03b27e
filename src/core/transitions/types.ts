/** Ehrenfest order: a jump of the order parameter (first) or a kink, a jump of its slope (second). */
export type TransitionOrder = 'first' | 'second';

/** One detected transition: an entry of summary.json's `transitions`. */
export interface Transition {
  /** Best estimate of λc: where the global minimum switches branch (first-order) or where the kink is (second-order). */
  lambda: number;
  /** λc lies in [lo, hi]: neighbouring grid (or refinement) points on either side. */
  bracket: [number, number];
  order: TransitionOrder;
  /** The observable it was found in, e.g. "weightNorm". */
  observable: string;
  /**
   * `collapse`: into the trivial regime, where the network stops learning (found on all points
   * and refined); `cascade`: a feature dropping out before that (found on the λ grid, whose
   * regular spacing the kink statistic relies on; its bracket stays a grid bracket).
   */
  kind: 'collapse' | 'cascade';
  /** With up and down chains: where each branch jumps, and the loop's width (hi/lo in log10). */
  hysteresis?: { up: number; down: number | null; width: number | null };
  /** The nearest change point of a curvature curve, and its distance from λc in log10 λ. */
  curvatureChangePoint?: { lambda: number; distanceLog10: number; curve: 'error' | 'objective'; kind: 'sign' | 'jump' | 'kink' };
  /** 0–1: the fraction of seeds that show it, times how far above the noise the jump or kink stands. */
  confidence: number;
}

/** A λc predicted from the data before training (`l2exp predict`, the hover). */
export interface Prediction {
  lambda: number;
  order: TransitionOrder;
  /** One sentence: what quantity it comes from. */
  basis: string;
  exactness: 'exact' | 'exact-onset' | 'estimate';
  /** One sentence on how far to trust it for this config. */
  why: string;
}
