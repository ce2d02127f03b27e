// What the phase diagram colours: an order parameter at each cell of a 2-D sweep's grid (a grid
// position of the first axis × a row of the second), read from the cell's best point: the lowest
// objective among its seeds and branches that converged to a minimum (transitions/branches'
// `usable`), i.e. the global minimum found there, the branch the transitions are detected on.
// Refinement points lie between grid positions and have no cell.
import { usable } from '../../src/core/transitions/branches';
import type { PointRecord } from '../../src/core/sweep/point';

export interface OrderParameter {
  id: string;
  /** The dropdown's entry and the caption's name. */
  label: string;
  /** The colour bar's title (it must fit along the plot's height). */
  short: string;
  value(p: PointRecord): number | null;
  /** A count: whole-number colour-bar ticks. */
  integer?: boolean;
  /** Spans decades: a log colour scale when every value is positive and they span a factor 10 or more. */
  log?: boolean;
}

export const ORDER_PARAMETERS: OrderParameter[] = [
  { id: 'weightNorm', label: 'Σ‖W‖² (weight norm)', short: 'Σ‖W‖²', value: (p) => p.weightNorm, log: true },
  { id: 'featureOverlap', label: 'feature overlap ‖PW₁‖²/‖W₁‖²', short: 'overlap', value: (p) => p.featureOverlap },
  { id: 'testScore', label: 'test score', short: 'test score', value: (p) => p.testScore },
  { id: 'outliers', label: 'Hessian outliers (eigenvalues outside the bulk)', short: 'outliers', value: (p) => p.hessian?.outliers?.count ?? null, integer: true },
  { id: 'active', label: 'active units of layer 1', short: 'active units', value: (p) => p.activeNeurons?.[0] ?? null, integer: true },
];

/** The order parameters some point records (the others are not offered). */
export const recordedParameters = (points: Iterable<PointRecord>): OrderParameter[] => {
  const all = [...points];
  return ORDER_PARAMETERS.filter((o) => all.some((p) => o.value(p) !== null));
};

export interface Cell {
  /** Position on the first axis's grid and on the second's. */
  i: number;
  j: number;
  /** The best point: the one drawn, and selected by a click. */
  point: PointRecord;
  value: number | null;
}

/** A cell's key in bestCells' map. */
export const cellKey = (i: number, j: number): string => `${i}|${j}`;

/** The best point of each cell (cellKey → cell); `rows` is the second axis's grid. */
export function bestCells(points: Iterable<PointRecord>, rows: number[], parameter: OrderParameter): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const p of points) {
    if (p.index < 0 || p.across === undefined || !usable(p)) continue;
    const j = rows.indexOf(p.across);
    if (j < 0) continue;
    const key = cellKey(p.index, j);
    const had = cells.get(key);
    if (had && had.point.objective! <= p.objective) continue;
    cells.set(key, { i: p.index, j, point: p, value: parameter.value(p) });
  }
  return cells;
}
