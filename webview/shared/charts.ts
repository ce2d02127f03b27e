// chart.js setup shared by both views: only the components they use are registered (the rest
// is tree-shaken), axes for log λ and symmetric-log values, theme styling, PNG export and a
// redraw throttle for live updates.
import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartOptions, type Scale, type TooltipItem } from 'chart.js';
import { annotationPlugin } from './annotations';
import { fmtLambda, fmtNum, fmtTick } from './format';
import { symexp, symlogTicks } from './symlog';
import type { Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, annotationPlugin);

/** A plotted value: `y` is what the axis shows (transformed on symlog axes), `v` the value itself. */
export interface SeriesPoint {
  x: number;
  y: number | null;
  v: number | null;
  /** The point record's id, for selection. */
  id: string;
}

const font = (theme: Theme, delta = -1) => ({ family: theme.font, size: theme.fontSize + delta });

/** Mantissas of a log axis that get a label (the others keep their grid line). */
const LABELLED_MANTISSAS = [1, 2, 5];

function logTickLabel(value: number): string {
  const m = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return LABELLED_MANTISSAS.some((k) => Math.abs(m - k) < 1e-6) ? fmtLambda(value) : '';
}

/** Log-axis padding, so points at the ends of the λ range clear the chart's edge. */
const PAD = 1.12;

/** min/max of the λ axis; a grid that starts at λ = 0 (linear sweeps) cannot be log, so is linear. */
function lambdaBounds(range: [number, number]) {
  if (range[0] > 0) return { type: 'logarithmic' as const, min: range[0] / PAD, max: range[1] * PAD };
  const pad = (range[1] - range[0]) * 0.03 || 1;
  return { type: 'linear' as const, min: range[0] - pad, max: range[1] + pad };
}

/** The x axis of every sweep chart: λ on a log scale. */
export function lambdaAxis(theme: Theme, range: [number, number]): NonNullable<ChartOptions<'line'>['scales']>[string] {
  const bounds = lambdaBounds(range);
  return {
    ...bounds,
    title: { display: true, text: bounds.type === 'logarithmic' ? 'λ (log scale)' : 'λ', color: theme.fg, font: font(theme) },
    ticks: { color: theme.muted, font: font(theme, -2), autoSkip: true, maxRotation: 0, callback: (v) => (bounds.type === 'logarithmic' ? logTickLabel(Number(v)) : fmtLambda(Number(v))) },
    grid: { color: theme.grid },
    border: { color: theme.border },
  };
}

/** Widens a chart's λ axis to a new range (call update after). */
export function setLambdaRange(chart: Chart, range: [number, number]): void {
  const x = chart.options.scales?.x;
  if (x) Object.assign(x, lambdaBounds(range));
}

/**
 * A value axis (x or y). With `symlogC` the data must already be transformed (symlog.ts); the
 * axis then spans the data, with ticks at 0 and ±10^k labelled with the untransformed value.
 */
export function valueAxis(theme: Theme, title: string, opts: { symlogC?: number; integer?: boolean } = {}): NonNullable<ChartOptions<'line'>['scales']>[string] {
  const c = opts.symlogC;
  return {
    type: 'linear',
    bounds: c === undefined ? 'ticks' : 'data',
    title: { display: true, text: title, color: theme.fg, font: font(theme) },
    ticks: {
      color: theme.muted,
      font: font(theme, -2),
      precision: opts.integer ? 0 : undefined,
      maxRotation: 0,
      callback: (v) => (c === undefined ? fmtNum(Number(v)) : fmtTick(symexp(Number(v), c))),
    },
    afterBuildTicks:
      c === undefined
        ? undefined
        : (axis: Scale) => {
            // About one label per 70 px across, 28 px up.
            const perSide = Math.max(2, Math.floor((axis.isHorizontal() ? axis.width / 70 : axis.height / 28) / 2));
            const ticks = symlogTicks(axis.min, axis.max, c, perSide);
            if (ticks.length >= 2) axis.ticks = ticks.map((value) => ({ value }));
          },
    grid: { color: theme.grid },
    border: { color: theme.border },
  };
}

/** Tooltip options: themed; `title` names the x of the hovered point, each line its untransformed value. */
export function tooltipOptions(theme: Theme, title: (x: number) => string = (x) => `λ = ${fmtLambda(x)}`): NonNullable<ChartOptions<'line'>['plugins']>['tooltip'] {
  return {
    backgroundColor: theme.hoverBg,
    titleColor: theme.fg,
    bodyColor: theme.fg,
    borderColor: theme.border,
    borderWidth: 1,
    titleFont: font(theme),
    bodyFont: font(theme, -1),
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => (items.length ? title((items[0].raw as SeriesPoint).x) : ''),
      label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${fmtNum((item.raw as SeriesPoint).v)}`,
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
    interaction: { mode: 'nearest', intersect: false, axis: 'xy' },
    layout: { padding: { top: 4, right: 8 } },
    font: font(theme),
    color: theme.muted,
  } as ChartOptions<'line'>;
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
