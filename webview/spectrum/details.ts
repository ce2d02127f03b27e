// The numbers of the spectrum view: the Morse badge, the stats list and the extreme
// eigenvalues, all straight from the point record.
import { pointAt } from '../shared/axis';
import type { CurvatureRecord, HessianRecord } from '../../src/core/analysis/analyzePoint';
import { el } from '../shared/dom';
import { fmtNum, fmtWithErr } from '../shared/format';

const MORSE_TEXT: Record<HessianRecord['morse'], string> = {
  saddle: 'saddle',
  'degenerate-minimum': 'degenerate minimum',
  'nondegenerate-minimum': 'nondegenerate minimum',
};

/** "λ = 0.01 · up · seed 0"; a 2-D sweep's row too ("λ = 0.01, δ = 4 · up · seed 0"). */
export const pointTitle = (p: { value: number; across?: number; direction: string; seed: number }): string => `${pointAt(p)} · ${p.direction} · seed ${p.seed}`;

export function morseBadge(h: HessianRecord): HTMLElement {
  return el(
    'span',
    { class: `badge morse-${h.morse}`, title: h.countsEstimated ? 'Counts estimated from the SLQ density' : undefined },
    MORSE_TEXT[h.morse] + (h.countsEstimated ? ' (estimated)' : ''),
  );
}

function row(term: string, value: string, title?: string): HTMLElement[] {
  return [el('dt', { title }, term), el('dd', {}, value)];
}

/** "3 outliers: 1 below, 2 above the bulk [a, b]" (the record's analysis/spectrumOutliers result). */
export function outlierText(o: NonNullable<HessianRecord['outliers']>): string {
  const bulk = `the bulk [${fmtNum(o.bulk[0])}, ${fmtNum(o.bulk[1])}]`;
  return o.count === 0 ? `no outliers: all eigenvalues in ${bulk}` : `${o.count} outlier${o.count === 1 ? '' : 's'}: ${o.below.length} below, ${o.above.length} above ${bulk}`;
}

/** The Hessian's numbers, with the curvatures where they were measured (the trained point, not a step of its path) and the objective there. */
export function statsList(objective: number | null, h: HessianRecord, c: CurvatureRecord | null): HTMLDListElement {
  const approx = h.countsEstimated ? '≈ ' : '';
  return el(
    'dl',
    { class: 'stats' },
    ...row('Morse index', `${approx}${h.negativeCount}`, 'Eigenvalues below −threshold'),
    ...row('nullity', `${approx}${h.nullity}`, 'Eigenvalues within ±threshold'),
    ...row('threshold', fmtNum(h.threshold), `tolerance ${fmtNum(h.tolerance)} × max |eigenvalue|`),
    ...row('trace', fmtWithErr(h.trace, h.traceStdErr)),
    ...(h.outliers ? row('outliers', outlierText(h.outliers), 'Eigenvalues outside the bulk of the density (soft-edge fit, or the SLQ density’s support)') : []),
    ...(c
      ? [
          ...row('curvature (error)', fmtWithErr(c.error, c.errorStdErr), 'Scalar curvature of the data-loss landscape'),
          ...row('curvature (objective)', fmtWithErr(c.objective, c.objectiveStdErr), 'Scalar curvature of the regularized objective'),
          ...row('along top', fmtNum(c.alongTop), 'Normal curvature along the top Hessian eigenvector'),
          ...row('along bottom', fmtNum(c.alongBottom), 'Normal curvature along the bottom Hessian eigenvector'),
        ]
      : []),
    ...row('method', `${h.method}, P = ${h.size}`),
    ...row('objective', fmtNum(objective)),
  );
}

/** The 5 smallest and 5 largest eigenvalues (ascending in the record). */
export function extremes(h: HessianRecord): HTMLElement {
  const list = (title: string, values: number[]) =>
    el('div', {}, el('h3', {}, title), el('ol', { class: 'eigs' }, ...values.map((v) => el('li', { class: v < -h.threshold ? 'neg' : Math.abs(v) <= h.threshold ? 'zero' : '' }, fmtNum(v)))));
  const e = h.eigenvalues;
  return el('div', { class: 'extremes' }, list('5 smallest', e.slice(0, 5)), list('5 largest', e.slice(-5).reverse()));
}
