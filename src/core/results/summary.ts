import type { Dataset } from '../data/dataset';
import type { PointRecord } from '../sweep/point';
import { detectTransitions, type DetectAxis } from '../transitions/detect';
import type { Prediction, Transition } from '../transitions/types';

export type RunStatus = 'complete' | 'cancelled' | 'failed';

export interface DatasetInfo {
  task: Dataset['task'];
  nTrain: number;
  nTest: number;
  inputDim: number;
  outputDim: number;
}

/** summary.json: written when a run (or a merge) ends. */
export interface RunSummary {
  name: string;
  configHash: string;
  status: RunStatus;
  /** The backend lines of the workers' logs ("wasm (…)"), distinct and sorted: one unless shards differed. */
  backend: string[];
  startedAt: string;
  finishedAt: string;
  timings: { wallSeconds: number; secondsPerPoint: number | null };
  points: { expected: number; finished: number; converged: number; diverged: number };
  dataset: DatasetInfo;
  parameterCount: number;
  /** Jacot et al.'s N(N+1): no hidden layer of an L2 minimum needs more active units. */
  activeNeuronBound: number;
  /** Every transition found in the points (empty: none found, or `transitionsWithheld`). */
  transitions: Transition[];
  /** Why a shard's summary names no transitions: they are phase changes of the global minimum, which needs every chain. */
  transitionsWithheld?: string;
  /** The λc predicted from the data before training, to compare with. */
  predictions: Prediction[];
  errors: string[];
}

const SHARD_TRANSITIONS =
  'a shard holds some chains only, so neither the global minimum nor its transitions: merge the shards (l2exp merge) to find them, and run the merged folder again (l2exp run CONFIG --out MERGED) to refine them';

export function datasetInfo(ds: Dataset): DatasetInfo {
  return { task: ds.task, nTrain: ds.train.n, nTest: ds.test.n, inputDim: ds.inputDim, outputDim: ds.outputDim };
}

export function buildSummary(a: {
  name: string;
  configHash: string;
  status: RunStatus;
  backends: Iterable<string>;
  startedAt: Date;
  finishedAt: Date;
  trainedPoints: number;
  points: PointRecord[];
  /** The swept parameter (transitions/detect.ts's sweepAxis). */
  axis: DetectAxis;
  expected: number;
  dataset: DatasetInfo;
  parameterCount: number;
  predictions: Prediction[];
  errors: string[];
  /** This folder holds one shard: some chains only. */
  shard?: boolean;
}): RunSummary {
  const wallSeconds = (a.finishedAt.getTime() - a.startedAt.getTime()) / 1000;
  return {
    name: a.name,
    configHash: a.configHash,
    status: a.status,
    backend: [...new Set(a.backends)].sort(),
    startedAt: a.startedAt.toISOString(),
    finishedAt: a.finishedAt.toISOString(),
    timings: { wallSeconds, secondsPerPoint: a.trainedPoints > 0 ? wallSeconds / a.trainedPoints : null },
    points: {
      expected: a.expected,
      finished: a.points.length,
      converged: a.points.filter((p) => p.converged).length,
      diverged: a.points.filter((p) => p.diverged).length,
    },
    dataset: a.dataset,
    parameterCount: a.parameterCount,
    activeNeuronBound: a.dataset.nTrain * (a.dataset.nTrain + 1),
    transitions: a.shard ? [] : detectTransitions(a.points, a.axis),
    ...(a.shard ? { transitionsWithheld: SHARD_TRANSITIONS } : {}),
    predictions: a.predictions,
    errors: a.errors,
  };
}
