// What of a 2-D sweep the sweep panel's 1-D charts show: one row (the second axis fixed, x the
// first axis) or one column (the first axis fixed, x the second). A 1-D sweep has no slice:
// every point is drawn against its value.
import { numText } from '../../src/core/text/numbers';
import type { PointRecord } from '../../src/core/sweep/point';
import type { AxisInfo, RunInfo } from '../../src/protocol/webview';
import { dropdown } from '../shared/controls';
import { el } from '../shared/dom';
import { symbolOf } from '../shared/axis';

export interface GridSlice {
  kind: 'row' | 'column';
  /** The fixed coordinate: the second axis's value of a row, the first axis's of a column. */
  at: number;
}

/** A configured grid, or (older messages) the values the grid points so far have. */
function gridOf(axis: AxisInfo | undefined, values: number[]): number[] {
  return axis?.grid ?? [...new Set(values)].sort((a, b) => a - b);
}

/** The grids of a 2-D run's two axes. */
export function runGrids(run: RunInfo, points: Iterable<PointRecord>): { first: number[]; rows: number[] } {
  const all = [...points];
  return {
    first: gridOf(
      run.axis,
      all.filter((p) => p.index >= 0).map((p) => p.value),
    ),
    rows: gridOf(
      run.across,
      all.flatMap((p) => (p.across === undefined ? [] : [p.across])),
    ),
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
export function sliceText(s: GridSlice, run: RunInfo): string {
  const axis = s.kind === 'row' ? run.across : run.axis;
  return `${s.kind} ${axis ? symbolOf(axis) : '?'} = ${numText(s.at)}`;
}

const key = (s: GridSlice) => `${s.kind}:${s.at}`;

export interface SliceControl {
  element: HTMLElement;
  /** Shows `s` as chosen (a click in the phase diagram moved the slice). */
  show(s: GridSlice): void;
}

/** "Slice: row δ = 4 ▾": every row, then every column. */
export function sliceControl(run: RunInfo, grids: { first: number[]; rows: number[] }, value: GridSlice, onChange: (s: GridSlice) => void): SliceControl {
  const slices: GridSlice[] = [...grids.rows.map((at) => ({ kind: 'row' as const, at })), ...grids.first.map((at) => ({ kind: 'column' as const, at }))];
  const pick = dropdown(
    slices.map((s) => ({ value: key(s), label: sliceText(s, run) })),
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
