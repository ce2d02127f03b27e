// The swept parameter of the run a view shows: its symbol and title on every label (axis
// titles, tooltips, the selection line, the spectrum view's point title). Set once per `init`.
import { AXIS_WORDS, type AxisId } from '../../src/core/sweep/axis';
import { numText } from '../../src/core/text/numbers';
import type { RunInfo } from '../../src/protocol/webview';

let current: { id: AxisId; log: boolean } = { id: 'lambda', log: true };

/** The run's axis (absent in a RunInfo: λ on a log scale). */
export function setAxis(run: Pick<RunInfo, 'axis'>): void {
  current = run.axis ?? { id: 'lambda', log: true };
}

export const axisSymbol = (): string => AXIS_WORDS[current.id].symbol;
export const axisTitle = (): string => AXIS_WORDS[current.id].title;
/** Whether the x axis may be logarithmic (the sweep's scale is). */
export const axisLog = (): boolean => current.log;
/** "λ = 0.01274", "δ = 2.5". */
export const atText = (x: number): string => `${axisSymbol()} = ${numText(x)}`;
