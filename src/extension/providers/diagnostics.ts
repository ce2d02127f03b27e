import * as vscode from 'vscode';
import { isExperiment } from '../experimentFiles';
import type { ParsedDocuments } from '../parsedDocuments';

/**
 * The engine's own checks as Diagnostics, live while typing (debounced): exactly what
 * `l2exp validate` and Run reject, in the same words: the schema's (a misspelt key or enum value
 * with its near miss, "did you mean …"; VS Code's JSON service says only "not allowed", as a
 * warning), the cross-field checks, non-finite numbers, duplicate keys, and what only the data
 * show (a missing CSV file or one of the wrong width, a training split of one class). The
 * config's own problems are shown at once, the data's added when the engine has checked them
 * (ParsedDocuments). JSON syntax errors are left to the JSON service, which already shows them
 * as errors.
 */
export function registerDiagnostics(context: vscode.ExtensionContext, documents: ParsedDocuments): void {
  const collection = vscode.languages.createDiagnosticCollection('l2landscape');
  const timers = new Map<string, NodeJS.Timeout>();
  const check = (doc: vscode.TextDocument) => {
    if (!isExperiment(doc)) return;
    const diagnostics = documents
      .parse(doc)
      .problems.filter((p) => p.source !== 'syntax')
      .map((p) => {
        const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
        const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = 'l2-landscape';
        return d;
      });
    collection.set(doc.uri, diagnostics);
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => check(doc), 300),
    );
  };
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    documents.onDidChange((uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) check(doc);
    }),
    { dispose: () => timers.forEach(clearTimeout) },
  );
}
