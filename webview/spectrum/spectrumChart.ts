// The Hessian spectrum on a symmetric-log axis u = sign(x)·log10(1 + |x|/t), t the Morse
// threshold, so negative and near-zero eigenvalues stay visible beside the large ones.
// exact: a histogram of all eigenvalues (bins aligned to ±t, colored negative / ≈ 0 /
// positive); lanczos: the SLQ density with the Ritz values as rug ticks. Where the record has
// the spectrum's structure (`outliers`), its bulk is a green band and the eigenvalues outside it
// are triangles on the axis (▼ below, ▲ above the bulk).
import { Chart, Filler, type Plugin } from 'chart.js';
import type { HessianRecord } from '../../src/core/analysis/analyzePoint';
import { axisLayout, baseOptions, restyleAxes, tooltipOptions, valueAxis, type SeriesPoint } from '../shared/charts';
import { fmtNum } from '../shared/format';
import { symexp, symlog } from '../shared/symlog';
import { withAlpha, type Theme } from '../shared/theme';

Chart.register(Filler);

type Region = 'negative' | 'null' | 'positive';

/** Width of the linear region: the Morse threshold, or a tiny fraction of the scale if it is 0. */
export function axisScale(h: HessianRecord): number {
  const max = Math.max(...h.eigenvalues.map(Math.abs), 0);
  return h.threshold > 0 ? h.threshold : max > 0 ? max * 1e-6 : 1;
}

/** Histogram bins in u, with edges on ±u(t) so every bin lies in one region. */
function histogram(values: number[], t: number): { lo: number; hi: number; count: number; region: Region }[] {
  const ut = symlog(t, t);
  const us = values.map((v) => symlog(v, t));
  const min = Math.min(-ut, ...us);
  const max = Math.max(ut, ...us);
  const target = Math.min(48, Math.max(12, Math.round(2 * Math.sqrt(values.length))));
  const width = ut / Math.max(1, Math.round(ut / ((max - min) / target)));
  const first = Math.floor((min + ut) / width);
  const bins = Array.from({ length: Math.ceil((max + ut) / width) - first + 1 }, (_, i) => {
    const lo = -ut + (first + i) * width;
    const mid = lo + width / 2;
    const region: Region = mid < -ut ? 'negative' : mid > ut ? 'positive' : 'null';
    return { lo, hi: lo + width, count: 0, region };
  });
  for (const u of us) bins[Math.min(bins.length - 1, Math.floor((u + ut) / width) - first)].count++;
  return bins.filter((b) => b.count > 0);
}

/** Bars as one outline per region: (lo,0) (lo,n) (hi,n) (hi,0) per bin. */
function bars(bins: ReturnType<typeof histogram>, region: Region): SeriesPoint[] {
  return bins
    .filter((b) => b.region === region)
    .flatMap((b) => [
      { x: b.lo, y: 0, v: b.count, id: '' },
      { x: b.lo, y: b.count, v: b.count, id: '' },
      { x: b.hi, y: b.count, v: b.count, id: '' },
      { x: b.hi, y: 0, v: b.count, id: '' },
    ]);
}

const REGION_LABEL: Record<Region, string> = { negative: 'negative (Morse index)', null: '|x| ≤ t (nullity)', positive: 'positive' };

/** The band |x| ≤ t and the line x = 0, under the data. */
function nullBand(theme: () => Theme, t: () => number): Plugin<'line'> {
  return {
    id: 'l2NullBand',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      if (!x) return;
      const { ctx, chartArea: a } = chart;
      const ut = symlog(t(), t());
      const th = theme();
      ctx.save();
      ctx.fillStyle = withAlpha(th.palette.yellow, th.kind === 'high-contrast' ? 0.25 : 0.12);
      const l = x.getPixelForValue(-ut);
      ctx.fillRect(l, a.top, x.getPixelForValue(ut) - l, a.bottom - a.top);
      ctx.strokeStyle = withAlpha(th.fg, 0.5);
      ctx.lineWidth = th.thin;
      ctx.beginPath();
      ctx.moveTo(x.getPixelForValue(0), a.top);
      ctx.lineTo(x.getPixelForValue(0), a.bottom);
      ctx.stroke();
      ctx.restore();
    },
  };
}

/** What the chart drew of the spectrum's structure, read back from its pixels and datasets (the browser tests check it). */
export interface SpectrumMarks {
  bulk: [number, number] | null;
  below: number[];
  above: number[];
}

/** The bulk [lo, hi] as a band under the data; `drawn` receives its pixel edges. */
function bulkBand(theme: () => Theme, bulk: () => [number, number] | null, t: () => number, drawn: (px: [number, number] | null) => void): Plugin<'line'> {
  return {
    id: 'l2BulkBand',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      const b = bulk();
      if (!x || !b) return drawn(null);
      const { ctx, chartArea: a } = chart;
      const th = theme();
      const [l, r] = b.map((v) => x.getPixelForValue(symlog(v, t())));
      ctx.save();
      ctx.fillStyle = withAlpha(th.palette.green, th.kind === 'high-contrast' ? 0.3 : 0.14);
      ctx.fillRect(l, a.top, Math.max(1, r - l), a.bottom - a.top);
      ctx.restore();
      drawn([l, r]);
    },
  };
}

const BELOW = 'outlier below the bulk';
const ABOVE = 'outlier above the bulk';

export class SpectrumChart {
  private readonly chart: Chart<'line', SeriesPoint[]>;
  private t = 1;
  private h: HessianRecord | undefined;
  private bandPixels: [number, number] | null = null;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
  ) {
    this.chart = new Chart<'line', SeriesPoint[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: { ...baseOptions(theme), interaction: { mode: 'nearest', intersect: false, axis: 'x' }, plugins: { legend: { display: false } } },
      plugins: [
        nullBand(
          () => this.theme,
          () => this.t,
        ),
        bulkBand(
          () => this.theme,
          () => this.h?.outliers?.bulk ?? null,
          () => this.t,
          (px) => (this.bandPixels = px),
        ),
      ],
    });
  }

  show(h: HessianRecord): void {
    this.h = h;
    this.t = axisScale(h);
    this.render();
  }

  restyle(theme: Theme): void {
    this.theme = theme;
    restyleAxes(this.chart, theme);
    this.render();
  }

  destroy(): void {
    this.chart.destroy();
  }

  /** The axes' drawn ticks (the browser tests check the negative decades). */
  layout(): ReturnType<typeof axisLayout> {
    return axisLayout(this.chart);
  }

  /** The band's edges (from its pixels) and the outlier markers (from their data), in eigenvalue units. */
  marks(): SpectrumMarks {
    const x = this.chart.scales.x;
    const markers = (label: string) => (this.chart.data.datasets.find((d) => d.label === label)?.data ?? []).map((p) => symexp(p.x, this.t));
    return {
      bulk: this.bandPixels && x ? [symexp(x.getValueForPixel(this.bandPixels[0]) ?? NaN, this.t), symexp(x.getValueForPixel(this.bandPixels[1]) ?? NaN, this.t)] : null,
      below: markers(BELOW),
      above: markers(ABOVE),
    };
  }

  private render(): void {
    const h = this.h;
    if (!h) return;
    const { theme: th, t } = this;
    const color: Record<Region, string> = { negative: th.palette.red, null: th.palette.yellow, positive: th.palette.blue };
    const area = (label: string, data: SeriesPoint[], c: string) => ({
      label,
      data,
      borderColor: c,
      backgroundColor: withAlpha(c, 0.35),
      borderWidth: th.thin,
      fill: 'origin' as const,
      pointRadius: 0,
      pointHitRadius: 4,
      tension: 0,
    });
    if (h.method === 'exact') {
      const bins = histogram(h.eigenvalues, t);
      this.chart.data.datasets = (['negative', 'null', 'positive'] as Region[]).map((r) => area(REGION_LABEL[r], bars(bins, r), color[r]));
    } else {
      const d = h.density ?? { grid: [], values: [] };
      // Density per unit of the axis, ρ(x)·dx/du with dx/du = ln10·(t + |x|), so that area is
      // still the fraction of eigenvalues: plotted per unit x, the Gaussian smoothing around 0
      // would fill whole decades of the axis with mass that is not there.
      const density = d.grid.map((x, i) => {
        const y = d.values[i] * Math.LN10 * (t + Math.abs(x));
        return { x: symlog(x, t), y, v: y, id: '' };
      });
      const rug = h.eigenvalues.map((e) => ({ x: symlog(e, t), y: 0, v: e, id: '' }));
      this.chart.data.datasets = [
        area('SLQ density', density, th.palette.blue),
        { label: 'Ritz value', data: rug, showLine: false, pointStyle: 'line', pointRotation: 90, pointRadius: 7, pointHoverRadius: 9, borderColor: th.fg, borderWidth: th.thin + 0.5, clip: false },
      ];
    }
    const o = h.outliers;
    if (o) {
      const marker = (label: string, values: number[], c: string, rotation: number) => ({
        label,
        data: values.map((e) => ({ x: symlog(e, t), y: 0, v: e, id: '' })),
        showLine: false,
        pointStyle: 'triangle' as const,
        pointRotation: rotation,
        pointRadius: 6,
        pointHoverRadius: 8,
        backgroundColor: c,
        borderColor: th.fg,
        borderWidth: th.thin,
        clip: false as const,
      });
      this.chart.data.datasets.push(marker(BELOW, o.below, th.palette.orange, 180), marker(ABOVE, o.above, th.palette.purple, 0));
    }
    this.chart.options.scales = {
      // The negative side always reaches −10t, so it has a labelled decade even with no negative eigenvalue.
      x: valueAxis(th, `eigenvalue (symlog, t = ${fmtNum(t)})`, { mode: 'symlog', symlogC: t, minNegative: 10 * t }),
      y: valueAxis(th, h.method === 'exact' ? 'count' : 'density (area = fraction)', { integer: h.method === 'exact' }),
    };
    this.chart.options.plugins = { tooltip: tooltipOptions(th, (u) => `eigenvalue ≈ ${fmtNum(symexp(u, t))}`), legend: { display: false } };
    // A full update (animation is off anyway): update('none') would keep the cached colors of points.
    this.chart.update();
  }
}
