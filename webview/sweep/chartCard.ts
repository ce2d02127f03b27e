// One chart of the sweep panel: a titled card with a PNG button, a focusable chart area (click
// a point to select it, ←/→ to step along its chain) and a hidden list of its annotations.
import { Chart } from 'chart.js';
import type { PointRecord } from '../../src/core/sweep/point';
import type { RunInfo } from '../../src/protocol/webview';
import { annotationLines, setAnnotations, type AnnotationState } from '../shared/annotations';
import { baseOptions, lambdaAxis, restyleAxes, setLambdaRange, tooltipOptions, valueAxis, type SeriesPoint } from '../shared/charts';
import { button } from '../shared/controls';
import { describeList, el } from '../shared/dom';
import type { Theme } from '../shared/theme';
import type { ChartSpec } from './metrics';
import { ChartSeries } from './series';

export interface CardHooks {
  /** A point was clicked. */
  pick(id: string): void;
  /** An arrow key: −1 previous λ, +1 next; ±Infinity first/last. */
  step(delta: number): void;
  png(name: string, chart: Chart): void;
}

export class ChartCard {
  readonly element: HTMLElement;
  readonly area: HTMLElement;
  readonly chart: Chart<'line', SeriesPoint[]>;
  readonly series: ChartSeries;
  private readonly list: HTMLUListElement;
  private annotations: AnnotationState;

  /**
   * The card is appended to `parent` before the chart is made (chart.js sizes to its
   * container), and the chart's first paint already shows `points`.
   */
  constructor(
    readonly spec: ChartSpec,
    parent: HTMLElement,
    run: RunInfo,
    points: PointRecord[],
    range: [number, number],
    annotations: AnnotationState,
    hidden: ReadonlySet<string>,
    hooks: CardHooks,
  ) {
    const theme = annotations.theme;
    const listId = `annotations-${spec.id}`;
    this.list = el('ul', { id: listId, class: 'visually-hidden annotations' });
    const canvas = el('canvas', { 'aria-hidden': 'true' });
    this.area = el(
      'div',
      { class: 'chart-area', tabindex: 0, role: 'group', 'aria-roledescription': 'chart', 'aria-label': `${spec.title} against log λ. Click a point to select it; ← and → move the selection.`, 'aria-describedby': listId },
      canvas,
    );
    const png = button('PNG', () => hooks.png(spec.id, this.chart), { title: `Save the ${spec.title.toLowerCase()} chart as PNG` });
    this.element = el(
      'section',
      { class: 'card', 'data-chart': spec.id },
      el('header', { class: 'card-header' }, el('div', {}, el('h2', {}, spec.title), spec.key ? el('p', { class: 'card-key' }, spec.key) : ''), png.element),
      this.area,
      this.list,
    );
    parent.append(this.element);

    this.series = new ChartSeries(spec, theme, hidden);
    this.series.add(points);
    this.annotations = { ...annotations, changePoints: Boolean(spec.changePoints) };
    setAnnotations(canvas, this.annotations);
    this.chart = new Chart<'line', SeriesPoint[]>(canvas, {
      type: 'line',
      data: { datasets: this.series.datasets },
      options: {
        ...baseOptions(theme),
        scales: { x: lambdaAxis(theme, range), y: valueAxis(theme, spec.yTitle(run), { symlogC: spec.symlogC, integer: spec.integer }) },
        plugins: { tooltip: tooltipOptions(theme) },
        onClick: (_e, elements, chart) => {
          const hit = elements[0];
          const d = hit ? (chart.data.datasets[hit.datasetIndex].data[hit.index] as SeriesPoint | undefined) : undefined;
          if (!d) return;
          this.area.focus();
          hooks.pick(d.id);
        },
      },
    });
    describeList(this.list, annotationLines(this.annotations));
    this.area.dataset.plotted = String(this.series.size);
    this.area.addEventListener('keydown', (e) => {
      const delta = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity }[e.key];
      if (delta === undefined) return;
      e.preventDefault();
      hooks.step(delta);
    });
  }

  setAnnotations(state: AnnotationState): void {
    this.annotations = { ...state, changePoints: Boolean(this.spec.changePoints) };
    setAnnotations(this.chart.canvas, this.annotations);
    describeList(this.list, annotationLines(this.annotations));
  }

  /** Only the cursor and the ring move: a redraw, no data update. */
  select(cursor: number | null, selectedId: string | null, draw: boolean): void {
    this.annotations.cursor = cursor;
    this.annotations.selectedId = selectedId;
    if (draw) this.chart.draw();
  }

  /** Redraws with new data over `range`; the count goes to data-plotted (tests watch it). */
  refresh(range: [number, number]): void {
    setLambdaRange(this.chart, range);
    this.chart.update('none');
    this.area.dataset.plotted = String(this.series.size);
  }

  restyle(theme: Theme): void {
    restyleAxes(this.chart, theme);
    this.series.restyle(theme);
    this.annotations.theme = theme;
    // Not update('none'): in that mode chart.js keeps the points' cached shared options (old colors).
    this.chart.update();
  }

  destroy(): void {
    this.chart.destroy();
    this.element.remove();
  }
}
