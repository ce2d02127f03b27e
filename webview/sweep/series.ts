// The lines of one sweep chart: one dataset per (variant, branch, seed). Branches differ in
// color and dash so an up and a down chain that disagree (a hysteresis loop) stand apart;
// seeds of one branch are separate thin lines in the same style; the first variant (test,
// objective, layer 1, Morse index) is drawn strongest, the others faded with hollow markers.
import type { ChartDataset, PointStyle } from 'chart.js';
import type { PointRecord } from '../../src/core/sweep/point';
import type { SeriesPoint } from '../shared/charts';
import { symlog } from '../shared/symlog';
import { withAlpha, type Theme } from '../shared/theme';
import type { ChartSpec } from './metrics';

/** Known branches first, in this order; any other direction string is drawn too. */
export const BRANCHES = ['up', 'down', 'fresh'];

export function branchStyle(theme: Theme, branch: string): { color: string; dash: number[] } {
  switch (branch) {
    case 'up':
      return { color: theme.palette.blue, dash: [] };
    case 'down':
      return { color: theme.palette.orange, dash: [8, 4] };
    case 'fresh':
      return { color: theme.palette.green, dash: [2, 3] };
    default:
      return { color: theme.palette.purple, dash: [1, 4] };
  }
}

const POINT_STYLES: PointStyle[] = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'];

interface SeriesMeta {
  variant: number;
  branch: string;
  seed: number;
}

type SeriesDataset = ChartDataset<'line', SeriesPoint[]> & { l2: SeriesMeta };

/** Inserts by λ, replacing a point with the same id (a re-sent point). */
function insertSorted(data: SeriesPoint[], pt: SeriesPoint): void {
  const same = data.findIndex((d) => d.id === pt.id);
  if (same >= 0) data.splice(same, 1);
  let i = data.length;
  while (i > 0 && data[i - 1].x > pt.x) i--;
  data.splice(i, 0, pt);
}

export class ChartSeries {
  /** The chart's `data.datasets` (shared, so points added before the chart exists are drawn in its first paint). */
  readonly datasets: ChartDataset<'line', SeriesPoint[]>[] = [];
  private readonly byKey = new Map<string, SeriesDataset>();

  constructor(
    private readonly spec: ChartSpec,
    private theme: Theme,
    private hidden: ReadonlySet<string>,
  ) {}

  add(points: PointRecord[]): void {
    for (const p of points) {
      this.spec.variants(p).forEach((v, variant) => {
        const key = `${variant}|${p.direction}|${p.seed}`;
        let ds = this.byKey.get(key);
        if (!ds) {
          // clip: markers on the axis limits are drawn whole instead of padding the axis.
          ds = { label: `${v.label} · ${p.direction} · seed ${p.seed}`, data: [], l2: { variant, branch: p.direction, seed: p.seed }, order: variant, spanGaps: false, clip: 8 };
          this.style(ds);
          this.byKey.set(key, ds);
          this.datasets.push(ds);
        }
        const c = this.spec.symlogC;
        const y = v.value === null ? null : c === undefined ? v.value : symlog(v.value, c);
        insertSorted(ds.data, { x: p.lambda, y, v: v.value, id: p.id });
      });
    }
  }

  restyle(theme: Theme): void {
    this.theme = theme;
    this.byKey.forEach((ds) => this.style(ds));
  }

  setHidden(hidden: ReadonlySet<string>): void {
    this.hidden = hidden;
    this.byKey.forEach((ds) => (ds.hidden = hidden.has(ds.l2.branch)));
  }

  /** Number of plotted values (tests and the status line watch it grow). */
  get size(): number {
    let n = 0;
    this.byKey.forEach((ds) => (n += ds.data.length));
    return n;
  }

  private style(ds: SeriesDataset): void {
    const t = this.theme;
    const { color, dash } = branchStyle(t, ds.l2.branch);
    const primary = ds.l2.variant === 0;
    const stroke = primary ? color : withAlpha(color, t.kind === 'high-contrast' ? 0.85 : 0.55);
    Object.assign(ds, {
      borderColor: stroke,
      backgroundColor: stroke,
      borderWidth: primary ? t.line : t.thin,
      borderDash: dash,
      pointStyle: POINT_STYLES[ds.l2.variant % POINT_STYLES.length],
      pointRadius: t.kind === 'high-contrast' ? 3.5 : 2.5,
      pointHoverRadius: 5,
      pointHitRadius: 6,
      pointBorderColor: stroke,
      pointBackgroundColor: primary ? stroke : t.bg,
      pointBorderWidth: primary ? 1 : t.thin,
      hidden: this.hidden.has(ds.l2.branch),
    });
  }
}
