import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { isExperiment } from '../experimentFiles';
import type { ParsedDocuments } from '../parsedDocuments';
import type { Results } from '../results';
import { countText } from '../../core/text/numbers';
import { transitionsCompact, transitionText } from '../../core/transitions/text';

/**
 * After a run (and while it runs): the measured transitions at the end of the `sweep` line, short
 * (λc and order each, so the line stays on screen; its hover has the whole story), and a gutter
 * marker there when the swept range contains a transition. Updated as points arrive, at most
 * four times a second, from the same RunView as the CodeLens and the panel.
 */
export function registerDecorations(context: vscode.ExtensionContext, results: Results, documents: ParsedDocuments): void {
  const after = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    isWholeLine: false,
  });
  const gutter = vscode.window.createTextEditorDecorationType({
    gutterIconPath: context.asAbsolutePath('media/transition.svg'),
    gutterIconSize: 'contain',
    overviewRulerColor: new vscode.ThemeColor('charts.orange'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  const update = (editor: vscode.TextEditor) => {
    if (!isExperiment(editor.document)) return;
    const { experiment } = documents.parse(editor.document);
    const run = experiment ? results.load(editor.document.uri.fsPath, experiment.name) : undefined;
    const tree = parseTree(editor.document.getText());
    const sweepKey = tree ? findNodeAtLocation(tree, ['sweep'])?.parent?.children?.[0] : undefined;
    if (!run || !experiment || !sweepKey) {
      editor.setDecorations(after, []);
      editor.setDecorations(gutter, []);
      return;
    }
    const line = editor.document.positionAt(sweepKey.offset).line;
    const range = new vscode.Range(line, Number.MAX_SAFE_INTEGER, line, Number.MAX_SAFE_INTEGER);
    const label = transitionsCompact(run.transitions, run.live);
    const hover = new vscode.MarkdownString(
      `**Measured transitions** (${countText(run.points.length, 'point')}${run.live ? ', running' : ''})\n\n` + (run.transitions.map((t) => `- ${transitionText(t)}`).join('\n') || 'none'),
    );
    editor.setDecorations(after, [{ range, hoverMessage: hover, renderOptions: { after: { contentText: `  ${run.live ? '⟳ ' : ''}${label}` } } }]);
    const inRange = run.transitions.some((t) => t.value >= experiment.sweep.from && t.value <= experiment.sweep.to);
    editor.setDecorations(gutter, inRange ? [{ range: new vscode.Range(line, 0, line, 0), hoverMessage: hover }] : []);
  };
  let timer: NodeJS.Timeout | undefined;
  const updateAll = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      vscode.window.visibleTextEditors.forEach(update);
    }, 250);
  };
  vscode.window.visibleTextEditors.forEach(update);
  context.subscriptions.push(
    after,
    gutter,
    results.onDidChange(updateAll),
    documents.onDidChange(updateAll),
    vscode.window.onDidChangeVisibleTextEditors(updateAll),
    vscode.workspace.onDidGrantWorkspaceTrust(updateAll),
    vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && updateAll()),
    { dispose: () => clearTimeout(timer) },
  );
}
