// Messages between the extension host and its webviews (the sweep panel and the Hessian
// spectrum view). Every host message names its run, so a view drops what belongs to an older
// run; views never compute science, they draw what they are sent.
import type { PointSlice } from '../core/analysis/slice';
import type { VaeReconstructions } from '../core/measures/vaeReconstructions';
import type { AxisId } from '../core/sweep/axis';
import type { PointRecord } from '../core/sweep/point';
import type { Prediction, Transition } from '../core/transitions/types';

/** A sweep axis as the views draw it. */
export interface AxisInfo {
  id: AxisId;
  /** Its grid is logarithmic. */
  log: boolean;
  /** The configured grid, ascending (sweep/axis.ts's axisGrid); absent in older messages. */
  grid?: number[];
}

/** What a view knows about the run it shows. */
export interface RunInfo {
  runId: string;
  /** The experiment file: the views keep it in their state so a reloaded window restores them. */
  configPath: string;
  name: string;
  /** 'accuracy' or 'r2': the score axis label. */
  scoreKind: PointRecord['scoreKind'];
  /** The model kind (model.kind): a VAE's panel charts reconstruction, KL and active units instead of scores; absent in older messages: an MLP. */
  model?: 'mlp' | 'vae';
  /** Whether the run is still training (points keep arriving). */
  live: boolean;
  /**
   * The configured grid's range, sweep.from and sweep.to: the charts' x axis spans it from the
   * first live point on (without it, the range of the points received so far).
   */
  range?: [number, number];
  /** The swept parameter, whether its grid is logarithmic, and the grid; absent: λ on a log scale. */
  axis?: AxisInfo;
  /** A 2-D sweep's second axis (sweep.across): one row of chains per grid value; absent for a 1-D sweep. */
  across?: AxisInfo;
}

/** One run of the experiment, a row of the runs table (HParams-like). */
export interface RunRow {
  runId: string;
  /** When the run started (run.json's createdAt, ISO 8601). */
  createdAt: string;
  /** summary.json's status; `live` while it trains here, `unfinished` when it stopped without a summary. */
  status: 'complete' | 'cancelled' | 'failed' | 'live' | 'unfinished';
  points: number;
  wallSeconds: number | null;
  transitions: Transition[];
  /** The settings in which this run's config differs from the shown run's ("model.hidden": "[16]" vs "[8]"). */
  differences: { path: string; value: string; shown: string }[];
  /** This is the run the panel shows. */
  shown: boolean;
}

/** Another run of the same experiment, drawn over the shown one. */
export interface ComparedRun {
  runId: string;
  points: PointRecord[];
  transitions: Transition[];
}

export type HostToSweepPanel =
  /** Everything there is so far; sent when the panel (re)loads. */
  | { type: 'init'; run: RunInfo; points: PointRecord[]; transitions: Transition[]; predictions: Prediction[]; selectedId: string | null }
  /**
   * One snapshot of a live run: its newly finished points (in arrival order) and the transitions
   * detected from all of them, in one message so the panel never shows one without the other.
   */
  | { type: 'update'; runId: string; points: PointRecord[]; transitions: Transition[] }
  /** The run ended (or was cancelled): `live` becomes false. */
  | { type: 'finished'; runId: string; status: 'complete' | 'cancelled' | 'failed' }
  /** Another view selected a point. */
  | { type: 'select'; runId: string; pointId: string }
  /** The experiment's runs (the folders under .l2exp/<name>/), newest first: after `init` and whenever one ends. */
  | { type: 'runs'; runId: string; runs: RunRow[] }
  /** The run to overlay, as asked by `compare` (null: none, or it could not be read). */
  | { type: 'comparison'; runId: string; other: ComparedRun | null }
  /** A VAE run's selected point's reconstructions/<id>.json, sent when a point is selected (null: the point has none). */
  | { type: 'reconstructions'; runId: string; pointId: string; reconstructions: VaeReconstructions | null };

export type SweepPanelToHost =
  /** The script loaded; the host answers with `init`. */
  | { type: 'ready' }
  /** The user picked a point on a chart (click or keyboard). */
  | { type: 'selectPoint'; runId: string; pointId: string }
  /** Save the points as CSV (the host asks where). */
  | { type: 'exportCsv'; runId: string }
  /** Save a chart as PNG: a data: URL from canvas.toDataURL. */
  | { type: 'exportPng'; runId: string; chart: string; dataUrl: string }
  /** Overlay another run of the experiment on the charts (null: stop comparing); the host answers `comparison`. */
  | { type: 'compare'; runId: string; otherRunId: string | null };

/** A point the spectrum view's slider can move to: where it sits (a 2-D sweep's row too) and its chain. */
export interface PointChoice {
  id: string;
  value: number;
  across?: number;
  direction: string;
  seed: number;
}

export type HostToSpectrumView =
  /** The selected point with its Hessian, and the points the slider can move over (a 2-D sweep: it keeps to the point's row). */
  | { type: 'point'; run: RunInfo; point: PointRecord; choices: PointChoice[] }
  /** Nothing to show yet: `message` says why (no results, analysis off, …). */
  | { type: 'empty'; message: string }
  /** A landscape slice the view asked for. */
  | { type: 'slice'; runId: string; slice: PointSlice }
  /** Computing the slice failed. */
  | { type: 'sliceFailed'; runId: string; pointId: string; message: string };

export type SpectrumViewToHost =
  | { type: 'ready' }
  /** The slider moved to another point. */
  | { type: 'selectPoint'; runId: string; pointId: string }
  /**
   * Compute a landscape slice around a point, as `l2exp slice --directions D --dims N --range R
   * --points K` does (the view always sends dims, range and points; a host that ignores them
   * computes its default 2-D slice).
   */
  | { type: 'requestSlice'; runId: string; pointId: string; directions: 'hessian' | 'random'; dims?: 1 | 2; range?: number; points?: number };
