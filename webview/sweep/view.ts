// The sweep panel for one run: header, toolbar, one card per chart, the selection. Built from
// `init`, fed by `points`/`transitions`/`finished`/`select`; rebuilt from scratch on the next init.
import type { PointRecord } from '../../src/core/sweep/point';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import type { HostToSweepPanel, RunInfo, SweepPanelToHost } from '../../src/protocol/webview';
import type { AnnotationState } from '../shared/annotations';
import { chartPng, RedrawThrottle } from '../shared/charts';
import { button, checkbox } from '../shared/controls';
import { el } from '../shared/dom';
import type { Theme } from '../shared/theme';
import type { VsCodeApi } from '../shared/vscodeApi';
import { ChartCard } from './chartCard';
import { predictionItems, scoreKindText, selectionText, transitionsSummary } from './header';
import { CHARTS } from './metrics';
import { BRANCHES } from './series';

/**
 * What the panel restores after a reload. The host's serializer reopens the panel from
 * `run.configPath`, so the run is kept whole.
 */
export interface SweepState {
  run: RunInfo;
  selectedId: string | null;
  /** Branches switched off in the toolbar. */
  hidden: string[];
}

type Init = Extract<HostToSweepPanel, { type: 'init' }>;

/** Live points are drawn at most this often: 4 redraws a second. */
const REDRAW_MS = 250;

const chainKey = (p: PointRecord) => `${p.direction}|${p.seed}`;

/** Toolbar and keyboard order of branches: up, down, fresh, then any other. */
const branchRank = (b: string) => (BRANCHES.includes(b) ? BRANCHES.indexOf(b) : BRANCHES.length);

export class SweepView {
  readonly runId: string;
  private readonly run: RunInfo;
  private readonly points = new Map<string, PointRecord>();
  private transitions: Transition[];
  private predictions: Prediction[];
  private selectedId: string | null;
  private readonly hidden: Set<string>;
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
    this.selectedId = init.selectedId ?? mine?.selectedId ?? null;
    this.hidden = new Set(mine?.hidden ?? []);
    const csv = button('Export CSV', () => this.api.postMessage({ type: 'exportCsv', runId: this.runId }), { title: 'Save all points of this run as CSV' });
    root.replaceChildren(
      el('header', { class: 'panel-header' }, el('h1', {}, this.run.name, el('span', { class: 'score-kind' }, scoreKindText(this.run))), this.summary, this.predictionList),
      el('div', { class: 'toolbar' }, this.branches, csv.element, this.statusLine),
      this.selection,
      this.grid,
    );
    this.renderHeader();
    // The charts' first paint has everything: no redraw needed.
    this.addPoints(init.points);
    this.renderStatus();
    this.renderSelection(false);
    this.save();
  }

  handle(m: Exclude<HostToSweepPanel, Init>): void {
    switch (m.type) {
      case 'points':
        this.addPoints(m.points);
        this.throttle.request();
        break;
      case 'transitions':
        // The host re-sends them after every batch of points: redraw only when they changed,
        // and through the throttle like the points themselves.
        if (JSON.stringify(m.transitions) === JSON.stringify(this.transitions)) break;
        this.transitions = m.transitions;
        this.renderHeader();
        this.cards.forEach((c) => c.setAnnotations(this.annotationState()));
        this.throttle.request();
        break;
      case 'finished':
        this.status = m.status;
        this.renderHeader();
        this.renderStatus();
        break;
      case 'select':
        this.select(m.pointId, false);
        break;
    }
  }

  restyle(theme: Theme): void {
    this.theme = theme;
    this.cards.forEach((c) => c.restyle(theme));
  }

  destroy(): void {
    this.throttle.cancel();
    this.cards.forEach((c) => c.destroy());
  }

  private annotationState(): AnnotationState {
    const sel = this.selectedId === null ? undefined : this.points.get(this.selectedId);
    return { transitions: this.transitions, predictions: this.predictions, changePoints: false, cursor: sel?.lambda ?? null, selectedId: sel ? sel.id : null, theme: this.theme };
  }

  private range(): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    this.points.forEach((p) => {
      lo = Math.min(lo, p.lambda);
      hi = Math.max(hi, p.lambda);
    });
    return Number.isFinite(lo) ? [lo, hi] : [1e-3, 1];
  }

  private addPoints(points: PointRecord[]): void {
    points.forEach((p) => this.points.set(p.id, p));
    points.forEach((p) => {
      if (!this.branchNames.has(p.direction)) this.addBranchToggle(p.direction);
    });
    const range = this.range();
    for (const spec of CHARTS) {
      let card = this.cards.find((c) => c.spec === spec);
      if (card) {
        card.series.add(points.filter(spec.has));
        continue;
      }
      const all = [...this.points.values()].filter(spec.has);
      if (all.length === 0) continue;
      card = new ChartCard(spec, this.grid, this.run, all, range, this.annotationState(), this.hidden, {
        pick: (id) => this.select(id, true),
        step: (d) => this.step(d),
        png: (name, chart) => this.api.postMessage({ type: 'exportPng', runId: this.runId, chart: name, dataUrl: chartPng(chart, this.theme.bg) }),
      });
      this.cards.push(card);
      this.cards.sort((a, b) => CHARTS.indexOf(a.spec) - CHARTS.indexOf(b.spec));
      // A chart that appears mid-run (e.g. the first Hessian) takes its place in the order.
      this.grid.replaceChildren(...this.cards.map((c) => c.element));
    }
    if (this.cards.length === 0) this.grid.replaceChildren(el('p', { class: 'placeholder' }, 'Waiting for the first points…'));
  }

  private addBranchToggle(branch: string): void {
    this.branchNames.add(branch);
    const toggle = checkbox([el('span', { class: `swatch swatch-${BRANCHES.includes(branch) ? branch : 'other'}`, 'aria-hidden': 'true' }), branch], !this.hidden.has(branch), (on) => {
      if (on) this.hidden.delete(branch);
      else this.hidden.add(branch);
      this.cards.forEach((c) => {
        c.series.setHidden(this.hidden);
        c.chart.update('none');
      });
      this.save();
    });
    toggle.dataset.branch = branch;
    const after = [...this.branches.children].find((c) => branchRank((c as HTMLElement).dataset.branch ?? '') > branchRank(branch));
    this.branches.insertBefore(toggle, after ?? null);
  }

  private redraw(): void {
    const range = this.range();
    this.renderSelection(false);
    this.cards.forEach((c) => c.refresh(range));
    this.renderStatus();
  }

  private renderHeader(): void {
    this.summary.textContent = transitionsSummary(this.transitions, this.status === 'live');
    this.predictionList.replaceChildren(...predictionItems(this.predictions));
  }

  private renderStatus(): void {
    const n = this.points.size;
    this.statusLine.textContent = this.status === 'live' ? `live: ${n} points` : `${this.status}: ${n} points`;
  }

  /** The selection line, and each chart's cursor (drawn now, or by the caller's update). */
  private renderSelection(draw = true): void {
    const sel = this.selectedId === null ? undefined : this.points.get(this.selectedId);
    this.selection.textContent = selectionText(sel);
    this.cards.forEach((c) => c.select(sel?.lambda ?? null, sel ? sel.id : null, draw));
  }

  private select(id: string, fromUser: boolean): void {
    if (!this.points.has(id)) return;
    this.selectedId = id;
    this.renderSelection();
    this.save();
    if (fromUser) this.api.postMessage({ type: 'selectPoint', runId: this.runId, pointId: id });
  }

  /** ←/→: the previous/next λ of the selected point's chain (or of the first chain shown). */
  private step(delta: number): void {
    const sel = this.selectedId === null ? undefined : this.points.get(this.selectedId);
    const visible = [...this.points.values()].filter((p) => !this.hidden.has(p.direction));
    const first = [...visible].sort((a, b) => branchRank(a.direction) - branchRank(b.direction) || a.seed - b.seed)[0];
    const key = sel ? chainKey(sel) : first ? chainKey(first) : undefined;
    const chain = visible.filter((p) => chainKey(p) === key).sort((a, b) => a.lambda - b.lambda);
    if (chain.length === 0) return;
    const at = sel ? chain.findIndex((p) => p.id === sel.id) : delta > 0 ? -1 : chain.length;
    const next = chain[Math.max(0, Math.min(chain.length - 1, Number.isFinite(delta) ? at + delta : delta > 0 ? chain.length - 1 : 0))];
    if (next && next.id !== this.selectedId) this.select(next.id, true);
  }

  private save(): void {
    this.api.setState({ run: this.run, selectedId: this.selectedId, hidden: [...this.hidden] });
  }
}
