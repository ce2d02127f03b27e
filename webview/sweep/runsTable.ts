// The runs of the experiment side by side, as TensorBoard's HParams table does: one row per run
// folder under .l2exp/<name>/, with the settings its config changes against the shown run, its
// transitions (λc and order), points and wall time, and a button that overlays it on the charts.
import { countText, durationText } from '../../src/core/text/numbers';
import { transitionsHeadline } from '../../src/core/transitions/text';
import type { RunRow } from '../../src/protocol/webview';
import { button } from '../shared/controls';
import { el } from '../shared/dom';

/** "20250601-101500-ab12cd": the run folder's name; the table's first column. */
export const runLabel = (runId: string): string => `run ${runId}`;

export function differencesText(row: RunRow): string {
  if (row.shown) return 'shown run';
  if (row.differences.length === 0) return 'same config';
  return row.differences.map((d) => `${d.path}: ${d.value} (shown: ${d.shown})`).join('; ');
}

/**
 * The table; `compared` is the run drawn over the shown one. `onCompare(runId)` overlays a run,
 * `onCompare(null)` stops.
 */
export function runsTable(rows: RunRow[], compared: string | null, onCompare: (runId: string | null) => void): HTMLElement {
  const head = el('tr', {}, ...['run', 'status', 'config differences', 'transitions (λc, order)', 'points', 'wall time', ''].map((h) => el('th', { scope: 'col' }, h)));
  const body = rows.map((r) => {
    const action = r.shown
      ? ''
      : compared === r.runId
        ? button('Stop comparing', () => onCompare(null), { title: `Stop drawing ${runLabel(r.runId)} over the charts` }).element
        : button('Overlay', () => onCompare(r.runId), { title: `Draw ${runLabel(r.runId)} over the charts` }).element;
    return el(
      'tr',
      { class: r.shown ? 'shown' : compared === r.runId ? 'compared' : '', 'data-run': r.runId },
      el('td', { class: 'run-id', title: r.createdAt }, r.runId),
      el('td', {}, r.status),
      el('td', { class: 'differences' }, differencesText(r)),
      el('td', { class: 'run-transitions' }, r.status === 'unfinished' && r.transitions.length === 0 ? '–' : transitionsHeadline(r.transitions, r.status === 'live')),
      el('td', { class: 'num' }, countText(r.points, 'point')),
      el('td', { class: 'num' }, r.wallSeconds === null ? '–' : durationText(r.wallSeconds)),
      el('td', {}, action),
    );
  });
  return el('table', { class: 'runs-table', 'aria-label': 'Runs of this experiment' }, el('thead', {}, head), el('tbody', {}, ...body));
}
