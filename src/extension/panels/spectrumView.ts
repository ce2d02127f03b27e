import * as vscode from 'vscode';
import { sliceOptions } from '../../core/analysis/slice';
import type { HostToSpectrumView, SpectrumViewToHost } from '../../protocol/webview';
import type { EngineClient } from '../engineClient';
import type { Results } from '../results';
import { requireTrust } from '../trust';
import { runInfo, spectrumChoices } from '../../protocol/runInfo';
import { webviewHtml, webviewOptions } from './html';

export const SPECTRUM_VIEW_ID = 'l2landscape.spectrum';

/**
 * The view's slices, a slot of the engine: a newer request supersedes the one before (the view
 * shows one slice), and closing or hiding the view cancels it (its page, and the result with it,
 * would be gone).
 */
const SLICE_SLOT = 'spectrum view';

/**
 * The Hessian spectrum of the selected point of the current experiment's run, in the Explorer.
 * The view does not keep its context while hidden; the last message is replayed when it loads.
 */
export class SpectrumView implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private last: HostToSpectrumView = { type: 'empty', message: 'Run an L2 sweep (or open an experiment with results) to see the Hessian spectrum of its points.' };

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly results: Results,
    private readonly engine: EngineClient,
  ) {
    context.subscriptions.push(
      results.onDidChangeCurrent(() => this.refresh()),
      results.onDidSelect(() => this.refresh()),
      results.onDidChange((run) => run.configPath === results.current && this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.context.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.context.extensionUri, 'spectrum', 'Hessian spectrum');
    view.webview.onDidReceiveMessage((msg: SpectrumViewToHost) =>
      this.receive(msg).catch((err: unknown) => void vscode.window.showErrorMessage(`Hessian spectrum: ${err instanceof Error ? err.message : String(err)}`)),
    );
    view.onDidChangeVisibility(() => view.visible || this.engine.cancel('slice', SLICE_SLOT));
    view.onDidDispose(() => {
      this.view = undefined;
      this.engine.cancel('slice', SLICE_SLOT);
    });
    this.refresh(); // what to show (replayed when the view's script is ready)
  }

  private post(msg: HostToSpectrumView): void {
    if (msg.type === 'point' || msg.type === 'empty') this.last = msg;
    void this.view?.webview.postMessage(msg);
  }

  refresh(): void {
    if (!vscode.workspace.isTrusted) return this.post({ type: 'empty', message: 'The Hessian spectrum needs a trusted workspace: it reads the results of runs.' });
    const run = this.results.currentRun();
    const point = run?.points.find((p) => p.id === run.selectedId);
    if (!run || !point) return this.post({ type: 'empty', message: run ? 'No point selected yet.' : this.last.type === 'empty' ? this.last.message : 'No run selected.' });
    if (!point.hessian) return this.post({ type: 'empty', message: `No Hessian for ${point.id}: ${point.diverged ? 'training diverged' : 'analysis.hessian.enabled is false'}.` });
    const choices = spectrumChoices(run.points);
    this.post({ type: 'point', run: runInfo(run), point, choices });
  }

  private async receive(msg: SpectrumViewToHost): Promise<void> {
    if (msg.type === 'ready') return void this.view?.webview.postMessage(this.last);
    const run = this.results.currentRun();
    if (!run || msg.runId !== run.runId) return;
    if (msg.type === 'selectPoint') this.results.select(run.configPath, msg.pointId);
    else if (msg.type === 'requestSlice') {
      if (!requireTrust('A loss-landscape slice')) return this.post({ type: 'sliceFailed', runId: run.runId, pointId: msg.pointId, message: 'slices need a trusted workspace' });
      // In the engine process (slices cost seconds for large networks), as `l2exp slice` computes it.
      const options = sliceOptions({ directions: msg.directions, dims: msg.dims, range: msg.range, points: msg.points });
      const o = await this.engine.request('slice', { dir: run.dir, pointId: msg.pointId, options }, SLICE_SLOT);
      if (o.status === 'done') this.post({ type: 'slice', runId: run.runId, slice: o.result.slice });
      else if (o.status === 'failed') this.post({ type: 'sliceFailed', runId: run.runId, pointId: msg.pointId, message: o.message });
    }
  }
}
