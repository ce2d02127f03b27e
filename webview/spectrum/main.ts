// Entry of the Hessian spectrum view (dist/webview/spectrum.js), a narrow sidebar: the selected
// point's Morse data, its spectrum, a slider over the run's points and the landscape slice.
import type { PointSlice } from '../../src/core/analysis/slice';
import type { PointRecord } from '../../src/core/sweep/point';
import type { HostToSpectrumView, SpectrumViewToHost } from '../../src/protocol/webview';
import { button, dropdown, slider } from '../shared/controls';
import { describeList, el } from '../shared/dom';
import { onThemeChange, readTheme, type Theme } from '../shared/theme';
import { onHostMessage, vscodeApi } from '../shared/vscodeApi';
import { extremes, morseBadge, pointTitle, statsList } from './details';
import { drawSlice } from './heatmap';
import { SpectrumChart } from './spectrumChart';

type Directions = 'hessian' | 'random';
type PointMessage = Extract<HostToSpectrumView, { type: 'point' }>;

/** The host replays the last point on `ready`; only the user's choice of directions is the view's to keep. */
interface SpectrumState {
  directions: Directions;
}

const api = vscodeApi<SpectrumViewToHost, SpectrumState>();
const root = document.getElementById('root') ?? document.body.appendChild(el('div', { id: 'root' }));
let theme: Theme = readTheme();
let current: PointMessage | undefined;
let choices: PointMessage['choices'] = [];
let directions: Directions = api.getState()?.directions ?? 'hessian';
let chart: SpectrumChart | undefined;
let slice: PointSlice | undefined;

const title = el('h1', { class: 'point-title' });
const subtitle = el('p', { class: 'run-name' });
const sliderValue = el('span', { class: 'slider-value' });
const pointSlider = slider(
  'Point (ordered by λ)',
  (i) => (sliderValue.textContent = choices[i] ? `→ ${pointTitle(choices[i])} (release to open)` : ''),
  (i) => {
    const c = choices[i];
    if (!current || !c || c.id === current.point.id) return;
    sliderValue.textContent = `→ ${pointTitle(c)}: loading…`;
    api.postMessage({ type: 'selectPoint', runId: current.run.runId, pointId: c.id });
  },
);
const summary = el('div', { class: 'summary' });
const canvas = el('canvas', { 'aria-hidden': 'true' });
const chartCaption = el('p', { class: 'caption' });
const chartList = el('ul', { class: 'visually-hidden', id: 'spectrum-description' });
const chartSection = el('section', { class: 'spectrum' }, el('h2', {}, 'Spectrum'), chartCaption, el('div', { class: 'chart-area', role: 'img', 'aria-label': 'Hessian spectrum', 'aria-describedby': 'spectrum-description' }, canvas), chartList);
const extremesBox = el('section', {});
const sliceStatus = el('p', { class: 'slice-status', role: 'status' });
const sliceCanvas = el('canvas', { class: 'heatmap', role: 'img', 'aria-label': '2-D landscape slice', 'aria-describedby': 'slice-description' });
const sliceList = el('ul', { class: 'caption', id: 'slice-description' });
const sliceButton = button('Compute slice', requestSlice, { appearance: 'primary', title: 'Compute the 2-D landscape slice around this point' });
const directionPick = dropdown<Directions>(
  [
    { value: 'hessian', label: 'Hessian' },
    { value: 'random', label: 'Random' },
  ],
  directions,
  'Slice directions',
  (d) => {
    directions = d;
    api.setState({ directions });
  },
);
const body = el(
  'div',
  { class: 'view' },
  el('header', {}, title, subtitle),
  el('div', { class: 'slider-row' }, pointSlider.element, sliderValue),
  summary,
  chartSection,
  extremesBox,
  el('section', { class: 'slice' }, el('h2', {}, '2-D landscape slice'), el('div', { class: 'slice-controls' }, directionPick, sliceButton.element), sliceStatus, sliceCanvas, sliceList),
);
const message = el('p', { class: 'placeholder' }, 'Select a point in the sweep panel to see its Hessian.');
root.replaceChildren(message);

function requestSlice(): void {
  if (!current) return;
  sliceButton.setDisabled(true);
  sliceStatus.textContent = 'Computing the slice…';
  sliceStatus.classList.remove('error');
  api.postMessage({ type: 'requestSlice', runId: current.run.runId, pointId: current.point.id, directions });
}

function showPoint(m: PointMessage): void {
  current = m;
  slice = undefined;
  choices = [...m.choices].sort((a, b) => a.lambda - b.lambda || a.direction.localeCompare(b.direction) || a.seed - b.seed);
  const p: PointRecord = m.point;
  title.textContent = pointTitle(p);
  subtitle.textContent = `${m.run.name}${m.run.live ? ' (live)' : ''}`;
  const at = choices.findIndex((c) => c.id === p.id);
  pointSlider.setRange(Math.max(0, choices.length - 1), Math.max(0, at));
  sliderValue.textContent = `point ${at + 1} of ${choices.length}, by λ`;
  sliceStatus.textContent = '';
  sliceButton.setDisabled(p.diverged);
  sliceCanvas.classList.add('empty');
  describeList(sliceList, []);
  if (root.firstChild !== body) root.replaceChildren(body);
  const h = p.hessian;
  chartSection.hidden = !h;
  if (!h) {
    summary.replaceChildren(el('p', { class: 'placeholder' }, p.diverged ? 'Training diverged at this point: there is no Hessian.' : 'No Hessian was computed for this point (analysis off).'));
    extremesBox.replaceChildren();
    return;
  }
  summary.replaceChildren(el('div', { class: 'badge-row' }, morseBadge(h)), statsList(p, h, p.curvature));
  extremesBox.replaceChildren(extremes(h));
  chartCaption.textContent = h.method === 'exact' ? `All ${h.size} eigenvalues (histogram); shaded: |x| ≤ t.` : `SLQ density of ${h.size} eigenvalues; ticks: ${h.eigenvalues.length} Ritz values; shaded: |x| ≤ t.`;
  describeList(chartList, [chartCaption.textContent, `Morse index ${h.negativeCount}, nullity ${h.nullity}, threshold ${h.threshold}.`]);
  chart ??= new SpectrumChart(canvas, theme);
  chart.show(h);
}

function showSlice(s: PointSlice): void {
  slice = s;
  sliceButton.setDisabled(false);
  sliceStatus.textContent = '';
  sliceCanvas.classList.remove('empty');
  describeList(sliceList, drawSlice(sliceCanvas, s, theme));
}

onHostMessage<HostToSpectrumView>((m) => {
  switch (m.type) {
    case 'point':
      showPoint(m);
      break;
    case 'empty':
      current = undefined;
      message.textContent = m.message;
      root.replaceChildren(message);
      break;
    case 'slice':
      if (current && m.runId === current.run.runId && m.slice.pointId === current.point.id) showSlice(m.slice);
      break;
    case 'sliceFailed':
      if (!current || m.runId !== current.run.runId || m.pointId !== current.point.id) break;
      sliceButton.setDisabled(false);
      sliceStatus.textContent = `The slice failed: ${m.message}`;
      sliceStatus.classList.add('error');
      break;
  }
});

onThemeChange((t) => {
  theme = t;
  chart?.restyle(t);
  if (slice) drawSlice(sliceCanvas, slice, t);
});

// The sidebar is resized by dragging: the heat map redraws to its new width.
new ResizeObserver(() => {
  if (slice) drawSlice(sliceCanvas, slice, theme);
}).observe(sliceCanvas);

api.postMessage({ type: 'ready' });
