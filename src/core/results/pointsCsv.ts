// The points of a run as CSV, one row per point: what "Export CSV" writes.
import type { SweepConfig } from '../config/types';
import { axisId } from '../sweep/axis';
import type { PointRecord } from '../sweep/point';

type Cell = string | number | boolean | null | undefined;
/** The fields of a point that are one value each (a column apiece in the CSV). */
type ScalarField = { [K in keyof PointRecord]-?: PointRecord[K] extends Cell ? K : never }[keyof PointRecord];

const CSV_FIELDS: ScalarField[] = [
  'id',
  'lambda',
  'direction',
  'seed',
  'converged',
  'diverged',
  'steps',
  'gradNorm',
  'trainLoss',
  'testLoss',
  'objective',
  'trainScore',
  'testScore',
  'scoreKind',
  'weightNorm',
  'featureOverlap',
  'geometricComplexity',
];

/**
 * The points as CSV: the swept coordinates (named by their axis, e.g. "delta", after the id;
 * λ sweeps have theirs in "lambda"), scalar fields, layer-wise lists joined with ';', Hessian
 * summaries.
 */
export function pointsCsv(points: PointRecord[], sweep: SweepConfig): string {
  const axes = [...(sweep.parameter === 'lambda' ? [] : [axisId(sweep)]), ...(sweep.across ? [axisId(sweep.across)] : [])];
  const head = [
    'id',
    ...axes,
    ...CSV_FIELDS.slice(1),
    'layerNorms',
    'activeNeurons',
    'principalAngles',
    'stableRanks',
    'morse',
    'negativeCount',
    'nullity',
    'outliers',
    'trace',
    'curvatureError',
    'curvatureObjective',
  ];
  const cell = (v: Cell | readonly number[]) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v));
  const rows = points.map((p) =>
    [
      cell(p.id),
      ...(sweep.parameter === 'lambda' ? [] : [cell(p.value)]),
      ...(sweep.across ? [cell(p.across)] : []),
      ...CSV_FIELDS.slice(1).map((f) => cell(p[f])),
      cell(p.layerNorms),
      cell(p.activeNeurons),
      // Records from before these were recorded lack them: empty cells.
      cell(p.principalAngles ?? null),
      cell(p.stableRanks),
      cell(p.hessian?.morse),
      cell(p.hessian?.negativeCount),
      cell(p.hessian?.nullity),
      cell(p.hessian?.outliers?.count),
      cell(p.hessian?.trace),
      cell(p.curvature?.error),
      cell(p.curvature?.objective),
    ].join(','),
  );
  return [head.join(','), ...rows].join('\n') + '\n';
}
