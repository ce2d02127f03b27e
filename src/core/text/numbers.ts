// Numbers and durations in words, for every surface that prints one (the CLI's report, the
// editor's hover, CodeLens, decorations and log, the webviews' labels): one precision rule, so
// a λc reads the same everywhere. Axis ticks are not here: their digits follow the tick spacing
// (webview/shared/ticks.ts).

/**
 * THE precision rule: four significant digits, trailing zeros dropped (0.4, 0.3969, 0.01274,
 * 12.35), exponent form below 1e-3 and from 1e4 up (1.274e-4, 2.5e4). Four because a λ bracket
 * refined to 2% needs three; the fourth shows where in it λc lies.
 */
export const SIGNIFICANT = 4;
const EXP_BELOW = 1e-3;
const EXP_FROM = 1e4;

function expForm(x: number, digits: number): string {
  const [m, e] = x.toExponential(digits - 1).split('e');
  return `${Number(m)}e${Number(e)}`;
}

/** A number by the precision rule ("–" for none); `digits` only for an uncertainty (two). */
export function numText(x: number | null | undefined, digits = SIGNIFICANT): string {
  if (x === null || x === undefined) return '–';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < EXP_BELOW || a >= EXP_FROM) return expForm(x, digits);
  return String(Number(x.toPrecision(digits)));
}

/** λ (a λc, a bracket end, a grid value): the precision rule. */
export const lambdaText = (x: number): string => numText(x);

/** A value with its standard error: "12.35 ± 0.41" (the error with two digits). */
export const withErrText = (x: number, err: number | undefined): string => (err === undefined ? numText(x) : `${numText(x)} ± ${numText(err, 2)}`);

/** A fraction in [0, 1] (a confidence, a score): two decimals, "0.85". */
export const fractionText = (x: number): string => x.toFixed(2);

/** "1 point", "12 points". */
export const countText = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A wall time or an ETA: "0.8 s", "12 s", "2 min 05 s", "1 h 07 min"; "…" when unknown. */
export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '…';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
