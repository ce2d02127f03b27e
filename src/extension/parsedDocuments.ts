// Each experiment document parsed once per edit, for the diagnostics, CodeLens, decorations,
// hover and commands, which all ask after the same keystroke. The config's own checks run here
// at once and read no file; the checks that need its data (the csv read for its shape checks,
// small data generated) are the engine's `validate` (src/engine/validate.ts), merged into the
// same result when it answers, so a large csv never loads in the editor's own process. A reply
// for an older version of the document is dropped. In Restricted Mode the engine is not used:
// the data are not checked, and a csv or npy experiment, whose size is its file's, has no
// experiment (nothing there runs or predicts anyway).
import * as vscode from 'vscode';
import { parseExperiment, type DataCheck, type ParseResult } from '../core/config/parse';
import type { EngineClient } from './engineClient';
import { isExperiment, workspaceFolderPaths } from './experimentFiles';
import { dataRoot } from './workspacePaths';

interface Parsed {
  version: number;
  /** The engine's data check of this version, once it answered. */
  check?: DataCheck;
  /** Settles when the engine has answered (at once when it is not asked: Restricted Mode). */
  checked: Promise<void>;
  result?: ParseResult;
}

export class ParsedDocuments implements vscode.Disposable {
  private readonly docs = new Map<string, Parsed>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A document's result changed without an edit: the engine's data check arrived, or trust was granted. */
  readonly onDidChange = this.changed.event;
  private readonly trust: vscode.Disposable;

  constructor(private readonly engine: EngineClient) {
    // Trusted now: the documents parsed without the engine are checked again, with it.
    this.trust = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      this.docs.clear();
      for (const doc of vscode.workspace.textDocuments.filter(isExperiment)) this.changed.fire(doc.uri);
    });
  }

  /** The problems and experiment as far as known now: the config's own at once, the data's once the engine answered. */
  parse(doc: vscode.TextDocument): ParseResult {
    const entry = this.entry(doc);
    return (entry.result ??= parseExperiment(doc.getText(), doc.uri.fsPath, { data: entry.check ?? false }));
  }

  /** The document with its data checked (in a trusted workspace): what Run and the commands act on. */
  async checked(doc: vscode.TextDocument): Promise<ParseResult> {
    for (;;) {
      const entry = this.entry(doc);
      await entry.checked;
      if (this.entry(doc) === entry) return this.parse(doc);
    }
  }

  private entry(doc: vscode.TextDocument): Parsed {
    const key = doc.uri.toString();
    const hit = this.docs.get(key);
    if (hit?.version === doc.version) return hit;
    if (this.docs.size > 50) this.docs.clear();
    const entry: Parsed = { version: doc.version, checked: Promise.resolve() };
    this.docs.set(key, entry);
    if (vscode.workspace.isTrusted) entry.checked = this.checkData(doc, key, entry);
    return entry;
  }

  private async checkData(doc: vscode.TextDocument, key: string, entry: Parsed): Promise<void> {
    const configPath = doc.uri.fsPath;
    const params = { text: doc.getText(), configPath, dataRoot: dataRoot(configPath, workspaceFolderPaths()) };
    // The slot is the file: the check of a newer version supersedes this one.
    const o = await this.engine.request('validate', params, configPath);
    if (o.status === 'superseded' || this.docs.get(key) !== entry) return;
    // A check that failed (its time or memory bound) is said where the data are set; the run checks them again.
    entry.check = o.status === 'done' ? o.result : { problems: [{ field: ['data'], message: `the data could not be checked: ${o.message}`, severity: 'warning' }], complete: false };
    entry.result = undefined;
    this.changed.fire(doc.uri);
  }

  dispose(): void {
    this.trust.dispose();
    this.changed.dispose();
  }
}
