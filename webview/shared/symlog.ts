// The symmetric-log transform for axes whose values span decades and change sign (curvatures,
// Hessian eigenvalues): u = sign(x)·log10(1 + |x|/c), linear within ±c and logarithmic beyond.
// Charts plot u on a linear scale; ticks sit at 0 and ±10^k and are labelled in x.

export const symlog = (x: number, c: number): number => Math.sign(x) * Math.log10(1 + Math.abs(x) / c);

export const symexp = (u: number, c: number): number => Math.sign(u) * c * (10 ** Math.abs(u) - 1);

/**
 * Tick positions (in u) at 0 and ±10^k for 10^k ≥ c that fall in [min, max], thinned to at most
 * `perSide` per sign. Fewer than two means the range is too narrow for decades: use linear ticks.
 */
export function symlogTicks(min: number, max: number, c: number, perSide = 5): number[] {
  let kLo = Math.ceil(Math.log10(c) - 1e-9);
  const kHi = Math.floor(Math.log10(Math.max(symexp(Math.max(Math.abs(min), Math.abs(max)), c), c)) + 1e-9);
  // ±c sits a third of a decade from 0: with decades above it, its label would crowd 0's.
  if (kHi - kLo >= 2 && symlog(10 ** kLo, c) < 0.5) kLo++;
  const step = Math.max(1, Math.ceil((kHi - kLo + 1) / perSide));
  const ticks: number[] = [];
  if (min <= 0 && max >= 0) ticks.push(0);
  // Thin from the top decade down, so the largest magnitude keeps its tick.
  for (let k = kHi; k >= kLo; k -= step) {
    const u = symlog(10 ** k, c);
    if (u <= max) ticks.push(u);
    if (-u >= min) ticks.push(-u);
  }
  return ticks.sort((a, b) => a - b);
}
