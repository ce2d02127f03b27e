// The landscape slice on a plain canvas that fills the view's width. 2-D: filled contours of
// objective − min on a log ladder of levels through viridis (perceptually uniform, readable in
// every theme and for color-blind users), the iso-lines by marching squares with their levels
// labelled along them, a colour bar with a labelled tick per level, α and β axes, the trained
// point at the centre. 1-D: the objective and the data loss against α on a linear axis.
import type { PointSlice } from '../../src/core/analysis/slice';
import type { Box } from '../shared/annotations';
import { haloStroke, prepareCanvas, xAxis, yAxis } from '../shared/canvasPlot';
import { fmtNum } from '../shared/format';
import type { Theme } from '../shared/theme';
import { tickLabels } from '../shared/ticks';
import { viridis } from '../shared/colormap';
import { bilinear, logLevels, marchingSquares, niceTicks } from './contour';

/** What was drawn where (the browser tests read it through window.__l2SliceLayout). */
export interface SliceLayout {
  dims: 1 | 2;
  grid: [number, number];
  range: [number, number];
  plot: Box;
  levels: number[];
  /** Level labels placed on the iso-lines. */
  labels: { text: string; box: Box }[];
  colorbarTicks: { text: string; box: Box }[];
  xTicks: { text: string; box: Box }[];
  yTicks: { text: string; box: Box }[];
}

const M = { left: 48, right: 78, top: 8, bottom: 40 };
const M1 = { left: 56, right: 12, top: 8, bottom: 40 };

const overlaps = (a: Box, b: Box, pad = 0) => a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;

/** Draws `slice` filling the canvas's CSS width (its height follows); returns sentences describing it and the layout. */
export function drawSlice(canvas: HTMLCanvasElement, slice: PointSlice, theme: Theme): { lines: string[]; layout: SliceLayout | null } {
  const twoD = slice.betas !== null;
  const w = canvas.clientWidth;
  if (w === 0) return { lines: [], layout: null };
  const m = twoD ? M : M1;
  const size = Math.max(120, w - m.left - m.right);
  const h = twoD ? size + m.top + m.bottom : Math.round(size * 0.7) + m.top + m.bottom;
  // The height follows the width: the plot stays square as the view widens.
  const prepared = prepareCanvas(canvas, w, h);
  if (!prepared) return { lines: [], layout: null };
  const { ctx, dpr } = prepared;
  const plot: Box = { x: m.left, y: m.top, w: size, h: h - m.top - m.bottom };
  const layout: SliceLayout = {
    dims: twoD ? 2 : 1,
    grid: [slice.alphas.length, slice.betas?.length ?? 1],
    range: [slice.alphas[0], slice.alphas[slice.alphas.length - 1]],
    plot,
    levels: [],
    labels: [],
    colorbarTicks: [],
    xTicks: [],
    yTicks: [],
  };
  const lines = twoD ? drawContours(ctx, slice, plot, theme, layout, dpr) : drawCurve(ctx, slice, plot, theme, layout);
  return { lines: [...lines, directionsText(slice)], layout };
}

/** The directions and, for Hessian ones, their eigenvalues: "d₁: top Hessian eigenvector, eigenvalue 12.3 (‖d₁‖ = 1.2)". */
export function directionItems(slice: PointSlice): string[] {
  return slice.directionNorms.map((n, i) => {
    const d = `d${i === 0 ? '₁' : '₂'}`;
    const what = slice.directions === 'hessian' ? `Hessian eigenvector ${i + 1}, eigenvalue ${slice.eigenvalues ? fmtNum(slice.eigenvalues[i]) : '?'}` : 'filter-normalized random direction';
    return `${d}: ${what} (‖${d}‖ = ${fmtNum(n)})`;
  });
}

const directionsText = (slice: PointSlice) => `Directions: ${directionItems(slice).join('; ')}.`;

function drawContours(ctx: CanvasRenderingContext2D, slice: PointSlice, plot: Box, theme: Theme, layout: SliceLayout, dpr: number): string[] {
  const { alphas } = slice;
  const betas = slice.betas!;
  const min = Math.min(...slice.objective.flat());
  const z = slice.objective.map((row) => row.map((v) => v - min));
  const zmax = Math.max(...z.flat());
  const floor = zmax * 1e-4 || 1e-12;
  const levels = logLevels(zmax, floor);
  layout.levels = levels;
  const band = (v: number) => {
    let k = 0;
    while (k < levels.length && v >= levels[k]) k++;
    return k;
  };
  const colors = Array.from({ length: levels.length + 1 }, (_, k) => viridis(levels.length ? k / levels.length : 0));
  // Filled bands, pixel by pixel at the canvas's resolution, from the bilinear surface.
  const pw = Math.round(plot.w * dpr);
  const ph = Math.round(plot.h * dpr);
  const img = ctx.createImageData(pw, ph);
  const gi = (px: number) => (px / pw) * (alphas.length - 1);
  const gj = (py: number) => (1 - py / ph) * (betas.length - 1);
  for (let py = 0; py < ph; py++)
    for (let px = 0; px < pw; px++) {
      const [r, g, b] = colors[band(bilinear(z, gi(px + 0.5), gj(py + 0.5)))];
      img.data.set([r, g, b, 255], (py * pw + px) * 4);
    }
  ctx.putImageData(img, Math.round(plot.x * dpr), Math.round(plot.y * dpr));

  const X = (i: number) => plot.x + (i / (alphas.length - 1)) * plot.w;
  const Y = (j: number) => plot.y + plot.h - (j / (betas.length - 1)) * plot.h;
  // Iso-lines, and a label on each where it has room, off the other labels and the centre mark.
  ctx.font = `${theme.fontSize - 3}px ${theme.font}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  const names = tickLabels(levels, { shortest: true });
  const taken: Box[] = [{ x: X((alphas.length - 1) / 2) - 10, y: Y((betas.length - 1) / 2) - 10, w: 20, h: 20 }];
  levels.forEach((level, k) => {
    const segs = marchingSquares(z, level);
    ctx.strokeStyle = k / levels.length > 0.6 ? 'rgba(0, 0, 0, 0.55)' : 'rgba(255, 255, 255, 0.6)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const [i0, j0, i1, j1] of segs) {
      ctx.moveTo(X(i0), Y(j0));
      ctx.lineTo(X(i1), Y(j1));
    }
    ctx.stroke();
    const text = names[k];
    const tw = ctx.measureText(text).width + 4;
    const th = theme.fontSize - 1;
    // Candidates in an order that spreads labels around the plot: a stride through the segments.
    const stride = Math.max(1, Math.floor(segs.length / 7));
    for (let n = 0; n < segs.length; n += stride) {
      const [i0, j0, i1, j1] = segs[(n + k * 3) % segs.length];
      const cx = (X(i0) + X(i1)) / 2;
      const cy = (Y(j0) + Y(j1)) / 2;
      const box = { x: cx - tw / 2, y: cy - th / 2, w: tw, h: th };
      if (box.x < plot.x + 2 || box.y < plot.y + 2 || box.x + box.w > plot.x + plot.w - 2 || box.y + box.h > plot.y + plot.h - 2) continue;
      if (taken.some((t) => overlaps(t, box, 3))) continue;
      taken.push(box);
      const [r, g, b] = colors[k + 1];
      ctx.fillStyle = `rgba(${r}, ${g}, ${b}, 0.9)`;
      ctx.fillRect(box.x, box.y, box.w, box.h);
      ctx.fillStyle = (k + 1) / levels.length > 0.6 ? '#000' : '#fff';
      ctx.fillText(text, cx, cy + 0.5);
      layout.labels.push({ text, box });
      break;
    }
  });
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
  centreMark(ctx, X((alphas.length - 1) / 2), Y((betas.length - 1) / 2));

  const ax = (v: number) => plot.x + ((v - alphas[0]) / (alphas[alphas.length - 1] - alphas[0])) * plot.w;
  const by = (v: number) => plot.y + plot.h - ((v - betas[0]) / (betas[betas.length - 1] - betas[0])) * plot.h;
  const e = slice.eigenvalues;
  const hess = slice.directions === 'hessian';
  layout.xTicks.push(...xAxis(ctx, plot, niceAxis(alphas[0], alphas[alphas.length - 1], plot.w, 60), ax, `α along d₁${hess && e ? ` (eigenvalue ${fmtNum(e[0])})` : ''}`, theme));
  layout.yTicks.push(...yAxis(ctx, plot, niceAxis(betas[0], betas[betas.length - 1], plot.h, 40), by, `β along d₂${hess && e && e.length > 1 ? ` (eigenvalue ${fmtNum(e[1])})` : ''}`, theme));
  colorbar(ctx, plot, levels, colors, names, theme, layout);
  return [
    `2-D slice, α and β from ${fmtNum(alphas[0])} to ${fmtNum(alphas[alphas.length - 1])}, ${alphas.length}×${betas.length} points; filled contours of objective − min (0 to ${fmtNum(zmax)}) at ${levels.length} levels on a log ladder (${names.join(', ')}); the trained point is marked at the centre.`,
  ];
}

/** A cross at the trained point. */
function centreMark(ctx: CanvasRenderingContext2D, cx: number, cy: number): void {
  haloStroke(ctx, () => {
    ctx.moveTo(cx - 7, cy);
    ctx.lineTo(cx + 7, cy);
    ctx.moveTo(cx, cy - 7);
    ctx.lineTo(cx, cy + 7);
  });
}

/** Round ticks from lo to hi, one per `room` pixels of `length` (3 to 7), labelled alike. */
function niceAxis(lo: number, hi: number, length: number, room: number): { value: number; label: string }[] {
  const values = niceTicks(lo, hi, Math.max(3, Math.min(7, Math.floor(length / room))));
  const labels = tickLabels(values);
  return values.map((value, i) => ({ value, label: labels[i] }));
}

/** Discrete bands, one per level gap, each level labelled where labels do not collide (the top and bottom first). */
function colorbar(ctx: CanvasRenderingContext2D, plot: Box, levels: number[], colors: [number, number, number][], names: string[], theme: Theme, layout: SliceLayout): void {
  const x = plot.x + plot.w + 10;
  const width = 12;
  const n = colors.length;
  const bh = plot.h / n;
  colors.forEach(([r, g, b], k) => {
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(x, plot.y + plot.h - (k + 1) * bh, width, bh + 0.5);
  });
  ctx.strokeStyle = theme.border;
  ctx.strokeRect(x + 0.5, plot.y + 0.5, width - 1, plot.h - 1);
  ctx.font = `${theme.fontSize - 3}px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const th = theme.fontSize - 2;
  const order = levels.map((_, k) => k).sort((a, b) => (a === levels.length - 1 ? -1 : b === levels.length - 1 ? 1 : a - b));
  const kept: Box[] = [];
  for (const k of order) {
    const y = plot.y + plot.h - (k + 1) * bh;
    const tw = ctx.measureText(names[k]).width;
    const box = { x: x + width + 4, y: y - th / 2, w: tw, h: th };
    if (kept.some((b) => overlaps(b, box, 1))) continue;
    kept.push(box);
    ctx.fillRect(x + width, y, 3, 1);
    ctx.fillText(names[k], box.x, y);
    layout.colorbarTicks.push({ text: names[k], box });
  }
  ctx.save();
  ctx.translate(x + width + 4 + Math.max(0, ...kept.map((b) => b.w)) + 10, plot.y + plot.h / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillStyle = theme.fg;
  ctx.fillText('objective − min (log levels)', 0, 0);
  ctx.restore();
}

function drawCurve(ctx: CanvasRenderingContext2D, slice: PointSlice, plot: Box, theme: Theme, layout: SliceLayout): string[] {
  const { alphas } = slice;
  const obj = slice.objective[0];
  const err = slice.error[0];
  const all = [...obj, ...err];
  const ticks = niceTicks(Math.min(...all), Math.max(...all), Math.max(3, Math.min(7, Math.floor(plot.h / 40))));
  // The axis ends on round values just outside the data.
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const lo = Math.floor(Math.min(...all) / step) * step;
  const hi = Math.ceil(Math.max(...all) / step) * step;
  const X = (a: number) => plot.x + ((a - alphas[0]) / (alphas[alphas.length - 1] - alphas[0])) * plot.w;
  const Y = (v: number) => plot.y + plot.h - ((v - lo) / (hi - lo || 1)) * plot.h;
  ctx.fillStyle = theme.grid;
  for (const t of niceTicks(lo, hi, Math.max(3, Math.min(7, Math.floor(plot.h / 40))))) ctx.fillRect(plot.x, Y(t), plot.w, 1);
  for (const [values, color, dash] of [
    [obj, theme.palette.blue, []],
    [err, theme.palette.orange, [6, 3]],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = theme.line;
    ctx.setLineDash([...dash]);
    ctx.beginPath();
    values.forEach((v, i) => ctx.lineTo(X(alphas[i]), Y(v)));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.strokeStyle = theme.border;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
  const i0 = alphas.findIndex((a) => Math.abs(a) < 1e-12);
  if (i0 >= 0) centreMark(ctx, X(0), Y(obj[i0]));
  const e = slice.eigenvalues;
  layout.xTicks.push(
    ...xAxis(ctx, plot, niceAxis(alphas[0], alphas[alphas.length - 1], plot.w, 60), X, `α along d₁${slice.directions === 'hessian' && e ? ` (eigenvalue ${fmtNum(e[0])})` : ''}`, theme),
  );
  layout.yTicks.push(...yAxis(ctx, plot, niceAxis(lo, hi, plot.h, 40), Y, 'loss', theme));
  // Key, top right inside the plot.
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  [
    ['objective', theme.palette.blue],
    ['data loss', theme.palette.orange],
  ].forEach(([label, color], k) => {
    const y = plot.y + 10 + k * 14;
    ctx.fillStyle = color;
    ctx.fillRect(plot.x + plot.w - 86, y, 14, 2);
    ctx.fillStyle = theme.fg;
    ctx.fillText(label, plot.x + plot.w - 6, y);
  });
  return [
    `1-D slice, α from ${fmtNum(alphas[0])} to ${fmtNum(alphas[alphas.length - 1])}, ${alphas.length} points: the objective from ${fmtNum(Math.min(...obj))} to ${fmtNum(Math.max(...obj))} and the data loss beside it.`,
  ];
}
