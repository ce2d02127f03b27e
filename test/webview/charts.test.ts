// The charts of the sweep panel and the landscape slice of the spectrum view on the bundled
// examples' own results (each example run by the CLI), in headless Chromium under the production
// page and CSP: labels that never overlap, ticks that never collide or repeat, negative symlog
// decades, log/linear y axes, zoom and its reset, seeds with legend entries, refined points kept
// off the branches, and filled contours that answer range and resolution. Any console error, page
// error or CSP violation fails. Screenshots (light and dark): test-artifacts/webview/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parse } from 'jsonc-parser';
import { slicePoint } from '../../src/core/run/slicePoint';
import type { PointSlice } from '../../src/core/analysis/slice';
import type { PointRecord } from '../../src/core/sweep/point';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import type { HostToSpectrumView, HostToSweepPanel, RunInfo } from '../../src/protocol/webview';
import { ARTIFACTS_DIR, buildViews, nextFrames, nextPost, openView, posted, ROOT, runConfig, send, setTheme, startSite, type Box, type Site, type ViewPage } from './harness';

interface Example {
  name: string;
  dir: string;
  points: PointRecord[];
  transitions: Transition[];
  predictions: Prediction[];
  range: [number, number];
  direction: string;
}

const EXAMPLES = ['two-moons-tanh', 'iris', 'linear-2-hidden'];
const examples = new Map<string, Example>();
let site: Site;

function runExample(name: string, dir: string): Example {
  const config = join(dir, `${name}.l2exp.json`);
  copyFileSync(join(ROOT, 'examples', `${name}.l2exp.json`), config);
  const out = join(dir, name);
  const { points, summary } = runConfig(config, out);
  const sweep = (parse(readFileSync(config, 'utf8')) as { sweep: { from: number; to: number; direction: string } }).sweep;
  return { name, dir: out, points, transitions: summary.transitions, predictions: summary.predictions, range: [sweep.from, sweep.to], direction: sweep.direction };
}

before(async () => {
  buildViews();
  const dir = mkdtempSync(join(tmpdir(), 'l2-charts-'));
  for (const name of EXAMPLES) examples.set(name, runExample(name, dir));
  site = await startSite(join(dir, 'site'));
});

after(() => site?.close());

const ex = (name: string) => examples.get(name)!;
const runInfo = (e: Example, live = false): RunInfo => ({
  runId: `run-${e.name}`,
  configPath: `/work/${e.name}.l2exp.json`,
  name: e.name,
  scoreKind: e.points[0].scoreKind,
  live,
  range: e.range,
});
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });

interface ChartLayout {
  id: string;
  annotations?: { chartArea: Box; tags: { text: string; box: Box; lineX: number }[]; entries: { text: string; box: Box }[] };
  axes: Record<string, { min: number; max: number; type: string; ticks: (Box & { text: string })[] }>;
  legend: string[];
  datasets: { label: string; hidden: boolean; points: number; pointStyle: string; showLine: boolean }[];
}
declare const window: { __l2Layout(): ChartLayout[] };
const layout = (page: Page) => page.evaluate(() => window.__l2Layout());

/** Boxes overlap when they share more than a hair of area (touching edges are fine). */
const overlap = (a: Box, b: Box) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;

function pairsOverlapping<T>(items: T[], box: (t: T) => Box): [T, T][] {
  const out: [T, T][] = [];
  items.forEach((a, i) => items.slice(i + 1).forEach((b) => overlap(box(a), box(b)) && out.push([a, b])));
  return out;
}

async function openSweep(e: Example, theme: 'dark' | 'light' = 'dark', live = false): Promise<ViewPage> {
  const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1400, height: 1000 });
  await setTheme(view.page, theme);
  await nextPost(view.page, 'ready', 0);
  await send(view.page, { type: 'init', run: runInfo(e, live), points: e.points, transitions: e.transitions, predictions: e.predictions, selectedId: null } satisfies HostToSweepPanel);
  await view.page.locator('.card').first().waitFor();
  await nextFrames(view.page);
  return view;
}

async function noProblems(view: ViewPage): Promise<void> {
  assert.deepEqual(await view.problems(), [], 'console errors, page errors or CSP violations');
}

for (const name of EXAMPLES) {
  test(`sweep panel on ${name}: labels and ticks never collide`, async () => {
    const e = ex(name);
    const view = await openSweep(e);
    const charts = await layout(view.page);
    assert.ok(charts.length >= 6, `only ${charts.length} charts`);
    const expectedTags = e.transitions.length + e.predictions.length;
    for (const c of charts) {
      const a = c.annotations!;
      // Every transition and prediction has its tag, and a legend entry with value, kind, order and confidence.
      assert.equal(a.tags.length, expectedTags, `${c.id}: ${a.tags.length} tags for ${expectedTags} lines`);
      assert.deepEqual(
        pairsOverlapping(a.tags, (t) => t.box),
        [],
        `${c.id}: tags overlap`,
      );
      assert.deepEqual(
        pairsOverlapping(a.entries, (t) => t.box),
        [],
        `${c.id}: legend entries overlap`,
      );
      for (const t of a.tags) {
        // Off the data: above the plot area, so never over a curve nor over any line.
        assert.ok(t.box.y + t.box.h <= a.chartArea.y + 0.5, `${c.id}: tag "${t.text}" reaches into the plot`);
        assert.ok(t.box.x >= a.chartArea.x - 0.5 && t.box.x + t.box.w <= a.chartArea.x + a.chartArea.w + 0.5, `${c.id}: tag "${t.text}" leaves the chart`);
      }
      // Leaders keep the lines' order, so they never cross.
      const byLine = [...a.tags].sort((p, q) => p.lineX - q.lineX);
      byLine.forEach((t, i) => i && assert.ok(t.box.x >= byLine[i - 1].box.x, `${c.id}: leaders cross`));
      for (const t of e.transitions) {
        const entry = a.entries.find((en) => en.text.includes(t.value.toPrecision(4)) && !en.text.includes('predicted'));
        assert.ok(entry, `${c.id}: no legend entry for λc ${t.value}: ${a.entries.map((x) => x.text).join(' | ')}`);
        assert.match(entry.text, new RegExp(`${t.order}-order ${t.kind} .*confidence ${t.confidence.toFixed(2)}`));
      }
      for (const p of e.predictions)
        assert.ok(
          a.entries.some((en) => en.text.includes(`predicted λc = ${p.lambda.toPrecision(4)}`)),
          `${c.id}: the prediction has no value`,
        );
      for (const [axis, info] of Object.entries(c.axes)) {
        assert.ok(info.ticks.length >= 2, `${c.id}.${axis}: ${info.ticks.length} labelled ticks`);
        assert.deepEqual(
          pairsOverlapping(info.ticks, (t) => t),
          [],
          `${c.id}.${axis}: tick labels collide: ${info.ticks.map((t) => t.text).join(' ')}`,
        );
        const texts = info.ticks.map((t) => t.text);
        assert.equal(new Set(texts).size, texts.length, `${c.id}.${axis}: repeated tick labels ${texts.join(' ')}`);
        // One notation per axis: all powers of ten, or all decimals.
        const powers = texts.filter((t) => t.includes('10') && /[⁰¹²³⁴⁵⁶⁷⁸⁹]/.test(t)).length;
        assert.ok(powers === 0 || powers === texts.filter((t) => t !== '0').length, `${c.id}.${axis}: mixed notation ${texts.join(' ')}`);
      }
      // The x axis spans the configured grid.
      assert.ok(c.axes.x.min <= e.range[0] && c.axes.x.max >= e.range[1], `${c.id}: x range ${c.axes.x.min}–${c.axes.x.max} misses the grid ${e.range}`);
    }
    await noProblems(view);
    await view.close();
  });
}

test('sweep panel: the curvature axis is symlog with labelled negative decades; Σ‖W‖² opens on a log axis', async () => {
  const view = await openSweep(ex('iris'));
  const charts = await layout(view.page);
  const curvature = charts.find((c) => c.id === 'curvature')!;
  const ticks = curvature.axes.y.ticks.map((t) => t.text);
  assert.ok(ticks.includes('0'), ticks.join(' '));
  assert.ok(
    ticks.some((t) => t.startsWith('−')),
    `no negative tick on the curvature axis: ${ticks.join(' ')}`,
  );
  assert.ok(
    ticks.some((t) => !t.startsWith('−') && t !== '0'),
    ticks.join(' '),
  );
  const weight = charts.find((c) => c.id === 'weightNorm')!;
  assert.equal(weight.axes.y.type, 'logarithmic');
  // The toggle: linear, then back to log.
  const pick = view.page.locator('.card[data-chart="weightNorm"] .scale-pick');
  await pick.click();
  await view.page.locator('.card[data-chart="weightNorm"] vscode-option', { hasText: 'y: linear' }).click();
  await view.page.locator('.card[data-chart="weightNorm"] .chart-area[data-y-scale="linear"]').waitFor();
  assert.equal((await layout(view.page)).find((c) => c.id === 'weightNorm')!.axes.y.type, 'linear');
  await noProblems(view);
  await view.close();
});

test('sweep panel: refined points of an up-only sweep are markers, not a down branch', async () => {
  const e = ex('iris');
  assert.equal(e.direction, 'up');
  assert.ok(
    e.points.some((p) => p.index < 0 && p.direction === 'down'),
    'the example no longer refines with a down continuation',
  );
  const view = await openSweep(e);
  assert.equal(await view.page.locator('vscode-checkbox[data-branch="down"]').count(), 0, 'a "down" branch toggle for an up-only sweep');
  await view.page.locator('vscode-checkbox[data-branch="refined"]').waitFor();
  for (const c of await layout(view.page)) {
    assert.ok(!c.datasets.some((d) => d.label.includes('· down ·')), `${c.id}: a down series`);
    const refined = c.datasets.filter((d) => d.label.includes('· refined ·'));
    assert.ok(refined.length > 0 && refined.every((d) => !d.showLine), `${c.id}: refined points drawn as a line`);
  }
  await noProblems(view);
  await view.close();
});

test('sweep panel: seeds have markers and legend entries, and a mean ± sd band', async () => {
  const e = ex('two-moons-tanh');
  const seeds = [...new Set(e.points.map((p) => p.seed))];
  assert.ok(seeds.length >= 2);
  const view = await openSweep(e);
  for (const s of seeds) await view.page.locator(`.seeds vscode-checkbox[data-seed="${s}"]`).waitFor();
  for (const c of await layout(view.page)) {
    for (const s of seeds) assert.ok(c.legend.includes(`seed ${s}`), `${c.id}: legend ${c.legend.join(', ')}`);
    const styles = seeds.map((s) => new Set(c.datasets.filter((d) => d.label.endsWith(`· seed ${s}`) && !d.label.includes('refined')).map((d) => d.pointStyle)));
    assert.ok(
      styles.every((st) => st.size === 1),
      `${c.id}: a seed with several markers`,
    );
    assert.equal(new Set(styles.map((st) => [...st][0])).size, seeds.length, `${c.id}: seeds share a marker`);
  }
  await view.page.locator('.mean-toggle').click();
  await nextFrames(view.page);
  const weight = (await layout(view.page)).find((c) => c.id === 'weightNorm')!;
  const means = weight.datasets.filter((d) => d.label.includes('mean of 2 seeds'));
  assert.ok(means.length >= 1 && means.every((d) => !d.hidden && d.points > 5), JSON.stringify(means));
  assert.ok(
    weight.datasets.filter((d) => / · seed \d$/.test(d.label) && !d.label.includes('refined')).every((d) => d.hidden),
    'seed lines still shown beside their mean',
  );
  await noProblems(view);
  await view.close();
});

test('sweep panel: zoom narrows λ on every chart, reset restores the configured range', async () => {
  const e = ex('two-moons-tanh');
  const view = await openSweep(e);
  const { page } = view;
  const xRange = async (id: string) => (await page.locator(`.card[data-chart="${id}"] .chart-area`).getAttribute('data-x-range'))!.split(' ').map(Number);
  const full = await xRange('score');
  const box = (await page.locator('.card[data-chart="score"] canvas').boundingBox())!;
  // Drag a box over the middle of the plot.
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.55, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 5 });
  await page.mouse.up();
  // Page functions as strings: the root tsconfig has no DOM lib.
  const rangeOf = (id: string) => `(document.querySelector('.card[data-chart="${id}"] .chart-area')?.dataset.xRange ?? '').split(' ').map(Number)`;
  await page.waitForFunction(`(() => { const r = ${rangeOf('score')}; return r[0] > ${full[0] * 1.5} && r[1] < ${full[1] / 1.5}; })()`);
  const zoomed = await xRange('score');
  assert.ok(zoomed[0] > full[0] && zoomed[1] < full[1], `${zoomed} within ${full}`);
  // The other charts follow.
  assert.deepEqual(await xRange('weightNorm'), zoomed);
  const ticks = (await layout(page)).find((c) => c.id === 'score')!.axes.x.ticks;
  assert.deepEqual(
    pairsOverlapping(ticks, (t) => t),
    [],
    'zoomed ticks collide',
  );
  await shot(page, 'sweep-zoomed-dark');
  await page.locator('.card[data-chart="score"] vscode-button.reset-zoom').click();
  await page.waitForFunction(`${rangeOf('weightNorm')}.join(' ') === '${full.join(' ')}'`);
  assert.deepEqual(await xRange('score'), full);
  await noProblems(view);
  await view.close();
});

test('sweep panel: the first live point shows the configured range, no repeated ticks, "1 point"', async () => {
  const e = ex('two-moons-tanh');
  const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1400, height: 1000 });
  await nextPost(view.page, 'ready', 0);
  await send(view.page, { type: 'init', run: runInfo(e, true), points: [], transitions: [], predictions: e.predictions, selectedId: null } satisfies HostToSweepPanel);
  await send(view.page, { type: 'update', runId: `run-${e.name}`, points: [e.points[0]], transitions: [] } satisfies HostToSweepPanel);
  await view.page.locator('.status', { hasText: 'live: 1 point' }).waitFor();
  assert.equal(await view.page.locator('.status').textContent(), 'live: 1 point');
  for (const c of await layout(view.page)) {
    assert.ok(c.axes.x.min <= e.range[0] && c.axes.x.max >= e.range[1], `${c.id}: x ${c.axes.x.min}–${c.axes.x.max}`);
    for (const [axis, info] of Object.entries(c.axes)) {
      const texts = info.ticks.map((t) => t.text);
      assert.equal(new Set(texts).size, texts.length, `${c.id}.${axis}: ${texts.join(' ')}`);
      assert.deepEqual(
        pairsOverlapping(info.ticks, (t) => t),
        [],
        `${c.id}.${axis}: ${texts.join(' ')}`,
      );
    }
  }
  await noProblems(view);
  await view.close();
});

test('screenshots of the sweep panel in light and dark', async () => {
  for (const theme of ['light', 'dark'] as const)
    for (const name of EXAMPLES) {
      const view = await openSweep(ex(name), theme);
      await shot(view.page, `sweep-${name}-${theme}`);
      await noProblems(view);
      await view.close();
    }
});

interface SliceLayout {
  dims: 1 | 2;
  grid: [number, number];
  range: [number, number];
  plot: Box;
  levels: number[];
  labels: { text: string; box: Box }[];
  colorbarTicks: { text: string; box: Box }[];
  xTicks: { text: string; box: Box }[];
  yTicks: { text: string; box: Box }[];
}
/** The spectrum view's layout globals (webview/spectrum), as far as this test reads them. */
interface SliceWindow {
  __l2SliceLayout(): SliceLayout | null;
  __l2SpectrumLayout(): ChartLayout['axes'] | null;
}
const sliceLayout = (page: Page) => page.evaluate(() => (globalThis as unknown as SliceWindow).__l2SliceLayout());
const num = (t: string) => Number(t.replace('−', '-'));

async function pick(page: Page, cls: string, label: string): Promise<void> {
  await page.locator(`vscode-dropdown.${cls}`).click();
  await page.locator(`vscode-dropdown.${cls} vscode-option`, { hasText: label }).first().click();
}

test('spectrum view: filled contours with labelled levels that follow range and resolution, a 1-D slice, eigenvalues, negative decades', async () => {
  const e = ex('two-moons-tanh');
  const point = e.points.find((p) => p.direction === 'up' && p.seed === 0 && p.index >= 0 && p.lambda > 0.01 && p.hessian)!;
  const slices = new Map<string, PointSlice>();
  for (const [dims, range, points] of [
    [2, 0.5, 41],
    [2, 1, 25],
    [1, 1, 51],
  ] as const)
    slices.set(`${dims}/${range}/${points}`, slicePoint(e.dir, point.id, { directions: 'hessian', dims, range, points, seed: 0 }).slice);
  const view = await openView(site.browser, `${site.url}/spectrum.html`, { width: 420, height: 1400 });
  const { page } = view;
  await nextPost(page, 'ready', 0);
  const run = runInfo(e);
  await send(page, { type: 'point', run, point, choices: e.points.map((p) => ({ id: p.id, value: p.value, direction: p.direction, seed: p.seed })) } satisfies HostToSpectrumView);
  await page.locator('.point-title').waitFor();

  // The histogram's axis has a labelled negative decade.
  const axes = await page.evaluate(() => (globalThis as unknown as SliceWindow).__l2SpectrumLayout());
  const xTicks = axes!.x.ticks.map((t) => t.text);
  assert.ok(xTicks.some((t) => t.startsWith('−')) && xTicks.includes('0'), `spectrum ticks: ${xTicks.join(' ')}`);
  assert.deepEqual(
    pairsOverlapping(axes!.x.ticks, (t) => t),
    [],
    xTicks.join(' '),
  );

  // The chosen range and resolution go into the request, and the drawing follows the slice.
  await pick(page, 'slice-range', '±0.5');
  await pick(page, 'slice-points', '41×41');
  let n = (await posted(page)).length;
  await page.locator('vscode-button', { hasText: 'Compute slice' }).click();
  assert.deepEqual(await nextPost(page, 'requestSlice', n), { type: 'requestSlice', runId: run.runId, pointId: point.id, directions: 'hessian', dims: 2, range: 0.5, points: 41 });
  const checkContours = async (key: string, range: number, points: number) => {
    const s = slices.get(key)!;
    await send(page, { type: 'slice', runId: run.runId, slice: s } satisfies HostToSpectrumView);
    await page.waitForFunction(([g]) => (globalThis as unknown as SliceWindow).__l2SliceLayout()?.grid[0] === g, [points] as const);
    const L = (await sliceLayout(page))!;
    assert.equal(L.dims, 2);
    assert.deepEqual(L.grid, [points, points]);
    assert.deepEqual(L.range, [-range, range]);
    assert.ok(L.plot.w >= 420 * 0.6, `plot only ${L.plot.w} px wide`);
    assert.ok(L.levels.length >= 4, `levels ${L.levels}`);
    assert.ok(L.labels.length >= 3, `only ${L.labels.length} level labels`);
    assert.deepEqual(
      pairsOverlapping(L.labels, (l) => l.box),
      [],
      'level labels overlap',
    );
    for (const l of L.labels) assert.ok(L.levels.some((v) => Math.abs(num(l.text) - v) <= v * 1e-6) || /10/.test(l.text), `label ${l.text} is no level`);
    assert.ok(L.colorbarTicks.length >= 4, `colour bar ticks: ${L.colorbarTicks.map((t) => t.text)}`);
    assert.deepEqual(
      pairsOverlapping(L.colorbarTicks, (l) => l.box),
      [],
      'colour bar labels collide',
    );
    assert.equal(num(L.xTicks[L.xTicks.length - 1].text), range);
    assert.equal(num(L.xTicks[0].text), -range);
    for (const t of [L.xTicks, L.yTicks])
      assert.deepEqual(
        pairsOverlapping(t, (x) => x.box),
        [],
      );
    const dirs = (await page.locator('.slice-dirs').textContent()) ?? '';
    assert.match(dirs, new RegExp(`eigenvalue ${String(Number(s.eigenvalues![0].toPrecision(4))).replace('.', '\\.')}`), dirs);
    assert.match(dirs, /d₂: Hessian eigenvector 2, eigenvalue/);
    return L;
  };
  const fine = await checkContours('2/0.5/41', 0.5, 41);
  await shot(page, 'slice-2d-dark');
  await setTheme(page, 'light');
  await nextFrames(page);
  await shot(page, 'slice-2d-light');
  await setTheme(page, 'dark');
  const coarse = await checkContours('2/1/25', 1, 25);
  assert.notDeepEqual(coarse.levels, [], 'no levels');
  assert.notDeepEqual(fine.range, coarse.range);

  // 1-D.
  await pick(page, 'slice-dims', '1-D');
  n = (await posted(page)).length;
  await page.locator('vscode-button', { hasText: 'Compute slice' }).click();
  const req = await nextPost(page, 'requestSlice', n);
  assert.equal(req.dims, 1);
  await send(page, { type: 'slice', runId: run.runId, slice: slices.get('1/1/51')! } satisfies HostToSpectrumView);
  await page.waitForFunction(() => (globalThis as unknown as SliceWindow).__l2SliceLayout()?.dims === 1);
  const one = (await sliceLayout(page))!;
  assert.deepEqual(one.grid, [51, 1]);
  assert.ok(one.yTicks.length >= 3);
  assert.deepEqual(
    pairsOverlapping(one.yTicks, (x) => x.box),
    [],
  );
  await shot(page, 'slice-1d-dark');
  await setTheme(page, 'light');
  await nextFrames(page);
  await shot(page, 'slice-1d-light');
  await noProblems(view);
  await view.close();
});
