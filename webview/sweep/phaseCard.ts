// The phase diagram's card, at the top of a 2-D run's panel: a dropdown of order parameters, the
// diagram (phasePlot), a readout of the cell under the pointer, and a hidden list describing it.
// Clicking a cell (or moving over cells with the arrow keys) selects its best point, which also
// moves the charts' slice to its row or column.
import type { PointRecord } from '../../src/core/sweep/point';
import { criticalName } from '../../src/core/transitions/text';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import { symbolOf } from '../shared/axis';
import { dropdown } from '../shared/controls';
import { describeList, el } from '../shared/dom';
import { fmtNum } from '../shared/format';
import type { Theme } from '../shared/theme';
import type { SweepGrid } from './gridSlice';
import { bestCells, cellKey, ORDER_PARAMETERS, recordedParameters, type Cell, type OrderParameter } from './phaseCells';
import { cellAt, drawPhase, type PhaseLayout } from './phasePlot';

export interface PhaseHooks {
  /** A cell was clicked (or reached by a key): its best point. */
  pick(id: string): void;
  /** Another order parameter was chosen. */
  chose(parameterId: string): void;
}

const HINT = 'Point at a cell for its coordinates and value; click it to select its point and show its row.';

export class PhaseCard {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', { class: 'phase-canvas', 'aria-hidden': 'true' });
  private readonly area: HTMLElement;
  private readonly tools = el('div', { class: 'card-tools' });
  private readonly readout = el('p', { class: 'phase-readout', 'aria-live': 'polite' }, HINT);
  private readonly list = el('ul', { id: 'annotations-phase', class: 'visually-hidden annotations' });
  private readonly resize: ResizeObserver;
  private parameter: OrderParameter;
  private offered = '';
  private points: PointRecord[] = [];
  private transitions: Transition[] = [];
  private selected: PointRecord | undefined;
  private cells = new Map<string, Cell>();
  private drawn: PhaseLayout | null = null;
  private width = 0;

  constructor(
    private readonly grid: SweepGrid,
    /** The run's predictions: the per-row ones are drawn dashed beside the detected lines. */
    private readonly predictions: Prediction[],
    parameterId: string | undefined,
    private theme: Theme,
    private readonly hooks: PhaseHooks,
  ) {
    this.parameter = ORDER_PARAMETERS.find((o) => o.id === parameterId) ?? ORDER_PARAMETERS[0];
    const first = symbolOf(grid.first.axis);
    const across = symbolOf(grid.rows.axis);
    const perRow = predictions.find((p) => p.across !== undefined);
    const predicted = perRow ? ` Dashed yellow, hollow markers: the ${criticalName(perRow.axis ?? 'lambda')} predicted from each row's training data before training (l2exp predict).` : '';
    this.area = el(
      'div',
      {
        class: 'phase-area',
        tabindex: 0,
        role: 'group',
        'aria-roledescription': 'phase diagram',
        'aria-label': `Phase diagram over ${first} and ${across}. Click a cell to select its point; arrow keys move between cells.`,
        'aria-describedby': 'annotations-phase',
      },
      this.canvas,
    );
    this.element = el(
      'section',
      { class: 'card phase-card', 'data-chart': 'phase' },
      el(
        'header',
        { class: 'card-header' },
        el(
          'div',
          {},
          el('h2', {}, `Phase diagram over ${first} × ${across}`),
          el(
            'p',
            { class: 'card-key' },
            `Each cell: the point of lowest objective among its seeds and branches (the global minimum found there; refined points have no cell). Lines: the detected transitions of each row joined across rows, ● first-order, ◆ second-order.${predicted}`,
          ),
        ),
        this.tools,
      ),
      this.area,
      this.readout,
      this.list,
    );
    this.canvas.addEventListener('mousemove', (e) => this.hover(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => this.hover(-1, -1));
    this.canvas.addEventListener('click', (e) => {
      const c = this.drawn && cellAt(this.drawn, e.offsetX, e.offsetY);
      if (!c) return;
      this.area.focus();
      hooks.pick(c.id);
    });
    this.area.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
      if (!step) return;
      e.preventDefault();
      this.move(step[0], step[1]);
    });
    // Redrawn to the card's width when the panel is resized.
    this.resize = new ResizeObserver(() => {
      if (this.canvas.clientWidth !== this.width) this.draw();
    });
    this.resize.observe(this.area);
  }

  /** The points, transitions and selection to show; redraws. */
  update(points: PointRecord[], transitions: Transition[], selected: PointRecord | undefined): void {
    this.points = points;
    this.transitions = transitions;
    this.selected = selected;
    this.renderPick();
    this.cells = bestCells(points, this.grid.rows.grid, this.parameter);
    this.draw();
  }

  /** Only the selection moved. */
  select(selected: PointRecord | undefined): void {
    this.selected = selected;
    this.draw();
  }

  restyle(theme: Theme): void {
    this.theme = theme;
    this.draw();
  }

  layout(): PhaseLayout | null {
    return this.drawn;
  }

  destroy(): void {
    this.resize.disconnect();
    this.element.remove();
  }

  /** The dropdown offers the order parameters recorded so far (a live run's first Hessian adds the outlier count). */
  private renderPick(): void {
    const offered = recordedParameters(this.points);
    const ids = offered.map((o) => o.id).join(',');
    if (ids === this.offered) return;
    this.offered = ids;
    if (offered.length > 0 && !offered.includes(this.parameter)) this.parameter = offered[0];
    const pick = dropdown(
      offered.map((o) => ({ value: o.id, label: o.label })),
      this.parameter.id,
      'Order parameter the phase diagram colours',
      (id) => {
        this.parameter = ORDER_PARAMETERS.find((o) => o.id === id) ?? this.parameter;
        this.cells = bestCells(this.points, this.grid.rows.grid, this.parameter);
        this.draw();
        this.hooks.chose(this.parameter.id);
      },
    );
    pick.classList.add('phase-pick');
    this.tools.replaceChildren(pick);
  }

  private draw(): void {
    const { lines, layout } = drawPhase(
      this.canvas,
      {
        ...this.grid,
        cells: this.cells,
        parameter: this.parameter,
        transitions: this.transitions,
        predictions: this.predictions,
        selected: this.cellOf(this.selected),
      },
      this.theme,
    );
    this.width = this.canvas.clientWidth;
    this.drawn = layout;
    this.area.dataset.parameter = this.parameter.id;
    describeList(this.list, lines);
  }

  /** "λ = 0.01, δ = 4: Σ‖W‖² = 1.2 (up · seed 0)" for the cell under the pointer, also as the canvas's title. */
  private hover(x: number, y: number): void {
    const c = this.drawn && x >= 0 ? cellAt(this.drawn, x, y) : null;
    const cell = c ? this.cells.get(cellKey(c.i, c.j)) : undefined;
    const text = cell ? this.cellText(cell) : HINT;
    this.readout.textContent = text;
    this.canvas.title = cell ? text : '';
  }

  private cellText(c: Cell): string {
    const { first, rows } = this.grid;
    return `${symbolOf(first.axis)} = ${fmtNum(first.grid[c.i])}, ${symbolOf(rows.axis)} = ${fmtNum(rows.grid[c.j])}: ${this.parameter.label} = ${fmtNum(c.value)} (${c.point.direction} · seed ${c.point.seed})`;
  }

  /** The grid position of a point (null: none selected, or a refined point, between positions). */
  private cellOf(p: PointRecord | undefined): { i: number; j: number } | null {
    const j = p?.across === undefined ? -1 : this.grid.rows.grid.indexOf(p.across);
    return p && p.index >= 0 && j >= 0 ? { i: p.index, j } : null;
  }

  /** Arrow keys: the neighbouring cell's best point (from the selected point's cell, or the first cell). */
  private move(di: number, dj: number): void {
    const at = this.cellOf(this.selected);
    const next = this.cells.get(at ? cellKey(at.i + di, at.j + dj) : cellKey(0, 0));
    if (next) this.hooks.pick(next.point.id);
  }
}
