// What a view is told about the run it shows (RunInfo), built in one place for the editor's
// panels and the CLI's HTML report.
import type { AxisConfig, Experiment } from '../core/config/types';
import { axisGrid, axisId } from '../core/sweep/axis';
import type { PointRecord } from '../core/sweep/point';
import type { AxisInfo, PointChoice, RunInfo } from './webview';

export function runInfo(run: { runId: string; configPath: string; experiment: Experiment; points: PointRecord[]; live: boolean }): RunInfo {
  const s = run.experiment.sweep;
  return {
    runId: run.runId,
    configPath: run.configPath,
    name: run.experiment.name,
    scoreKind: run.points[0]?.scoreKind ?? 'accuracy',
    model: run.experiment.model.kind === 'vae' ? 'vae' : 'mlp',
    live: run.live,
    range: [s.from, s.to],
    axis: axisInfo(s),
    ...(s.across ? { across: axisInfo(s.across) } : {}),
  };
}

const axisInfo = (a: AxisConfig): AxisInfo => ({ id: axisId(a), log: a.scale === 'log', grid: axisGrid(a) });

/** The points the spectrum view's slider moves over, by swept value. */
export function spectrumChoices(points: PointRecord[]): PointChoice[] {
  return [...points].sort((a, b) => a.value - b.value).map((p) => ({ id: p.id, value: p.value, ...(p.across === undefined ? {} : { across: p.across }), direction: p.direction, seed: p.seed }));
}
