// Requests from the extension host to its engine process (src/engine/main.ts, one long-lived
// child_process.fork for everything the editor asks of the data and of the runs) and the
// engine's replies. Data-dependent work runs there, never in the editor's own process; a
// prediction and a slice under a time and a memory bound the host enforces by killing the
// process, a run under none (its training is in the CLI's processes). Every request carries an
// id and its reply (and a run's events) name it, so the host matches them to requests and drops
// those of a request it gave up on.
//
// Cancellation (CANCEL): the host sends `cancel` for a request it gave up on (a newer one
// superseded it, the view that asked was closed, the user cancelled a sweep). A slice is
// chunked (its directions, then one grid row at a time) and the engine stops it at the next
// chunk, keeping the process and its data sets. A run is stopped as SIGTERM stops `l2exp run`
// (every finished point kept, resumable) and still answers, with the cancelled run's summary.
// A validation is not stopped either: it is one read of the data file and a dry load bounded
// by DRY_LOAD_LIMIT (src/core/config/parse.ts), milliseconds, so the engine finishes it and the
// host drops its reply; killing the process for it would cost the data sets kept there.
// A prediction is not cancellable: loading a data set is one synchronous read and
// predictTransitions one computation, so the host stops a superseded prediction by killing
// the process (the time bound's kill is its cancellation), except while a run goes (see
// src/extension/engineClient.ts).
import type { PointSlice, SliceOptions } from '../core/analysis/slice';
import type { DataCheck } from '../core/config/parse';
import type { Experiment } from '../core/config/types';
import type { TransitionPredictions } from '../core/predict/types';
import type { RunSummary } from '../core/results/summary';
import type { RunEvent } from '../core/run/events';

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
  /**
   * The checks of a config that need its data (checkData: the csv read for its shape checks,
   * small data generated, as `l2exp validate` does), for the text as the editor has it: the
   * Problems panel, and Run before it starts. The problems are at their settings, for the host
   * to place in its text.
   */
  validate: {
    params: {
      text: string;
      /** The config file: relative data paths start at its folder. */
      configPath: string;
      /** Data files must resolve (symlinks followed) inside this folder: the workspace folder. */
      dataRoot: string;
    };
    result: DataCheck;
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
  /**
   * A sweep, run (or resumed) as `l2exp run --json` runs it, in a child of the engine that loads
   * the data and forks the training workers, so the engine serves predictions and slices
   * meanwhile: Run L2 sweep. Its progress comes back as `event` messages of the request's id.
   */
  run: {
    params: {
      configPath: string;
      /** The results folder: a new one, or an unfinished one to resume. */
      outDir: string;
      workers: number;
      /** Data files must resolve (symlinks followed) inside this folder (`--data-root`). */
      dataRoot: string;
    };
    /** The run's summary: complete, failed, or cancelled with its finished points kept. */
    result: { summary: RunSummary };
  };
}

export type EngineMethod = keyof EngineMethods;

/** How a method is named in a message ("prediction took too long: …"). */
export const METHOD_NOUNS: Record<EngineMethod, string> = { predict: 'prediction', validate: 'data check', slice: 'slice', run: 'sweep' };

/**
 * How a request the host gave up on is stopped: `kill` the process (the engine cannot stop it
 * otherwise), `drop` it (its reply is not waited for: a slice stops at its next chunk, a
 * validation is done in milliseconds), or `reply` (the engine stops it and answers all the
 * same: the cancelled run's summary).
 */
export const CANCEL: Record<EngineMethod, 'kill' | 'drop' | 'reply'> = { predict: 'kill', validate: 'drop', slice: 'drop', run: 'reply' };

export type HostToEngine =
  | {
      /** Do `method` on `params`; the engine answers with a `reply` of the same id. */
      [M in EngineMethod]: { type: 'request'; id: number; method: M; params: EngineMethods[M]['params'] };
    }[EngineMethod]
  /** The host gave up on request `id`: a slice stops at its next chunk (its reply then says "cancelled"), a run as on SIGTERM. */
  | { type: 'cancel'; id: number };

export type EngineRequest = Extract<HostToEngine, { type: 'request' }>;

export type EngineToHost =
  /** The process is loaded and serving (its start-up time does not count against a request). */
  | { type: 'ready' }
  /** A line for the extension's log: a data set loaded or validated, a slice computed or cancelled (how, how long), a failed run's own words, so the editor can say what the engine did. */
  | { type: 'log'; message: string }
  /** Progress of the run `id`: one of its events, as `l2exp run --json` prints them. */
  | { type: 'event'; id: number; event: RunEvent }
  /** The request `id` is done: its result, or the message of the error it stopped on. */
  | { type: 'reply'; id: number; ok: true; result: EngineMethods[EngineMethod]['result'] }
  | { type: 'reply'; id: number; ok: false; message: string };
