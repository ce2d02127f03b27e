import type { Task } from '../config/types';
import type { Vec } from '../linalg/vec';

/** Accuracy (argmax agreement) for classification, R² = 1 − SS_res/SS_tot for regression. */
export function score(task: Task, f: Vec, y: ArrayLike<number>, n: number, k: number): number {
  if (task === 'classification') {
    let hits = 0;
    for (let i = 0; i < n; i++) {
      let bf = 0;
      let by = 0;
      for (let j = 1; j < k; j++) {
        if (f[i * k + j] > f[i * k + bf]) bf = j;
        if (y[i * k + j] > y[i * k + by]) by = j;
      }
      if (bf === by) hits++;
    }
    return hits / n;
  }
  // SS_tot about each output's mean, summed over outputs (the multi-output R² of sklearn's 'variance_weighted').
  let res = 0;
  let tot = 0;
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i * k + j];
    mean /= n;
    for (let i = 0; i < n; i++) {
      res += (f[i * k + j] - y[i * k + j]) ** 2;
      tot += (y[i * k + j] - mean) ** 2;
    }
  }
  return tot > 0 ? 1 - res / tot : res === 0 ? 1 : 0;
}

export function scoreKind(task: Task): 'accuracy' | 'r2' {
  return task === 'classification' ? 'accuracy' : 'r2';
}
