// The phase diagram of a 2-D sweep on a plain canvas that fills its card's width: one cell per
// grid point (first axis across, log where its grid is; the second axis up), coloured through
// viridis by an order parameter, a colour bar with labelled ticks, and the detected transitions
// as lines: each row's critical value at that row, joined from row to row per kind of transition
// (mode k's collapse or cascade, the spectral change, feature learning), first-order ones marked
// ● and second-order ones ◆; beside them, dashed, the values predicted from each row's data
// before training, hollow markers. Text and grid follow the theme; the cells keep viridis in every one.
import { predictionHeadline, transitionHeadline } from '../../src/core/transitions/text';
import type { Prediction, Transition, TransitionOrder } from '../../src/core/transitions/types';
import type { AxisInfo } from '../../src/protocol/webview';
import { symbolOf, titleOf } from '../shared/axis';
import { viridis } from '../shared/colormap';
import type { Box } from '../shared/annotations';
import { haloStroke, prepareCanvas, xAxis, yAxis, type TickBox } from '../shared/canvasPlot';
import { fmtNum } from '../shared/format';
import type { Theme } from '../shared/theme';
import { gridTicks, logTicks, tickLabels, type TickFit } from '../shared/ticks';
import { countsAxis } from '../../src/core/sweep/axis';
import type { SweepGrid } from './gridSlice';
import type { Cell, OrderParameter } from './phaseCells';

export interface PhaseInput extends SweepGrid {
  cells: Map<string, Cell>;
  parameter: OrderParameter;
  /** Every transition of the run: those with a row (`across`) are drawn. */
  transitions: Transition[];
  /** Every prediction of the run: the per-row ones (with `across`) are drawn. */
  predictions: Prediction[];
  /** The selected point's cell, outlined. */
  selected: { i: number; j: number } | null;
}

export interface TransitionLine {
  /** "mode 1", "spectral", "feature learning". */
  name: string;
  points: { value: number; across: number; order: TransitionOrder; x: number; y: number }[];
}

/** A predicted line: its points' predictions, in the same order. */
export interface PredictedLine extends TransitionLine {
  predictions: Prediction[];
}

/** What was drawn where (the browser tests read it through window.__l2PhaseLayout). */
export interface PhaseLayout {
  /** Grid positions of the first axis and rows. */
  grid: [number, number];
  plot: Box;
  /** The cells drawn in colour: grid position, value, colour and box; the point they show. */
  cells: { i: number; j: number; value: number; rgb: [number, number, number]; box: Box; id: string }[];
  scale: { min: number; max: number; log: boolean };
  lines: TransitionLine[];
  /** The predicted lines, dashed: a row's k-th largest predicted value on the line "predicted mode k" (a VAE's "predicted unit k"). */
  predicted: PredictedLine[];
  xTicks: TickBox[];
  yTicks: TickBox[];
  colorbarTicks: TickBox[];
  /** Axis and colour-bar titles. */
  titles: { x: string; y: string; colorbar: string };
}

const M = { left: 64, right: 96, top: 10, bottom: 42 };

/** ln x on a log axis (the grid is even in it), x on a linear one. */
const uOf = (axis: AxisInfo) => (x: number) => (axis.log && x > 0 ? Math.log(x) : x);

/** Cell edges in u: halfway between neighbouring grid values, half a step beyond the ends. */
function edges(grid: number[], u: (x: number) => number): number[] {
  const c = grid.map(u);
  if (c.length === 1) return [c[0] - 0.5, c[0] + 0.5];
  const out = [c[0] - (c[1] - c[0]) / 2];
  for (let k = 1; k < c.length; k++) out.push((c[k - 1] + c[k]) / 2);
  out.push(c[c.length - 1] + (c[c.length - 1] - c[c.length - 2]) / 2);
  return out;
}

/** Where the colour scale puts a value, 0 to 1. */
function scaleOf(values: number[], parameter: OrderParameter): { min: number; max: number; log: boolean; t(v: number): number } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const log = Boolean(parameter.log) && min > 0 && max / min >= 10;
  const f = (v: number) => (log ? Math.log(v) : v);
  const span = f(max) - f(min);
  return { min, max, log, t: (v) => (span > 0 ? (f(v) - f(min)) / span : 0.5) };
}

const axisName = (a: AxisInfo) => `${titleOf(a)}${a.log ? ', log scale' : ''}`;

/** Draws the diagram filling the canvas's CSS width; returns sentences describing it and the layout. */
export function drawPhase(canvas: HTMLCanvasElement, input: PhaseInput, theme: Theme): { lines: string[]; layout: PhaseLayout | null } {
  const w = canvas.clientWidth;
  const nx = input.first.grid.length;
  const ny = input.rows.grid.length;
  if (w === 0 || nx === 0 || ny === 0) return { lines: [], layout: null };
  const plotH = Math.min(320, Math.max(200, 40 * ny));
  const h = plotH + M.top + M.bottom;
  const prepared = prepareCanvas(canvas, w, h);
  if (!prepared) return { lines: [], layout: null };
  const { ctx, dpr } = prepared;
  const plot: Box = { x: M.left, y: M.top, w: Math.max(80, w - M.left - M.right), h: plotH };

  const ux = uOf(input.first.axis);
  const uy = uOf(input.rows.axis);
  const ex = edges(input.first.grid, ux);
  const ey = edges(input.rows.grid, uy);
  const X = (u: number) => plot.x + ((u - ex[0]) / (ex[nx] - ex[0])) * plot.w;
  const Y = (u: number) => plot.y + plot.h - ((u - ey[0]) / (ey[ny] - ey[0])) * plot.h;
  const cellBox = (i: number, j: number): Box => {
    const [x0, x1, y0, y1] = [X(ex[i]), X(ex[i + 1]), Y(ey[j + 1]), Y(ey[j])];
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  };

  const cells = [...input.cells.values()].filter((c): c is Cell & { value: number } => c.value !== null && Number.isFinite(c.value) && c.i < nx);
  const scale = scaleOf(
    cells.map((c) => c.value),
    input.parameter,
  );
  const colorbarTitle = `${input.parameter.short}${scale.log ? ' (log)' : ''}`;
  const layout: PhaseLayout = {
    grid: [nx, ny],
    plot,
    cells: [],
    scale: { min: scale.min, max: scale.max, log: scale.log },
    lines: [],
    predicted: [],
    xTicks: [],
    yTicks: [],
    colorbarTicks: [],
    titles: { x: fitTitle(ctx, input.first.axis, plot.w, theme), y: fitTitle(ctx, input.rows.axis, plot.h - 8, theme), colorbar: colorbarTitle },
  };

  // Every grid position's outline (so a live run's cells to come are visible), then the cells.
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++) {
      const b = cellBox(i, j);
      ctx.strokeRect(b.x + 0.5, b.y + 0.5, b.w - 1, b.h - 1);
    }
  for (const c of cells) {
    const b = cellBox(c.i, c.j);
    const rgb = viridis(scale.t(c.value));
    ctx.fillStyle = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
    // Half a pixel over each edge: no seams between neighbours.
    ctx.fillRect(b.x - 0.25, b.y - 0.25, b.w + 0.5, b.h + 0.5);
    layout.cells.push({ i: c.i, j: c.j, value: c.value, rgb, box: b, id: c.point.id });
  }
  ctx.strokeStyle = theme.border;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);

  if (input.selected && input.selected.i < nx && input.selected.j < ny) {
    const b = cellBox(input.selected.i, input.selected.j);
    haloStroke(ctx, () => ctx.rect(b.x + 2, b.y + 2, b.w - 4, b.h - 4));
  }

  const px = (v: number) => X(ux(v));
  const py = (a: number) => {
    const j = input.rows.grid.indexOf(a);
    return j >= 0 ? Y((ey[j] + ey[j + 1]) / 2) : Y(uy(a));
  };
  layout.lines = transitionLines(input, px, py);
  layout.predicted = predictedLines(input.predictions, px, py);
  drawLines(ctx, layout.predicted, theme, plot, true);
  drawLines(ctx, layout.lines, theme, plot, false);

  const fit = (horizontal: boolean, length: number, fraction: (v: number) => number): TickFit => ({
    horizontal,
    length,
    fraction,
    extent: (label) => (horizontal ? ctx.measureText(label).width : (theme.fontSize - 2) * 1.25),
  });
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  const xFraction = (v: number) => (X(ux(v)) - plot.x) / plot.w;
  const xs =
    input.first.axis.log && !countsAxis(input.first.axis.id) ? logTicks(Math.exp(ex[0]), Math.exp(ex[nx]), fit(true, plot.w, xFraction)) : gridTicks(input.first.grid, fit(true, plot.w, xFraction));
  const ys = gridTicks(
    input.rows.grid,
    fit(false, plot.h, (v) => (plot.y + plot.h - Y(uy(v))) / plot.h),
  );
  layout.xTicks = xAxis(ctx, plot, xs, (v) => X(ux(v)), layout.titles.x, theme);
  layout.yTicks = yAxis(ctx, plot, ys, (v) => Y(uy(v)), layout.titles.y, theme);
  if (cells.length > 0) colorbar(ctx, plot, scale, input.parameter, colorbarTitle, theme, layout, dpr);

  const sx = symbolOf(input.first.axis);
  const sy = symbolOf(input.rows.axis);
  const lo = cells.find((c) => c.value === scale.min);
  const hi = cells.find((c) => c.value === scale.max);
  const at = (c: Cell) => `${sx} = ${fmtNum(input.first.grid[c.i])}, ${sy} = ${fmtNum(input.rows.grid[c.j])}`;
  const lines = [
    `Phase diagram of ${input.parameter.label} over ${axisName(input.first.axis)} × ${axisName(input.rows.axis)}: ${nx} × ${ny} cells, ${cells.length} drawn` +
      (lo && hi ? `, from ${fmtNum(scale.min)} at ${at(lo)} to ${fmtNum(scale.max)} at ${at(hi)}.` : '.'),
    ...layout.lines.map(
      (l) =>
        `Transition line (${l.name}): ${input.transitions
          .filter((t) => t.across !== undefined && lineName(t) === l.name)
          .map(transitionHeadline)
          .join('; ')}.`,
    ),
    ...layout.predicted.map((l) => `Predicted line (${l.name}, dashed): ${l.predictions.map(predictionHeadline).join('; ')}.`),
  ];
  return { lines, layout };
}

/** The cell under a point of the canvas (CSS pixels), if any. */
export function cellAt(layout: PhaseLayout, x: number, y: number): PhaseLayout['cells'][number] | null {
  return layout.cells.find((c) => x >= c.box.x && x < c.box.x + c.box.w && y >= c.box.y && y < c.box.y + c.box.h) ?? null;
}

/** Which line a transition joins: the same mode's switch-off (collapse or cascade), else its kind's ("spectral", "feature learning"). */
const lineName = (t: Transition): string => (t.kind === 'collapse' || t.kind === 'cascade' ? `mode ${t.mode}` : t.kind.replace('-', ' '));

function transitionLines(input: PhaseInput, px: (value: number) => number, py: (across: number) => number): TransitionLine[] {
  const byName = new Map<string, TransitionLine>();
  for (const t of input.transitions) {
    if (t.across === undefined) continue;
    const name = lineName(t);
    const line = byName.get(name) ?? { name, points: [] };
    byName.set(name, line);
    line.points.push({ value: t.value, across: t.across, order: t.order, x: px(t.value), y: py(t.across) });
  }
  const lines = [...byName.values()];
  lines.forEach((l) => l.points.sort((a, b) => a.across - b.across || a.value - b.value));
  return lines;
}

/** Per row, its predictions from the largest value down: the k-th largest is mode k's (the strongest mode is the last to switch off), joined across rows. */
function predictedLines(predictions: Prediction[], px: (value: number) => number, py: (across: number) => number): PredictedLine[] {
  const rows = new Map<number, Prediction[]>();
  for (const p of predictions) if (p.across !== undefined) rows.set(p.across, [...(rows.get(p.across) ?? []), p]);
  const lines: PredictedLine[] = [];
  for (const [across, ps] of [...rows].sort((a, b) => a[0] - b[0])) {
    ps.sort((a, b) => b.lambda - a.lambda).forEach((p, k) => {
      const name = `predicted ${p.axis === 'beta' ? 'unit' : 'mode'} ${k + 1}`;
      const line = lines[k] ?? (lines[k] = { name, points: [], predictions: [] });
      line.points.push({ value: p.lambda, across, order: p.order, x: px(p.lambda), y: py(across) });
      line.predictions.push(p);
    });
  }
  return lines;
}

function drawLines(ctx: CanvasRenderingContext2D, lines: TransitionLine[], theme: Theme, plot: Box, predicted: boolean): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.w, plot.h);
  ctx.clip();
  const path = (l: TransitionLine) => () => l.points.forEach((p, k) => (k === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
  // A prediction in the charts' colour for one (yellow, dashed), on a dark edge for any cell colour.
  if (predicted) ctx.setLineDash([6, 4]);
  for (const l of lines) haloStroke(ctx, path(l), predicted ? theme.palette.yellow : undefined);
  ctx.setLineDash([]);
  for (const l of lines) for (const p of l.points) marker(ctx, p.x, p.y, p.order, predicted ? theme.palette.yellow : null, theme);
  ctx.font = `${theme.fontSize - 3}px ${theme.font}`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.lineWidth = 3;
  // The predicted lines go unnamed: each lies beside the detected line of its mode, and the card's key says what dashes are.
  for (const l of predicted ? [] : lines) {
    const top = l.points[l.points.length - 1];
    if (!top) continue;
    ctx.strokeStyle = '#000';
    ctx.strokeText(l.name, top.x + 7, top.y - 5);
    ctx.fillStyle = '#fff';
    ctx.fillText(l.name, top.x + 7, top.y - 5);
  }
  ctx.restore();
}

/** ● a first-order transition (theme red), ◆ a second-order one (theme purple), outlined for any cell colour; a prediction's the same shape hollow, in `hollow`'s colour. */
function marker(ctx: CanvasRenderingContext2D, x: number, y: number, order: TransitionOrder, hollow: string | null, theme: Theme): void {
  const shape = () => {
    if (order === 'first') ctx.arc(x, y, 5, 0, 2 * Math.PI);
    else {
      ctx.moveTo(x, y - 6.5);
      ctx.lineTo(x + 6.5, y);
      ctx.lineTo(x, y + 6.5);
      ctx.lineTo(x - 6.5, y);
      ctx.closePath();
    }
  };
  if (hollow) return haloStroke(ctx, shape, hollow);
  ctx.beginPath();
  shape();
  ctx.fillStyle = order === 'first' ? theme.palette.red : theme.palette.purple;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#fff';
  ctx.stroke();
}

/** The axis's title, or (when that is longer than `room`, as δ's is along a short plot) without its gloss: "δ = n/d". */
function fitTitle(ctx: CanvasRenderingContext2D, a: AxisInfo, room: number, theme: Theme): string {
  ctx.font = `${theme.fontSize - 1}px ${theme.font}`;
  const full = axisName(a);
  return ctx.measureText(full).width <= room ? full : `${titleOf(a).replace(/ \([^)]*\)$/, '')}${a.log ? ', log scale' : ''}`;
}

/** A continuous bar from the smallest value (bottom) to the largest, its ticks in the scale's own spacing. */
function colorbar(ctx: CanvasRenderingContext2D, plot: Box, scale: ReturnType<typeof scaleOf>, parameter: OrderParameter, title: string, theme: Theme, layout: PhaseLayout, dpr: number): void {
  const x = plot.x + plot.w + 10;
  const width = 12;
  const rows = Math.max(1, Math.round(plot.h * dpr));
  for (let r = 0; r < rows; r++) {
    const [cr, cg, cb] = viridis(1 - r / Math.max(1, rows - 1));
    ctx.fillStyle = `rgb(${cr}, ${cg}, ${cb})`;
    ctx.fillRect(x, plot.y + r / dpr, width, 1 / dpr + 0.01);
  }
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, plot.y + 0.5, width - 1, plot.h - 1);
  const Y = (v: number) => plot.y + plot.h - scale.t(v) * plot.h;
  const fit: TickFit = { horizontal: false, length: plot.h, fraction: (v) => scale.t(v), extent: () => (theme.fontSize - 2) * 1.25 };
  let ticks: { value: number; label: string }[];
  if (scale.max === scale.min) ticks = [{ value: scale.min, label: tickLabels([scale.min])[0] }];
  else if (scale.log) ticks = logTicks(scale.min, scale.max, fit);
  else if (parameter.integer && scale.max - scale.min <= 200) {
    const values = Array.from({ length: Math.floor(scale.max) - Math.ceil(scale.min) + 1 }, (_, k) => Math.ceil(scale.min) + k);
    ticks = gridTicks(values, fit);
  } else {
    const values = Array.from({ length: 5 }, (_, k) => scale.min + (k / 4) * (scale.max - scale.min));
    ticks = gridTicks(parameter.integer ? [...new Set(values.map(Math.round))] : values, fit);
  }
  ctx.font = `${theme.fontSize - 3}px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const th = theme.fontSize - 2;
  let widest = 0;
  for (const t of ticks) {
    const y = Y(t.value);
    ctx.fillRect(x + width, y, 3, 1);
    ctx.fillText(t.label, x + width + 5, y);
    const tw = ctx.measureText(t.label).width;
    widest = Math.max(widest, tw);
    layout.colorbarTicks.push({ text: t.label, box: { x: x + width + 5, y: y - th / 2, w: tw, h: th } });
  }
  ctx.save();
  ctx.translate(x + width + 5 + widest + 10, plot.y + plot.h / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillStyle = theme.fg;
  ctx.fillText(title, 0, 0);
  ctx.restore();
}
