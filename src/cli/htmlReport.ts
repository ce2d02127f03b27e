// `l2exp report`: a results folder as one self-contained HTML file that any current browser
// opens from file:// with no network: the sweep panel and the Hessian spectrum view themselves
// (their bundles and styles inlined, each in a srcdoc frame under the webviews' own CSP) fed
// the run's data by a small coordinator standing in for the extension host, above the
// transitions, predictions, config and timings.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PointSlice } from '../core/analysis/slice';
import { InputError } from '../core/errors';
import type { VaeReconstructions } from '../core/measures/vaeReconstructions';
import { readReconstructions, readSlices, ResultsStore } from '../core/results/store';
import type { RunSummary } from '../core/results/summary';
import { readSummary } from '../core/results/store';
import { sweptAxes } from '../core/sweep/axis';
import type { PointRecord } from '../core/sweep/point';
import { transitionText } from '../core/transitions/text';
import { contentSecurityPolicy } from '../extension/panels/page';
import type { HostToSpectrumView, HostToSweepPanel, RunInfo } from '../protocol/webview';
import { runInfo, spectrumChoices } from '../protocol/runInfo';
import { predictionLines } from './report';

/** Where the built views and their styles are: dist/webview/ and media/ of the installed package. */
export interface ReportAssets {
  webviewDir: string;
  mediaDir: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** Text that goes inside <script>: no "</script" may end it early. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1');
/** JSON inside <script>: < escaped, so no markup can start in data. */
const jsonSafe = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * A view's page as srcdoc: its bundle and styles inline, under the production CSP with the
 * styles allowed by nonce (a srcdoc frame also inherits the report page's policy, the same one
 * plus its srcdoc frames).
 */
function viewPage(view: 'sweep' | 'spectrum', assets: ReportAssets, nonce: string): string {
  const css = ['report.css', 'base.css', `${view}.css`].map((f) => readFileSync(join(assets.mediaDir, f), 'utf8')).join('\n');
  const bundle = readFileSync(join(assets.webviewDir, `${view}.js`), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '');
  // acquireVsCodeApi as the views expect it: messages go to the report page, state stays here.
  const prelude = `document.body.className = matchMedia('(prefers-color-scheme: dark)').matches ? 'vscode-dark' : 'vscode-light';
let state; window.acquireVsCodeApi = () => ({ postMessage: (m) => parent.postMessage({ view: '${view}', message: m }, '*'), getState: () => state, setState: (s) => { state = s; } });
new ResizeObserver(() => parent.postMessage({ view: '${view}', height: document.documentElement.scrollHeight }, '*')).observe(document.documentElement);`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce, `'nonce-${nonce}'`)}">
<style nonce="${nonce}">${css}</style></head>
<body><script nonce="${nonce}">${prelude}</script><div id="root"></div><script nonce="${nonce}">${scriptSafe(bundle)}</script></body></html>`;
}

/** The point the spectrum view opens on: the one nearest the first transition, else the middle one. */
function initialPoint(points: PointRecord[], summary: RunSummary | null): PointRecord | undefined {
  const usable = points.filter((p) => p.hessian);
  const target = summary?.transitions[0]?.value;
  if (target === undefined) return usable[Math.floor(usable.length / 2)];
  return usable.reduce<PointRecord | undefined>((best, p) => (!best || Math.abs(p.value - target) < Math.abs(best.value - target) ? p : best), undefined);
}

/** What the coordinator in the page needs: the views' messages, computed here. */
interface ReportData {
  sweepInit: HostToSweepPanel;
  spectrum: { run: RunInfo; choices: Extract<HostToSpectrumView, { type: 'point' }>['choices']; initial: string | null };
  points: Record<string, PointRecord>;
  slices: PointSlice[];
  /** A VAE run's reconstructions/<id>.json by point (null for an MLP run): the sweep panel's pictures of the selected point. */
  reconstructions: Record<string, VaeReconstructions | null> | null;
}

/**
 * The coordinator: answers each view's `ready`, relays a selection from either view to the
 * other (with a VAE point's pictures for the sweep panel), and answers a slice request from the
 * slices stored with the run (the report computes nothing; `l2exp slice` adds slices).
 */
const COORDINATOR = `const data = JSON.parse(document.getElementById('report-data').textContent);
const send = (view, m) => document.querySelector('iframe.' + view).contentWindow.postMessage(m, '*');
const runId = data.spectrum.run.runId;
let selected = data.spectrum.initial;
const pictures = (id) => data.reconstructions && id && send('sweep', { type: 'reconstructions', runId, pointId: id, reconstructions: data.reconstructions[id] ?? null });
const showPoint = (id) => {
  const point = data.points[id];
  if (!point) return;
  selected = id;
  if (point.hessian) send('spectrum', { type: 'point', run: data.spectrum.run, point, choices: data.spectrum.choices });
  else send('spectrum', { type: 'empty', message: 'No Hessian for ' + id + '.' });
};
window.addEventListener('message', (e) => {
  const { view, message: m, height } = e.data || {};
  // Each frame is as tall as its view, so the page scrolls instead of the frames.
  if (height) document.querySelector('iframe.' + view).style.height = height + 'px';
  if (!m) return;
  if (view === 'sweep' && m.type === 'ready') {
    send('sweep', { ...data.sweepInit, selectedId: selected });
    pictures(selected);
  }
  else if (view === 'spectrum' && m.type === 'ready') selected ? showPoint(selected) : send('spectrum', { type: 'empty', message: 'No point has a Hessian.' });
  else if (m.type === 'selectPoint') {
    showPoint(m.pointId);
    if (view === 'spectrum') send('sweep', { type: 'select', runId, pointId: m.pointId });
    pictures(m.pointId);
  } else if (m.type === 'requestSlice') {
    const s = data.slices.find((s) => s.pointId === m.pointId && s.directions === m.directions && (m.dims ?? 2) === (s.betas ? 2 : 1));
    if (s) send('spectrum', { type: 'slice', runId, slice: s });
    else send('spectrum', { type: 'sliceFailed', runId, pointId: m.pointId, message: 'this report holds only the slices computed before it was written: run "l2exp slice RESULTS ' + m.pointId + ' --directions ' + m.directions + ' --dims ' + (m.dims ?? 2) + '", then the report again' });
  }
});`;

/** The report of results folder `dir` as one HTML document. */
export function reportHtml(dir: string, assets: ReportAssets): string {
  const { manifest, points } = ResultsStore.read(dir);
  const summary = readSummary(dir);
  if (points.length === 0) throw new InputError(`${dir} holds no finished points yet: run the sweep first`);
  const e = manifest.experiment;
  const run: RunInfo = runInfo({ runId: basename(dir), configPath: manifest.configPath, experiment: e, points, live: false });
  const start = initialPoint(points, summary);
  const data: ReportData = {
    sweepInit: { type: 'init', run, points, transitions: summary?.transitions ?? [], predictions: summary?.predictions ?? [], selectedId: start?.id ?? null },
    spectrum: { run, choices: spectrumChoices(points), initial: start?.id ?? null },
    points: Object.fromEntries(points.map((p) => [p.id, p])),
    slices: readSlices(dir),
    reconstructions: e.model.kind === 'vae' ? Object.fromEntries(points.map((p) => [p.id, readReconstructions(dir, p.id)])) : null,
  };
  const nonce = randomBytes(16).toString('base64');
  const status = summary
    ? `${summary.status}: ${summary.points.finished} of ${summary.points.expected} points in ${summary.timings.wallSeconds.toFixed(1)} s`
    : `unfinished: ${points.length} points so far`;
  const transitions = summary?.transitions.length ? summary.transitions.map((t) => `<li>${escapeHtml(transitionText(t))}</li>`).join('') : '<li>none found</li>';
  const predictions = summary
    ? predictionLines(summary.predictions, sweptAxes(e.sweep))
        .map((l) => `<li>${escapeHtml(l)}</li>`)
        .join('')
    : '';
  const timings = summary
    ? Object.entries(summary.timings)
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
        .join('')
    : '';
  const frame = (view: 'sweep' | 'spectrum', title: string) => `<iframe class="${view}" title="${title}" srcdoc="${escapeHtml(viewPage(view, assets, nonce))}"></iframe>`;
  const css = readFileSync(join(assets.mediaDir, 'report.css'), 'utf8');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce, `'nonce-${nonce}'`)}; frame-src about:">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(e.name)}: L2 sweep report</title>
<style nonce="${nonce}">${css}</style></head>
<body class="report vscode-light">
<script nonce="${nonce}">document.body.className = 'report ' + (matchMedia('(prefers-color-scheme: dark)').matches ? 'vscode-dark' : 'vscode-light');</script>
<h1>${escapeHtml(e.name)}</h1>
<p class="muted">${escapeHtml(status)} · ${escapeHtml(manifest.configPath)} · config hash ${manifest.configHash.slice(0, 12)} · written by l2exp report</p>
<h2>Transitions</h2><ul class="transitions">${transitions}</ul>
${predictions ? `<h2>Predictions</h2><ul class="predictions">${predictions}</ul>` : ''}
<script id="report-data" type="application/json">${jsonSafe(data)}</script>
<script nonce="${nonce}">${COORDINATOR}</script>
<div class="views">${frame('sweep', 'Sweep panel')}${frame('spectrum', 'Hessian spectrum')}</div>
${timings ? `<h2>Timings</h2><table class="timings">${timings}</table>` : ''}
<h2>Configuration</h2><pre class="config">${escapeHtml(JSON.stringify(e, null, 2))}</pre>
</body></html>
`;
}
