import * as vscode from 'vscode';
import { experimentHash } from '../core/config/hash';
import type { Experiment } from '../core/config/types';
import type { TransitionPredictions } from '../core/predict/types';
import { dirname } from 'node:path';
import type { EngineClient } from './engineClient';
import { dataRoot } from './workspacePaths';

export const EXPERIMENT_GLOB = '**/*.l2exp.json';

export function isExperiment(doc: vscode.TextDocument | vscode.Uri): boolean {
  const uri = doc instanceof vscode.Uri ? doc : doc.uri;
  return uri.scheme === 'file' && uri.fsPath.endsWith('.l2exp.json');
}

/** The experiment to act on: the argument, the active editor's, or one the user picks. */
export async function pickExperiment(arg?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (arg && isExperiment(arg)) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isExperiment(active)) return active.uri;
  const files = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/node_modules/**');
  if (files.length === 0) {
    void vscode.window.showInformationMessage('No *.l2exp.json experiment in this workspace. Create one with "L2 Landscape: New experiment from template".');
    return undefined;
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Which experiment?' },
  );
  return picked?.uri;
}

/** What the hover, the predict command and a new run show: the predictions, or why there are none. */
export type PredictionOutcome = TransitionPredictions | { error: string };

/** The folders of the workspace, as paths. */
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/**
 * λc predictions from the data, computed in the engine process (never in the editor's own:
 * a large data set takes seconds and gigabytes) with its data inside the config's workspace
 * folder, cached by config hash: hovers ask on every mouse move. A newer version of a config
 * supersedes the request of an older one. Failures (a missing CSV, a data set too large for the
 * engine's bounds) come back as the message. The engine is the extension's one (main.ts owns it).
 */
export class Predictions {
  private readonly cache = new Map<string, PredictionOutcome>();
  private readonly pending = new Map<string, Promise<PredictionOutcome | undefined>>();
  /** The latest outcome of each config file, whatever its version: shown while a newer computes. */
  private readonly latest = new Map<string, PredictionOutcome>();

  constructor(private readonly engine: EngineClient) {}

  private key(e: Experiment, configPath: string): string {
    return `${configPath}:${experimentHash(e)}`;
  }

  /** The outcome for this version of the config, if it is computed already. */
  peek(e: Experiment, configPath: string): PredictionOutcome | undefined {
    return this.cache.get(this.key(e, configPath));
  }

  /** The latest outcome computed for any version of the config file. */
  last(configPath: string): PredictionOutcome | undefined {
    return this.latest.get(configPath);
  }

  /** The outcome for this version of the config; undefined when a newer version superseded it. */
  get(e: Experiment, configPath: string): Promise<PredictionOutcome | undefined> {
    if (!vscode.workspace.isTrusted) return Promise.resolve({ error: 'predictions need a trusted workspace' });
    const key = this.key(e, configPath);
    const hit = this.cache.get(key);
    if (hit) return Promise.resolve(hit);
    let p = this.pending.get(key);
    if (!p) {
      const params = { experiment: e, configDir: dirname(configPath), root: dataRoot(configPath, workspaceFolderPaths()) };
      p = this.engine.request('predict', params, configPath).then((o) => {
        this.pending.delete(key);
        if (o.status === 'superseded') return undefined;
        const outcome = o.status === 'done' ? o.result : { error: o.message };
        if (this.cache.size > 50) this.cache.clear();
        this.cache.set(key, outcome);
        this.latest.set(configPath, outcome);
        return outcome;
      });
      this.pending.set(key, p);
    }
    return p;
  }

  /** get(), given at most `ms`: undefined when it is not done by then (it goes on, and is cached). */
  async within(e: Experiment, configPath: string, ms: number): Promise<PredictionOutcome | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
    try {
      return await Promise.race([this.get(e, configPath), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
