// Requests from the extension host to its engine process (src/engine/main.ts, one long-lived
// child_process.fork for everything the editor asks of the data) and the engine's replies.
// Data-dependent work runs there, never in the editor's own process, under a time and a heap
// bound the host enforces by killing the process. Every request carries an id and its reply
// names it, so the host matches replies to requests and drops one whose request it gave up on.
//
// Cancellation: the host sends `cancel` for a request it gave up on (a newer one superseded it,
// or the view that asked was closed). A slice is chunked (its directions, then one grid row at
// a time) and the engine stops it at the next chunk, keeping the process and its data sets. A
// prediction is not: loading a data set is one synchronous read and predictTransitions one
// computation, so the host stops a superseded prediction by killing the process (the time
// bound's kill is its cancellation). CANCELLABLE says which is which.
import type { PointSlice, SliceOptions } from '../core/analysis/slice';
import type { Experiment } from '../core/config/types';
import type { TransitionPredictions } from '../core/predict/types';

/** Each method: what the host sends, what the engine answers. */
export interface EngineMethods {
  /** The λc an experiment's data predict (predictTransitions on the loaded data set): hovers, Predict critical λ, a new run. */
  predict: {
    params: {
      experiment: Experiment;
      /** The config file's folder: relative data paths start there. */
      configDir: string;
      /** Data files must resolve (symlinks followed) inside this folder: the workspace folder. */
      root: string;
    };
    result: TransitionPredictions;
  };
  /** A loss-landscape slice around a point of a run (slicePoint, as `l2exp slice`; saved under the run's slices/): the spectrum view. */
  slice: {
    params: {
      /** The run's results folder. */
      dir: string;
      pointId: string;
      options: SliceOptions;
    };
    /** The slice, and the file it was saved to. */
    result: { slice: PointSlice; path: string };
  };
}

export type EngineMethod = keyof EngineMethods;

/** How a method is named in a message ("prediction took too long: …"). */
export const METHOD_NOUNS: Record<EngineMethod, string> = { predict: 'prediction', slice: 'slice' };

/** Whether the engine honours `cancel` for a method (between its chunks of work), or the host has to kill the process to stop it. */
export const CANCELLABLE: Record<EngineMethod, boolean> = { predict: false, slice: true };

export type HostToEngine =
  | {
      /** Do `method` on `params`; the engine answers with a `reply` of the same id. */
      [M in EngineMethod]: { type: 'request'; id: number; method: M; params: EngineMethods[M]['params'] };
    }[EngineMethod]
  /** The host gave up on request `id`: a CANCELLABLE method stops at its next chunk (its reply then says "cancelled"). */
  | { type: 'cancel'; id: number };

export type EngineRequest = Extract<HostToEngine, { type: 'request' }>;

export type EngineToHost =
  /** The process is loaded and serving (its start-up time does not count against a request). */
  | { type: 'ready' }
  /** A line for the extension's log: a data set loaded, a slice computed or cancelled (how, how long), so the editor can say what the engine did. */
  | { type: 'log'; message: string }
  /** The request `id` is done: its result, or the message of the error it stopped on. */
  | { type: 'reply'; id: number; ok: true; result: EngineMethods[EngineMethod]['result'] }
  | { type: 'reply'; id: number; ok: false; message: string };
