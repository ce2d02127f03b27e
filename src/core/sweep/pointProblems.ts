import type { Layout } from '../model/layout';
import type { VaeReconstructions } from '../measures/vaeReconstructions';
import type { OptimizeResult, TrainingObjective } from '../train/objective';
import type { PointIdentity } from './measure';
import type { PointRecord, TrajectoryRecord } from './point';
import type { PointSetting } from './pointSetting';

/**
 * The float32 training problem and the float64 one for the polish and the Hessian work, of one
 * setting's layout and training split (an MLP's TrainingProblem, sweep/mlpPoint.ts, or a VAE's
 * VaeProblem, sweep/vaePoint.ts), and how a point trained on them is measured: what runChain
 * trains each point of a chain on.
 */
export interface PointProblems {
  key: string;
  layout: Layout;
  fast: TrainingObjective;
  exact: TrainingObjective;
  /** Puts both at the point's λ (and a VAE's β). */
  set(s: PointSetting): void;
  measure(who: PointIdentity, fit: OptimizeResult, escape: Pick<PointRecord, 'escapes' | 'saddle'>): PointRecord;
  /** A VAE's reconstructions of its fixed digits and latent traversals at a trained θ. */
  reconstruct?(id: string, theta: Float64Array): VaeReconstructions;
  /** analysis.trajectory's snapshots of the training path, measured (an MLP's only: config/semantic refuses it for a VAE). */
  measurePath?(who: PointIdentity, path: { step: number; theta: Float64Array }[]): TrajectoryRecord[];
}
