// Whether the input second moment is isotropic where it matters: on the span of the singular
// vectors u_k the prediction uses. If Σ̃u_k = s·u_k for all of them (Σ̃ = E[x̃x̃ᵀ], or the
// covariance when a free output bias absorbs the mean), the modes decouple exactly (von Neumann's
// trace inequality puts the optimal end-to-end map on the singular vectors of E[x rᵀ]); otherwise Σ̃
// couples them and the per-mode numbers are estimates. Costs O(n·d) per direction; the full
// spectrum (for the note) only for small d.

import { symmetricEigen } from '../linalg/symmetricEigen';
import { secondMomentMatrix, secondMomentTimes, type Moments } from './moments';

export interface SpanIsotropy {
  /** u_kᵀΣ̃u_k per direction. */
  s: number[];
  /** ‖Σ̃U − s̄U‖_F / s̄ with s̄ the mean of s: 0 iff Σ̃ acts as s̄·I on span(U). */
  deviation: number;
  /** The same for the leading j + 1 directions, j = 0, 1, …: whether modes 1…j+1 decouple. */
  prefixDeviation: number[];
}

/** Relative deviations below this count as isotropic (sample moments of exactly whitened data are I to ~1e-15). */
export const ISOTROPY_TOLERANCE = 1e-9;

export function isotropyOnSpan(m: Moments, us: Float64Array[], augmented: boolean, centered: boolean): SpanIsotropy {
  const su = secondMomentTimes(m, us, augmented, centered);
  const s = us.map((u, j) => u.reduce((acc, uj, a) => acc + uj * su[j][a], 0));
  const deviationOf = (count: number) => {
    const mean = s.slice(0, count).reduce((a, v) => a + v, 0) / Math.max(1, count);
    let dev = 0;
    for (let j = 0; j < count; j++) us[j].forEach((ua, a) => (dev += (su[j][a] - mean * ua) ** 2));
    return mean > 0 ? Math.sqrt(dev) / mean : Infinity;
  };
  const prefixDeviation = us.map((_, j) => deviationOf(j + 1));
  return { s, deviation: deviationOf(us.length), prefixDeviation };
}

/** Smallest and largest eigenvalue of E[xxᵀ] (or the covariance) when d is small enough to afford it, else undefined. */
export function inputSpectrum(m: Moments, centered: boolean): { min: number; max: number } | undefined {
  if (m.d > 64 || m.n * m.d * m.d > 5e7) return undefined;
  const { values } = symmetricEigen(secondMomentMatrix(m, centered), m.d);
  return { min: values[0], max: values[m.d - 1] };
}
