// The 2-D landscape slice as a heat map on a plain canvas: objective − min on a log color scale
// through viridis (perceptually uniform, readable in every theme and for color-blind users), the
// trained point marked at α = β = 0, a colorbar. A 1-D slice is drawn as a curve instead.
import type { PointSlice } from '../../src/core/analysis/slice';
import { fmtNum } from '../shared/format';
import type { Theme } from '../shared/theme';

/** Viridis from its degree-6 polynomial fit (Matt Zucker's published coefficients), t in [0, 1]. */
const VIRIDIS = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const rgb = [0, 1, 2].map((c) => {
    let v = 0;
    for (let k = VIRIDIS.length - 1; k >= 0; k--) v = v * x + VIRIDIS[k][c];
    return Math.round(255 * Math.min(1, Math.max(0, v)));
  });
  return [rgb[0], rgb[1], rgb[2]];
}

/** Where `v` lies across a grid's cells (each cell centred on its grid value), 0 to 1. */
function fraction(grid: number[], v: number): number {
  const g0 = grid[0];
  const g1 = grid[grid.length - 1];
  const half = grid.length > 1 ? (g1 - g0) / (grid.length - 1) / 2 : 0.5;
  return (v - g0 + half) / (g1 - g0 + 2 * half);
}

/** log10(v − min + floor), normalized to [0, 1]; floor keeps the minimum finite. */
function logScale(values: number[]): { norm: (v: number) => number; min: number; max: number } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const floor = (max - min) * 1e-4 || 1e-12;
  const lo = Math.log10(floor);
  const hi = Math.log10(max - min + floor);
  return { norm: (v) => (hi > lo ? (Math.log10(v - min + floor) - lo) / (hi - lo) : 0), min, max };
}

const MARGIN = { left: 44, right: 64, top: 10, bottom: 38 };

/** Draws `slice` filling the canvas's CSS width; returns sentences describing it. */
export function drawSlice(canvas: HTMLCanvasElement, slice: PointSlice, theme: Theme): string[] {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx || w === 0) return [];
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const size = Math.max(40, Math.min(w - MARGIN.left - MARGIN.right, h - MARGIN.top - MARGIN.bottom));
  const plot = { x: MARGIN.left, y: MARGIN.top, size };
  const { alphas, betas, objective } = slice;
  const scale = logScale(objective.flat());
  const a0 = alphas[0];
  const a1 = alphas[alphas.length - 1];
  const px = (a: number) => plot.x + fraction(alphas, a) * size;
  const py = (b: number) => plot.y + size - fraction(betas ?? alphas, b) * size;

  if (betas) {
    const img = new ImageData(alphas.length, betas.length);
    objective.forEach((row, b) =>
      row.forEach((v, a) => {
        const [r, g, bl] = viridis(scale.norm(v));
        const o = ((betas.length - 1 - b) * alphas.length + a) * 4;
        img.data.set([r, g, bl, 255], o);
      }),
    );
    const cells = document.createElement('canvas');
    cells.width = alphas.length;
    cells.height = betas.length;
    cells.getContext('2d')?.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, plot.x, plot.y, size, size);
  } else {
    ctx.strokeStyle = theme.palette.blue;
    ctx.lineWidth = theme.line;
    ctx.beginPath();
    objective[0].forEach((v, i) => ctx.lineTo(px(alphas[i]), plot.y + (1 - scale.norm(v)) * size));
    ctx.stroke();
  }
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, size - 1, size - 1);

  // The trained point: a cross with a dark and a light stroke, visible on any viridis color.
  const cx = px(0);
  const cy = betas ? py(0) : plot.y + (1 - scale.norm(objective[0][alphas.indexOf(0)] ?? scale.min)) * size;
  for (const [color, width] of [['#000', 4], ['#fff', 2]] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(cx - 7, cy);
    ctx.lineTo(cx + 7, cy);
    ctx.moveTo(cx, cy - 7);
    ctx.lineTo(cx, cy + 7);
    ctx.stroke();
  }

  drawAxes(ctx, plot, alphas, betas, px, py, theme);
  drawColorbar(ctx, plot, scale, theme);
  const dirs = slice.directions === 'hessian' ? `top Hessian eigenvectors${slice.eigenvalues ? ` (eigenvalues ${slice.eigenvalues.map((e) => fmtNum(e)).join(', ')})` : ''}` : 'filter-normalized random directions';
  return [
    `${betas ? '2-D' : '1-D'} slice along ${dirs}, α${betas ? ', β' : ''} from ${fmtNum(a0)} to ${fmtNum(a1)}, ${alphas.length}${betas ? `×${betas.length}` : ''} points.`,
    `Objective − min from 0 to ${fmtNum(scale.max - scale.min)} on a log color scale; the trained point is marked at the centre.`,
  ];
}

type Plot = { x: number; y: number; size: number };

/** Ticks at both ends and 0 of each axis, and the axis names. */
const ends = (grid: number[]) => [grid[0], 0, grid[grid.length - 1]];

function drawAxes(ctx: CanvasRenderingContext2D, plot: Plot, alphas: number[], betas: number[] | null, px: (a: number) => number, py: (b: number) => number, theme: Theme): void {
  const twoD = betas !== null;
  ctx.fillStyle = theme.muted;
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const a of ends(alphas)) ctx.fillText(fmtNum(a, 2), px(a), plot.y + plot.size + 4);
  ctx.fillStyle = theme.fg;
  ctx.font = `italic ${theme.fontSize}px ${theme.font}`;
  ctx.fillText('α', plot.x + plot.size / 2, plot.y + plot.size + 20);
  ctx.save();
  ctx.translate(12, plot.y + plot.size / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(twoD ? 'β' : 'objective − min (log)', 0, 0);
  ctx.restore();
  if (!betas) return;
  ctx.fillStyle = theme.muted;
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const b of ends(betas)) ctx.fillText(fmtNum(b, 2), plot.x - 4, py(b));
}

function drawColorbar(ctx: CanvasRenderingContext2D, plot: Plot, scale: { min: number; max: number }, theme: Theme): void {
  const x = plot.x + plot.size + 10;
  const width = 10;
  for (let i = 0; i < plot.size; i++) {
    const [r, g, b] = viridis(1 - i / (plot.size - 1));
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(x, plot.y + i, width, 1);
  }
  ctx.strokeStyle = theme.border;
  ctx.strokeRect(x + 0.5, plot.y + 0.5, width - 1, plot.size - 1);
  ctx.fillStyle = theme.muted;
  ctx.font = `${theme.fontSize - 2}px ${theme.font}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(fmtNum(scale.max - scale.min, 2), x + width + 3, plot.y + 4);
  ctx.fillText('0', x + width + 3, plot.y + plot.size - 4);
  ctx.save();
  ctx.translate(x + width + 8, plot.y + plot.size / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('obj − min (log)', 0, -2);
  ctx.restore();
}
