import type { SweepConfig } from '../config/types';

/** The ascending λ grid of a sweep. Log grids are geometric, so every decade gets equal points. */
export function lambdaGrid(s: Pick<SweepConfig, 'from' | 'to' | 'points' | 'scale'>): number[] {
  if (s.points === 1) return [s.from];
  const out: number[] = [];
  for (let i = 0; i < s.points; i++) {
    const u = i / (s.points - 1);
    out.push(s.scale === 'log' ? Math.exp(Math.log(s.from) + u * (Math.log(s.to) - Math.log(s.from))) : s.from + u * (s.to - s.from));
  }
  // Exact endpoints, whatever exp/log rounding did.
  out[0] = s.from;
  out[out.length - 1] = s.to;
  return out;
}
