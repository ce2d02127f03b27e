// The lines of one sweep chart: one dataset per (variant, branch, seed). Branches differ in
// color and dash so an up and a down chain that disagree (a hysteresis loop) stand apart; seeds
// of one branch differ in marker shape and shade and have legend entries; the first variant
// (test, objective, layer 1, Morse index) is drawn strongest, the others thinner with hollow
// markers. Points added by refinement (index −1) are not a chain's walk: they are markers of
// their own ("refined"), never a line and never a branch. With `mean` on, each (variant, branch)
// is drawn as its mean over seeds with a ± 1 sd band, where two or more seeds share a λ. A
// compared run (another run of the experiment) is drawn over it: its first variant per branch
// and seed, in the foreground colour, dotted, with hollow markers, never selectable.
import type { ChartDataset, PointStyle } from 'chart.js';
import type { PointRecord } from '../../src/core/sweep/point';
import { axisValue, type AxisMode, type SeriesPoint } from '../shared/charts';
import { withAlpha, type Theme } from '../shared/theme';
import type { ChartSpec } from './metrics';

/** Known branches first, in this order; any other direction string is drawn too. */
export const BRANCHES = ['up', 'down', 'fresh'];

/** The group refinement points are drawn in, whatever their chain's direction. */
export const REFINED = 'refined';

/** The group a point is drawn in: its chain's direction, or `refined`. */
export const groupOf = (p: PointRecord): string => (p.index < 0 ? REFINED : p.direction);

export function branchStyle(theme: Theme, branch: string): { color: string; dash: number[] } {
  switch (branch) {
    case 'up':
      return { color: theme.palette.blue, dash: [] };
    case 'down':
      return { color: theme.palette.orange, dash: [8, 4] };
    case 'fresh':
      return { color: theme.palette.green, dash: [2, 3] };
    case REFINED:
      return { color: theme.fg, dash: [] };
    default:
      return { color: theme.palette.purple, dash: [1, 4] };
  }
}

/** Marker per seed (by its rank among the run's seeds). */
export const SEED_STYLES: PointStyle[] = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'];
/** The same shapes as characters, for the toolbar's seed legend. */
export const SEED_GLYPHS = ['●', '■', '▲', '◆', '✶', '✕'];

interface SeriesMeta {
  variant: number;
  group: string;
  seed: number;
  /** A mean over seeds (seed −1) or one edge of its band. */
  mean?: boolean;
  band?: boolean;
  /** A series of the compared run. */
  compared?: boolean;
}

/** The compared run's dash and marker: apart from every branch's and seed's. */
export const COMPARED_DASH = [2, 3];
export const COMPARED_STYLE: PointStyle = 'triangle';
/** Prefix of the compared run's point ids: no point of the shown run has it. */
const COMPARED_ID = 'compared:';

type SeriesDataset = ChartDataset<'line', SeriesPoint[]> & { l2: SeriesMeta };

/** Inserts by λ, replacing a point with the same id (a re-sent point). */
function insertSorted(data: SeriesPoint[], pt: SeriesPoint): void {
  const same = data.findIndex((d) => d.id === pt.id);
  if (same >= 0) data.splice(same, 1);
  let i = data.length;
  while (i > 0 && data[i - 1].x > pt.x) i--;
  data.splice(i, 0, pt);
}

export interface SeriesView {
  /** Groups (branches, `refined`) switched off. */
  hidden: ReadonlySet<string>;
  /** Seeds switched off. */
  hiddenSeeds: ReadonlySet<number>;
  /** Mean ± sd over seeds instead of one line per seed. */
  mean: boolean;
}

export class ChartSeries {
  /** The chart's `data.datasets` (shared, so points added before the chart exists are drawn in its first paint). */
  readonly datasets: ChartDataset<'line', SeriesPoint[]>[] = [];
  private readonly byKey = new Map<string, SeriesDataset>();
  private readonly seeds = new Set<number>();
  private means: SeriesDataset[] = [];
  private compared: SeriesDataset[] = [];
  private comparedName: string | null = null;
  private variantLabels: string[] = [];

  constructor(
    private readonly spec: ChartSpec,
    private theme: Theme,
    private view: SeriesView,
    private mode: AxisMode,
    /** A point's x: its value, or its row's in a column of a 2-D sweep. */
    private readonly x: (p: PointRecord) => number,
  ) {}

  get axisMode(): AxisMode {
    return this.mode;
  }

  /** The seeds drawn, ascending (their rank picks the marker). */
  get seedList(): number[] {
    return [...this.seeds].sort((a, b) => a - b);
  }

  get variants(): string[] {
    return this.variantLabels;
  }

  add(points: PointRecord[]): void {
    for (const p of points) {
      const group = groupOf(p);
      if (!this.seeds.has(p.seed)) {
        this.seeds.add(p.seed);
        // A new seed changes every seed's rank, so every marker.
        this.byKey.forEach((ds) => this.style(ds));
      }
      this.spec.variants(p).forEach((v, variant) => {
        this.variantLabels[variant] ??= v.label;
        const key = `${variant}|${group}|${p.seed}`;
        let ds = this.byKey.get(key);
        if (!ds) {
          // clip: markers on the axis limits are drawn whole instead of padding the axis.
          ds = { label: `${v.label} · ${group} · seed ${p.seed}`, data: [], l2: { variant, group, seed: p.seed }, order: variant, spanGaps: false, clip: 8 };
          this.style(ds);
          this.byKey.set(key, ds);
          this.datasets.push(ds);
        }
        insertSorted(ds.data, { x: this.x(p), y: axisValue(v.value, this.mode, this.c), v: v.value, id: p.id });
      });
    }
    if (this.view.mean) this.rebuildMeans();
  }

  /** The compared run's name in the legend ("run 20250601-101500-ab12cd"), or null. */
  get comparison(): string | null {
    return this.comparedName;
  }

  /** Points of the compared run plotted (tests watch it). */
  get comparedSize(): number {
    return this.compared.reduce((n, ds) => n + ds.data.length, 0);
  }

  /**
   * Draws another run over this one (null: stops): its first variant per branch and seed, so the
   * two runs' curves can be told apart at a glance; its points' ids are prefixed, so a click
   * never selects them (the spectrum view follows the shown run).
   */
  setComparison(points: PointRecord[] | null, name: string): void {
    for (const ds of this.compared) this.datasets.splice(this.datasets.indexOf(ds), 1);
    this.compared = [];
    this.comparedName = points ? name : null;
    if (!points) return;
    const byKey = new Map<string, SeriesDataset>();
    for (const p of points) {
      const v = this.spec.variants(p)[0];
      if (!v) continue;
      const group = groupOf(p);
      const key = `${group}|${p.seed}`;
      let ds = byKey.get(key);
      if (!ds) {
        ds = { label: `${name} · ${v.label} · ${group} · seed ${p.seed}`, data: [], l2: { variant: 0, group, seed: p.seed, compared: true }, order: -1, spanGaps: false, clip: 8 };
        byKey.set(key, ds);
      }
      insertSorted(ds.data, { x: this.x(p), y: axisValue(v.value, this.mode, this.c), v: v.value, id: `${COMPARED_ID}${p.id}` });
    }
    byKey.forEach((ds) => {
      this.styleCompared(ds);
      this.compared.push(ds);
      this.datasets.push(ds);
    });
  }

  /** Re-maps every value onto an axis of another kind. */
  setMode(mode: AxisMode): void {
    this.mode = mode;
    this.byKey.forEach((ds) => ds.data.forEach((d) => (d.y = axisValue(d.v, mode, this.c))));
    this.compared.forEach((ds) => ds.data.forEach((d) => (d.y = axisValue(d.v, mode, this.c))));
    if (this.view.mean) this.rebuildMeans();
  }

  restyle(theme: Theme): void {
    this.theme = theme;
    this.byKey.forEach((ds) => this.style(ds));
    this.means.forEach((ds) => this.styleMean(ds));
    this.compared.forEach((ds) => this.styleCompared(ds));
  }

  setView(view: SeriesView): void {
    this.view = view;
    this.byKey.forEach((ds) => (ds.hidden = this.isHidden(ds.l2)));
    this.compared.forEach((ds) => (ds.hidden = view.hidden.has(ds.l2.group) || view.hiddenSeeds.has(ds.l2.seed)));
    this.rebuildMeans();
  }

  /** Number of plotted values (tests and the status line watch it grow). */
  get size(): number {
    let n = 0;
    this.byKey.forEach((ds) => (n += ds.data.length));
    return n;
  }

  private get c(): number {
    return this.spec.symlogC ?? 1;
  }

  private isHidden(m: SeriesMeta): boolean {
    if (this.view.hidden.has(m.group) || this.view.hiddenSeeds.has(m.seed)) return true;
    // With means on, the seeds' own lines give way to them (refined points stay: they have no mean).
    return this.view.mean && m.group !== REFINED && this.seeds.size > 1;
  }

  /** Mean and ± sd band per (variant, branch) at every λ with two or more visible seeds. */
  private rebuildMeans(): void {
    for (const ds of this.means) this.datasets.splice(this.datasets.indexOf(ds), 1);
    this.means = [];
    if (!this.view.mean || this.seeds.size < 2) return;
    const groups = new Map<string, { variant: number; group: string; at: Map<number, number[]> }>();
    this.byKey.forEach((ds) => {
      const m = ds.l2;
      if (m.group === REFINED || this.view.hidden.has(m.group) || this.view.hiddenSeeds.has(m.seed)) return;
      const key = `${m.variant}|${m.group}`;
      const g = groups.get(key) ?? { variant: m.variant, group: m.group, at: new Map<number, number[]>() };
      groups.set(key, g);
      for (const d of ds.data) if (d.v !== null && Number.isFinite(d.v)) g.at.set(d.x, [...(g.at.get(d.x) ?? []), d.v]);
    });
    groups.forEach((g) => {
      const rows = [...g.at.entries()].filter(([, vs]) => vs.length >= 2).sort((a, b) => a[0] - b[0]);
      if (rows.length === 0) return;
      const stats = rows.map(([x, vs]) => {
        const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
        const sd = Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / (vs.length - 1));
        return { x, mean, sd, n: vs.length };
      });
      const pt = (x: number, v: number, id: string): SeriesPoint => ({ x, y: axisValue(v, this.mode, this.c), v, id });
      const name = `${this.variantLabels[g.variant]} · ${g.group}`;
      const lower: SeriesDataset = {
        label: `${name} − sd`,
        data: stats.map((s) => pt(s.x, s.mean - s.sd, '')),
        l2: { variant: g.variant, group: g.group, seed: -1, band: true },
        order: 10 + g.variant,
      };
      const upper: SeriesDataset = {
        label: `${name} + sd`,
        data: stats.map((s) => pt(s.x, s.mean + s.sd, '')),
        l2: { variant: g.variant, group: g.group, seed: -1, band: true },
        order: 10 + g.variant,
        fill: '-1',
      };
      const mean: SeriesDataset = {
        label: `${name} · mean of ${Math.max(...stats.map((s) => s.n))} seeds`,
        data: stats.map((s) => pt(s.x, s.mean, '')),
        l2: { variant: g.variant, group: g.group, seed: -1, mean: true },
        order: g.variant,
      };
      for (const ds of [lower, upper, mean]) {
        this.styleMean(ds);
        this.means.push(ds);
        this.datasets.push(ds);
      }
    });
  }

  private styleCompared(ds: SeriesDataset): void {
    const t = this.theme;
    const stroke = t.fg;
    Object.assign(ds, {
      borderColor: stroke,
      backgroundColor: stroke,
      borderWidth: t.line,
      borderDash: COMPARED_DASH,
      showLine: ds.l2.group !== REFINED,
      pointStyle: COMPARED_STYLE,
      pointRadius: 3,
      pointHoverRadius: 4,
      pointHitRadius: 0,
      pointBorderColor: stroke,
      pointBackgroundColor: t.bg,
      pointBorderWidth: 1,
      hidden: this.view.hidden.has(ds.l2.group) || this.view.hiddenSeeds.has(ds.l2.seed),
    });
  }

  private styleMean(ds: SeriesDataset): void {
    const t = this.theme;
    const { color, dash } = branchStyle(t, ds.l2.group);
    const primary = ds.l2.variant === 0;
    if (ds.l2.band) {
      Object.assign(ds, { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, backgroundColor: withAlpha(color, primary ? 0.22 : 0.12), borderColor: 'transparent' });
      return;
    }
    Object.assign(ds, {
      borderColor: color,
      backgroundColor: color,
      borderWidth: primary ? t.line + 0.5 : t.thin + 0.5,
      borderDash: primary ? dash : [4, 3],
      pointRadius: 0,
      pointHoverRadius: 4,
      pointHitRadius: 6,
    });
  }

  private style(ds: SeriesDataset): void {
    const t = this.theme;
    const { color, dash } = branchStyle(t, ds.l2.group);
    const primary = ds.l2.variant === 0;
    const rank = this.seedList.indexOf(ds.l2.seed);
    // Seeds after the first are drawn a shade towards the background, so they read as a family.
    const shade = rank <= 0 ? color : withAlpha(color, Math.max(0.55, 1 - 0.18 * rank));
    const refined = ds.l2.group === REFINED;
    // Secondary variants: thinner and hollow, but in the branch's own color (not faded to grey).
    const stroke = primary ? shade : withAlpha(shade, t.kind === 'high-contrast' ? 0.9 : 0.8);
    Object.assign(ds, {
      borderColor: stroke,
      backgroundColor: stroke,
      borderWidth: primary ? t.line : t.thin,
      borderDash: primary ? dash : [...(dash.length ? dash : [6, 3])],
      showLine: !refined,
      pointStyle: refined ? 'crossRot' : SEED_STYLES[Math.max(0, rank) % SEED_STYLES.length],
      pointRadius: refined ? 4 : t.kind === 'high-contrast' ? 3.5 : 2.5,
      pointHoverRadius: 5,
      pointHitRadius: 6,
      pointBorderColor: stroke,
      pointBackgroundColor: primary ? stroke : t.bg,
      pointBorderWidth: refined ? t.thin + 0.5 : primary ? 1 : t.thin,
      hidden: this.isHidden(ds.l2),
    });
  }
}
