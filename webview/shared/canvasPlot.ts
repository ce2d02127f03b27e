// What the plain-canvas plots share (the spectrum view's landscape slice, the sweep panel's phase
// diagram): a canvas sized to its box at the device's pixel ratio, labelled axes that report
// where their tick labels went (the browser tests check them for overlaps), and marks drawn
// dark-under-light so they show on every colour of the viridis map.
import type { Box } from './annotations';
import type { Theme } from './theme';

/** A tick label as drawn. */
export interface TickBox {
  text: string;
  box: Box;
}

/** Sizes `canvas` to w × h CSS pixels at the device pixel ratio and clears it (null: no 2-D context). */
export function prepareCanvas(canvas: HTMLCanvasElement, w: number, h: number): { ctx: CanvasRenderingContext2D; dpr: number } | null {
  // CSSOM, not a style attribute: the CSP allows it.
  canvas.style.height = `${h}px`;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, dpr };
}

/** Strokes what `path` traces twice, 4 px black under 2 px white (or `top`): visible on any fill colour. */
export function haloStroke(ctx: CanvasRenderingContext2D, path: () => void, top = '#fff'): void {
  for (const [color, width] of [
    ['#000', 4],
    [top, 2],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    path();
    ctx.stroke();
  }
}

/** Ticks under the plot at px(value), the title centred below them. */
export function xAxis(ctx: CanvasRenderingContext2D, plot: Box, ticks: { value: number; label: string }[], px: (v: number) => number, title: string, theme: Theme): TickBox[] {
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const out = ticks.map((t) => {
    const x = px(t.value);
    ctx.fillRect(x, plot.y + plot.h, 1, 4);
    ctx.fillText(t.label, x, plot.y + plot.h + 6);
    const tw = ctx.measureText(t.label).width;
    return { text: t.label, box: { x: x - tw / 2, y: plot.y + plot.h + 6, w: tw, h: theme.fontSize - 2 } };
  });
  ctx.fillStyle = theme.fg;
  ctx.font = `${theme.fontSize - 1}px ${theme.font}`;
  ctx.fillText(title, plot.x + plot.w / 2, plot.y + plot.h + 22);
  return out;
}

/** Ticks left of the plot at py(value), the title turned along the left edge. */
export function yAxis(ctx: CanvasRenderingContext2D, plot: Box, ticks: { value: number; label: string }[], py: (v: number) => number, title: string, theme: Theme): TickBox[] {
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const th = theme.fontSize - 2;
  const out = ticks.map((t) => {
    const y = py(t.value);
    ctx.fillRect(plot.x - 4, y, 4, 1);
    ctx.fillText(t.label, plot.x - 6, y);
    const tw = ctx.measureText(t.label).width;
    return { text: t.label, box: { x: plot.x - 6 - tw, y: y - th / 2, w: tw, h: th } };
  });
  ctx.save();
  ctx.translate(12, plot.y + plot.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillStyle = theme.fg;
  ctx.font = `${theme.fontSize - 1}px ${theme.font}`;
  ctx.fillText(title, 0, 0);
  ctx.restore();
  return out;
}
