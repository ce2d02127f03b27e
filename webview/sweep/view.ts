// The sweep panel for one run: header, toolbar, one card per chart, the selection. Built from
// `init`, fed by `points`/`transitions`/`finished`/`select`; rebuilt from scratch on the next init.
// `runs` fills the runs table; `comparison` draws another run over the charts. A 2-D run also
// gets its phase diagram, and its charts show one row or column of the grid (gridSlice).
import type { PointRecord } from '../../src/core/sweep/point';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import { transitionsHeadline } from '../../src/core/transitions/text';
import type { ComparedRun, HostToSweepPanel, RunInfo, RunRow, SweepPanelToHost } from '../../src/protocol/webview';
import { annotationLayout, type AnnotationLayout, type AnnotationState } from '../shared/annotations';
import { axisLayout, chartPng, RedrawThrottle, type AxisMode } from '../shared/charts';
import { showAcross } from '../shared/axis';
import { button, checkbox } from '../shared/controls';
import { el } from '../shared/dom';
import type { Theme } from '../shared/theme';
import type { VsCodeApi } from '../shared/vscodeApi';
import { ChartCard } from './chartCard';
import { hysteresisSummary, predictionItems, scoreKindText, selectionText, transitionsSummary } from './header';
import { inSlice, sliceControl, sliceOf, sliceX, sweepGrid, type GridSlice, type SliceControl, type SweepGrid } from './gridSlice';
import { CHARTS } from './metrics';
import { PhaseCard } from './phaseCard';
import { ReconstructionStrip } from './reconstructionStrip';
import type { PhaseLayout } from './phasePlot';
import { runLabel, runsTable } from './runsTable';
import { BRANCHES, groupOf, REFINED, SEED_GLYPHS, type SeriesView } from './series';

/**
 * What the panel restores after a reload. The host's serializer reopens the panel from
 * `run.configPath`, so the run is kept whole.
 */
export interface SweepState {
  run: RunInfo;
  selectedId: string | null;
  /** Branches (and `refined`) switched off in the toolbar. */
  hidden: string[];
  /** Seeds switched off. */
  hiddenSeeds?: number[];
  /** Mean ± sd over seeds instead of a line per seed. */
  mean?: boolean;
  /** y-axis scale chosen per chart id. */
  scales?: Record<string, AxisMode>;
  /** The run drawn over this one, if any. */
  compareRunId?: string | null;
  /** The runs table is open. */
  runsOpen?: boolean;
  /** A 2-D run: the row or column the charts show. */
  slice?: GridSlice;
  /** A 2-D run: the order parameter the phase diagram colours. */
  phaseParameter?: string;
}

type Init = Extract<HostToSweepPanel, { type: 'init' }>;

export interface ChartLayout {
  id: string;
  annotations: AnnotationLayout | undefined;
  axes: ReturnType<typeof axisLayout>;
  legend: string[];
  datasets: { label: string; hidden: boolean; points: number; pointStyle: string; showLine: boolean; x: number[]; v: (number | null)[] }[];
}

/** Live points are drawn at most this often: 4 redraws a second. */
const REDRAW_MS = 250;

const chainKey = (p: PointRecord) => `${groupOf(p)}|${p.seed}`;

/** Toolbar and keyboard order of branches: up, down, fresh, then any other, refined last. */
const branchRank = (b: string) => (b === REFINED ? BRANCHES.length + 1 : BRANCHES.includes(b) ? BRANCHES.indexOf(b) : BRANCHES.length);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A dataset's point style by name ('' when it has none: the series only ever set names). */
const styleName = (style: unknown) => (typeof style === 'string' ? style : '');

export class SweepView {
  readonly runId: string;
  private readonly run: RunInfo;
  private readonly points = new Map<string, PointRecord>();
  private transitions: Transition[];
  private predictions: Prediction[];
  private selectedId: string | null;
  private readonly hidden: Set<string>;
  private readonly hiddenSeeds: Set<number>;
  private mean: boolean;
  private readonly scales: Record<string, AxisMode>;
  private readonly seedNames = new Set<number>();
  private readonly seeds = el('div', { class: 'seeds', role: 'group', 'aria-label': 'Seeds shown' });
  private readonly meanToggle: HTMLElement;
  private readonly cards: ChartCard[] = [];
  private readonly throttle = new RedrawThrottle(REDRAW_MS, () => this.redraw());
  private status = 'live';
  private readonly summary = el('p', { class: 'transitions' });
  private readonly predictionList = el('ul', { class: 'predictions' });
  private readonly branches = el('div', { class: 'branches', role: 'group', 'aria-label': 'Branches shown' });
  private readonly branchNames = new Set<string>();
  private readonly statusLine = el('span', { class: 'status', role: 'status' });
  private readonly selection = el('p', { class: 'selection', 'aria-live': 'polite' });
  private readonly grid = el('div', { class: 'grid' });
  private runs: RunRow[] = [];
  private compareId: string | null;
  private compared: ComparedRun | null = null;
  private runsOpen: boolean;
  private readonly runsSection = el('section', { class: 'runs', 'aria-label': 'Runs of this experiment' });
  private readonly comparisonLine = el('p', { class: 'comparison', 'aria-live': 'polite' });
  private readonly runsToggle;
  /** A 2-D run's grid, the slice its charts show, the control choosing it and the phase diagram; null for a 1-D run. */
  private readonly twoD: SweepGrid | null;
  private slice: GridSlice | null;
  private readonly sliceControl: SliceControl | null;
  private readonly phase: PhaseCard | null;
  private phaseParameter: string | undefined;
  /** A VAE run's reconstructions of the selected point; null for an MLP. */
  private readonly pictures: ReconstructionStrip | null;

  constructor(
    root: HTMLElement,
    init: Init,
    saved: SweepState | undefined,
    private theme: Theme,
    private readonly api: VsCodeApi<SweepPanelToHost, SweepState>,
  ) {
    this.run = init.run;
    this.runId = init.run.runId;
    this.status = init.run.live ? 'live' : 'complete';
    this.transitions = init.transitions;
    this.predictions = init.predictions;
    const mine = saved?.run?.runId === this.runId ? saved : undefined;
    // The panel's own saved selection of this run wins: VS Code keeps a webview's state across a
    // window reload, while the host's copy of the latest selection may not have been written yet.
    const own = mine?.selectedId && init.points.some((p) => p.id === mine.selectedId) ? mine.selectedId : null;
    this.selectedId = own ?? init.selectedId ?? null;
    this.hidden = new Set(mine?.hidden ?? []);
    this.hiddenSeeds = new Set(mine?.hiddenSeeds ?? []);
    this.mean = mine?.mean ?? false;
    this.scales = { ...(mine?.scales ?? {}) };
    this.compareId = mine?.compareRunId ?? null;
    this.runsOpen = mine?.runsOpen ?? false;
    this.phaseParameter = mine?.phaseParameter;
    this.twoD = sweepGrid(init.points);
    this.slice = this.twoD ? this.initialSlice(this.twoD, mine?.slice, init.points) : null;
    showAcross(this.slice?.kind === 'column');
    this.sliceControl = this.twoD && this.slice ? sliceControl(this.twoD, this.slice, (sl) => this.setSlice(sl)) : null;
    this.phase = this.twoD
      ? new PhaseCard(this.twoD, this.predictions, this.phaseParameter, theme, {
          pick: (id) => this.select(id, true),
          chose: (id) => {
            this.phaseParameter = id;
            this.save();
          },
        })
      : null;
    this.pictures = init.run.model === 'vae' ? new ReconstructionStrip() : null;
    this.runsToggle = button('Runs…', () => this.toggleRuns(), { title: 'The runs of this experiment: config differences, λc, order, wall time; overlay one on the charts' });
    this.runsToggle.element.classList.add('runs-toggle');
    this.meanToggle = checkbox(['mean ± sd over seeds'], this.mean, (on) => {
      this.mean = on;
      this.applyView();
    });
    this.meanToggle.classList.add('mean-toggle');
    this.meanToggle.hidden = true;
    const csv = button('Export CSV', () => this.api.postMessage({ type: 'exportCsv', runId: this.runId }), { title: 'Save all points of this run as CSV' });
    root.replaceChildren(
      el('header', { class: 'panel-header' }, el('h1', {}, this.run.name, el('span', { class: 'score-kind' }, scoreKindText(this.run))), this.summary, this.predictionList),
      el('div', { class: 'toolbar' }, ...(this.sliceControl ? [this.sliceControl.element] : []), this.branches, this.seeds, this.meanToggle, this.runsToggle.element, csv.element, this.statusLine),
      this.runsSection,
      this.comparisonLine,
      this.selection,
      ...(this.phase ? [this.phase.element] : []),
      ...(this.pictures ? [this.pictures.element] : []),
      this.grid,
    );
    this.renderHeader();
    // The charts' first paint has everything: no redraw needed.
    this.addPoints(init.points);
    this.phase?.update([...this.points.values()], this.transitions, this.selectedPoint());
    this.renderStatus();
    this.renderSelection(false);
    // The host sends the selected point's pictures after `init`.
    this.pictures?.waiting(this.selectedPoint());
    this.renderRuns();
    this.save();
    if (this.compareId) this.api.postMessage({ type: 'compare', runId: this.runId, otherRunId: this.compareId });
    if (own && own !== init.selectedId) this.api.postMessage({ type: 'selectPoint', runId: this.runId, pointId: own });
  }

  handle(m: Exclude<HostToSweepPanel, Init>): void {
    switch (m.type) {
      case 'update': {
        // The header and the point count change together (the CodeLens shows the same pair);
        // the charts follow through the throttle.
        this.addPoints(m.points);
        const changed = JSON.stringify(m.transitions) !== JSON.stringify(this.transitions);
        this.transitions = m.transitions;
        this.renderHeader();
        this.renderStatus();
        if (changed) this.cards.forEach((c) => c.setAnnotations(this.annotationState()));
        this.throttle.request();
        break;
      }
      case 'finished':
        this.status = m.status;
        this.renderHeader();
        this.renderStatus();
        break;
      case 'select':
        this.select(m.pointId, false);
        break;
      case 'runs':
        this.runs = m.runs;
        this.renderRuns();
        break;
      case 'reconstructions': {
        const p = this.points.get(m.pointId);
        // A reply for a point selected before the latest one is dropped.
        if (p && m.pointId === this.selectedId) this.pictures?.show(p, m.reconstructions);
        break;
      }
      case 'comparison':
        this.compared = m.other;
        if (!m.other) this.compareId = null;
        this.cards.forEach((c) => c.setComparison(m.other ? this.inView(m.other.points) : null, m.other ? runLabel(m.other.runId) : ''));
        this.renderRuns();
        this.save();
        break;
    }
  }

  restyle(theme: Theme): void {
    this.theme = theme;
    this.cards.forEach((c) => c.restyle(theme));
    this.phase?.restyle(theme);
  }

  /** Where everything went on each chart's last draw (the browser tests read it through window.__l2Layout). */
  layout(): ChartLayout[] {
    return this.cards.map((c) => ({
      id: c.spec.id,
      annotations: annotationLayout(c.chart.canvas),
      axes: axisLayout(c.chart),
      legend: (c.chart.legend?.legendItems ?? []).map((i) => i.text),
      datasets: c.chart.data.datasets.map((d) => ({
        label: d.label ?? '',
        hidden: !!d.hidden,
        points: d.data.length,
        pointStyle: styleName((d as { pointStyle?: unknown }).pointStyle),
        showLine: (d as { showLine?: boolean }).showLine !== false,
        x: d.data.map((pt) => pt.x),
        v: d.data.map((pt) => pt.v),
      })),
    }));
  }

  /** The phase diagram as last drawn (null for a 1-D run): window.__l2PhaseLayout. */
  phaseLayout(): PhaseLayout | null {
    return this.phase?.layout() ?? null;
  }

  destroy(): void {
    this.throttle.cancel();
    this.cards.forEach((c) => c.destroy());
    this.phase?.destroy();
  }

  private selectedPoint(): PointRecord | undefined {
    return this.selectedId === null ? undefined : this.points.get(this.selectedId);
  }

  /** The points the charts show: a 2-D run's slice, or all. */
  private inView(points: Iterable<PointRecord>): PointRecord[] {
    return [...points].filter((p) => inSlice(this.slice, p));
  }

  /** The selected point's x on the charts, when the shown slice holds it. */
  private cursor(sel: PointRecord | undefined): number | null {
    return sel && inSlice(this.slice, sel) ? sliceX(this.slice)(sel) : null;
  }

  /**
   * A row's charts mark that row's transitions and predictions (a prediction of the whole split,
   * without a row, on every row); a column's none (both are values of the first axis).
   */
  private annotationState(): AnnotationState {
    const sel = this.selectedPoint();
    const s = this.slice;
    const transitions = !s ? this.transitions : s.kind === 'row' ? this.transitions.filter((t) => t.across === s.at) : [];
    const predictions = !s ? this.predictions : s.kind === 'row' ? this.predictions.filter((p) => p.across === undefined || p.across === s.at) : [];
    return { transitions, predictions, changePoints: false, cursor: this.cursor(sel), selectedId: sel ? sel.id : null, theme: this.theme };
  }

  /** The configured grid's range, widened to any point outside it (refinement stays inside; a merged run may not); a column spans the rows. */
  private range(): [number, number] {
    const rows = this.twoD?.rows.grid;
    if (this.slice?.kind === 'column' && rows) return [rows[0], rows[rows.length - 1]];
    let lo = this.run.range?.[0] ?? Infinity;
    let hi = this.run.range?.[1] ?? -Infinity;
    this.inView(this.points.values()).forEach((p) => {
      lo = Math.min(lo, p.value);
      hi = Math.max(hi, p.value);
    });
    return Number.isFinite(lo) ? [lo, hi] : [1e-3, 1];
  }

  /** The saved slice if it is one of this run's, else the selected point's row, else the first row. */
  private initialSlice(grid: SweepGrid, saved: GridSlice | undefined, points: PointRecord[]): GridSlice {
    if (saved && (saved.kind === 'row' ? grid.rows : grid.first).grid.includes(saved.at)) return saved;
    const sel = points.find((p) => p.id === this.selectedId);
    return sel?.across !== undefined ? sliceOf('row', sel) : { kind: 'row', at: grid.rows.grid[0] };
  }

  /** Shows another row or column: the charts are made again for it. */
  private setSlice(s: GridSlice): void {
    this.slice = s;
    this.sliceControl?.show(s);
    showAcross(s.kind === 'column');
    this.cards.forEach((c) => c.destroy());
    this.cards.length = 0;
    this.addPoints([]);
    this.renderSelection(false);
    this.save();
  }

  private addPoints(points: PointRecord[]): void {
    points.forEach((p) => this.points.set(p.id, p));
    points.forEach((p) => {
      const group = groupOf(p);
      if (!this.branchNames.has(group)) this.addBranchToggle(group);
      if (!this.seedNames.has(p.seed)) this.addSeedToggle(p.seed);
    });
    const range = this.range();
    const shown = this.inView(points);
    for (const spec of CHARTS) {
      let card = this.cards.find((c) => c.spec === spec);
      if (card) {
        card.series.add(shown.filter(spec.has));
        continue;
      }
      const all = this.inView(this.points.values()).filter(spec.has);
      if (all.length === 0) continue;
      card = new ChartCard(spec, this.grid, this.run, all, range, this.annotationState(), this.seriesView(), this.scales[spec.id] ?? spec.scale, sliceX(this.slice), {
        pick: (id) => this.select(id, true),
        step: (d) => this.step(d),
        png: (name, chart) => this.api.postMessage({ type: 'exportPng', runId: this.runId, chart: name, dataUrl: chartPng(chart, this.theme.bg) }),
        // One λ window for every chart: they share the axis.
        zoomed: (window) => this.cards.forEach((c) => c !== card && c.showWindow(window)),
        scaled: (id, mode) => {
          this.scales[id] = mode;
          this.save();
        },
      });
      if (this.compared) card.setComparison(this.inView(this.compared.points), runLabel(this.compared.runId));
      this.cards.push(card);
      this.cards.sort((a, b) => CHARTS.indexOf(a.spec) - CHARTS.indexOf(b.spec));
      // A chart that appears mid-run (e.g. the first Hessian) takes its place in the order.
      this.grid.replaceChildren(...this.cards.map((c) => c.element));
    }
    if (this.cards.length === 0) this.grid.replaceChildren(el('p', { class: 'placeholder' }, 'Waiting for the first points…'));
  }

  private addBranchToggle(branch: string): void {
    this.branchNames.add(branch);
    const swatch = branch === REFINED ? 'refined' : BRANCHES.includes(branch) ? branch : 'other';
    const toggle = checkbox([el('span', { class: `swatch swatch-${swatch}`, 'aria-hidden': 'true' }), branch === REFINED ? 'refined points' : branch], !this.hidden.has(branch), (on) => {
      if (on) this.hidden.delete(branch);
      else this.hidden.add(branch);
      this.applyView();
    });
    toggle.dataset.branch = branch;
    const after = [...this.branches.children].find((c) => branchRank((c as HTMLElement).dataset.branch ?? '') > branchRank(branch));
    this.branches.insertBefore(toggle, after ?? null);
  }

  /** A seed's entry in the toolbar: its marker and a toggle (the charts' legends show the markers too). */
  private addSeedToggle(seed: number): void {
    this.seedNames.add(seed);
    const sorted = [...this.seedNames].sort((a, b) => a - b);
    this.seeds.replaceChildren(
      ...sorted.map((s, rank) => {
        const toggle = checkbox([el('span', { class: 'seed-glyph', 'aria-hidden': 'true' }, SEED_GLYPHS[rank % SEED_GLYPHS.length]), `seed ${s}`], !this.hiddenSeeds.has(s), (on) => {
          if (on) this.hiddenSeeds.delete(s);
          else this.hiddenSeeds.add(s);
          this.applyView();
        });
        toggle.dataset.seed = String(s);
        return toggle;
      }),
    );
    // One seed needs no legend, nor a mean.
    this.seeds.hidden = sorted.length < 2;
    this.meanToggle.hidden = sorted.length < 2;
  }

  private seriesView(): SeriesView {
    return { hidden: this.hidden, hiddenSeeds: this.hiddenSeeds, mean: this.mean };
  }

  private applyView(): void {
    this.cards.forEach((c) => c.setView(this.seriesView()));
    this.save();
  }

  private redraw(): void {
    const range = this.range();
    this.renderSelection(false);
    this.cards.forEach((c) => c.refresh(range));
    this.phase?.update([...this.points.values()], this.transitions, this.selectedPoint());
    this.renderStatus();
  }

  private renderHeader(): void {
    const loops = hysteresisSummary(this.transitions);
    this.summary.textContent = transitionsSummary(this.transitions, this.status === 'live') + (loops ? `; ${loops}` : '');
    this.predictionList.replaceChildren(...predictionItems(this.predictions));
  }

  private renderStatus(): void {
    const n = this.points.size;
    this.statusLine.textContent = `${this.status}: ${plural(n, 'point')}`;
  }

  /** The selection line, and each chart's cursor (drawn now, or by the caller's update). */
  private renderSelection(draw = true): void {
    const sel = this.selectedPoint();
    this.selection.textContent = selectionText(sel);
    this.cards.forEach((c) => c.select(this.cursor(sel), sel ? sel.id : null, draw));
    if (draw) this.phase?.select(sel);
  }

  /** A point outside the shown slice (picked in the phase diagram or another view) brings its row or column. */
  private select(id: string, fromUser: boolean): void {
    const p = this.points.get(id);
    if (!p) return;
    if (id !== this.pictures?.shownId) this.pictures?.waiting(p);
    this.selectedId = id;
    if (this.slice && !inSlice(this.slice, p) && p.across !== undefined && (this.slice.kind === 'row' || p.index >= 0)) this.setSlice(sliceOf(this.slice.kind, p));
    this.renderSelection();
    this.save();
    if (fromUser) this.api.postMessage({ type: 'selectPoint', runId: this.runId, pointId: id });
  }

  /** ←/→: the previous/next x of the selected point's chain (or of the first chain shown), within the shown slice. */
  private step(delta: number): void {
    const shown = this.selectedPoint();
    const sel = shown && inSlice(this.slice, shown) ? shown : undefined;
    const visible = this.inView(this.points.values()).filter((p) => !this.hidden.has(groupOf(p)) && !this.hiddenSeeds.has(p.seed));
    const first = [...visible].sort((a, b) => branchRank(groupOf(a)) - branchRank(groupOf(b)) || a.seed - b.seed)[0];
    const key = sel ? chainKey(sel) : first ? chainKey(first) : undefined;
    const x = sliceX(this.slice);
    const chain = visible.filter((p) => chainKey(p) === key).sort((a, b) => x(a) - x(b));
    if (chain.length === 0) return;
    const at = sel ? chain.findIndex((p) => p.id === sel.id) : delta > 0 ? -1 : chain.length;
    const next = chain[Math.max(0, Math.min(chain.length - 1, Number.isFinite(delta) ? at + delta : delta > 0 ? chain.length - 1 : 0))];
    if (next && next.id !== this.selectedId) this.select(next.id, true);
  }

  private toggleRuns(): void {
    this.runsOpen = !this.runsOpen;
    this.renderRuns();
    this.save();
  }

  private compare(runId: string | null): void {
    this.compareId = runId;
    this.save();
    this.api.postMessage({ type: 'compare', runId: this.runId, otherRunId: runId });
  }

  /** The runs table (when open), the toggle's count, and the line naming the compared run. */
  private renderRuns(): void {
    const others = this.runs.filter((r) => !r.shown).length;
    this.runsToggle.element.textContent = `Runs (${this.runs.length})…`;
    this.runsToggle.setDisabled(others === 0 && !this.runsOpen);
    this.runsSection.hidden = !this.runsOpen;
    this.runsSection.replaceChildren(...(this.runsOpen ? [runsTable(this.runs, this.compared?.runId ?? null, (id) => this.compare(id))] : []));
    const c = this.compared;
    this.comparisonLine.hidden = !c;
    this.comparisonLine.textContent = c ? `Compared with ${runLabel(c.runId)} (dotted, ▲): ${transitionsHeadline(c.transitions, false)}` : '';
  }

  private save(): void {
    this.api.setState({
      run: this.run,
      selectedId: this.selectedId,
      hidden: [...this.hidden],
      hiddenSeeds: [...this.hiddenSeeds],
      mean: this.mean,
      scales: this.scales,
      compareRunId: this.compareId,
      runsOpen: this.runsOpen,
      ...(this.slice ? { slice: this.slice } : {}),
      ...(this.phaseParameter ? { phaseParameter: this.phaseParameter } : {}),
    });
  }
}
