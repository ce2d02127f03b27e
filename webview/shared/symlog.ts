// The symmetric-log transform for axes whose values span decades and change sign (curvatures,
// Hessian eigenvalues): u = sign(x)·log10(1 + |x|/c), linear within ±c and logarithmic beyond.
// Charts plot u on a linear scale; ticks (ticks.ts) sit at 0 and ±10^k and are labelled in x.

export const symlog = (x: number, c: number): number => Math.sign(x) * Math.log10(1 + Math.abs(x) / c);

export const symexp = (u: number, c: number): number => Math.sign(u) * c * (10 ** Math.abs(u) - 1);
