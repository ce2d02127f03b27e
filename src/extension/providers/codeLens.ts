import * as vscode from 'vscode';
import { countText } from '../../core/text/numbers';
import { transitionsHeadline } from '../../core/transitions/text';
import { isExperiment } from '../experimentFiles';
import type { ParsedDocuments } from '../parsedDocuments';
import type { Results } from '../results';
import type { Runner } from '../runner';

/**
 * Above the config: "▶ Run L2 sweep" and, once results exist, the measured λc (opens them). A
 * CodeLens click is a plain command call (no `enablement`), so the commands check trust.
 */
export function registerCodeLens(context: vscode.ExtensionContext, results: Results, runner: Runner, documents: ParsedDocuments): vscode.EventEmitter<void> {
  const refresh = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: refresh.event,
    provideCodeLenses(doc) {
      if (!isExperiment(doc)) return [];
      const top = new vscode.Range(0, 0, 0, 0);
      const lenses: vscode.CodeLens[] = [];
      if (runner.running === doc.uri.fsPath) {
        const run = results.get(doc.uri.fsPath);
        lenses.push(new vscode.CodeLens(top, { title: `$(sync~spin) running: ${countText(run?.points.length ?? 0, 'point')} · cancel`, command: 'l2landscape.cancelSweep' }));
      } else {
        const title = vscode.workspace.isTrusted ? '▶ Run L2 sweep' : '▶ Run L2 sweep (needs a trusted workspace)';
        lenses.push(new vscode.CodeLens(top, { title, command: 'l2landscape.runSweep', arguments: [doc.uri] }));
      }
      const { experiment } = documents.parse(doc);
      const run = experiment ? results.load(doc.uri.fsPath, experiment.name) : undefined;
      if (run) {
        // The RunView the panel and the decorations draw: the same transitions, at the same point count.
        const title = `${transitionsHeadline(run.transitions, run.live)}${run.live ? ` (${countText(run.points.length, 'point')})` : ''}`;
        lenses.push(new vscode.CodeLens(top, { title: `${title} · open results`, command: 'l2landscape.openResults', arguments: [doc.uri] }));
      }
      return lenses;
    },
  };
  context.subscriptions.push(
    refresh,
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.l2exp.json' }, provider),
    results.onDidChange(() => refresh.fire()),
    runner.onDidChangeRunning(() => refresh.fire()),
    documents.onDidChange(() => refresh.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => refresh.fire()),
  );
  return refresh;
}
