// A chart.js plugin (our own, instead of chartjs-plugin-annotation) that draws what the host
// detected onto any chart with a λ x axis: a translucent band per transition bracket, a solid
// line at λc, the predicted λc dashed, curvature change points as markers, the selected λ as
// a cursor and a ring on the selected point. Labels stay off the data: a strip of tags above
// the plot (spread apart, each joined to its line by a leader) and a legend under it with the
// value, order, kind and confidence. The same text goes into a list for screen readers.
import { atText } from './axis';
import { layouts as layouts_, type Chart, type LayoutItem, type Plugin } from 'chart.js';
import { criticalName, curvatureText, hysteresisText, lambdaText, mechanismText, predictionHeadline, transitionLabel, transitionWords } from '../../src/core/transitions/text';
import type { Prediction, Transition } from '../../src/core/transitions/types';
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

export { hysteresisText, transitionLabel, transitionWords };

/** What the plugin draws, as sentences (the visually hidden list under each chart), in the core's words. */
export function annotationLines(s: Pick<AnnotationState, 'transitions' | 'predictions' | 'changePoints'>): string[] {
  const lines: string[] = [];
  for (const t of s.transitions) {
    const hyst = hysteresisText(t);
    lines.push(`${transitionLabel(t)}, ${mechanismText(t)}, bracket ${lambdaText(t.bracket[0])}–${lambdaText(t.bracket[1])}${hyst ? `, ${hyst}` : ''}, seen in ${t.observable}, ${transitionWords(t)}`);
    const cp = curvatureText(t);
    if (s.changePoints && cp) lines.push(cp);
  }
  for (const p of s.predictions) lines.push(`predicted ${predictionHeadline(p)}`);
  return lines;
}

const orderColor = (theme: Theme, order: Transition['order']) => (order === 'first' ? theme.palette.red : theme.palette.purple);

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sub = (n: number) => String(n).replace(/[0-9]/g, (d) => SUB[Number(d)]);

/** One transition or prediction inside the λ range: its line, its tag above the plot and its legend entry. */
interface Marker {
  px: number;
  /** Short tag above the plot: "λc₁ 0.4766" (βc on a β sweep), "pred 0.3969". */
  tag: string;
  /** The tag without its value, when the values do not fit side by side. */
  id: string;
  /** The legend entry under the plot, after the id. */
  entry: string;
  color: string;
  dashed: boolean;
}

/** A rectangle in canvas CSS pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the labels went on the last draw (the browser tests check them for overlaps). */
export interface AnnotationLayout {
  chartArea: Box;
  tags: { text: string; box: Box; lineX: number }[];
  entries: { text: string; box: Box }[];
}

const layouts = new WeakMap<HTMLCanvasElement, AnnotationLayout>();

export function annotationLayout(canvas: HTMLCanvasElement): AnnotationLayout | undefined {
  return layouts.get(canvas);
}

const stripHeights = new WeakMap<HTMLCanvasElement, number>();

/** Height the tag strip and the legend under the plot take together: the card grows by it, so the plot keeps its size. */
export function annotationHeight(canvas: HTMLCanvasElement): number {
  return stripHeights.get(canvas) ?? 0;
}

function markers(chart: Chart, s: AnnotationState): Marker[] {
  const x = chart.scales.x;
  const area = chart.chartArea;
  if (!x || !area) return [];
  const inside = (px: number) => px >= area.left - 0.5 && px <= area.right + 0.5;
  const out: Marker[] = [];
  const many = (n: number, i: number) => (n > 1 ? sub(i + 1) : '');
  s.transitions.forEach((t, i) => {
    const px = x.getPixelForValue(t.value);
    if (!inside(px)) return;
    // The swept parameter's symbol: βc on a β sweep's charts, as in the header.
    const id = `${criticalName(t.axis)}${many(s.transitions.length, i)}`;
    out.push({ px, id, tag: `${id} ${lambdaText(t.value)}`, entry: `${criticalName(t.axis)} = ${lambdaText(t.value)}: ${transitionWords(t)}`, color: orderColor(s.theme, t.order), dashed: false });
  });
  s.predictions.forEach((p, i) => {
    const px = x.getPixelForValue(p.lambda);
    if (!inside(px)) return;
    const id = `pred${many(s.predictions.length, i)}`;
    out.push({
      px,
      id,
      tag: `${id} ${lambdaText(p.lambda)}`,
      entry: `predicted ${criticalName(p.axis ?? 'lambda')} = ${lambdaText(p.lambda)}: ${p.order}-order (${p.exactness})`,
      color: s.theme.palette.yellow,
      dashed: true,
    });
  });
  return out.sort((a, b) => a.px - b.px);
}

/**
 * Left edges for boxes of widths `w` wanted centred on `at` (ascending), in [lo, hi], in order,
 * `gap` apart: overlapping neighbours merge into a cluster centred on their mean wish
 * (the usual 1-D label placement; the order is kept, so leader lines never cross).
 */
export function spread(at: number[], w: number[], gap: number, lo: number, hi: number): number[] {
  type Cluster = { first: number; n: number; width: number; wish: number; left: number };
  const place = (c: Cluster) => (c.left = Math.min(Math.max(c.wish / c.n - c.width / 2, lo), Math.max(lo, hi - c.width)));
  const clusters: Cluster[] = [];
  at.forEach((a, i) => {
    let c: Cluster = { first: i, n: 1, width: w[i], wish: a, left: 0 };
    place(c);
    for (let prev = clusters[clusters.length - 1]; prev && prev.left + prev.width + gap > c.left; prev = clusters[clusters.length - 1]) {
      clusters.pop();
      c = { first: prev.first, n: prev.n + c.n, width: prev.width + gap + c.width, wish: prev.wish + c.wish, left: 0 };
      place(c);
    }
    clusters.push(c);
  });
  const lefts: number[] = [];
  for (const c of clusters) {
    let x = c.left;
    for (let i = c.first; i < c.first + c.n; i++) {
      lefts.push(x);
      x += w[i] + gap;
    }
  }
  return lefts;
}

const TAG_GAP = 6;
/** Height of the leader lines between the tags and the plot. */
const LEADER = 9;

const tagFont = (theme: Theme) => `${theme.fontSize - 2}px ${theme.font}`;
const tagHeight = (theme: Theme) => theme.fontSize + 3;

/**
 * The strip above the plot: a tag per line, spread so none overlaps another, joined to its line
 * by a leader. Outside the plot area, so no tag hides data or sits over another line.
 */
function tagStrip(chart: Chart): LayoutItem {
  // `options` is read by chart.js's layout (stacking), though LayoutItem does not declare it.
  const box: LayoutItem & { options: object } = {
    options: {},
    position: 'top',
    weight: 10,
    fullSize: false,
    width: 0,
    height: 0,
    left: 0,
    top: 0,
    right: 0,
    bottom: 0,
    isHorizontal: () => true,
    update(maxWidth) {
      const s = states.get(chart.canvas);
      const any = !!s && s.transitions.length + s.predictions.length > 0;
      box.width = maxWidth;
      box.height = any && s ? tagHeight(s.theme) + LEADER + 2 : 0;
    },
    draw() {
      const s = states.get(chart.canvas);
      const layout = layouts.get(chart.canvas);
      if (!s || !layout || box.height === 0) return;
      const { ctx, chartArea: area } = chart;
      const ms = markers(chart, s);
      ctx.save();
      ctx.font = tagFont(s.theme);
      const pad = 6;
      const width = (text: string) => ctx.measureText(text).width + pad;
      // Values in the tags when they fit side by side, else ids only (the legend has the values).
      let texts = ms.map((m) => m.tag);
      let widths = texts.map(width);
      if (widths.reduce((a, b) => a + b + TAG_GAP, -TAG_GAP) > area.right - area.left) {
        texts = ms.map((m) => m.id);
        widths = texts.map(width);
      }
      const lefts = spread(
        ms.map((m) => m.px),
        widths,
        TAG_GAP,
        area.left,
        area.right,
      );
      const h = tagHeight(s.theme);
      const y = box.top + 1;
      ms.forEach((m, i) => {
        const x0 = lefts[i];
        ctx.strokeStyle = m.color;
        ctx.lineWidth = 1;
        ctx.setLineDash(m.dashed ? [3, 2] : []);
        ctx.beginPath();
        ctx.moveTo(x0 + widths[i] / 2, y + h);
        ctx.lineTo(m.px, area.top);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = s.theme.bg;
        ctx.fillRect(x0, y, widths[i], h);
        ctx.strokeRect(x0 + 0.5, y + 0.5, widths[i] - 1, h - 1);
        ctx.fillStyle = s.theme.fg;
        ctx.textBaseline = 'middle';
        ctx.fillText(texts[i], x0 + pad / 2, y + h / 2 + 0.5);
        layout.tags.push({ text: texts[i], box: { x: x0, y, w: widths[i], h }, lineX: m.px });
      });
      ctx.restore();
    },
  };
  return box;
}

/** The legend under the plot: one entry per line (id, value, kind, order, confidence) and per change point, wrapped in rows. */
function legendStrip(chart: Chart): LayoutItem {
  let rows: { text: string; color: string; dashed: boolean; x: number; w: number; row: number }[] = [];
  const rowHeight = (t: Theme) => t.fontSize + 4;
  // `options` is read by chart.js's layout (stacking), though LayoutItem does not declare it.
  const box: LayoutItem & { options: object } = {
    options: {},
    position: 'bottom',
    weight: 1100,
    fullSize: true,
    width: 0,
    height: 0,
    left: 0,
    top: 0,
    right: 0,
    bottom: 0,
    isHorizontal: () => true,
    update(maxWidth) {
      const s = states.get(chart.canvas);
      box.width = maxWidth;
      rows = [];
      stripHeights.set(chart.canvas, 0);
      if (!s) return void (box.height = 0);
      const entries: { text: string; color: string; dashed: boolean }[] = [];
      const many = (n: number, i: number) => (n > 1 ? sub(i + 1) : '');
      s.transitions.forEach((t, i) =>
        entries.push({ text: `${criticalName(t.axis)}${many(s.transitions.length, i)}  ${lambdaText(t.value)}: ${transitionWords(t)}`, color: orderColor(s.theme, t.order), dashed: false }),
      );
      s.predictions.forEach((p, i) =>
        entries.push({
          text: `pred${many(s.predictions.length, i)}  predicted ${criticalName(p.axis ?? 'lambda')} = ${lambdaText(p.lambda)}, ${p.order}-order (${p.exactness})`,
          color: s.theme.palette.yellow,
          dashed: true,
        }),
      );
      if (s.changePoints)
        for (const t of s.transitions) {
          const cp = t.curvatureChangePoint;
          if (cp) entries.push({ text: `◆ curvature ${cp.kind} (${cp.curve}) at ${atText(cp.value)}`, color: orderColor(s.theme, t.order), dashed: true });
        }
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = tagFont(s.theme);
      const swatch = 18;
      let x = 0;
      let row = 0;
      for (const e of entries) {
        const w = Math.min(maxWidth, swatch + ctx.measureText(e.text).width + 4);
        if (x > 0 && x + w > maxWidth) {
          row++;
          x = 0;
        }
        rows.push({ ...e, x, w, row });
        x += w + 14;
      }
      ctx.restore();
      box.height = entries.length ? (row + 1) * rowHeight(s.theme) + 4 : 0;
      const any = s.transitions.length + s.predictions.length > 0;
      stripHeights.set(chart.canvas, box.height + (any ? tagHeight(s.theme) + LEADER + 2 : 0));
    },
    draw() {
      const s = states.get(chart.canvas);
      const layout = layouts.get(chart.canvas);
      if (!s || !layout) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = tagFont(s.theme);
      ctx.textBaseline = 'middle';
      const rh = rowHeight(s.theme);
      for (const r of rows) {
        const x = box.left + r.x;
        const y = box.top + 4 + r.row * rh;
        ctx.strokeStyle = r.color;
        ctx.lineWidth = s.theme.line;
        ctx.setLineDash(r.dashed ? [4, 3] : []);
        ctx.beginPath();
        ctx.moveTo(x, y + rh / 2);
        ctx.lineTo(x + 14, y + rh / 2);
        ctx.stroke();
        ctx.fillStyle = s.theme.fg;
        ctx.fillText(r.text, x + 18, y + rh / 2, r.w - 18);
        layout.entries.push({ text: r.text, box: { x, y, w: r.w, h: rh } });
      }
      ctx.restore();
    },
  };
  return box;
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
  beforeInit(chart) {
    layouts_.addBox(chart, tagStrip(chart));
    layouts_.addBox(chart, legendStrip(chart));
  },
  beforeDraw(chart) {
    const a = chart.chartArea;
    layouts.set(chart.canvas, { chartArea: { x: a.left, y: a.top, w: a.right - a.left, h: a.bottom - a.top }, tags: [], entries: [] });
  },
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
    ctx.save();
    for (const m of markers(chart, s)) vline(ctx, m.px, area, m.color, theme.line, m.dashed ? [6, 4] : []);
    for (const t of s.transitions) {
      const cp = t.curvatureChangePoint;
      const cx = cp ? x.getPixelForValue(cp.value) : NaN;
      if (s.changePoints && cp && inside(cx)) {
        const color = orderColor(theme, t.order);
        vline(ctx, cx, area, withAlpha(color, 0.7), theme.thin, [2, 3]);
        diamond(ctx, cx, area.bottom - 7, theme.kind === 'high-contrast' ? 7 : 6, color, theme.fg);
      }
    }
    if (s.cursor !== null) {
      const px = x.getPixelForValue(s.cursor);
      if (inside(px)) vline(ctx, px, area, withAlpha(theme.fg, 0.65), theme.thin, []);
    }
    if (s.selectedId !== null) ringSelected(chart, s.selectedId, theme);
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
