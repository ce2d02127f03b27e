import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { pointsCsv } from '../../core/results/pointsCsv';
import { readReconstructions } from '../../core/results/store';
import { runInfo } from '../../protocol/runInfo';
import type { HostToSweepPanel, SweepPanelToHost } from '../../protocol/webview';
import type { Results, RunView } from '../results';
import { webviewHtml, webviewOptions } from './html';

export const SWEEP_VIEW_TYPE = 'l2landscape.sweep';

/**
 * The sweep panel of one experiment: charts against λ, live while a sweep runs. One panel per
 * experiment; it survives a window reload through the serializer (the view keeps its config
 * path in its state) and redraws from `init`.
 */
export class SweepPanel {
  private static readonly panels = new Map<string, SweepPanel>();
  private sent = 0;
  /** What the view was told about the run: a change (a new run, the first point's score kind) means a fresh `init`. */
  private info: string | null = null;
  /** The point whose reconstructions the view was last sent (a VAE run's). */
  private pictured: string | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, results: Results, configPath: string): void {
    const existing = SweepPanel.panels.get(configPath);
    // Reused where it is (its own group, not a new one beside the active editor).
    if (existing) return existing.panel.reveal(existing.panel.viewColumn, true);
    const name = results.get(configPath)?.experiment.name ?? 'L2 sweep';
    // Another experiment's panel: a tab in its group, so runs of several experiments never split the editor into ever narrower groups.
    const sibling = [...SweepPanel.panels.values()].find((p) => p.panel.viewColumn !== undefined)?.panel.viewColumn;
    const panel = vscode.window.createWebviewPanel(
      SWEEP_VIEW_TYPE,
      `L2 sweep: ${name}`,
      { viewColumn: sibling ?? vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(context.extensionUri),
    );
    new SweepPanel(panel, context, results, configPath);
  }

  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, results: Results, configPath: string): void {
    new SweepPanel(panel, context, results, configPath);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly results: Results,
    private readonly configPath: string,
  ) {
    SweepPanel.panels.set(configPath, this);
    panel.webview.options = webviewOptions(context.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'sweep', panel.title);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'transition.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((msg: SweepPanelToHost) =>
        this.receive(msg).catch((err: unknown) => void vscode.window.showErrorMessage(`L2 sweep panel: ${err instanceof Error ? err.message : String(err)}`)),
      ),
      results.onDidChange((run) => run.configPath === configPath && this.update(run)),
      results.onDidSelect((run) => {
        if (run.configPath !== configPath || !run.selectedId) return;
        this.post({ type: 'select', runId: run.runId, pointId: run.selectedId });
        this.postReconstructions(run);
      }),
      panel.onDidChangeViewState(() => panel.active && results.setCurrent(configPath)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(msg: HostToSweepPanel): void {
    void this.panel.webview.postMessage(msg);
  }

  private init(): void {
    const run = this.results.get(this.configPath);
    if (!run) return;
    this.info = JSON.stringify({ ...runInfo(run), live: null });
    this.sent = run.points.length;
    this.post({ type: 'init', run: runInfo(run), points: run.points, transitions: run.transitions, predictions: run.predictions, selectedId: run.selectedId });
    this.pictured = null;
    this.postReconstructions(run);
    this.postRuns(run);
  }

  /**
   * A VAE run's selected point's reconstructions (reconstructions/<id>.json, written by the run
   * with the point), once per selection; null when it has none or cannot be read (a damaged file,
   * a link in the folder), which the view says.
   */
  private postReconstructions(run: RunView, id = run.selectedId): void {
    if (run.experiment.model.kind !== 'vae' || !id || id === this.pictured || !run.points.some((p) => p.id === id)) return;
    this.pictured = id;
    let reconstructions = null;
    try {
      reconstructions = readReconstructions(run.dir, id);
    } catch {
      // The view says the point has none.
    }
    this.post({ type: 'reconstructions', runId: run.runId, pointId: id, reconstructions });
  }

  /** The runs table: read from disk, so only at init and at a run's end. */
  private postRuns(run: RunView): void {
    this.post({ type: 'runs', runId: run.runId, runs: this.results.runsOf(run) });
  }

  /** Only what is new goes over: the points since the last message, with the transitions of all. */
  private update(run: RunView): void {
    if (JSON.stringify({ ...runInfo(run), live: null }) !== this.info || run.points.length < this.sent) return this.init();
    this.post({ type: 'update', runId: run.runId, points: run.points.slice(this.sent), transitions: run.transitions });
    this.sent = run.points.length;
    if (!run.live && run.summary) {
      this.post({ type: 'finished', runId: run.runId, status: run.summary.status });
      this.postRuns(run);
    }
  }

  private async receive(msg: SweepPanelToHost): Promise<void> {
    const run = this.results.get(this.configPath);
    if (msg.type === 'ready') return this.init();
    if (!run || msg.runId !== run.runId) return;
    if (msg.type === 'selectPoint') {
      this.results.select(this.configPath, msg.pointId);
      // Also when the pick was the host's selection already (a live run's first point), which selects nothing new.
      this.postReconstructions(run, msg.pointId);
    } else if (msg.type === 'compare')
      this.post({ type: 'comparison', runId: run.runId, other: msg.otherRunId === null || msg.otherRunId === run.runId ? null : this.results.compared(run, msg.otherRunId) });
    else if (msg.type === 'exportCsv') {
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${run.dir}/points.csv`), filters: { CSV: ['csv'] } });
      if (target) writeFileSync(target.fsPath, pointsCsv(run.points, run.experiment.sweep));
    } else if (msg.type === 'exportPng') {
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${run.dir}/${msg.chart}.png`), filters: { PNG: ['png'] } });
      const data = /^data:image\/png;base64,(.*)$/.exec(msg.dataUrl)?.[1];
      if (target && data) writeFileSync(target.fsPath, Buffer.from(data, 'base64'));
    }
  }

  private dispose(): void {
    SweepPanel.panels.delete(this.configPath);
    for (const d of this.disposables) d.dispose();
  }
}
