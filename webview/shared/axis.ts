// The swept parameters of the run a view shows: their symbols and titles on every label (axis
// titles, tooltips, the selection line, the spectrum view's point title). Set once per `init`.
// The charts' x axis is the first axis, or a 2-D sweep's second one while the sweep panel shows
// a column of the grid (showAcross).
import { AXIS_WORDS, countsAxis } from '../../src/core/sweep/axis';
import { numText } from '../../src/core/text/numbers';
import type { AxisInfo, RunInfo } from '../../src/protocol/webview';

const LAMBDA: AxisInfo = { id: 'lambda', log: true };
let first: AxisInfo = LAMBDA;
let across: AxisInfo | null = null;
let current: AxisInfo = LAMBDA;

/** The run's axes (absent in a RunInfo: λ on a log scale; no second axis); the x axis is the first. */
export function setAxis(run: Pick<RunInfo, 'axis' | 'across'>): void {
  first = run.axis ?? LAMBDA;
  across = run.across ?? null;
  current = first;
}

/** The charts' x axis becomes the second axis (a column of a 2-D sweep), or the first again. */
export function showAcross(on: boolean): void {
  current = on && across ? across : first;
}

/** The run's first axis and, for a 2-D sweep, its second. */
export const runAxes = (): { first: AxisInfo; across: AxisInfo | null } => ({ first, across });

export const symbolOf = (a: AxisInfo): string => AXIS_WORDS[a.id].symbol;
export const titleOf = (a: AxisInfo): string => AXIS_WORDS[a.id].title;

export const axisSymbol = (): string => symbolOf(current);
export const axisTitle = (): string => titleOf(current);
/** Whether the x axis may be logarithmic (the sweep's scale is). */
export const axisLog = (): boolean => current.log;
/** Whether the x axis counts (a width, n samples): whole-number ticks. */
export const axisInteger = (): boolean => countsAxis(current.id);
/** "λ = 0.01274", "δ = 2.5": a value of the x axis. */
export const atText = (x: number): string => `${axisSymbol()} = ${numText(x)}`;
/** Where a point sits, whatever the x axis: "λ = 0.01", and a 2-D sweep's row ("λ = 0.01, δ = 4"). */
export const pointAt = (p: { value: number; across?: number }): string =>
  `${symbolOf(first)} = ${numText(p.value)}${across && p.across !== undefined ? `, ${symbolOf(across)} = ${numText(p.across)}` : ''}`;
