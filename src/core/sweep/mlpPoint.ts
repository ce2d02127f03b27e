// What an MLP's point trains and measures: the float32/float64 problem pair a chain trains on
// (as sweep/vaePoint.ts builds a VAE's).
import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { Kernels } from '../kernels/kernels';
import { Mlp } from '../model/mlp';
import { TrainingProblem } from '../train/problem';
import { measurePoint, measureTrajectory } from './measure';
import type { PointProblems } from './pointProblems';
import { pointLayout, type PointSetting } from './pointSetting';

export function mlpProblems(e: Experiment, ds: Dataset, s: PointSetting, kernels: Kernels): PointProblems {
  const layout = pointLayout(e, ds, s);
  const fast = new TrainingProblem(new Mlp(layout, e.model.activation, e.loss, kernels, 'float32'), s.train);
  // The float64 polish and the Hessian work run on the same kernels (backends without float64 products delegate them to JS).
  const exact = new TrainingProblem(new Mlp(layout, e.model.activation, e.loss, kernels, 'float64'), s.train);
  const pointData = { ...ds, train: s.train };
  return {
    key: s.problemKey,
    layout,
    fast,
    exact,
    set(p) {
      fast.lambda = exact.lambda = p.lambda;
    },
    measure: (who, fit, escape) => measurePoint(e, pointData, exact, fast.model, who, fit, escape),
    measurePath: (who, path) => measureTrajectory(e, pointData, exact, fast.model, who, path),
  };
}
