// Entry of the Hessian spectrum view (dist/webview/spectrum.js), a narrow sidebar: the selected
// point's Morse data, its spectrum, a slider over the run's points, one over the steps of its
// training path (analysis.trajectory) and the landscape slice.
import { axisSymbol, runAxes, setAxis, symbolOf } from '../shared/axis';
import type { PointSlice } from '../../src/core/analysis/slice';
import type { PointRecord, TrajectoryRecord } from '../../src/core/sweep/point';
import type { HostToSpectrumView, SpectrumViewToHost } from '../../src/protocol/webview';
import { button, dropdown, slider } from '../shared/controls';
import { describeList, el } from '../shared/dom';
import { fmtNum } from '../shared/format';
import { onThemeChange, readTheme, type Theme } from '../shared/theme';
import { onHostMessage, vscodeApi } from '../shared/vscodeApi';
import { extremes, morseBadge, outlierText, pointTitle, statsList } from './details';
import { axisLayout } from '../shared/charts';
import { directionItems, drawSlice, type SliceLayout } from './slicePlot';
import { SpectrumChart, type SpectrumMarks } from './spectrumChart';

type Directions = 'hessian' | 'random';
type PointMessage = Extract<HostToSpectrumView, { type: 'point' }>;

/** The host replays the last point on `ready`; only the user's choice of slice is the view's to keep. */
interface SpectrumState {
  directions: Directions;
  dims?: 1 | 2;
  range?: number;
  points?: number;
}

declare global {
  interface Window {
    /** The last slice's layout and the spectrum chart's axes (the browser tests check them). */
    __l2SliceLayout?: () => SliceLayout | null;
    __l2SpectrumLayout?: () => ReturnType<typeof axisLayout> | null;
    /** The bulk band and outlier markers as drawn. */
    __l2SpectrumMarks?: () => SpectrumMarks | null;
  }
}

/** The slice's grid choices: α (and β) over [−range, range] with `points` per axis. */
const RANGES = [0.1, 0.25, 0.5, 1, 2, 5];
const POINTS: Record<1 | 2, number[]> = { 1: [25, 51, 101, 201], 2: [15, 25, 41, 61] };

const api = vscodeApi<SpectrumViewToHost, SpectrumState>();
const root = document.getElementById('root') ?? document.body.appendChild(el('div', { id: 'root' }));
let theme: Theme = readTheme();
let current: PointMessage | undefined;
let choices: PointMessage['choices'] = [];
const saved = api.getState();
let directions: Directions = saved?.directions ?? 'hessian';
let dims: 1 | 2 = saved?.dims ?? 2;
let range = saved?.range ?? 1;
let points = saved?.points ?? 25;
let sliceLayout: SliceLayout | null = null;
let chart: SpectrumChart | undefined;
let slice: PointSlice | undefined;

const title = el('h1', { class: 'point-title' });
const subtitle = el('p', { class: 'run-name' });
const sliderValue = el('span', { class: 'slider-value' });
const pointSlider = slider(
  'Point',
  (i) => (sliderValue.textContent = choices[i] ? `→ ${pointTitle(choices[i])} (release to open)` : ''),
  (i) => {
    const c = choices[i];
    if (!current || !c || c.id === current.point.id) return;
    sliderValue.textContent = `→ ${pointTitle(c)}: loading…`;
    api.postMessage({ type: 'selectPoint', runId: current.run.runId, pointId: c.id });
  },
);
/** The training path's recorded steps, then the trained point (the slider's last position). */
let path: TrajectoryRecord[] = [];
const stepValue = el('span', { class: 'step-value', 'aria-live': 'polite' });
// The steps are in the record already: the spectrum follows the thumb.
const stepSlider = slider('Training step', showStep, showStep);
const stepRow = el('div', { class: 'slider-row step-row' }, stepSlider.element, stepValue);
const summary = el('div', { class: 'summary' });
const canvas = el('canvas', { 'aria-hidden': 'true' });
const chartCaption = el('p', { class: 'caption' });
const chartList = el('ul', { class: 'visually-hidden', id: 'spectrum-description' });
const chartSection = el(
  'section',
  { class: 'spectrum' },
  el('h2', {}, 'Spectrum'),
  chartCaption,
  el('div', { class: 'chart-area', role: 'img', 'aria-label': 'Hessian spectrum', 'aria-describedby': 'spectrum-description' }, canvas),
  chartList,
);
const extremesBox = el('section', {});
const sliceStatus = el('p', { class: 'slice-status', role: 'status' });
const sliceCanvas = el('canvas', { class: 'heatmap contour', role: 'img', 'aria-label': 'Landscape slice', 'aria-describedby': 'slice-description' });
const sliceList = el('ul', { class: 'visually-hidden', id: 'slice-description' });
const sliceDirections = el('ul', { class: 'slice-dirs' });
const sliceButton = button('Compute slice', requestSlice, { appearance: 'primary', title: 'Compute the landscape slice around this point' });
const save = () => api.setState({ directions, dims, range, points });
const dimsPick = dropdown<'1' | '2'>(
  [
    { value: '2', label: '2-D' },
    { value: '1', label: '1-D' },
  ],
  String(dims) as '1' | '2',
  'Slice dimensions',
  (d) => {
    dims = d === '1' ? 1 : 2;
    // Each kind has its own resolutions: keep the nearest.
    points = POINTS[dims].reduce((a, b) => (Math.abs(b - points) < Math.abs(a - points) ? b : a));
    pointsPick.replaceWith((pointsPick = pointsDropdown()));
    save();
  },
);
const rangePick = dropdown(
  RANGES.map((r) => ({ value: String(r), label: `±${r}` })),
  String(range),
  'Slice range: α and β from −R to R',
  (r) => {
    range = Number(r);
    save();
  },
);
function pointsDropdown(): HTMLElement {
  const d = dropdown(
    POINTS[dims].map((n) => ({ value: String(n), label: dims === 2 ? `${n}×${n}` : `${n} points` })),
    String(points),
    'Slice resolution: points per axis',
    (n) => {
      points = Number(n);
      save();
    },
  );
  d.classList.add('slice-points');
  return d;
}
let pointsPick = pointsDropdown();
dimsPick.classList.add('slice-dims');
rangePick.classList.add('slice-range');
const directionPick = dropdown<Directions>(
  [
    { value: 'hessian', label: 'Hessian' },
    { value: 'random', label: 'Random' },
  ],
  directions,
  'Slice directions',
  (d) => {
    directions = d;
    save();
  },
);
directionPick.classList.add('slice-directions');
const body = el(
  'div',
  { class: 'view' },
  el('header', {}, title, subtitle),
  el('div', { class: 'slider-row' }, pointSlider.element, sliderValue),
  stepRow,
  summary,
  chartSection,
  extremesBox,
  el(
    'section',
    { class: 'slice' },
    el('h2', {}, 'Landscape slice'),
    el('div', { class: 'slice-controls' }, directionPick, dimsPick, rangePick, el('span', { class: 'points-slot' }, pointsPick), sliceButton.element),
    sliceStatus,
    sliceDirections,
    sliceCanvas,
    sliceList,
  ),
);
const message = el('p', { class: 'placeholder' }, 'Select a point in the sweep panel to see its Hessian.');
root.replaceChildren(message);

function requestSlice(): void {
  if (!current) return;
  sliceButton.setDisabled(true);
  sliceStatus.textContent = 'Computing the slice…';
  sliceStatus.classList.remove('error');
  api.postMessage({ type: 'requestSlice', runId: current.run.runId, pointId: current.point.id, directions, dims, range, points });
}

function showPoint(m: PointMessage): void {
  current = m;
  slice = undefined;
  const p: PointRecord = m.point;
  // A 2-D sweep's slider keeps to the point's row: a walk along the first axis, like that row's charts.
  choices = m.choices.filter((c) => c.across === p.across).sort((a, b) => a.value - b.value || a.direction.localeCompare(b.direction) || a.seed - b.seed);
  title.textContent = pointTitle(p);
  subtitle.textContent = `${m.run.name}${m.run.live ? ' (live)' : ''}`;
  const at = choices.findIndex((c) => c.id === p.id);
  const { across } = runAxes();
  const order = `by ${axisSymbol()}${across && p.across !== undefined ? ` at ${symbolOf(across)} = ${fmtNum(p.across)}` : ''}`;
  pointSlider.setRange(Math.max(0, choices.length - 1), Math.max(0, at));
  pointSlider.element.setAttribute('aria-label', `Point (ordered ${order})`);
  sliderValue.textContent = `point ${at + 1} of ${choices.length}, ${order}`;
  sliceStatus.textContent = '';
  sliceButton.setDisabled(p.diverged);
  sliceCanvas.classList.add('empty');
  sliceLayout = null;
  sliceDirections.replaceChildren();
  describeList(sliceList, []);
  if (root.firstChild !== body) root.replaceChildren(body);
  path = p.trajectory ?? [];
  stepRow.hidden = path.length === 0;
  stepSlider.setRange(path.length, path.length);
  showStep(path.length);
}

/** Position i of the step slider: the path's i-th recorded step, or (the last) the trained point. */
function showStep(i: number): void {
  if (!current) return;
  const p = current.point;
  const step = path[i];
  stepValue.textContent = step
    ? `step ${step.step} of ${p.steps} · objective ${fmtNum(step.objective)} · ‖∇‖ ${fmtNum(step.gradNorm)}${step.featureOverlap === null ? '' : ` · overlap ${fmtNum(step.featureOverlap)}`}`
    : `trained point (${p.steps} steps)`;
  if (step)
    showHessian(step.hessian, null, step.objective, step.objective === null ? 'The path diverged by this step: there is no Hessian.' : 'No Hessian was computed along the path (analysis off).');
  else showHessian(p.hessian, p.curvature, p.objective, p.diverged ? 'Training diverged at this point: there is no Hessian.' : 'No Hessian was computed for this point (analysis off).');
}

function showHessian(h: PointRecord['hessian'], curvature: PointRecord['curvature'], objective: number | null, missing: string): void {
  chartSection.hidden = !h;
  if (!h) {
    summary.replaceChildren(el('p', { class: 'placeholder' }, missing));
    extremesBox.replaceChildren();
    return;
  }
  summary.replaceChildren(el('div', { class: 'badge-row' }, morseBadge(h)), statsList(objective, h, curvature));
  extremesBox.replaceChildren(extremes(h));
  const marks = h.outliers ? ' Green: the bulk; ▼ ▲ outliers below and above it.' : '';
  chartCaption.textContent =
    (h.method === 'exact' ? `All ${h.size} eigenvalues (histogram); yellow: |x| ≤ t.` : `SLQ density of ${h.size} eigenvalues; ticks: ${h.eigenvalues.length} Ritz values; yellow: |x| ≤ t.`) + marks;
  describeList(chartList, [chartCaption.textContent, `Morse index ${h.negativeCount}, nullity ${h.nullity}, threshold ${h.threshold}.`, ...(h.outliers ? [`${outlierText(h.outliers)}.`] : [])]);
  chart ??= new SpectrumChart(canvas, theme);
  chart.show(h);
}

function showSlice(s: PointSlice): void {
  slice = s;
  sliceButton.setDisabled(false);
  sliceStatus.textContent = '';
  sliceCanvas.classList.remove('empty');
  sliceDirections.replaceChildren(...directionItems(s).map((t) => el('li', {}, t)));
  redrawSlice();
}

function redrawSlice(): void {
  if (!slice) return;
  const drawn = drawSlice(sliceCanvas, slice, theme);
  sliceLayout = drawn.layout;
  describeList(sliceList, drawn.lines);
}

window.__l2SliceLayout = () => sliceLayout;
window.__l2SpectrumLayout = () => chart?.layout() ?? null;
window.__l2SpectrumMarks = () => chart?.marks() ?? null;

onHostMessage<HostToSpectrumView>((m) => {
  switch (m.type) {
    case 'point':
      setAxis(m.run);
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
  redrawSlice();
});

// The sidebar is resized by dragging: the heat map redraws to its new width.
new ResizeObserver(() => {
  redrawSlice();
}).observe(sliceCanvas);

api.postMessage({ type: 'ready' });
