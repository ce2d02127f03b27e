import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Experiment } from '../core/config/types';
import type { RunSummary } from '../core/results/summary';
import { readSummary } from '../core/results/store';
import { latestRun, runsFolder } from '../core/results/runDirs';
import { ResultsStore, type RunManifest } from '../core/results/store';
import type { PointRecord } from '../core/sweep/point';
import { detectTransitions, sweepAxis } from '../core/transitions/detect';
import type { Prediction, Transition } from '../core/transitions/types';
import type { ComparedRun, RunRow } from '../protocol/webview';
import { configDifferences } from './compare';

const CURRENT_KEY = 'l2landscape.current';
/** How often a live run's new points reach the views (the panel redraws at 4 Hz anyway). */
const PUBLISH_MS = 500;
const SELECTION_KEY = 'l2landscape.selection';

/** What the views show of one config: its latest run, finished or live. */
export interface RunView {
  configPath: string;
  dir: string;
  runId: string;
  experiment: Experiment;
  configHash: string;
  points: PointRecord[];
  transitions: Transition[];
  predictions: Prediction[];
  summary: RunSummary | null;
  live: boolean;
  selectedId: string | null;
}

/**
 * The runs the views show, one per config, and the point selected in each. The extension host
 * keeps only what is on disk or streamed by a running sweep; detection (cheap, O(points)) runs
 * here so every view draws the same transitions.
 */
export class Results implements vscode.Disposable {
  private readonly runs = new Map<string, RunView>();
  /** Live runs with points not yet published. */
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; points: PointRecord[] }>();
  private currentPath: string | null;
  private readonly changed = new vscode.EventEmitter<RunView>();
  private readonly selected = new vscode.EventEmitter<RunView>();
  private readonly currentChanged = new vscode.EventEmitter<string | null>();
  /** A run changed: points, transitions, or its end. */
  readonly onDidChange = this.changed.event;
  /** Its selected point changed. */
  readonly onDidSelect = this.selected.event;
  /** `current` changed (to the config path it now names). */
  readonly onDidChangeCurrent = this.currentChanged.event;
  /**
   * `memory` (the workspace's state) keeps what a window reload must bring back: the config the
   * spectrum view follows and the point selected in each run.
   */
  constructor(private readonly memory?: vscode.Memento) {
    this.currentPath = memory?.get<string>(CURRENT_KEY) ?? null;
  }

  /** The config whose run the spectrum view follows: the last one shown, run or clicked in. */
  get current(): string | null {
    return this.currentPath;
  }

  /** Makes `configPath` the current config (kept for a window reload) and tells the views, if it changed. */
  setCurrent(configPath: string | null): void {
    if (configPath === this.currentPath) return;
    this.currentPath = configPath;
    void this.memory?.update(CURRENT_KEY, configPath);
    this.currentChanged.fire(configPath);
  }

  /** The run of the current config, if it is loaded. */
  currentRun(): RunView | undefined {
    return this.currentPath === null ? undefined : this.runs.get(this.currentPath);
  }

  private savedSelection(configPath: string, runId: string, points: PointRecord[]): string | null {
    const saved = this.memory?.get<Record<string, { runId: string; pointId: string }>>(SELECTION_KEY)?.[configPath];
    const id = saved?.runId === runId ? saved.pointId : undefined;
    return id && points.some((p) => p.id === id) ? id : (points[0]?.id ?? null);
  }

  private saveSelection(view: RunView): void {
    if (!this.memory || !view.selectedId) return;
    const all = { ...(this.memory.get<Record<string, { runId: string; pointId: string }>>(SELECTION_KEY) ?? {}) };
    all[view.configPath] = { runId: view.runId, pointId: view.selectedId };
    void this.memory.update(SELECTION_KEY, all);
  }

  get(configPath: string): RunView | undefined {
    return this.runs.get(configPath);
  }

  /**
   * The latest run of a config from disk (cached until a live run replaces it). None in
   * Restricted Mode: results files are read only in a trusted workspace.
   */
  load(configPath: string, name: string): RunView | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    const cached = this.runs.get(configPath);
    if (cached) return cached;
    const dir = latestRun(configPath, name)?.dir;
    if (!dir) return undefined;
    const { manifest, points } = ResultsStore.read(dir);
    const summary = readSummary(dir);
    const view: RunView = {
      configPath,
      dir,
      runId: basename(dir),
      experiment: manifest.experiment,
      configHash: manifest.configHash,
      points,
      transitions: summary?.transitions ?? detectTransitions(points, sweepAxis(manifest.experiment)),
      predictions: summary?.predictions ?? [],
      summary,
      live: false,
      selectedId: this.savedSelection(configPath, basename(dir), points),
    };
    this.runs.set(configPath, view);
    return view;
  }

  /**
   * A run finished outside this window (the CLI, a cluster job syncing back): forget the cached
   * one so the next look reads the newest from disk, and tell the views.
   */
  reloadFromDisk(summaryPath: string): void {
    if (!vscode.workspace.isTrusted) return;
    const manifestPath = join(dirname(summaryPath), 'run.json');
    if (!existsSync(summaryPath) || !existsSync(manifestPath)) return;
    const { configPath, name } = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
    const cached = this.runs.get(configPath);
    // Our own runs write summaries too: those are already here (and keep their selection).
    if (cached?.live || (cached?.dir === dirname(summaryPath) && cached.summary)) return;
    // An older run's summary (the poll sees every finished folder of the experiment) changes
    // nothing the views show: only the newest run of a config replaces the one held here.
    if (latestRun(configPath, name)?.dir !== dirname(summaryPath)) return;
    this.runs.delete(configPath);
    const view = this.load(configPath, name);
    if (view) this.changed.fire(view);
  }

  /** A sweep starts writing into `dir` (new, or resumed with the points already there). */
  beginLive(configPath: string, dir: string, experiment: Experiment, configHash: string, predictions: Prediction[]): RunView {
    const points = existsSync(join(dir, 'points.jsonl')) ? ResultsStore.read(dir).points : [];
    const view: RunView = {
      configPath,
      dir,
      runId: basename(dir),
      experiment,
      configHash,
      points,
      transitions: detectTransitions(points, sweepAxis(experiment)),
      predictions,
      summary: null,
      live: true,
      selectedId: points[0]?.id ?? null,
    };
    this.runs.set(configPath, view);
    this.setCurrent(configPath);
    this.changed.fire(view);
    return view;
  }

  /**
   * A live point. The views hear of new points at most every PUBLISH_MS, as one snapshot (the
   * points and the transitions detected from them): the CodeLens, the decorations and the panel
   * then show the same transitions of the same points for that long, rather than each catching
   * a different point of a fast stream.
   */
  addPoint(configPath: string, record: PointRecord): void {
    const view = this.runs.get(configPath);
    if (!view) return;
    const waiting = this.pending.get(configPath);
    if (waiting) return void waiting.points.push(record);
    const points = [record];
    const timer = setTimeout(() => {
      this.pending.delete(configPath);
      view.points.push(...points);
      view.selectedId ??= points[0].id;
      view.transitions = detectTransitions(view.points, sweepAxis(view.experiment));
      this.changed.fire(view);
    }, PUBLISH_MS);
    this.pending.set(configPath, { timer, points });
  }

  finish(configPath: string, summary: RunSummary): void {
    const view = this.runs.get(configPath);
    if (!view) return;
    clearTimeout(this.pending.get(configPath)?.timer);
    this.pending.delete(configPath);
    view.points = ResultsStore.read(view.dir).points;
    view.summary = summary;
    view.transitions = summary.transitions;
    view.predictions = summary.predictions;
    view.live = false;
    this.changed.fire(view);
  }

  select(configPath: string, pointId: string): void {
    const view = this.runs.get(configPath);
    if (!view || view.selectedId === pointId || !view.points.some((p) => p.id === pointId)) return;
    view.selectedId = pointId;
    this.setCurrent(configPath);
    this.saveSelection(view);
    this.selected.fire(view);
  }

  /** The run folders of a config (those whose run.json names it), newest first. */
  private runDirs(view: RunView): { dir: string; manifest: RunManifest }[] {
    const root = runsFolder(view.configPath, view.experiment.name);
    if (!vscode.workspace.isTrusted || !existsSync(root)) return [];
    return readdirSync(root)
      .map((entry) => join(root, entry))
      .filter((dir) => existsSync(join(dir, 'run.json')))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunManifest }))
      .filter((r) => r.manifest.configPath === view.configPath)
      .sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  }

  /**
   * Every run of the config shown in `view`, for the runs table: its status, points, wall time,
   * transitions, and the settings in which its config differs from the shown run's.
   */
  runsOf(view: RunView): RunRow[] {
    return this.runDirs(view).map(({ dir, manifest }) => {
      const runId = basename(dir);
      if (runId === view.runId)
        return {
          runId,
          createdAt: manifest.createdAt,
          status: view.live ? 'live' : (view.summary?.status ?? 'unfinished'),
          points: view.points.length,
          wallSeconds: view.summary?.timings.wallSeconds ?? null,
          transitions: view.transitions,
          differences: [],
          shown: true,
        };
      const summary = readSummary(dir);
      const points = summary ? summary.points.finished : ResultsStore.read(dir).points.length;
      return {
        runId,
        createdAt: manifest.createdAt,
        status: summary?.status ?? 'unfinished',
        points,
        wallSeconds: summary?.timings.wallSeconds ?? null,
        transitions: summary?.transitions ?? [],
        differences: configDifferences(manifest.experiment, view.experiment),
        shown: false,
      };
    });
  }

  /** Another run of the same config, to draw over `view`'s: its points and transitions (detected here when it has no summary). */
  compared(view: RunView, runId: string): ComparedRun | null {
    const found = this.runDirs(view).find((r) => basename(r.dir) === runId);
    if (!found) return null;
    const { points } = ResultsStore.read(found.dir);
    return { runId, points, transitions: readSummary(found.dir)?.transitions ?? detectTransitions(points, sweepAxis(found.manifest.experiment)) };
  }

  dispose(): void {
    this.pending.forEach((p) => clearTimeout(p.timer));
    this.changed.dispose();
    this.selected.dispose();
    this.currentChanged.dispose();
  }
}

/**
 * Runs made outside this window (the CLI, results synced from a cluster) as they finish. Any
 * event under an experiment's .l2exp/<name>/ folder starts polling it (every 2 s) until every run
 * folder in it has its summary.json: on Linux the files (and folders) created just after a new
 * folder can come before that folder is watched, so their events, the summary's included, may
 * never be reported; the one for the first new folder is.
 */
export function watchRunsOnDisk(results: Results): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.l2exp/**');
  const polls = new Map<string, NodeJS.Timeout>();
  const POLL_MS = 2000;
  const GIVE_UP_MS = 6 * 3600 * 1000;
  const onEvent = (uri: vscode.Uri) => {
    const folder = /^(.*[\\/]\.l2exp[\\/][^\\/]+)/.exec(uri.fsPath)?.[1];
    if (!folder || polls.has(folder)) return;
    const started = Date.now();
    const check = () => {
      const runs = existsSync(folder)
        ? readdirSync(folder)
            .map((d) => join(folder, d))
            .filter((d) => existsSync(join(d, 'run.json')))
        : [];
      const finished = runs.map((d) => join(d, 'summary.json')).filter((f) => existsSync(f));
      finished.forEach((f) => results.reloadFromDisk(f));
      if ((runs.length > 0 && finished.length === runs.length) || Date.now() - started > GIVE_UP_MS) {
        clearInterval(polls.get(folder));
        polls.delete(folder);
      }
    };
    polls.set(folder, setInterval(check, POLL_MS));
  };
  const subs = [watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent)];
  return {
    dispose: () => {
      for (const d of subs) d.dispose();
      polls.forEach(clearInterval);
    },
  };
}
