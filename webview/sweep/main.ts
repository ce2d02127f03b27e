// Entry of the sweep panel's script (dist/webview/sweep.js). The host page is only
// <div id="root"> and this script: everything is built here. Messages of another run than the
// one shown are dropped; `init` replaces the view.
import { setAxis } from '../shared/axis';
import type { HostToSweepPanel, SweepPanelToHost } from '../../src/protocol/webview';
import { el } from '../shared/dom';
import { onThemeChange, readTheme } from '../shared/theme';
import { onHostMessage, vscodeApi } from '../shared/vscodeApi';
import type { PhaseLayout } from './phasePlot';
import { SweepView, type ChartLayout, type SweepState } from './view';

declare global {
  interface Window {
    /** Milliseconds from `init` being posted to every chart drawn (the benchmark reads it). */
    __l2FirstPaintMs?: number;
    /** The charts' label, tick and legend layout (the browser tests check it). */
    __l2Layout?: () => ChartLayout[];
    /** A 2-D run's phase diagram as drawn: cells, transition lines, ticks (null: none). */
    __l2PhaseLayout?: () => PhaseLayout | null;
  }
}

const api = vscodeApi<SweepPanelToHost, SweepState>();
const root = document.getElementById('root') ?? document.body.appendChild(el('div', { id: 'root' }));
root.replaceChildren(el('p', { class: 'placeholder' }, 'Waiting for the run…'));
let theme = readTheme();
let view: SweepView | undefined;

onHostMessage<HostToSweepPanel>((m, postedAt) => {
  if (m.type === 'init') {
    view?.destroy();
    setAxis(m.run);
    view = new SweepView(root, m, api.getState(), theme, api);
    // chart.js draws synchronously (animation off), so the charts are drawn by now.
    const ms = performance.now() - postedAt;
    window.__l2FirstPaintMs = ms;
    console.info(`[l2-landscape] sweep panel first paint: ${ms.toFixed(1)} ms for ${m.points.length} points`);
    return;
  }
  if (view && m.runId === view.runId) view.handle(m);
});

window.__l2Layout = () => view?.layout() ?? [];
window.__l2PhaseLayout = () => view?.phaseLayout() ?? null;

onThemeChange((t) => {
  theme = t;
  view?.restyle(t);
});

api.postMessage({ type: 'ready' });
