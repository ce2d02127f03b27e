// A chart.js plugin (our own, instead of chartjs-plugin-annotation) that draws what the host
// detected onto any chart with a λ x axis: a translucent band per transition bracket, a solid
// line at λc, the predicted λc dashed, curvature change points as markers, the selected λ as
// a cursor and a ring on the selected point. The same text goes into a list for screen readers.
import type { Chart, Plugin } from 'chart.js';
import { mechanismText } from '../../src/core/transitions/text';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import { fmtLambda } from './format';
import { withAlpha, type Theme } from './theme';

export interface AnnotationState {
  transitions: Transition[];
  predictions: Prediction[];
  /** Curvature charts mark each transition's curvature change point. */
  changePoints: boolean;
  /** λ of the selected point: the cursor. */
  cursor: number | null;
  /** Id (a data item's `id`) of the selected point: ringed. */
  selectedId: string | null;
  theme: Theme;
}

// Kept beside the chart (keyed by its canvas, so it can be set before the chart's first paint)
// rather than in its options: chart.js wraps options in resolver proxies, and a cursor move
// should need only chart.draw(), not an options update.
const states = new WeakMap<HTMLCanvasElement, AnnotationState>();

export function setAnnotations(canvas: HTMLCanvasElement, state: AnnotationState): void {
  states.set(canvas, state);
}

export const transitionLabel = (t: Transition): string => `λc ≈ ${fmtLambda(t.lambda)} (${t.order}-order)`;

export function hysteresisText(t: Transition): string | null {
  const h = t.hysteresis;
  if (!h) return null;
  if (h.down === null) return `up branch jumps at ${fmtLambda(h.up)}, down branch does not`;
  return `hysteresis ${fmtLambda(Math.min(h.up, h.down))}–${fmtLambda(Math.max(h.up, h.down))}`;
}

/** What the plugin draws, as sentences (the visually hidden list under each chart). */
export function annotationLines(s: Pick<AnnotationState, 'transitions' | 'predictions' | 'changePoints'>): string[] {
  const lines: string[] = [];
  for (const t of s.transitions) {
    const hyst = hysteresisText(t);
    lines.push(`${transitionLabel(t)}, ${mechanismText(t)}, bracket ${fmtLambda(t.bracket[0])}–${fmtLambda(t.bracket[1])}${hyst ? `, ${hyst}` : ''}, seen in ${t.observable}, confidence ${t.confidence.toFixed(2)}`);
    const cp = t.curvatureChangePoint;
    if (s.changePoints && cp) lines.push(`curvature change point (${cp.kind}, ${cp.curve}) at λ ≈ ${fmtLambda(cp.lambda)}`);
  }
  for (const p of s.predictions) lines.push(`predicted λc ≈ ${fmtLambda(p.lambda)} (${p.order}-order, ${p.exactness})`);
  return lines;
}

const orderColor = (theme: Theme, order: Transition['order']) => (order === 'first' ? theme.palette.red : theme.palette.purple);

interface Label {
  x: number;
  text: string;
  color: string;
}

/** Labels along the top of the chart area, each in the first row where it overlaps no other. */
function drawLabels(ctx: CanvasRenderingContext2D, area: Chart['chartArea'], labels: Label[], theme: Theme): void {
  const h = theme.fontSize + 4;
  const rows: [number, number][][] = [];
  ctx.font = `${theme.fontSize - 1}px ${theme.font}`;
  ctx.textBaseline = 'middle';
  for (const l of labels) {
    const w = ctx.measureText(l.text).width + 6;
    // Right of its line, unless that runs off the chart.
    const x0 = l.x + 4 + w <= area.right ? l.x + 4 : l.x - 4 - w;
    let row = rows.findIndex((r) => r.every(([a, b]) => x0 + w < a || x0 > b));
    if (row < 0) row = rows.push([]) - 1;
    rows[row].push([x0, x0 + w]);
    const y = area.top + 2 + row * (h + 2);
    ctx.fillStyle = withAlpha(theme.bg, 0.85);
    ctx.fillRect(x0, y, w, h);
    ctx.strokeStyle = l.color;
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    ctx.strokeRect(x0 + 0.5, y + 0.5, w - 1, h - 1);
    ctx.fillStyle = theme.fg;
    ctx.fillText(l.text, x0 + 3, y + h / 2 + 0.5);
  }
}

function vline(ctx: CanvasRenderingContext2D, x: number, area: Chart['chartArea'], color: string, width: number, dash: number[]): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(x, area.top);
  ctx.lineTo(x, area.bottom);
  ctx.stroke();
}

function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, stroke: string): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.stroke();
}

export const annotationPlugin: Plugin = {
  id: 'l2Annotations',
  beforeDatasetsDraw(chart) {
    const s = states.get(chart.canvas);
    const x = chart.scales.x;
    if (!s || !x) return;
    const { ctx, chartArea: area } = chart;
    ctx.save();
    for (const t of s.transitions) {
      const a = x.getPixelForValue(t.bracket[0]);
      const b = x.getPixelForValue(t.bracket[1]);
      const lo = Math.max(area.left, Math.min(a, b));
      const hi = Math.min(area.right, Math.max(a, b));
      if (hi <= lo) continue;
      ctx.fillStyle = withAlpha(orderColor(s.theme, t.order), s.theme.kind === 'high-contrast' ? 0.3 : 0.14);
      ctx.fillRect(lo, area.top, Math.max(hi - lo, 2), area.bottom - area.top);
    }
    ctx.restore();
  },
  afterDatasetsDraw(chart) {
    const s = states.get(chart.canvas);
    const x = chart.scales.x;
    if (!s || !x) return;
    const { ctx, chartArea: area } = chart;
    const theme = s.theme;
    const inside = (px: number) => px >= area.left - 0.5 && px <= area.right + 0.5;
    const labels: Label[] = [];
    ctx.save();
    for (const p of s.predictions) {
      const px = x.getPixelForValue(p.lambda);
      if (!inside(px)) continue;
      vline(ctx, px, area, theme.palette.yellow, theme.line, [6, 4]);
      labels.push({ x: px, text: 'predicted', color: theme.palette.yellow });
    }
    for (const t of s.transitions) {
      const px = x.getPixelForValue(t.lambda);
      const color = orderColor(theme, t.order);
      if (inside(px)) {
        vline(ctx, px, area, color, theme.line, []);
        labels.push({ x: px, text: transitionLabel(t), color });
      }
      const cp = t.curvatureChangePoint;
      const cx = cp ? x.getPixelForValue(cp.lambda) : NaN;
      if (s.changePoints && cp && inside(cx)) {
        vline(ctx, cx, area, withAlpha(color, 0.7), theme.thin, [2, 3]);
        diamond(ctx, cx, area.bottom - 7, theme.kind === 'high-contrast' ? 7 : 6, color, theme.fg);
        ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
        ctx.fillStyle = theme.fg;
        ctx.textBaseline = 'middle';
        ctx.fillText(`${cp.kind} (${cp.curve})`, cx + 9, area.bottom - 7);
      }
    }
    if (s.cursor !== null) {
      const px = x.getPixelForValue(s.cursor);
      if (inside(px)) vline(ctx, px, area, withAlpha(theme.fg, 0.65), theme.thin, []);
    }
    if (s.selectedId !== null) ringSelected(chart, s.selectedId, theme);
    drawLabels(ctx, area, labels, theme);
    ctx.restore();
  },
};

function ringSelected(chart: Chart, id: string, theme: Theme): void {
  const { ctx } = chart;
  chart.data.datasets.forEach((ds, i) => {
    if (!chart.isDatasetVisible(i)) return;
    const j = (ds.data as { id?: string }[]).findIndex((d) => d?.id === id);
    const el = j >= 0 ? chart.getDatasetMeta(i).data[j] : undefined;
    if (!el || !Number.isFinite(el.x) || !Number.isFinite(el.y)) return;
    ctx.beginPath();
    ctx.arc(el.x, el.y, theme.kind === 'high-contrast' ? 8 : 6, 0, 2 * Math.PI);
    ctx.strokeStyle = theme.fg;
    ctx.lineWidth = theme.kind === 'high-contrast' ? 3 : 2;
    ctx.setLineDash([]);
    ctx.stroke();
  });
}
