// The mocha suite that runs inside VS Code's extension host (loaded by runTest.ts).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/results/summary';

const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

function positionOf(doc: vscode.TextDocument, text: string): vscode.Position {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `${text} not in ${doc.uri.fsPath}`);
  return doc.positionAt(at + 1);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

function defineTests(): void {
  suite('L2 Landscape in VS Code', () => {
    suiteSetup(async () => {
      const ext = vscode.extensions.getExtension('l2-landscape.l2-landscape');
      assert.ok(ext, 'the extension is installed');
      await ext.activate();
    });

    test('the hover over the sweep predicts λc from the data', async () => {
      const doc = await vscode.workspace.openTextDocument(join(workspace(), 'linear-2-hidden.l2exp.json'));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '"sweep"'));
      const text = hoverText(hovers);
      assert.match(text, /Predicted critical λ/);
      assert.match(text, /\*\*λc ≈ 0\.3969 \(first-order, exact\)\*\*/);
    });

    test('cross-field problems appear as diagnostics while typing', async () => {
      const path = join(workspace(), 'bad.l2exp.json');
      writeFileSync(path, '{ "name": "bad", "data": { "kind": "linear" }, "sweep": { "from": 1, "to": 0.01 } }');
      const doc = await vscode.workspace.openTextDocument(path);
      await vscode.window.showTextDocument(doc);
      const diagnostics = await new Promise<vscode.Diagnostic[]>((resolve) => {
        const check = () => {
          const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'l2-landscape');
          if (found.length) {
            sub.dispose();
            resolve(found);
          }
        };
        const sub = vscode.languages.onDidChangeDiagnostics(check);
        check();
      });
      assert.match(diagnostics[0].message, /sweep\.from \(1\) is larger than sweep\.to \(0\.01\)/);
      assert.equal(doc.getText(diagnostics[0].range), '1');
    });

    test('Run L2 sweep trains, writes the results, and the CodeLens names the measured λc', async function () {
      this.timeout(240_000);
      const uri = vscode.Uri.file(join(workspace(), 'linear-1-hidden.l2exp.json'));
      await vscode.commands.executeCommand('l2landscape.runSweep', uri);
      const runs = join(workspace(), '.l2exp', 'linear-1-hidden');
      const dirs = readdirSync(runs);
      assert.equal(dirs.length, 1);
      const summary = JSON.parse(readFileSync(join(runs, dirs[0], 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(summary.status, 'complete');
      assert.equal(summary.transitions.length, 1);
      assert.ok(existsSync(join(runs, dirs[0], 'points.jsonl')));
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.ok(
        lenses.some((l) => /λc ≈ 0\.99\d|λc ≈ 1\.0/.test(l.command?.title ?? '')),
        JSON.stringify(lenses.map((l) => l.command?.title)),
      );
    });
  });
}

/** Entry point called by the test host. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: true });
  mocha.suite.emit('pre-require', globalThis, 'suite.ts', mocha);
  defineTests();
  return new Promise((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve())));
}
