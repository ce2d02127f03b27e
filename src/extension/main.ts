// The extension: thin glue between VS Code and the engine in src/core. activate() only wires
// things up; nothing trains in this process.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { EngineClient } from './engineClient';
import { Predictions, workspaceFolderPaths } from './experimentFiles';
import { ParsedDocuments } from './parsedDocuments';
import { SPECTRUM_VIEW_ID, SpectrumView } from './panels/spectrumView';
import { SWEEP_VIEW_TYPE, SweepPanel } from './panels/sweepPanel';
import { registerCodeLens } from './providers/codeLens';
import { registerDecorations } from './providers/decorations';
import { registerDiagnostics } from './providers/diagnostics';
import { registerHover } from './providers/hover';
import { Results, watchRunsOnDisk } from './results';
import { Runner } from './runner';
import { restorableConfig } from './workspacePaths';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('L2 Landscape');
  const loaded = (globalThis as { __l2ModuleStart?: number }).__l2ModuleStart;
  const results = new Results(context.workspaceState);
  // One engine process for everything the editor asks of the data: its checks (the Problems
  // panel), the predictions (hovers, Predict critical λ, a new run), the spectrum view's slices
  // and the sweeps themselves.
  const engine = new EngineClient({ script: context.asAbsolutePath(join('dist', 'engine.js')), onLog: (line) => log.appendLine(line) });
  const predictions = new Predictions(engine);
  const documents = new ParsedDocuments(engine);
  const showPanel = (configPath: string) => SweepPanel.show(context, results, configPath);
  const runner = new Runner(engine, results, predictions, documents, log, showPanel);
  const spectrum = new SpectrumView(context, results, engine);
  const logError = (what: string) => (err: unknown) => log.appendLine(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const showSpectrum = () => void vscode.commands.executeCommand(`${SPECTRUM_VIEW_ID}.focus`).then(() => spectrum.refresh(), logError('showing the Hessian spectrum'));

  context.subscriptions.push(
    log,
    results,
    engine,
    documents,
    runner,
    vscode.commands.registerCommand('l2landscape.runSweep', (uri?: vscode.Uri) => runner.run(uri)),
    vscode.commands.registerCommand('l2landscape.cancelSweep', () => runner.cancel()),
    vscode.window.registerWebviewViewProvider(SPECTRUM_VIEW_ID, spectrum),
    vscode.window.registerWebviewPanelSerializer(SWEEP_VIEW_TYPE, {
      // The saved state comes from the webview: its config path is opened only when it names
      // an experiment inside an open workspace folder, and only in a trusted workspace.
      async deserializeWebviewPanel(panel, state: { run?: { configPath?: unknown } } | undefined) {
        const configPath = vscode.workspace.isTrusted ? restorableConfig(state?.run?.configPath, workspaceFolderPaths()) : undefined;
        if (!configPath) {
          panel.dispose();
          return;
        }
        const { experiment } = await documents.checked(await vscode.workspace.openTextDocument(configPath));
        if (experiment && results.load(configPath, experiment.name)) SweepPanel.revive(panel, context, results, configPath);
        else panel.dispose();
      },
    }),
  );
  context.subscriptions.push(watchRunsOnDisk(results));
  registerCommands(context, results, predictions, documents, showPanel, showSpectrum);
  registerDiagnostics(context, documents);
  registerHover(context, predictions, results, documents);
  registerCodeLens(context, results, runner, documents);
  registerDecorations(context, results, documents);
  restoreCurrent(results, documents).then(() => spectrum.refresh(), logError('restoring the last run after a reload'));
  if (loaded !== undefined) log.appendLine(`activated in ${(performance.now() - loaded).toFixed(1)} ms (module load included)`);
}

/**
 * After a window reload: the run the spectrum view followed (and its selected point, kept by
 * Results) is read again, so the view shows what it showed before, without a click. Only an
 * experiment inside an open workspace folder, and only in a trusted workspace.
 */
async function restoreCurrent(results: Results, documents: ParsedDocuments): Promise<void> {
  const configPath = vscode.workspace.isTrusted ? restorableConfig(results.current, workspaceFolderPaths()) : undefined;
  if (!configPath) return;
  const { experiment } = await documents.checked(await vscode.workspace.openTextDocument(configPath));
  if (experiment) results.load(configPath, experiment.name);
}

export function deactivate(): void {}
