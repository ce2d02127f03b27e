// Transitions of order parameters other than the modes, read along the global-minimum branch:
// the Hessian's outlier count (a transition of the spectrum: eigenvalues leaving or joining the
// bulk), the first layer's overlap with the latent subspace (feature learning) and a VAE's
// total KL (its jumps and kinks at the latent units' collapses). Opt-in
// (analysis.transitions.observables), so a λ sweep's transitions stay one per mode.
import type { AxisId, AxisScale } from '../sweep/axis';
import { scaleMid } from '../sweep/axis';
import type { Site } from './branches';
import { changePoints } from './curve';
import type { Transition } from './types';

/**
 * Every change of the outlier count between neighbouring sites of the branch that holds: the new
 * count is also the next site's, and the old one is not a one-site excursion from it (the site
 * before does not already have the new count), so a flicker is no transition, going or coming
 * back, and a change at the last site is not confirmed.
 */
export function outlierTransitions(branch: Site[], id: AxisId, sc: AxisScale): Transition[] {
  const sites = branch.filter((x) => x.best.hessian?.outliers);
  const count = (i: number) => sites[i].best.hessian!.outliers!.count;
  const out: Transition[] = [];
  for (let i = 0; i + 1 < sites.length; i++) {
    const [a, b] = [count(i), count(i + 1)];
    if (a === b || i + 2 >= sites.length || count(i + 2) !== b || (i > 0 && count(i - 1) === b)) continue;
    out.push(transition(id, sc, sites[i], sites[i + 1], 'outliers', 'spectral', [a, b]));
  }
  return out;
}

/**
 * Feature learning: the overlap ‖P_Θ* W₁‖²_F/‖W₁‖²_F rises from about k/d (a random first layer)
 * towards 1. The threshold is where it first crosses halfway between its smallest and largest
 * values on the branch, reported only when that rise spans most of [k/d, 1] (at least half of
 * it): a drift of a few percent is not learning. One rise is one transition: an overlap that
 * wanders about halfway on its way up (sampling noise of a few percent) crosses it again, which
 * is the same threshold seen through noise, not further transitions.
 */
export function overlapTransitions(branch: Site[], id: AxisId, sc: AxisScale): Transition[] {
  const sites = branch.filter((x) => x.best.featureOverlap !== null);
  if (sites.length < 2) return [];
  const v = sites.map((x) => x.best.featureOverlap!);
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  if (hi - lo < 0.5 * (1 - lo)) return [];
  const half = (lo + hi) / 2;
  const i = v.findIndex((x, j) => j + 1 < v.length && x < half !== v[j + 1] < half);
  if (i < 0) return []; // every overlap equal (k = d: P_Θ* = I)
  return [transition(id, sc, sites[i], sites[i + 1], 'featureOverlap', 'feature-learning', [v[i] < half ? 0 : 1, v[i + 1] < half ? 0 : 1], [v[i], v[i + 1]])];
}

/**
 * A VAE's total KL along the branch: a latent unit's collapse is a kink of it (a linear VAE's
 * KL is Σ_i ½·log(β_i/β)₊, piecewise linear in log β with a kink at each β_i) or, for a
 * first-order collapse, a jump. Its change points (curve.ts: judged against the curve's own
 * noise), floored at a tenth of the active-unit threshold in nats, below which a unit's KL does
 * not count; phases are the active-unit counts at the bracket's ends. Read at the grid's sites
 * only: refinement clusters its points in the active-unit brackets, and on such uneven spacing
 * a straight stretch has third differences that curve.ts's noise scale takes for noise.
 */
export function klTransitions(branch: Site[], id: AxisId, sc: AxisScale): Transition[] {
  const sites = branch.filter((x) => x.points.some((p) => p.index >= 0) && x.best.vae?.kl !== null && x.best.vae?.kl !== undefined);
  if (sites.length < 3) return [];
  const kl = sites.map((x) => x.best.vae!.kl!);
  const at = (v: number) => sites.find((x) => x.value === v)!;
  const count = (v: number) => at(v).best.vae!.activeUnits ?? 0;
  const minSize = 0.1 * sites[0].best.vae!.threshold;
  return changePoints({ x: sites.map((x) => x.value), y: kl, scale: sc }, { minSize }).map((cp) => ({
    ...transition(id, sc, at(cp.bracket[0]), at(cp.bracket[1]), 'kl', 'kl', [count(cp.bracket[0]), count(cp.bracket[1])], [at(cp.bracket[0]).best.vae!.kl!, at(cp.bracket[1]).best.vae!.kl!]),
    value: cp.value,
    order: cp.kind === 'jump' ? ('first' as const) : ('second' as const),
  }));
}

function transition(id: AxisId, sc: AxisScale, a: Site, b: Site, observable: string, kind: Transition['kind'], phases: [number, number], levels?: [number, number]): Transition {
  return {
    axis: id,
    ...(sc.log ? {} : { linear: true as const }),
    value: scaleMid(sc, a.value, b.value),
    bracket: [a.value, b.value],
    // A count or a threshold crossing changes between two grid points: a jump at this resolution.
    order: 'first',
    observable,
    kind,
    mode: 1,
    phases,
    ...(levels ? { levels } : {}),
    confidence: 1,
  };
}
