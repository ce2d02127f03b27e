// One chart of the sweep panel: a titled card with its y-axis scale, a zoom reset and a PNG
// button, a focusable chart area (click a point to select it, ←/→ to step along its chain; drag
// to zoom λ, shift + drag to pan), a legend of variants and seeds, and a hidden list of its
// annotations.
import { Chart, type LegendItem } from 'chart.js';
import type { PointRecord } from '../../src/core/sweep/point';
import type { RunInfo } from '../../src/protocol/webview';
import { annotationHeight, annotationLines, setAnnotations, type AnnotationState } from '../shared/annotations';
import { baseOptions, lambdaAxis, restyleAxes, setLambdaRange, setLambdaWindow, tooltipOptions, valueAxis, zoomOptions, type AxisMode, type SeriesPoint } from '../shared/charts';
import { button, dropdown } from '../shared/controls';
import { axisLog, axisSymbol, axisTitle } from '../shared/axis';
import { describeList, el } from '../shared/dom';
import { withAlpha, type Theme } from '../shared/theme';
import type { ChartSpec } from './metrics';
import { branchStyle, ChartSeries, COMPARED_DASH, COMPARED_STYLE, REFINED, SEED_STYLES, type SeriesView } from './series';

export interface CardHooks {
  /** A point was clicked. */
  pick(id: string): void;
  /** An arrow key: −1 previous λ, +1 next; ±Infinity first/last. */
  step(delta: number): void;
  png(name: string, chart: Chart): void;
  /** The user zoomed or panned this chart to [min, max] of λ (null: reset). */
  zoomed(window: [number, number] | null): void;
  /** The y scale was switched. */
  scaled(id: string, mode: AxisMode): void;
}

/** Height of a card's chart without the transition tags and legend (which add theirs). */
const PLOT_HEIGHT = 270;

const SCALES: { value: AxisMode; label: string }[] = [
  { value: 'linear', label: 'y: linear' },
  { value: 'log', label: 'y: log' },
  { value: 'symlog', label: 'y: symlog' },
];

export class ChartCard {
  readonly element: HTMLElement;
  readonly area: HTMLElement;
  readonly chart: Chart<'line', SeriesPoint[]>;
  readonly series: ChartSeries;
  private readonly list: HTMLUListElement;
  private annotations: AnnotationState;
  private readonly resetButton;
  private range: [number, number];
  private window: [number, number] | null = null;
  private extraHeight = -1;

  /**
   * The card is appended to `parent` before the chart is made (chart.js sizes to its
   * container), and the chart's first paint already shows `points`.
   */
  constructor(
    readonly spec: ChartSpec,
    parent: HTMLElement,
    private readonly run: RunInfo,
    points: PointRecord[],
    range: [number, number],
    annotations: AnnotationState,
    view: SeriesView,
    mode: AxisMode,
    /** Where a point sits on the x axis: its value, or (a column of a 2-D sweep) its row's. */
    x: (p: PointRecord) => number,
    private readonly hooks: CardHooks,
  ) {
    const theme = annotations.theme;
    this.range = range;
    const listId = `annotations-${spec.id}`;
    this.list = el('ul', { id: listId, class: 'visually-hidden annotations' });
    const canvas = el('canvas', { 'aria-hidden': 'true' });
    this.area = el(
      'div',
      {
        class: 'chart-area',
        tabindex: 0,
        role: 'group',
        'aria-roledescription': 'chart',
        'aria-label': `${spec.title} against ${axisTitle()}${axisLog() ? ' on a log scale' : ''}. Click a point to select it; ← and → move the selection; drag to zoom ${axisSymbol()}, shift and drag to pan.`,
        'aria-describedby': listId,
      },
      canvas,
    );
    const png = button('PNG', () => hooks.png(spec.id, this.chart), { title: `Save the ${spec.title.toLowerCase()} chart as PNG` });
    this.resetButton = button('Reset zoom', () => this.resetZoom(true), { title: `Show the whole ${axisSymbol()} range in the ${spec.title.toLowerCase()} chart` });
    this.resetButton.element.classList.add('reset-zoom');
    this.resetButton.setDisabled(true);
    const scalePick = dropdown<AxisMode>(SCALES, mode, `${spec.title}: y-axis scale`, (m) => this.setMode(m));
    scalePick.classList.add('scale-pick');
    this.element = el(
      'section',
      { class: 'card', 'data-chart': spec.id },
      el(
        'header',
        { class: 'card-header' },
        el('div', {}, el('h2', {}, spec.title), spec.key ? el('p', { class: 'card-key' }, spec.key) : ''),
        el('div', { class: 'card-tools' }, scalePick, this.resetButton.element, png.element),
      ),
      this.area,
      this.list,
    );
    parent.append(this.element);

    this.series = new ChartSeries(spec, theme, view, mode, x);
    this.series.add(points);
    this.annotations = { ...annotations, changePoints: Boolean(spec.changePoints) };
    setAnnotations(canvas, this.annotations);
    this.chart = new Chart<'line', SeriesPoint[]>(canvas, {
      type: 'line',
      data: { datasets: this.series.datasets },
      options: {
        ...baseOptions(theme),
        scales: { x: lambdaAxis(theme, range), y: this.yAxis(theme, mode) },
        plugins: {
          tooltip: tooltipOptions(theme),
          legend: this.legendOptions(theme),
          zoom: zoomOptions(theme, (chart) => this.zoomedByUser(chart)),
        },
        onClick: (e, _elements, chart) => {
          const hit = chart.getElementsAtEventForMode(e.native ?? (e as unknown as Event), 'nearest', { intersect: false, axis: 'xy' }, false)[0];
          const d = hit ? (chart.data.datasets[hit.datasetIndex].data[hit.index] as SeriesPoint | undefined) : undefined;
          if (!d || !d.id) return;
          this.area.focus();
          hooks.pick(d.id);
        },
      },
    });
    describeList(this.list, annotationLines(this.annotations));
    this.publish();
    this.area.addEventListener('keydown', (e) => {
      const delta = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity }[e.key];
      if (delta === undefined) return;
      e.preventDefault();
      hooks.step(delta);
    });
    this.area.addEventListener('dblclick', () => this.resetZoom(true));
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

  /** Redraws with new data over `range` (keeping a zoomed window); the count goes to data-plotted (tests watch it). */
  refresh(range: [number, number]): void {
    this.range = range;
    setLambdaRange(this.chart, range);
    if (this.window) setLambdaWindow(this.chart, ...this.window);
    this.chart.update('none');
    this.publish();
  }

  /** Another chart was zoomed: show the same λ window (null: the whole range). */
  showWindow(window: [number, number] | null): void {
    this.window = window;
    this.resetButton.setDisabled(window === null);
    setLambdaRange(this.chart, this.range);
    if (window) setLambdaWindow(this.chart, ...window);
    this.chart.update('none');
    this.publish();
  }

  /** Another run drawn over this one (null: none). */
  setComparison(points: PointRecord[] | null, name: string): void {
    this.series.setComparison(points ? points.filter(this.spec.has) : null, name);
    this.chart.update('none');
    this.publish();
  }

  /** The series' visibility changed (branches, seeds, means). */
  setView(view: SeriesView): void {
    this.series.setView(view);
    this.chart.update('none');
    this.publish();
  }

  restyle(theme: Theme): void {
    restyleAxes(this.chart, theme);
    this.series.restyle(theme);
    this.annotations.theme = theme;
    const plugins = this.chart.options.plugins;
    if (plugins) {
      plugins.legend = this.legendOptions(theme);
      plugins.zoom = zoomOptions(theme, (chart) => this.zoomedByUser(chart));
    }
    // Not update('none'): in that mode chart.js keeps the points' cached shared options (old colors).
    this.chart.update();
  }

  destroy(): void {
    this.chart.destroy();
    this.element.remove();
  }

  private setMode(mode: AxisMode): void {
    this.series.setMode(mode);
    const scales = this.chart.options.scales;
    if (scales) scales.y = this.yAxis(this.annotations.theme, mode);
    this.chart.update('none');
    this.publish();
    this.hooks.scaled(this.spec.id, mode);
  }

  private yAxis(theme: Theme, mode: AxisMode) {
    return valueAxis(theme, `${this.spec.yTitle(this.run)}${mode === 'linear' ? '' : ` (${mode})`}`, { mode, symlogC: this.spec.symlogC, integer: this.spec.integer });
  }

  private zoomedByUser(chart: Chart): void {
    const x = chart.scales.x;
    this.window = [x.min, x.max];
    this.resetButton.setDisabled(false);
    this.publish();
    this.hooks.zoomed(this.window);
  }

  private resetZoom(tell: boolean): void {
    // The plugin restores the limits it saved at the first zoom; the range may have grown since.
    this.chart.resetZoom('none');
    this.showWindow(null);
    if (tell) this.hooks.zoomed(null);
  }

  /** What tests read: points plotted, and the λ window shown. The card grows with its labels. */
  private publish(): void {
    const extra = Math.round(annotationHeight(this.chart.canvas));
    if (extra !== this.extraHeight) {
      this.extraHeight = extra;
      // CSSOM, not a style attribute: the CSP allows it (chart.js sizes its canvas the same way).
      this.area.style.height = `${PLOT_HEIGHT + extra}px`;
      this.chart.resize();
    }
    this.area.dataset.plotted = String(this.series.size);
    this.area.dataset.compared = String(this.series.comparedSize);
    const x = this.chart.scales.x;
    if (x) this.area.dataset.xRange = `${x.min} ${x.max}`;
    this.area.dataset.yScale = this.series.axisMode;
  }

  /** Legend entries for the variants (line style) and, with several seeds, each seed (marker), and the refined points. */
  private legendOptions(theme: Theme) {
    const font = { family: theme.font, size: theme.fontSize - 2 };
    return {
      display: true,
      position: 'top' as const,
      align: 'start' as const,
      labels: {
        color: theme.muted,
        font,
        boxHeight: 8,
        usePointStyle: true,
        pointStyleWidth: 22,
        generateLabels: (): LegendItem[] => {
          const { color } = branchStyle(theme, 'up');
          const items: LegendItem[] = this.series.variants.map((label, i) => ({
            text: label,
            pointStyle: 'line' as const,
            strokeStyle: i === 0 ? color : withAlpha(color, 0.8),
            fillStyle: i === 0 ? color : theme.bg,
            lineWidth: i === 0 ? theme.line : theme.thin,
            lineDash: i === 0 ? [] : [6, 3],
            fontColor: theme.muted,
            hidden: false,
          }));
          const seeds = this.series.seedList;
          if (seeds.length > 1)
            seeds.forEach((seed, rank) =>
              items.push({ text: `seed ${seed}`, pointStyle: SEED_STYLES[rank % SEED_STYLES.length], strokeStyle: theme.fg, fillStyle: theme.fg, lineWidth: 1, fontColor: theme.muted, hidden: false }),
            );
          const compared = this.series.comparison;
          if (compared)
            items.push({
              text: `${compared} (dotted)`,
              pointStyle: COMPARED_STYLE,
              strokeStyle: theme.fg,
              fillStyle: theme.bg,
              lineWidth: theme.line,
              lineDash: COMPARED_DASH,
              fontColor: theme.muted,
              hidden: false,
            });
          if (this.series.datasets.some((d) => (d as { l2?: { group: string; compared?: boolean } }).l2?.group === REFINED && !(d as { l2?: { compared?: boolean } }).l2?.compared))
            items.push({ text: 'refined (markers only)', pointStyle: 'crossRot', strokeStyle: theme.fg, fillStyle: theme.fg, lineWidth: 1.5, fontColor: theme.muted, hidden: false });
          return items;
        },
      },
      onClick: () => undefined,
    };
  }
}
