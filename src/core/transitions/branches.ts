// The phases a sweep's points sit in, labelled by how many modes they use, and the global
// minimum across them. A transition is where the global minimum changes phase; the detector
// (detect.ts) and the refinement (run/refine.ts) both read the sweep through this module.

import type { PointRecord } from '../sweep/point';

export type Usable = PointRecord & { weightNorm: number; objective: number };

/** Converged to a finite minimum: a diverged point or a saddle never stands for the system. */
export const usable = (p: PointRecord): p is Usable => !p.diverged && p.weightNorm !== null && p.objective !== null && p.saddle !== true;

/** Σ‖W‖² at or below this fraction of the sweep's largest is the trivial solution (numerically zero). */
export const TRIVIAL = 1e-6;

/**
 * A mode is on when its singular value exceeds this fraction of the sweep's largest one. An
 * off mode of a minimum sits at ~(tolerance/curvature) per layer, far below; an on mode near a
 * second-order λc is ∝ (λc − λ), so the cut moves λc by ~1e-4 relative at most.
 */
export const MODE_ON = 1e-4;

/** Objectives this close (relative) are one minimum reached twice: rounding, not two phases. */
const SAME = 1e-10;

export interface Scales {
  /** The largest Σ‖W‖² of the sweep (at least WEIGHT_FLOOR). */
  weight: number;
  /** The largest mode singular value of the sweep (at least MODE_FLOOR). */
  mode: number;
}

/**
 * Absolute floors of the scales: a sweep whose every point is trivial (a deep net's down chain
 * before refinement finds anything) must not measure its rounding noise against itself.
 */
const WEIGHT_FLOOR = 1e-6;
const MODE_FLOOR = 1e-5;

export function scalesOf(points: Usable[]): Scales {
  return {
    weight: Math.max(WEIGHT_FLOOR, ...points.map((p) => p.weightNorm)),
    mode: Math.max(MODE_FLOOR, ...points.map((p) => p.modes?.[0] ?? 0)),
  };
}

/**
 * The phase of a point: 0 for the trivial solution, else the number of modes that are on (at
 * least 1: a network that computes a nonzero function whose mean Jacobian vanishes, e.g. on
 * XOR, is still in a nontrivial phase). Points without modes (older results) count 1. A VAE's
 * phase is its active latent units (average KL above the record's threshold): posterior collapse
 * is one unit at a time leaving the count, and the count 0 is its trivial solution (the decoder
 * ignores z).
 */
export function phaseOf(p: Usable, s: Scales): number {
  if (p.vae) return p.vae.activeUnits ?? 0;
  if (!(p.weightNorm > TRIVIAL * s.weight)) return 0;
  if (!p.modes) return 1;
  return Math.max(1, p.modes.filter((v) => v > MODE_ON * s.mode).length);
}

/**
 * The order parameter of mode k (0-based) at a point: its singular value, or Σ‖W‖² without modes;
 * a VAE's k-th largest unit KL less the threshold (positive exactly while the unit counts as
 * active, so it extrapolates to zero where the count drops).
 */
export function modeValue(p: Usable, k: number): number {
  if (p.vae) {
    const kl = [...(p.vae.klPerUnit ?? [])].sort((a, b) => b - a);
    return (kl[k] ?? 0) - p.vae.threshold;
  }
  return p.modes ? (p.modes[k] ?? 0) : p.weightNorm;
}

export interface Site {
  /** The swept parameter's value (PointRecord.value). */
  value: number;
  /** The lowest-objective point at this value (ties: the one with fewer modes). */
  best: Usable;
  phase: number;
  /** Every usable point at this value. */
  points: Usable[];
}

/** The points grouped by the swept value, ascending, each with its best point and that point's phase. */
export function sites(points: Usable[], s: Scales): Site[] {
  const groups = new Map<number, Usable[]>();
  for (const p of points) groups.set(p.value, [...(groups.get(p.value) ?? []), p]);
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([value, pts]) => {
      const best = pts.reduce((a, b) => {
        const gap = b.objective - a.objective;
        if (Math.abs(gap) <= SAME * Math.max(Math.abs(a.objective), Math.abs(b.objective))) return phaseOf(b, s) < phaseOf(a, s) ? b : a;
        return gap < 0 ? b : a;
      });
      return { value, best, phase: phaseOf(best, s), points: pts };
    });
}

/**
 * The global-minimum branch: the best site of each value, without one-site excursions (a single value
 * whose best point is in another phase than both its equal neighbours, or, with `confirmEnds`,
 * a lone site at either end of the sweep: one point never confirms a phase; refinement keeps
 * them, to follow that phase inwards). Thermodynamically the system sits on this branch, so
 * its phase changes are the transitions.
 */
export function globalBranch(all: Site[], confirmEnds = true): Site[] {
  return all.filter((site, i) => {
    const prev = all[i - 1];
    const next = all[i + 1];
    if (!prev || !next) return !confirmEnds || !(prev ?? next) || site.phase === (prev ?? next).phase;
    return site.phase === prev.phase || site.phase === next.phase || prev.phase !== next.phase;
  });
}

/** The lowest objective among a site's points in `phase`, or null when none is. */
export function bestIn(site: Site, phase: number, s: Scales): Usable | null {
  return site.points.filter((p) => phaseOf(p, s) === phase).reduce<Usable | null>((a, b) => (!a || b.objective < a.objective ? b : a), null);
}
