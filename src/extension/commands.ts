import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isExperiment, pickExperiment, type Predictions } from './experimentFiles';
import type { ParsedDocuments } from './parsedDocuments';
import type { Results } from './results';
import { AXIS_WORDS, sweptAxes } from '../core/sweep/axis';
import { criticalName, noPredictionText, predictedAxis, predictionHeadline } from '../core/transitions/text';
import { TEMPLATE } from './template';
import { requireTrust } from './trust';

export function registerCommands(
  context: vscode.ExtensionContext,
  results: Results,
  predictions: Predictions,
  documents: ParsedDocuments,
  showPanel: (configPath: string) => void,
  showSpectrum: () => void,
): void {
  const openResults = async (arg?: vscode.Uri) => {
    if (!requireTrust('Open results')) return;
    const uri = await pickExperiment(arg);
    if (!uri) return;
    const { experiment } = await documents.checked(await vscode.workspace.openTextDocument(uri));
    const run = experiment ? results.load(uri.fsPath, experiment.name) : undefined;
    if (!run) return void vscode.window.showInformationMessage(`No results yet for ${vscode.workspace.asRelativePath(uri)}: run the sweep first.`);
    results.setCurrent(uri.fsPath);
    showPanel(uri.fsPath);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('l2landscape.openResults', openResults),
    vscode.commands.registerCommand('l2landscape.showSpectrum', async (arg?: vscode.Uri) => {
      if (!requireTrust('Show Hessian spectrum')) return;
      const uri = arg && isExperiment(arg) ? arg : vscode.window.activeTextEditor && isExperiment(vscode.window.activeTextEditor.document) ? vscode.window.activeTextEditor.document.uri : undefined;
      if (uri) {
        const { experiment } = await documents.checked(await vscode.workspace.openTextDocument(uri));
        if (experiment && results.load(uri.fsPath, experiment.name)) results.setCurrent(uri.fsPath);
      }
      showSpectrum();
    }),
    vscode.commands.registerCommand('l2landscape.predict', async (arg?: vscode.Uri) => {
      if (!requireTrust('Predict critical λ')) return;
      const uri = await pickExperiment(arg);
      if (!uri) return;
      const { experiment } = await documents.checked(await vscode.workspace.openTextDocument(uri));
      if (!experiment) return void vscode.window.showErrorMessage('Fix the problems in the experiment file first.');
      const axis = predictedAxis(sweptAxes(experiment.sweep));
      const p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Predicting ${criticalName(axis)}…` }, () => predictions.get(experiment, uri.fsPath));
      if (!p) return; // a newer version of the file superseded it
      if ('error' in p) return void vscode.window.showErrorMessage(`Cannot predict: ${p.error}`);
      const items = p.predictions.map((x) => ({ label: predictionHeadline(x), detail: `${x.basis}. ${x.why}` }));
      await vscode.window.showQuickPick(items.length ? items : [{ label: noPredictionText(sweptAxes(experiment.sweep)), detail: p.notes[0] ?? '' }], {
        placeHolder: `Predicted critical ${AXIS_WORDS[axis].symbol} for ${experiment.name}`,
        matchOnDetail: true,
      });
    }),
    vscode.commands.registerCommand('l2landscape.newExperiment', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      let path = folder ? join(folder, 'experiment.l2exp.json') : undefined;
      for (let i = 2; path && existsSync(path); i++) path = join(folder!, `experiment-${i}.l2exp.json`);
      const target = await vscode.window.showSaveDialog({ defaultUri: path ? vscode.Uri.file(path) : undefined, filters: { 'L2 experiment': ['l2exp.json'] } });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(TEMPLATE));
      await vscode.window.showTextDocument(target);
    }),
  );
}
