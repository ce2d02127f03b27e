// Number formatting for labels, tooltips and the header: the core's one precision rule
// (src/core/text/numbers.ts), so the panels print a λc exactly as the CLI, the hover and the
// CodeLens do. Axis ticks follow their spacing instead (ticks.ts).
import { numText, withErrText } from '../../src/core/text/numbers';

/** A measured value by the precision rule ("–" for none). */
export const fmtNum = (x: number | null | undefined, digits?: number): string => numText(x, digits);

/** Value with its standard error when there is one: "12.35 ± 0.41". */
export const fmtWithErr = (x: number, err: number | undefined): string => withErrText(x, err);
