import * as vscode from 'vscode';
import { experimentHash } from '../core/config/hash';
import { parseExperiment, type ParseResult } from '../core/config/parse';
import type { Experiment } from '../core/config/types';
import { loadDataset } from '../core/data/generate';
import { predictTransitions } from '../core/predict';
import type { Prediction } from '../core/transitions/types';
import { dirname } from 'node:path';

export const EXPERIMENT_GLOB = '**/*.l2exp.json';

export function isExperiment(doc: vscode.TextDocument | vscode.Uri): boolean {
  const uri = doc instanceof vscode.Uri ? doc : doc.uri;
  return uri.scheme === 'file' && uri.fsPath.endsWith('.l2exp.json');
}

const parsed = new Map<string, { version: number; result: ParseResult }>();

/**
 * The document parsed and validated once per edit: diagnostics, CodeLens, decorations and the
 * hover all ask after the same keystroke.
 */
export function parseDocument(doc: vscode.TextDocument): ParseResult {
  const key = doc.uri.toString();
  const hit = parsed.get(key);
  if (hit && hit.version === doc.version) return hit.result;
  const result = parseExperiment(doc.getText(), doc.uri.fsPath);
  if (parsed.size > 50) parsed.clear();
  parsed.set(key, { version: doc.version, result });
  return result;
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

/**
 * λc predictions from the data, cached by config hash: they take milliseconds, but hovers ask
 * on every mouse move. Failures (a missing CSV, a bad MNIST size) come back as the message.
 */
export class Predictions {
  private readonly cache = new Map<string, { predictions: Prediction[]; notes: string[] } | { error: string }>();

  for(e: Experiment, configPath: string): { predictions: Prediction[]; notes: string[] } | { error: string } {
    const key = `${configPath}:${experimentHash(e)}`;
    let hit = this.cache.get(key);
    if (!hit) {
      try {
        hit = predictTransitions(e, loadDataset(e.data, e.seed, dirname(configPath)));
      } catch (err) {
        hit = { error: (err as Error).message };
      }
      if (this.cache.size > 50) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit;
  }
}
