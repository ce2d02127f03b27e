import { getLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { AXIS_WORDS, sweptAxes, type AxisId } from '../../core/sweep/axis';
import { noPredictionText, predictedAxis, predictionHeadline, transitionText } from '../../core/transitions/text';
import type { Prediction } from '../../core/transitions/types';
import { isExperiment, type PredictionOutcome, type Predictions } from '../experimentFiles';
import type { ParsedDocuments } from '../parsedDocuments';
import type { Results } from '../results';

const SECTIONS = new Set(['sweep', 'model', 'data']);

function predictionLine(p: Prediction): string {
  return `- **${predictionHeadline(p)}** — ${p.basis}. ${p.why}`;
}

/** How long a hover waits for a prediction being computed before it says "computing…". */
const HOVER_WAIT_MS = 1000;

function outcomeText(p: PredictionOutcome, swept: AxisId[]): string {
  if ('error' in p) return `Cannot predict: ${p.error}\n`;
  if (p.predictions.length === 0) return `${noPredictionText(swept)}. ${p.notes[0] ?? ''}\n`;
  return p.predictions.map(predictionLine).join('\n') + '\n';
}

/**
 * Over the `sweep`, `model` and `data` sections: the λc the data predict for each expected
 * transition (order, basis, how far to trust it), and the measured ones when results exist.
 * The prediction is computed in the engine process: a hover waits for it briefly, then shows
 * "computing…" (with the last result of the file, if any) instead of blocking. In Restricted
 * Mode it reads nothing: the schema's documentation (from VS Code's JSON service) is all.
 */
export function registerHover(context: vscode.ExtensionContext, predictions: Predictions, results: Results, documents: ParsedDocuments): void {
  const provider: vscode.HoverProvider = {
    async provideHover(doc, position) {
      if (!isExperiment(doc)) return undefined;
      const loc = getLocation(doc.getText(), doc.offsetAt(position));
      if (!SECTIONS.has(String(loc.path[0]))) return undefined;
      const md = new vscode.MarkdownString();
      if (!vscode.workspace.isTrusted) {
        md.appendMarkdown('**L2 Landscape**: the predicted and measured λc, and the checks of the data, need a trusted workspace (they read its data and results files).');
        return new vscode.Hover(md);
      }
      // The config's own parse when it resolves (the engine may be busy with a prediction); a
      // csv experiment waits for the engine's check of its file, whose size is the experiment's.
      const known = documents.parse(doc);
      const { experiment } = known.experiment ? known : await documents.checked(doc);
      if (!experiment) {
        md.appendMarkdown('**L2 Landscape**: fix the problems in this file to see the predicted critical values.');
        return new vscode.Hover(md);
      }
      const path = doc.uri.fsPath;
      const p = predictions.peek(experiment, path) ?? (await predictions.within(experiment, path, HOVER_WAIT_MS));
      const swept = sweptAxes(experiment.sweep);
      md.appendMarkdown(`**Predicted critical ${AXIS_WORDS[predictedAxis(swept)].symbol}** (from the data, before training)\n\n`);
      if (p) md.appendMarkdown(outcomeText(p, swept));
      else {
        const last = predictions.last(path);
        md.appendMarkdown(`_computing…_ (hover again in a moment)${last ? '; for the file as it was before the last edit:' : ''}\n\n`);
        if (last) md.appendMarkdown(outcomeText(last, swept));
      }
      const run = results.load(path, experiment.name);
      if (run) {
        md.appendMarkdown(`\n**Measured** (${run.live ? 'running' : (run.summary?.status ?? 'partial')}, ${run.points.length} points)\n\n`);
        md.appendMarkdown(run.transitions.length ? run.transitions.map((t) => `- ${transitionText(t)}`).join('\n') : '- none found');
      }
      return new vscode.Hover(md);
    },
  };
  context.subscriptions.push(vscode.languages.registerHoverProvider({ pattern: '**/*.l2exp.json' }, provider));
}
