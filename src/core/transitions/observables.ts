// Transitions of order parameters other than the modes, read along the global-minimum branch:
// the Hessian's outlier count (a transition of the spectrum: eigenvalues leaving or joining the
// bulk) and the first layer's overlap with the latent subspace (feature learning). Opt-in
// (analysis.transitions.observables), so a λ sweep's transitions stay one per mode.
import type { AxisId, AxisScale } from '../sweep/axis';
import { scaleMid } from '../sweep/axis';
import type { Site } from './branches';
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
 * it): a drift of a few percent is not learning.
 */
export function overlapTransitions(branch: Site[], id: AxisId, sc: AxisScale): Transition[] {
  const sites = branch.filter((x) => x.best.featureOverlap !== null);
  if (sites.length < 2) return [];
  const v = sites.map((x) => x.best.featureOverlap!);
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  if (hi - lo < 0.5 * (1 - lo)) return [];
  const half = (lo + hi) / 2;
  const out: Transition[] = [];
  for (let i = 0; i + 1 < sites.length; i++) {
    if (v[i] < half === v[i + 1] < half) continue;
    out.push(transition(id, sc, sites[i], sites[i + 1], 'featureOverlap', 'feature-learning', [v[i] < half ? 0 : 1, v[i + 1] < half ? 0 : 1], [v[i], v[i + 1]]));
  }
  return out;
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
