import type { AxisId } from '../sweep/axis';

/** Ehrenfest order: a jump of the order parameter (first) or a kink, a jump of its slope (second). */
export type TransitionOrder = 'first' | 'second';

/** One detected transition: an entry of summary.json's `transitions`. */
export interface Transition {
  /** The swept parameter (λ unless the sweep says otherwise): every value below is one of it. */
  axis: AxisId;
  /** Present on a linear axis: distances and widths are then in the parameter's units, not decades. */
  linear?: true;
  /** Best estimate of the critical value (λc, δc, …): where the global minimum switches branch (first-order) or where the kink is (second-order). */
  value: number;
  /** It lies in [lo, hi]: neighbouring points of the global-minimum branch on either side (grid or refinement). */
  bracket: [number, number];
  /** A 2-D sweep's row: the value of the second axis (`sweep.across`) this transition was found at. */
  across?: number;
  /** Which parameter that second axis sweeps (present with `across`), so the record names its row on its own: "at δ = 7". */
  acrossAxis?: AxisId;
  order: TransitionOrder;
  /** The observable it was found in: "modes" (the mode spectrum of E[∂f/∂x]) or, for results without it, "weightNorm"; a VAE's "activeUnits" (its latent units' KL); "outliers", "featureOverlap", "kl" (observables.ts). */
  observable: string;
  /**
   * `collapse`: into the trivial regime, where the network stops learning; `cascade`: one mode
   * (a feature) switching off before that (a VAE: a latent unit collapsing while others stay
   * active); `kl`: a jump (first-order) or kink (second-order) of a VAE's total KL.
   */
  kind: 'collapse' | 'cascade' | 'spectral' | 'feature-learning' | 'kl';
  /** The mode that switches (1-based, by strength: 1 is the strongest, the last to go). */
  mode: number;
  /** The number of modes the global minimum uses just below and just above λc (a VAE: its active latent units; spectral: the outlier counts; feature-learning: 0 below, 1 above). */
  phases: [number, number];
  /** feature-learning: the overlap at the bracket's two ends; kl: the total KL there. */
  levels?: [number, number];
  /** With up and down chains: where each branch jumps, and the loop's width (decades on a log axis, else in the parameter's units). */
  hysteresis?: { up: number; down: number | null; width: number | null };
  /** The nearest change point of a curvature curve, and its distance from the critical value (decades on a log axis, else in the parameter's units). */
  curvatureChangePoint?: { value: number; distance: number; curve: 'error' | 'objective'; kind: 'sign' | 'jump' | 'kink' };
  /** 0–1: the fraction of seeds that show it, times how far above the noise the jump or kink stands. */
  confidence: number;
}

/** A critical value predicted from the data before training (`l2exp predict`, the hover): a λc unless `axis` says otherwise. */
export interface Prediction {
  /** The swept parameter the value is of; absent: λ. */
  axis?: AxisId;
  /** The predicted critical value (of λ, or of `axis`). */
  lambda: number;
  /** A 2-D sweep's row: the value of the second axis (`sweep.across`) whose setting (training rows, widths, labels, λ) the theory was applied to; absent: the whole experiment. */
  across?: number;
  /** Which parameter that second axis sweeps (present with `across`), so the record names its row on its own: "at δ = 2". */
  acrossAxis?: AxisId;
  order: TransitionOrder;
  /** One sentence: what quantity it comes from. */
  basis: string;
  exactness: 'exact' | 'exact-onset' | 'estimate';
  /** One sentence on how far to trust it for this config. */
  why: string;
}
