// Requests from the extension host to its engine process (src/engine/main.ts, one long-lived
// child_process.fork serving them one at a time) and the engine's replies. Data-dependent work
// runs there, never in the editor's own process, under a time and a heap bound the host
// enforces by killing the process. Every request carries an id and its reply names it, so the
// host matches replies to requests and drops one whose request it gave up on.
import type { Experiment } from '../core/config/types';
import type { TransitionPredictions } from '../core/predict/types';

/** Each method: what the host sends, what the engine answers, and its name in messages. */
export interface EngineMethods {
  /** The λc an experiment's data predict (predictTransitions on the loaded data set). */
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
}

export type EngineMethod = keyof EngineMethods;

/** How a method is named in a message ("prediction took too long: …"). */
export const METHOD_NOUNS: Record<EngineMethod, string> = { predict: 'prediction' };

export type HostToEngine = {
  /** Do `method` on `params`; the engine answers with a `reply` of the same id. */
  [M in EngineMethod]: { type: 'request'; id: number; method: M; params: EngineMethods[M]['params'] };
}[EngineMethod];

export type EngineToHost =
  /** The process is loaded and serving (its start-up time does not count against a request). */
  | { type: 'ready' }
  /** A line for the extension's log: a data set loaded (how, how long), so the editor can say what the engine did. */
  | { type: 'log'; message: string }
  /** The request `id` is done: its result, or the message of the error it stopped on. */
  | { type: 'reply'; id: number; ok: true; result: EngineMethods[EngineMethod]['result'] }
  | { type: 'reply'; id: number; ok: false; message: string };
