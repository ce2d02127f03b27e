// Messages between the orchestrating process and its training workers (child_process.fork
// with 'advanced' serialization, so typed arrays, Sets and Maps cross as such). Every message
// names its run, so a late message from a cancelled run is recognised and dropped.
import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { ChainSpec } from '../sweep/chains';
import type { ChainResume } from '../sweep/runChain';
import type { PointRecord } from '../sweep/point';
import type { VaeReconstructions } from '../measures/vaeReconstructions';

export type HostToWorker =
  /** The run's data, sent once to each new worker: the very samples the orchestrator hashed and stored. */
  | { type: 'data'; runId: string; dataset: Dataset }
  /** Train one chain; `resume` lists its finished points and where to go on after them. */
  | { type: 'chain'; runId: string; experiment: Experiment; chain: ChainSpec; resume: ChainResume };

export type WorkerToHost =
  /** The backend is loaded; `backend` is the line for the log. */
  | { type: 'ready'; runId: string; backend: string }
  /** A point is trained and measured; θ for checkpoints and saved models, a VAE's reconstructions for reconstructions/. */
  | { type: 'point'; runId: string; chainId: string; record: PointRecord; theta: Float64Array; reconstructions?: VaeReconstructions }
  /** Every point of the chain is done. */
  | { type: 'chainDone'; runId: string; chainId: string }
  /** The chain stopped on an error; its finished points stand. */
  | { type: 'chainFailed'; runId: string; chainId: string; message: string };
