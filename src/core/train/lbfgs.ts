import { allFinite } from '../linalg/vec';
import type { Objective, OptimizeResult } from './objective';

// Monomorphic float64 loops: linalg/vec's dot takes any ArrayLike, and its call sites across the
// engine (float32 model buffers, plain arrays) make it megamorphic; in a loop over P = 13k
// parameters per history pair that cost ≈ 3 ns per element (measured: 15% of a sweep). Four
// partial sums: one is bound by the latency of the floating-point add.
function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** y += alpha·x */
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** y += alpha·x, then dot(z, y), in one pass: the same values (and partial sums) as the two calls. */
function axpyDot(alpha: number, x: Float64Array, y: Float64Array, z: Float64Array): number {
  const n = y.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const y0 = (y[i] += alpha * x[i]);
    const y1 = (y[i + 1] += alpha * x[i + 1]);
    const y2 = (y[i + 2] += alpha * x[i + 2]);
    const y3 = (y[i + 3] += alpha * x[i + 3]);
    s0 += z[i] * y0;
    s1 += z[i + 1] * y1;
    s2 += z[i + 2] * y2;
    s3 += z[i + 3] * y3;
  }
  for (; i < n; i++) s0 += z[i] * (y[i] += alpha * x[i]);
  return s0 + s1 + (s2 + s3);
}

export interface LbfgsOptions {
  maxSteps: number;
  /** Stop when ‖∇f‖₂ ≤ tolerance. */
  tolerance: number;
  /** History pairs kept (m in Nocedal & Wright). Default 10. */
  memory?: number;
  /** First trial step of the very first line search, scaled by 1/‖∇f‖. Default 1. */
  initialStep?: number;
  /**
   * Relative rounding noise of f (about 1e-7 for float32 sums, 1e-15 for float64). Below it
   * f cannot tell a better point from a worse one, and steps are judged by the derivative
   * alone. Default 1e-13.
   */
  valueNoise?: number;
}

const C1 = 1e-4; // sufficient decrease (Armijo)
const C2 = 0.9; // curvature condition, the usual quasi-Newton choice
const DELTA = 0.1; // Hager–Zhang's δ for the approximate Wolfe conditions
const MAX_LINE_EVALS = 25;

/** Minimizer of the cubic through (a, fa, ga), (b, fb, gb), clamped into the interval. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
    if (Number.isFinite(t)) return Math.min(Math.max(t, lo + 0.1 * (hi - lo)), hi - 0.1 * (hi - lo));
  }
  return (a + b) / 2;
}

interface LinePoint {
  t: number;
  f: number;
  g: number; // directional derivative
}

/**
 * Strong-Wolfe line search (Nocedal & Wright, Algorithms 3.5 and 3.6), which also accepts a
 * step satisfying Hager & Zhang's (2005) approximate Wolfe conditions
 * σφ'(0) ≤ φ'(t) ≤ (2δ−1)φ'(0) when φ(t) is within rounding noise of φ(0): near a minimum the
 * decrease ‖∇f‖²/‖H‖ drowns in the rounding of f long before the gradient stops being
 * accurate, and without this the search stalls there. On return `x` and `grad` hold the
 * accepted point; `null` means no acceptable step was found (x unchanged).
 */
function lineSearch(
  obj: Objective,
  x0: Float64Array,
  f0: number,
  g0: number,
  dir: Float64Array,
  t1: number,
  x: Float64Array,
  grad: Float64Array,
  noise: number,
): { f: number; t: number; evals: number } | null {
  let evals = 0;
  let lastT = NaN;
  const evalAt = (t: number): LinePoint => {
    lastT = t;
    const len = x.length;
    for (let i = 0; i < len; i++) x[i] = x0[i] + t * dir[i];
    const f = obj.valueGrad(x, grad);
    evals++;
    return { t, f, g: dot(grad, dir) };
  };
  const approxWolfe = (p: LinePoint) => Math.abs(p.f - f0) <= noise * Math.abs(f0) && p.g >= C2 * g0 && p.g <= (2 * DELTA - 1) * g0;
  const zoom = (lo: LinePoint, hi: LinePoint): LinePoint | null => {
    while (evals < MAX_LINE_EVALS) {
      const p = evalAt(cubicMin(lo.t, lo.f, lo.g, hi.t, hi.f, hi.g));
      if (approxWolfe(p)) return p;
      if (!Number.isFinite(p.f)) hi = p;
      else if (p.f > f0 + C1 * p.t * g0 || p.f >= lo.f) hi = p;
      else {
        if (Math.abs(p.g) <= -C2 * g0) return p;
        if (p.g * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.t - lo.t) < 1e-16 * Math.max(1, lo.t)) break;
    }
    // Out of evaluations: accept the best point that still decreases f.
    return lo.t > 0 && lo.f < f0 ? evalAt(lo.t) : null;
  };
  let prev: LinePoint = { t: 0, f: f0, g: g0 };
  let t = t1;
  for (let i = 0; evals < MAX_LINE_EVALS; i++) {
    const p = evalAt(t);
    let hit: LinePoint | null;
    if (approxWolfe(p)) hit = p;
    else if (!Number.isFinite(p.f) || p.f > f0 + C1 * t * g0 || (i > 0 && p.f >= prev.f)) hit = zoom(prev, p);
    else if (Math.abs(p.g) <= -C2 * g0) hit = p;
    else if (p.g >= 0) hit = zoom(p, prev);
    else {
      prev = p;
      t *= 2;
      continue;
    }
    if (!hit) break;
    // zoom may have evaluated elsewhere last; make x and grad match the accepted point.
    if (lastT !== hit.t) evalAt(hit.t);
    return { f: hit.f, t: hit.t, evals };
  }
  x.set(x0);
  return null;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4) with a strong-Wolfe line search:
 * full-batch, so each point of a sweep is a true minimum of the regularized objective, to the
 * tolerance asked, rather than wherever a fixed number of SGD epochs happens to stop.
 */
export function lbfgs(obj: Objective, start: Float64Array, opts: LbfgsOptions): OptimizeResult {
  const n = obj.size;
  const m = opts.memory ?? 10;
  let x = Float64Array.from(start);
  let grad = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gradNew = new Float64Array(n);
  const dir = new Float64Array(n);
  // The history, oldest first; its pairs' buffers are recycled (a step allocates nothing).
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const spare: Float64Array[] = [];
  const alpha = new Float64Array(m);
  const clearHistory = () => {
    spare.push(...sHist, ...yHist);
    sHist.length = yHist.length = rho.length = 0;
  };

  let f = obj.valueGrad(x, grad);
  let gnorm = norm2(grad);
  let steps = 0;
  const done = (converged: boolean, diverged = false): OptimizeResult => ({ theta: x, value: f, gradNorm: gnorm, steps, converged, diverged });
  if (!Number.isFinite(f) || !allFinite(grad)) return done(false, true);

  while (steps < opts.maxSteps) {
    if (gnorm <= opts.tolerance) return done(true);
    // Two-loop recursion: dir = −H·grad.
    // Each update of dir is fused with the dot product the next step needs (same arithmetic).
    dir.set(grad);
    const last = sHist.length - 1;
    let d = last >= 0 ? dot(sHist[last], dir) : 0;
    for (let i = last; i >= 0; i--) {
      const a = (alpha[i] = rho[i] * d);
      if (i > 0) d = axpyDot(-a, yHist[i], dir, sHist[i - 1]);
      else axpy(-a, yHist[i], dir);
    }
    const gamma = last >= 0 ? dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]) : 1;
    for (let j = 0; j < n; j++) dir[j] *= gamma;
    d = last >= 0 ? dot(yHist[0], dir) : 0;
    for (let i = 0; i <= last; i++) {
      const beta = rho[i] * d;
      if (i < last) d = axpyDot(alpha[i] - beta, sHist[i], dir, yHist[i + 1]);
      else axpy(alpha[i] - beta, sHist[i], dir);
    }
    for (let j = 0; j < n; j++) dir[j] = -dir[j];
    let slope = dot(grad, dir);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      clearHistory();
      for (let j = 0; j < n; j++) dir[j] = -grad[j];
      slope = -gnorm * gnorm;
    }
    const t1 = sHist.length === 0 ? (opts.initialStep ?? 1) / Math.max(gnorm, 1e-300) : 1;
    const ls = lineSearch(obj, x, f, slope, dir, Math.min(t1, 1), xNew, gradNew, opts.valueNoise ?? 1e-13);
    steps++;
    if (!ls) {
      if (sHist.length === 0) return done(false); // even steepest descent cannot decrease f
      clearHistory(); // stale curvature: retry from scratch
      continue;
    }
    if (!Number.isFinite(ls.f) || !allFinite(gradNew)) {
      x = xNew; // the diverged point, reported as such (the buffers are not reused after this)
      f = ls.f;
      return done(false, true);
    }
    const s = spare.pop() ?? new Float64Array(n);
    const y = spare.pop() ?? new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = xNew[j] - x[j];
      y[j] = gradNew[j] - grad[j];
    }
    const sy = dot(s, y);
    if (!(sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y)))) spare.push(s, y);
    else {
      if (sHist.length === m) {
        spare.push(sHist.shift()!, yHist.shift()!);
        rho.shift();
      }
      sHist.push(s);
      yHist.push(y);
      rho.push(1 / sy);
    }
    [x, xNew] = [xNew, x];
    [grad, gradNew] = [gradNew, grad];
    f = ls.f;
    gnorm = norm2(grad);
  }
  return done(gnorm <= opts.tolerance);
}
