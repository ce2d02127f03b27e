import { Rng } from '../random';

export interface TraceEstimate {
  /** tr H ≈ mean of vᵀHv over Rademacher probes v (Hutchinson 1990). */
  trace: number;
  traceStdErr: number;
  /** tr H² ≈ mean of ‖Hv‖² over the same probes. */
  trace2: number;
  trace2StdErr: number;
  probes: number;
}

/** Hutchinson's estimators of tr H and tr H², with standard errors across probes. */
export function hutchinson(apply: (v: Float64Array, out: Float64Array) => void, size: number, probes: number, seed: number): TraceEstimate {
  const rng = new Rng(seed, 'hutchinson');
  const v = new Float64Array(size);
  const hv = new Float64Array(size);
  const a: number[] = [];
  const b: number[] = [];
  for (let p = 0; p < probes; p++) {
    for (let i = 0; i < size; i++) v[i] = rng.nextUint32() & 1 ? 1 : -1;
    apply(v, hv);
    let vhv = 0;
    let hv2 = 0;
    for (let i = 0; i < size; i++) {
      vhv += v[i] * hv[i];
      hv2 += hv[i] * hv[i];
    }
    a.push(vhv);
    b.push(hv2);
  }
  const stats = (xs: number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.length > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) : Infinity;
    return { mean, stdErr: Math.sqrt(variance / xs.length) };
  };
  const t = stats(a);
  const t2 = stats(b);
  return { trace: t.mean, traceStdErr: t.stdErr, trace2: t2.mean, trace2StdErr: t2.stdErr, probes };
}
