// λ = T(λ): with regularized biases the trivial point itself moves with λ (the output bias is
// shrunk), so the critical λ solves a fixed-point equation λ = T(λ) where T(λ) is the threshold
// computed at the trivial point of that λ. φ(λ) = λ − T(λ) is < 0 at λ → 0⁺ (T(0) > 0) and > 0
// for large λ (T is bounded); we bracket the root nearest the top of a geometric search and refine
// by the Illinois variant of regula falsi (superlinear, keeps the bracket).

/** The largest-found root of λ = T(λ), or 0 when T vanishes. */
export function solveFixedPoint(T: (lambda: number) => number): number {
  const phi = (l: number) => l - T(l);
  let hi = Math.max(T(1), 1e-300);
  let fHi = phi(hi);
  for (let i = 0; i < 2000 && !(fHi > 0); i++) {
    hi *= 2;
    fHi = phi(hi);
  }
  if (!(fHi > 0)) return NaN;
  let lo = hi / 2;
  let fLo = phi(lo);
  for (let i = 0; i < 2000 && fLo > 0; i++) {
    hi = lo;
    fHi = fLo;
    lo /= 2;
    fLo = phi(lo);
    if (lo < 1e-300) return 0;
  }
  if (fLo === 0) return lo;
  // Illinois: regula falsi, halving the stale end's value when the same end is kept twice.
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const x = (lo * fHi - hi * fLo) / (fHi - fLo);
    const fx = phi(x);
    if (Math.abs(fx) <= 1e-15 * Math.abs(x) || Math.abs(hi - lo) <= 1e-15 * Math.abs(x)) return x;
    if (fx < 0) {
      lo = x;
      fLo = fx;
      if (side === -1) fHi /= 2;
      side = -1;
    } else {
      hi = x;
      fHi = fx;
      if (side === 1) fLo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}
