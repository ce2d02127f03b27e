// What of a 2-D sweep the sweep panel's 1-D charts show: one row (the second axis fixed, x the
// first axis) or one column (the first axis fixed, x the second). A 1-D sweep has no slice:
// every point is drawn against its value.
import { numText } from '../../src/core/text/numbers';
import type { PointRecord } from '../../src/core/sweep/point';
import type { AxisInfo } from '../../src/protocol/webview';
import { runAxes, symbolOf } from '../shared/axis';
import { dropdown } from '../shared/controls';
import { el } from '../shared/dom';

export interface GridSlice {
  kind: 'row' | 'column';
  /** The fixed coordinate: the second axis's value of a row, the first axis's of a column. */
  at: number;
}

/** A 2-D sweep's axes and grids: the first axis's positions across, the second's values the rows. */
export interface SweepGrid {
  first: { axis: AxisInfo; grid: number[] };
  rows: { axis: AxisInfo; grid: number[] };
}

/** A configured grid, or (older messages) the values the grid points so far have. */
const gridOf = (axis: AxisInfo, values: number[]): number[] => axis.grid ?? [...new Set(values)].sort((a, b) => a - b);

/** The shown run's grid (its axes as setAxis was given them); null for a 1-D sweep. */
export function sweepGrid(points: Iterable<PointRecord>): SweepGrid | null {
  const { first, across } = runAxes();
  if (!across) return null;
  const all = [...points];
  return {
    first: {
      axis: first,
      grid: gridOf(
        first,
        all.filter((p) => p.index >= 0).map((p) => p.value),
      ),
    },
    rows: {
      axis: across,
      grid: gridOf(
        across,
        all.flatMap((p) => (p.across === undefined ? [] : [p.across])),
      ),
    },
  };
}

export const inSlice = (s: GridSlice | null, p: PointRecord): boolean => !s || (s.kind === 'row' ? p.across === s.at : p.index >= 0 && p.value === s.at && p.across !== undefined);

/** A point's x on the charts: its value, or its row's value in a column. */
export const sliceX =
  (s: GridSlice | null) =>
  (p: PointRecord): number =>
    s?.kind === 'column' ? (p.across ?? NaN) : p.value;

/** The slice of the same kind that holds `p` (its row, or its column). */
export const sliceOf = (kind: GridSlice['kind'], p: PointRecord): GridSlice => ({ kind, at: kind === 'row' ? (p.across ?? NaN) : p.value });

/** "row δ = 4", "column λ = 0.01". */
export function sliceText(s: GridSlice, grid: SweepGrid): string {
  return `${s.kind} ${symbolOf(s.kind === 'row' ? grid.rows.axis : grid.first.axis)} = ${numText(s.at)}`;
}

const key = (s: GridSlice) => `${s.kind}:${s.at}`;

export interface SliceControl {
  element: HTMLElement;
  /** Shows `s` as chosen (a click in the phase diagram moved the slice). */
  show(s: GridSlice): void;
}

/** "Slice: row δ = 4 ▾": every row, then every column. */
export function sliceControl(grid: SweepGrid, value: GridSlice, onChange: (s: GridSlice) => void): SliceControl {
  const slices: GridSlice[] = [...grid.rows.grid.map((at) => ({ kind: 'row' as const, at })), ...grid.first.grid.map((at) => ({ kind: 'column' as const, at }))];
  const pick = dropdown(
    slices.map((s) => ({ value: key(s), label: sliceText(s, grid) })),
    key(value),
    'Slice of the grid the charts show: a row (x the first axis) or a column (x the second)',
    (k) => {
      const s = slices.find((c) => key(c) === k);
      if (s) onChange(s);
    },
  ) as HTMLElement & { value: string };
  pick.classList.add('slice-pick');
  return { element: el('label', { class: 'slice' }, 'Slice: ', pick), show: (s) => (pick.value = key(s)) };
}
