import type { CurvatureRecord, HessianRecord } from '../analysis/analyzePoint';

/** Which way a warm-started chain walks the grid; `fresh` trains every λ from a new initialization. */
export type ChainDirection = 'up' | 'down' | 'fresh';

/**
 * One finished point of a sweep: a line of points.jsonl. Metrics are null when training
 * diverged (JSON has no NaN); `hessian` and `curvature` also when the analysis is off.
 */
export interface PointRecord {
  id: string;
  /** Position on the ascending grid of the swept parameter; −1 for a point added by refinement. */
  index: number;
  /** The swept parameter's value here (sweep/axis.ts: λ, n or δ, width, noise, init scale). */
  value: number;
  /** A 2-D sweep's second coordinate: the value of `sweep.across` the point's chain walks at. */
  across?: number;
  /** The L2 strength the point was trained with: `value` in a λ sweep, else train.lambda (or the across axis's value). */
  lambda: number;
  direction: ChainDirection;
  seed: number;
  converged: boolean;
  diverged: boolean;
  /** Optimizer steps, over all minimizations of the point (the first and each escape's). */
  steps: number;
  /** Escape steps taken off saddles (train.escape): 0 for a point trained straight to a minimum. */
  escapes: number;
  /**
   * The point still has a Hessian eigenvalue below −tolerance·max|eigenvalue| after the escapes
   * allowed: a saddle, never to be counted as a minimum. False when diverged or unchecked.
   */
  saddle: boolean;
  gradNorm: number | null;
  /** Data loss (no penalty) on the training and test splits. */
  trainLoss: number | null;
  testLoss: number | null;
  /** trainLoss + λ·Σ‖W‖²_F */
  objective: number | null;
  trainScore: number | null;
  testScore: number | null;
  scoreKind: 'accuracy' | 'r2';
  /** Σ‖W‖²_F over weight matrices: the order parameter. */
  weightNorm: number | null;
  layerNorms: number[] | null;
  /** Singular values of the mean input Jacobian E[∂f/∂x], descending: one order parameter per mode (measures/modeSpectrum). */
  modes: number[] | null;
  /** Active units per hidden layer. */
  activeNeurons: number[] | null;
  /**
   * ‖P_Θ* W₁‖²_F / ‖W₁‖²_F: how much of the first layer lies in the latent subspace the targets
   * depend on (measures/featureLearning); null where the data have none (only generators that
   * know it: multi-index, teacher). About k/d for a random W₁, 1 once the features are learned.
   */
  featureOverlap: number | null;
  /**
   * Principal angles (radians, ascending) between the latent subspace and the first layer's
   * leading input directions (as many as the subspace has dimensions); null where the data have
   * no latent subspace. All 0 once the features are learned.
   */
  principalAngles: number[] | null;
  /** Stable rank ‖W‖²_F/‖W‖²₂ of each layer's weights, input to output. */
  stableRanks: number[] | null;
  /** Mean over training inputs of ‖∂f/∂x‖²_F. */
  geometricComplexity: number | null;
  /** Spectrum of the objective's Hessian, Morse index and nullity. */
  hessian: HessianRecord | null;
  /** Scalar curvature of the error and objective landscapes (a VAE's error: the reconstruction). */
  curvature: CurvatureRecord | null;
  /** The training path at analysis.trajectory's steps (the point's first minimization, from its start); absent when not asked for. */
  trajectory?: TrajectoryRecord[];
  /** A VAE's measures (model.kind "vae"); absent for an MLP. */
  vae?: VaeRecord;
}

/** θ after `step` optimizer steps of a point's training: where the path was and what its landscape looked like. */
export interface TrajectoryRecord {
  step: number;
  /** The full-batch objective (data loss + λ·Σ‖W‖²) and its gradient norm, in float64; null (and the rest too) once the path has diverged. */
  objective: number | null;
  gradNorm: number | null;
  /** As PointRecord.featureOverlap: whether the first layer has found the latent subspace yet. */
  featureOverlap: number | null;
  /** The objective's Hessian there (null when analysis.hessian is off): the plateau's negative directions. */
  hessian: HessianRecord | null;
}

/**
 * What a VAE point records besides the shared fields, where trainLoss and testLoss are the
 * reconstruction −log p(x|z) (mean over rows and noise draws), objective is reconstruction +
 * β·KL + λ·Σ‖W‖², the scores are null, and hessian and curvature are of that objective and of
 * the reconstruction. Null values: a diverged point.
 */
export interface VaeRecord {
  /** The KL weight the point was trained with: `value` in a β sweep, else train.beta. */
  beta: number;
  /** Mean over rows of KL(q(z|x) ‖ N(0, I)), training and test splits. */
  kl: number | null;
  testKl: number | null;
  /** −(reconstruction + KL) per row (gaussian decoder: without −(D/2)·log 2πσ²). */
  elbo: number | null;
  testElbo: number | null;
  /** Each latent unit's KL averaged over the training rows, in unit order (they sum to kl). */
  klPerUnit: number[] | null;
  /** Units whose average KL exceeds `threshold` nats: the order parameter of posterior collapse. */
  activeUnits: number | null;
  threshold: number;
  /**
   * The encoder's weight layers (x → … → [μ, log σ²]): layerNorms and stableRanks list the
   * encoder's layers and then the decoder's, activeNeurons the encoder's encoderLayers − 1 hidden
   * layers and then the decoder's. Absent in records written before it was recorded.
   */
  encoderLayers?: number;
}
