import { getLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { transitionText } from '../../core/transitions/text';
import type { Prediction } from '../../core/transitions/types';
import { isExperiment, parseDocument, type Predictions } from '../experimentFiles';
import type { Results } from '../results';

const SECTIONS = new Set(['sweep', 'model', 'data']);

function predictionLine(p: Prediction): string {
  return `- **λc ≈ ${p.lambda.toPrecision(4)}**, ${p.order}-order · _${p.exactness}_ — ${p.basis}. ${p.why}`;
}

/**
 * Over the `sweep`, `model` and `data` sections: the λc the data predict for each expected
 * transition (order, basis, how far to trust it), and the measured ones when results exist.
 */
export function registerHover(context: vscode.ExtensionContext, predictions: Predictions, results: Results): void {
  const provider: vscode.HoverProvider = {
    provideHover(doc, position) {
      if (!isExperiment(doc)) return undefined;
      const loc = getLocation(doc.getText(), doc.offsetAt(position));
      if (!SECTIONS.has(String(loc.path[0]))) return undefined;
      const { experiment } = parseDocument(doc);
      const md = new vscode.MarkdownString();
      if (!experiment) {
        md.appendMarkdown('**L2 Landscape**: fix the problems in this file to see the predicted λc.');
        return new vscode.Hover(md);
      }
      const p = predictions.for(experiment, doc.uri.fsPath);
      md.appendMarkdown('**Predicted critical λ** (from the data, before training)\n\n');
      if ('error' in p) md.appendMarkdown(`Cannot predict: ${p.error}\n`);
      else if (p.predictions.length === 0) md.appendMarkdown(`No transition expected. ${p.notes[0] ?? ''}\n`);
      else md.appendMarkdown(p.predictions.map(predictionLine).join('\n') + '\n');
      const run = results.load(doc.uri.fsPath, experiment.name);
      if (run) {
        md.appendMarkdown(`\n**Measured** (${run.live ? 'running' : run.summary?.status ?? 'partial'}, ${run.points.length} points)\n\n`);
        md.appendMarkdown(run.transitions.length ? run.transitions.map((t) => `- ${transitionText(t)}`).join('\n') : '- none found');
      }
      return new vscode.Hover(md);
    },
  };
  context.subscriptions.push(vscode.languages.registerHoverProvider({ pattern: '**/*.l2exp.json' }, provider));
}
