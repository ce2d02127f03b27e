import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { experimentHash } from '../core/config/hash';
import { formatProblem } from '../core/config/problems';
import { readSummary } from '../core/results/store';
import type { RunEvent } from '../core/run/events';
import { countText, durationText } from '../core/text/numbers';
import { runHeadline, transitionText } from '../core/transitions/text';
import type { EngineClient } from './engineClient';
import { pickExperiment, type Predictions } from './experimentFiles';
import type { ParsedDocuments } from './parsedDocuments';
import { latestRun, newRunDir } from '../core/results/runDirs';
import type { Results } from './results';
import { requireTrust } from './trust';
import { dataRoot } from './workspacePaths';

/** The run in progress (one at a time: the workers already use every core). */
interface Active {
  configPath: string;
  /** Set by cancel before the engine has the run: it is cancelled as soon as it does. */
  cancelled: boolean;
}

/** How long a new run waits for the prediction of its λc before it starts without it. */
const PREDICTION_WAIT_MS = 2000;

/**
 * Starts, resumes and cancels sweeps. The sweep is a request to the engine process (its `run`
 * method: `l2exp run --json` in a child of the engine, which forks the training workers); the
 * extension host only sends the request and relays its events to the progress notification,
 * the log and the panel, so neither the data nor the training ever load here, nor does the
 * host fork anything but the engine.
 */
export class Runner implements vscode.Disposable {
  private active: Active | null = null;
  private readonly runningChanged = new vscode.EventEmitter<void>();
  /** A sweep started or ended: what `running` says changed (the CodeLens follows it). */
  readonly onDidChangeRunning = this.runningChanged.event;

  constructor(
    private readonly engine: EngineClient,
    private readonly results: Results,
    private readonly predictions: Predictions,
    private readonly documents: ParsedDocuments,
    private readonly log: vscode.OutputChannel,
    private readonly showPanel: (configPath: string) => void,
  ) {}

  get running(): string | null {
    return this.active?.configPath ?? null;
  }

  cancel(): void {
    if (!this.active) return;
    this.active.cancelled = true;
    // The engine stops it as SIGTERM stops `l2exp run`: every finished point kept, a summary written.
    this.engine.cancel('run', this.active.configPath);
  }

  async run(arg?: vscode.Uri): Promise<void> {
    if (!requireTrust('Run L2 sweep')) return;
    const uri = await pickExperiment(arg);
    if (!uri) return;
    if (this.active) {
      void vscode.window.showWarningMessage(`A sweep is already running (${vscode.workspace.asRelativePath(this.active.configPath)}). Cancel it first.`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty) await doc.save();
    // With the engine's check of its data: a config that fails it is not started (its problems are in the Problems panel).
    const { experiment, problems } = await this.documents.checked(doc);
    if (!experiment) {
      // The errors; none when a csv's data could not be checked (its warning says why).
      const errors = problems.filter((p) => p.severity === 'error');
      this.log.appendLine((errors.length ? errors : problems).map(formatProblem).join('\n'));
      void vscode.window
        .showErrorMessage(`${vscode.workspace.asRelativePath(uri)} has problems; fix them first (see the Problems panel).`, 'Show problems')
        .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return;
    }
    const configPath = uri.fsPath;
    const hash = experimentHash(experiment);
    const outDir = await this.chooseOutDir(configPath, experiment.name, hash);
    if (!outDir) return;

    const active: Active = { configPath, cancelled: false };
    this.active = active;
    this.runningChanged.fire();
    await vscode.commands.executeCommand('setContext', 'l2landscape.running', true);
    // The panel's dashed λc: a large data set's prediction does not hold up the run (the
    // summary carries the run's own predictions at the end).
    const predicted = await this.predictions.within(experiment, configPath, PREDICTION_WAIT_MS);
    this.results.beginLive(configPath, outDir, experiment, hash, predicted && 'predictions' in predicted ? predicted.predictions : []);
    this.showPanel(configPath);
    this.log.appendLine(`[${new Date().toISOString()}] ${experiment.name}: sweep into ${outDir}`);
    const workers = vscode.workspace.getConfiguration('l2landscape').get<number | null>('workers') ?? (experiment.workers === 'auto' ? availableParallelism() : experiment.workers);

    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `L2 sweep: ${experiment.name}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => this.cancel());
        // The rate is measured from the first point trained here: worker start-up is not training.
        let first: { at: number; done: number } | null = null;
        let lastFraction = 0;
        const onEvent = (ev: RunEvent): void => {
          if (ev.type === 'started') {
            this.log.appendLine(`${countText(ev.total, 'point')} in ${countText(ev.chains, 'chain')} on ${countText(ev.workers, 'worker')}${ev.done ? ` (resuming: ${ev.done} already done)` : ''}`);
          } else if (ev.type === 'backend') this.log.appendLine(`backend: ${ev.description}`);
          else if (ev.type === 'notice') this.log.appendLine(`note: ${ev.message}`);
          else if (ev.type === 'point') {
            this.results.addPoint(configPath, ev.record);
            first ??= { at: Date.now(), done: ev.done };
            const rate = (ev.done - first.done) / ((Date.now() - first.at) / 1000);
            const eta = ev.done - first.done >= 2 ? ` · ETA ${durationText((ev.total - ev.done) / rate)}` : '';
            const fraction = ev.done / ev.total;
            progress.report({ message: `${ev.done}/${countText(ev.total, 'point')}${eta}`, increment: Math.max(0, 100 * (fraction - lastFraction)) });
            lastFraction = fraction;
          } else if (ev.type === 'chainFailed') this.log.appendLine(`chain ${ev.chainId} failed: ${ev.message}`);
          else if (ev.type === 'finished') {
            const s = ev.summary;
            this.log.appendLine(
              `${s.status}: ${s.points.finished}/${countText(s.points.expected, 'point')} in ${durationText(s.timings.wallSeconds)}; ${countText(s.transitions.length, 'transition')}`,
            );
            for (const t of s.transitions) this.log.appendLine(`  ${transitionText(t)}`);
            this.results.finish(configPath, s);
          }
        };
        const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
        // The editor's own share of a sweep: relaying events and points, nothing more (a line in the log says how much).
        const cpuBefore = process.cpuUsage();
        const outcome = this.engine.run({ configPath, outDir, workers, dataRoot: dataRoot(configPath, folders) }, configPath, onEvent);
        if (active.cancelled) this.engine.cancel('run', configPath);
        const ended = await outcome;
        const cpu = process.cpuUsage(cpuBefore);
        this.log.appendLine(`extension host: ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU during the sweep (it ran in the engine's processes)`);
        if (ended.status === 'superseded') return; // the engine was shut down (the window is closing)
        // A failure's own words are in the log already (the engine sends them).
        if (ended.status === 'failed') throw new Error(ended.message);
        const summary = ended.result.summary;
        if (summary.status === 'complete') {
          void vscode.window
            .showInformationMessage(runHeadline(summary), 'Open results')
            .then((a) => a && vscode.commands.executeCommand('l2landscape.openResults', uri))
            .then(undefined, (e: unknown) => this.log.appendLine(`error: opening the results: ${String(e)}`));
        } else if (summary.status === 'cancelled') void vscode.window.showInformationMessage(`Sweep cancelled: ${summary.points.finished} points kept. Run it again to resume.`);
        else if (summary.status === 'failed') void vscode.window.showErrorMessage(`Sweep finished with errors: ${summary.errors[0]}`, 'Show log').then((a) => a && this.log.show());
      });
    } catch (err) {
      this.log.appendLine(`error: ${(err as Error).stack ?? err}`);
      void vscode.window.showErrorMessage(`Sweep failed: ${(err as Error).message}`, 'Show log').then((a) => a && this.log.show());
    } finally {
      this.active = null;
      this.runningChanged.fire();
      await vscode.commands.executeCommand('setContext', 'l2landscape.running', false);
    }
  }

  /** A new folder, or the latest one of this config when it is unfinished and the user resumes it. */
  private async chooseOutDir(configPath: string, name: string, hash: string): Promise<string | undefined> {
    const fresh = newRunDir(configPath, name, hash);
    const latest = latestRun(configPath, name);
    if (!latest || latest.manifest.configHash !== hash) return fresh;
    const last = latest.dir;
    if (readSummary(last)?.status === 'complete') return fresh;
    const pick = await vscode.window.showQuickPick(
      [
        { label: '$(debug-continue) Resume the interrupted run', detail: last, dir: last },
        { label: '$(play) Start a new run', detail: fresh, dir: fresh },
      ],
      { placeHolder: 'This experiment has an unfinished run' },
    );
    return pick?.dir;
  }

  dispose(): void {
    this.cancel();
    this.runningChanged.dispose();
  }
}
