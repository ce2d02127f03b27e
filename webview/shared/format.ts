// Number formatting shared by labels, tooltips and the header (axis ticks: ticks.ts).

/** Below this magnitude (and from 1e4/1e5 up) numbers switch to exponent form. */
const EXP_BELOW = 1e-3;

function expForm(x: number, digits: number): string {
  const [m, e] = x.toExponential(digits - 1).split('e');
  return `${Number(m)}e${Number(e)}`;
}

/** λ with two significant digits: 0.031, 0.46, 1.0, 1e-4. */
export function fmtLambda(x: number): string {
  if (x !== 0 && (Math.abs(x) < EXP_BELOW || Math.abs(x) >= 1e4)) return expForm(x, 2);
  return x.toPrecision(2);
}

/** A measured value: `digits` significant digits, exponent form outside [1e-3, 1e5). */
export function fmtNum(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return '–';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < EXP_BELOW || a >= 1e5) return expForm(x, digits);
  return String(Number(x.toPrecision(digits)));
}

/** Value with its standard error when there is one: "12.3 ± 0.4". */
export function fmtWithErr(x: number, err: number | undefined): string {
  return err === undefined ? fmtNum(x) : `${fmtNum(x)} ± ${fmtNum(err, 2)}`;
}
