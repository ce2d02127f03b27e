// chart.js setup shared by both views: only the components they use are registered (the rest
// is tree-shaken), axes for log λ and linear, log or symmetric-log values with collision-free
// ticks in one notation (ticks.ts), zoom and pan on λ (chartjs-plugin-zoom), a tooltip listing
// every series at the hovered λ, theme styling, PNG export and a redraw throttle for live updates.
import { atText, axisInteger, axisLog, axisTitle } from './axis';
import {
  Chart,
  Filler,
  Interaction,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartOptions,
  type InteractionItem,
  type InteractionModeFunction,
  type Plugin,
  type Scale,
  type TooltipItem,
} from 'chart.js';
import { getRelativePosition } from 'chart.js/helpers';
import zoomPlugin from 'chartjs-plugin-zoom';
import { annotationPlugin } from './annotations';
import { fmtNum } from './format';
import { symlog } from './symlog';
import { logTicks, symlogBounds, symlogTickValues, tickLabels, type TickFit } from './ticks';
import { withAlpha, type Theme } from './theme';

declare module 'chart.js' {
  interface InteractionModeMap {
    /** Every visible series at the λ nearest the pointer. */
    lambda: InteractionModeFunction;
  }
}

/** The λ nearest the pointer (within 24 px), then each series' point at that λ. */
const lambdaMode: InteractionModeFunction = (chart, e) => {
  const pos = getRelativePosition(e, chart);
  let best = 24;
  let at = NaN;
  chart.data.datasets.forEach((_ds, i) => {
    if (!chart.isDatasetVisible(i)) return;
    for (const el of chart.getDatasetMeta(i).data) {
      const d = Math.abs(el.x - pos.x);
      if (d < best) [best, at] = [d, el.x];
    }
  });
  if (!Number.isFinite(at)) return [];
  const items: InteractionItem[] = [];
  chart.data.datasets.forEach((_ds, i) => {
    if (!chart.isDatasetVisible(i)) return;
    const data = chart.getDatasetMeta(i).data;
    const index = data.findIndex((el) => Math.abs(el.x - at) < 1 && Number.isFinite(el.y));
    if (index >= 0) items.push({ element: data[index], datasetIndex: i, index });
  });
  return items;
};
Interaction.modes.lambda = lambdaMode;

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Filler, zoomPlugin, annotationPlugin);

/** A plotted value: `y` is what the axis shows (transformed on symlog axes), `v` the value itself. */
export interface SeriesPoint {
  x: number;
  y: number | null;
  v: number | null;
  /** The point record's id, for selection. */
  id: string;
}

/** How a value axis maps values: symlog is linear within ±c and logarithmic beyond, for values that change sign. */
export type AxisMode = 'linear' | 'log' | 'symlog';

/** What a value is drawn at on an axis of `mode`: null where it has no place (≤ 0 on a log axis). */
export function axisValue(v: number | null, mode: AxisMode, c: number): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  if (mode === 'log') return v > 0 ? v : null;
  return mode === 'symlog' ? symlog(v, c) : v;
}

const font = (theme: Theme, delta = -1) => ({ family: theme.font, size: theme.fontSize + delta });

/** Log-axis padding, so points at the ends of the λ range clear the chart's edge. */
const PAD = 1.12;

/** min/max of the swept axis: logarithmic for a log grid (one that starts at 0 cannot be), else linear. */
export function lambdaBounds(range: [number, number]) {
  if (range[0] > 0 && axisLog()) return { type: 'logarithmic' as const, min: range[0] / PAD, max: range[1] * PAD };
  const pad = (range[1] - range[0]) * 0.03 || 1;
  return { type: 'linear' as const, min: range[0] - pad, max: range[1] + pad };
}

/** Measures tick labels with the axis's own font, along the axis. */
function fitOf(axis: Scale, fraction: (v: number) => number): TickFit {
  const f = (axis.options as { ticks?: { font?: { size?: number; family?: string } } }).ticks?.font;
  const size = f?.size ?? 12;
  const css = `${size}px ${f?.family ?? 'sans-serif'}`;
  const ctx = axis.ctx;
  const horizontal = axis.isHorizontal();
  return {
    horizontal,
    length: horizontal ? axis.width : axis.height,
    fraction,
    extent: (label) => {
      if (!horizontal) return size * 1.25;
      ctx.font = css;
      return ctx.measureText(label).width;
    },
  };
}

/** Labels chosen in afterBuildTicks, read back by the tick callback; and how to choose them again. */
const chosenLabels = new WeakMap<Scale, Map<number, string>>();
const builders = new WeakMap<Scale, { length: number; build: () => { value: number; label: string }[] }>();

const lengthOf = (axis: Scale) => (axis.isHorizontal() ? axis.width : axis.height);

function setTicks(axis: Scale, ticks: { value: number; label: string }[]): void {
  axis.ticks = ticks.map((t) => ({ value: t.value }));
  chosenLabels.set(axis, new Map(ticks.map((t) => [t.value, t.label])));
}

const logFraction = (axis: Scale) => (v: number) => (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
const linearFraction = (axis: Scale) => (v: number) => (v - axis.min) / (axis.max - axis.min);

function buildLogTicks(axis: Scale, integer = false): void {
  if (!(axis.min > 0 && axis.max > axis.min)) return;
  const build = () => logTicks(axis.min, axis.max, fitOf(axis, logFraction(axis)), { integer });
  builders.set(axis, { length: lengthOf(axis), build });
  setTicks(axis, build());
}

function buildSymlogTicks(axis: Scale, c: number): void {
  if (!(axis.max > axis.min)) return;
  const build = () => symlogTickValues(axis.min, axis.max, c, fitOf(axis, linearFraction(axis)));
  const ticks = build();
  if (ticks.length < 2) return;
  builders.set(axis, { length: lengthOf(axis), build });
  setTicks(axis, ticks);
}

/**
 * chart.js builds ticks while it is still fitting the boxes around the plot, so an axis may end
 * longer or shorter than the one its ticks were picked for: pick them again for the final length
 * (and drop the label and grid caches made from the old ones).
 */
const refitTicks: Plugin = {
  id: 'l2RefitTicks',
  afterLayout(chart) {
    for (const axis of Object.values(chart.scales)) {
      const b = builders.get(axis);
      if (!b || Math.abs(b.length - lengthOf(axis)) < 1) continue;
      b.length = lengthOf(axis);
      const ticks = b.build();
      if (ticks.length < 2) continue;
      setTicks(axis, ticks);
      axis.ticks = ticks.map((t) => ({ value: t.value, label: t.label }));
      const caches = axis as unknown as { _labelSizes: unknown; _labelItems: unknown; _gridLineItems: unknown };
      caches._labelSizes = caches._labelItems = caches._gridLineItems = null;
    }
  },
};
Chart.register(refitTicks);

/** The label of tick `index`: the one chosen with the ticks, or one notation for chart.js's own ticks. */
function tickCallback(this: Scale, value: number | string, index: number, ticks: { value: number }[]): string {
  const chosen = chosenLabels.get(this);
  const mine = chosen?.get(Number(value));
  if (mine !== undefined && ticks.every((t) => chosen!.has(t.value))) return mine;
  return tickLabels(ticks.map((t) => t.value))[index] ?? '';
}

type AxisOptions = NonNullable<ChartOptions<'line'>['scales']>[string];

/** The x axis of every sweep chart: the swept parameter (λ), on a log scale where its grid is; whole-number ticks on an axis of counts. */
export function lambdaAxis(theme: Theme, range: [number, number]): AxisOptions {
  const bounds = lambdaBounds(range);
  const log = bounds.type === 'logarithmic';
  const integer = axisInteger();
  return {
    ...bounds,
    title: { display: true, text: log ? `${axisTitle()}, log scale` : axisTitle(), color: theme.fg, font: font(theme) },
    ticks: { color: theme.muted, font: font(theme, -2), autoSkip: !log, maxRotation: 0, callback: tickCallback, ...(integer ? { precision: 0, includeBounds: false } : {}) },
    afterBuildTicks: log ? (axis: Scale) => buildLogTicks(axis, integer) : undefined,
    grid: { color: theme.grid },
    border: { color: theme.border },
  };
}

/** Sets a chart's λ axis to `range` (call update after). */
export function setLambdaRange(chart: Chart, range: [number, number]): void {
  const x = chart.options.scales?.x;
  if (x) Object.assign(x, lambdaBounds(range));
}

/** Sets the shown λ window directly (a zoom of another chart). */
export function setLambdaWindow(chart: Chart, min: number, max: number): void {
  const x = chart.options.scales?.x;
  if (x) Object.assign(x, { min, max });
}

/**
 * A value axis (x or y). On a symlog axis the data must already be transformed (axisValue); the
 * axis then spans whole decades on each side the data reach, with ticks at 0 and ±10^k labelled
 * with the untransformed value. A log axis has ticks at decades and their 2 and 5 multiples.
 */
export function valueAxis(theme: Theme, title: string, opts: { mode?: AxisMode; symlogC?: number; integer?: boolean; minNegative?: number } = {}): AxisOptions {
  const mode = opts.mode ?? (opts.symlogC !== undefined ? 'symlog' : 'linear');
  const c = opts.symlogC ?? 1;
  const common = {
    title: { display: true, text: title, color: theme.fg, font: font(theme) },
    grid: { color: theme.grid },
    border: { color: theme.border },
  };
  const ticks = { color: theme.muted, font: font(theme, -2), maxRotation: 0, callback: tickCallback };
  if (mode === 'log') {
    return {
      ...common,
      type: 'logarithmic',
      bounds: 'data',
      ticks: { ...ticks, autoSkip: false },
      afterDataLimits: (axis: Scale) => {
        // A single value (the first live point) still gets a decade around it.
        if (!(axis.min > 0)) return;
        const span = axis.max / axis.min;
        const pad = span < 1.5 ? 3 : span ** 0.04;
        axis.min /= pad;
        axis.max *= pad;
      },
      afterBuildTicks: (axis: Scale) => buildLogTicks(axis),
    };
  }
  if (mode === 'symlog') {
    return {
      ...common,
      type: 'linear',
      bounds: 'data',
      ticks: { ...ticks, autoSkip: false },
      afterDataLimits: (axis: Scale) => {
        const lo = opts.minNegative !== undefined ? Math.min(axis.min, -symlog(opts.minNegative, c)) : axis.min;
        [axis.min, axis.max] = symlogBounds(lo, axis.max, c);
        if (axis.max === axis.min) axis.max = axis.min + symlog(10 * c, c);
      },
      afterBuildTicks: (axis: Scale) => buildSymlogTicks(axis, c),
    };
  }
  return { ...common, type: 'linear', bounds: 'ticks', ticks: { ...ticks, precision: opts.integer ? 0 : undefined } };
}

/** Tooltip options: themed; `title` names the x of the hovered point, each line its untransformed value. */
export function tooltipOptions(theme: Theme, title: (x: number) => string = atText): NonNullable<ChartOptions<'line'>['plugins']>['tooltip'] {
  return {
    backgroundColor: theme.hoverBg,
    titleColor: theme.fg,
    bodyColor: theme.fg,
    borderColor: theme.border,
    borderWidth: 1,
    titleFont: font(theme),
    bodyFont: font(theme, -1),
    // Bands (mean ± sd edges) are not series of their own.
    filter: (item: TooltipItem<'line'>) => !(item.dataset as { l2?: { band?: boolean } }).l2?.band,
    itemSort: (a: TooltipItem<'line'>, b: TooltipItem<'line'>) => ((b.raw as SeriesPoint).v ?? -Infinity) - ((a.raw as SeriesPoint).v ?? -Infinity),
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => (items.length ? title((items[0].raw as SeriesPoint).x) : ''),
      label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${fmtNum((item.raw as SeriesPoint).v)}`,
    },
  };
}

/**
 * Zoom and pan along λ: drag a box (or ctrl + wheel, or pinch) to zoom, shift + drag to pan,
 * never beyond the configured range. `done` gets the new window.
 */
export function zoomOptions(theme: Theme, done: (chart: Chart) => void): NonNullable<ChartOptions<'line'>['plugins']>['zoom'] {
  return {
    limits: { x: { min: 'original', max: 'original' } },
    pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: ({ chart }) => done(chart) },
    zoom: {
      mode: 'x',
      wheel: { enabled: true, modifierKey: 'ctrl' },
      pinch: { enabled: true },
      drag: { enabled: true, threshold: 6, backgroundColor: withAlpha(theme.palette.blue, 0.15), borderColor: theme.palette.blue, borderWidth: 1 },
      onZoomComplete: ({ chart }) => done(chart),
    },
  };
}

/** Options every chart shares: no animation (live data would restart it), themed text. */
export function baseOptions(theme: Theme): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    interaction: { mode: 'lambda', intersect: false },
    layout: { padding: { top: 4, right: 8 } },
    font: font(theme),
    color: theme.muted,
  };
}

/** Re-colors axes and tooltip after a theme change (datasets are the caller's). */
export function restyleAxes(chart: Chart, theme: Theme): void {
  for (const scale of Object.values(chart.options.scales ?? {})) {
    if (!scale) continue;
    const s = scale as { ticks?: { color?: string; font?: object }; grid?: { color?: string }; border?: { color?: string }; title?: { color?: string; font?: object } };
    if (s.ticks) Object.assign(s.ticks, { color: theme.muted, font: font(theme, -2) });
    if (s.grid) s.grid.color = theme.grid;
    if (s.border) s.border.color = theme.border;
    if (s.title) Object.assign(s.title, { color: theme.fg, font: font(theme) });
  }
  const tt = chart.options.plugins?.tooltip;
  if (tt) Object.assign(tt, { backgroundColor: theme.hoverBg, titleColor: theme.fg, bodyColor: theme.fg, borderColor: theme.border });
}

/** The chart as a PNG data: URL on the theme's background (the canvas itself is transparent). */
export function chartPng(chart: Chart, background: string): string {
  const src = chart.canvas;
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height;
  const ctx = out.getContext('2d');
  if (!ctx) return src.toDataURL('image/png');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
  return out.toDataURL('image/png');
}

/** Runs `draw` at most once per `minMs` (live points arrive faster than charts need redrawing). */
export class RedrawThrottle {
  private last = -Infinity;
  private timer: number | undefined;

  constructor(
    private readonly minMs: number,
    private readonly draw: () => void,
  ) {}

  request(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.minMs - performance.now());
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      this.last = performance.now();
      this.draw();
    }, wait);
  }

  /** Drops a pending redraw (the view is rebuilt anyway). */
  cancel(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** A drawn tick label: its text and its box in canvas CSS pixels. */
export interface TickBox {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Every axis's drawn tick labels with their boxes (as chart.js lays them: centred under a
 * horizontal axis, right-aligned beside a vertical one), and its range: what the browser tests
 * check for collisions, repeats and negative symlog decades.
 */
export function axisLayout(chart: Chart): Record<string, { min: number; max: number; type: string; ticks: TickBox[] }> {
  const out: Record<string, { min: number; max: number; type: string; ticks: TickBox[] }> = {};
  const ctx = chart.ctx;
  for (const [id, scale] of Object.entries(chart.scales)) {
    const opts = scale.options as { ticks?: { font?: { size?: number; family?: string }; padding?: number }; type?: string };
    const size = opts.ticks?.font?.size ?? 12;
    ctx.save();
    ctx.font = `${size}px ${opts.ticks?.font?.family ?? 'sans-serif'}`;
    const ticks: TickBox[] = [];
    scale.ticks.forEach((t, i) => {
      const text = Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '');
      if (!text) return;
      const p = scale.getPixelForTick(i);
      const w = ctx.measureText(text).width;
      if (scale.isHorizontal()) ticks.push({ text, x: p - w / 2, y: scale.top, w, h: size });
      else ticks.push({ text, x: scale.right - w, y: p - size / 2, w, h: size });
    });
    ctx.restore();
    out[id] = { min: scale.min, max: scale.max, type: String(opts.type ?? scale.type), ticks };
  }
  return out;
}
