// The run comparison in the sweep panel, in headless Chromium under the production page and CSP:
// the runs table (HParams-like: config differences, λc and order, points, wall time) and another
// run drawn over the charts, distinct (its own marker and dash, the foreground colour) with a
// legend entry, then taken off again. Two real runs of the linear-2-hidden example: as it is,
// and with 6 hidden units instead of its width. Screenshots: test-artifacts/webview/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { applyEdits, modify, parse } from 'jsonc-parser';
import type { PointRecord } from '../../src/core/sweep/point';
import type { RunSummary } from '../../src/core/results/summary';
import type { HostToSweepPanel, RunInfo, RunRow } from '../../src/protocol/webview';
import { configDifferences } from '../../src/extension/compare';
import { ARTIFACTS_DIR, buildViews, canvasPixels, nextFrames, nextPost, openView, posted, ROOT, runConfig, send, setTheme, startSite, themeColor, type Site, type ViewPage } from './harness';

interface Run {
  runId: string;
  points: PointRecord[];
  summary: RunSummary;
  experiment: object;
}

let site: Site;
const runs: Run[] = [];
let range: [number, number];

function run(dir: string, runId: string, text: string): Run {
  const config = join(dir, `${runId}.l2exp.json`);
  writeFileSync(config, text);
  const out = join(dir, runId);
  return { runId, ...runConfig(config, out), experiment: parse(text) as object };
}

before(async () => {
  buildViews();
  const dir = mkdtempSync(join(tmpdir(), 'l2-compare-'));
  const text = readFileSync(join(ROOT, 'examples/linear-2-hidden.l2exp.json'), 'utf8');
  runs.push(run(dir, '20250601-100000-aaaaaa', text));
  runs.push(run(dir, '20250601-110000-bbbbbb', applyEdits(text, modify(text, ['model', 'hidden'], [6, 6], {}))));
  const sweep = (parse(text) as { sweep: { from: number; to: number } }).sweep;
  range = [sweep.from, sweep.to];
  site = await startSite(join(dir, 'site'));
});

after(() => site?.close());

const [A, B] = [0, 1];
const info = (r: Run): RunInfo => ({ runId: r.runId, configPath: '/work/linear-2-hidden.l2exp.json', name: 'linear-2-hidden', scoreKind: r.points[0].scoreKind, live: false, range: range });
const rows = (): RunRow[] =>
  [...runs].reverse().map((r) => ({
    runId: r.runId,
    createdAt: r.summary.startedAt,
    status: r.summary.status,
    points: r.points.length,
    wallSeconds: r.summary.timings.wallSeconds,
    transitions: r.summary.transitions,
    differences: r === runs[A] ? [] : configDifferences(r.experiment, runs[A].experiment),
    shown: r === runs[A],
  }));

interface Layout {
  id: string;
  legend: string[];
  datasets: { label: string; hidden: boolean; points: number; pointStyle: string; showLine: boolean }[];
}
declare const window: { __l2Layout(): Layout[] };
const layout = (page: Page) => page.evaluate(() => window.__l2Layout());

async function open(theme: 'light' | 'dark'): Promise<ViewPage> {
  const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1400, height: 1000 });
  await setTheme(view.page, theme);
  await nextPost(view.page, 'ready', 0);
  const a = runs[A];
  await send(view.page, { type: 'init', run: info(a), points: a.points, transitions: a.summary.transitions, predictions: a.summary.predictions, selectedId: null } satisfies HostToSweepPanel);
  await view.page.locator('.card').first().waitFor();
  await send(view.page, { type: 'runs', runId: a.runId, runs: rows() } satisfies HostToSweepPanel);
  await view.page.locator('.runs-toggle', { hasText: 'Runs (2)' }).waitFor();
  return view;
}

/** Opens the table, overlays run B (as the host would answer), returns the page. */
async function overlay(view: ViewPage): Promise<void> {
  const page = view.page;
  await page.locator('.runs-toggle').click();
  const row = page.locator(`.runs-table tr[data-run="${runs[B].runId}"]`);
  await row.waitFor();
  const before = (await posted(page)).length;
  await row.locator('vscode-button', { hasText: 'Overlay' }).click();
  const ask = await nextPost(page, 'compare', before);
  assert.deepEqual(ask, { type: 'compare', runId: runs[A].runId, otherRunId: runs[B].runId });
  const b = runs[B];
  await send(page, { type: 'comparison', runId: runs[A].runId, other: { runId: b.runId, points: b.points, transitions: b.summary.transitions } } satisfies HostToSweepPanel);
  await page.locator('.comparison', { hasText: `run ${b.runId}` }).waitFor();
  await nextFrames(page);
}

test('the runs table: one row per run, config differences, λc and order, points, wall time', async () => {
  const view = await open('dark');
  const page = view.page;
  await page.locator('.runs-toggle').click();
  const table = page.locator('.runs-table');
  await table.waitFor();
  const text = (await table.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /config differences .*transitions \(λc, order\) .*points .*wall time/);
  const b = page.locator(`tr[data-run="${runs[B].runId}"]`);
  assert.match(await b.locator('.differences').innerText(), /model\.hidden: \[6,6\] \(shown: \[\d+(,\d+)*\]\)/);
  assert.match(await b.locator('.run-transitions').innerText(), /λc ≈ [\d.]+ \((first|second)-order, mode \d\)/);
  assert.match(await page.locator(`tr[data-run="${runs[A].runId}"]`).innerText(), /shown run/);
  assert.match(await b.innerText(), /\d+ points\s+[\d.]+ s/);
  assert.deepEqual(await view.problems(), []);
  await view.close();
});

test('a second run drawn over the charts: its own marker, dash and colour, a legend entry; and taken off again', async () => {
  const view = await open('dark');
  const page = view.page;
  const fg = themeColor('dark', 'foreground');
  const activeCanvas = '.card[data-chart="active"] canvas';
  const [plain] = await canvasPixels(page, activeCanvas, fg, 60);
  await overlay(view);
  const charts = await layout(page);
  assert.ok(charts.length >= 6, `${charts.length} charts`);
  const name = `run ${runs[B].runId}`;
  for (const c of charts) {
    const mine = c.datasets.filter((d) => !d.label.startsWith(name));
    const theirs = c.datasets.filter((d) => d.label.startsWith(name));
    assert.ok(theirs.length >= 1 && theirs.some((d) => d.points > 5), `${c.id}: no series ${JSON.stringify(theirs)} of the compared run: ${c.datasets.map((d) => d.label).join(' | ')}`);
    assert.ok(c.legend.includes(`${name} (dotted)`), `${c.id}: legend ${c.legend.join(', ')}`);
    const own = new Set(mine.map((d) => d.pointStyle));
    assert.ok(
      theirs.every((d) => !own.has(d.pointStyle)),
      `${c.id}: the compared run shares a marker with the shown one`,
    );
  }
  const plotted = await page.locator('.card[data-chart="weightNorm"] .chart-area').getAttribute('data-compared');
  assert.ok(Number(plotted) >= runs[B].points.length / 2, `data-compared ${plotted}`);
  const [drawn] = await canvasPixels(page, activeCanvas, fg, 60);
  assert.ok(drawn.matching > plain.matching + 300, `the overlay is not drawn: ${plain.matching} → ${drawn.matching} foreground pixels`);
  assert.match(await page.locator('.comparison').innerText(), /Compared with run \S+ \(dotted, ▲\): λc ≈/);
  await page.locator(`tr[data-run="${runs[B].runId}"] vscode-button`, { hasText: 'Stop comparing' }).waitFor();
  // Stop: the host answers null, every compared series goes.
  const before = (await posted(page)).length;
  await page.locator(`tr[data-run="${runs[B].runId}"] vscode-button`, { hasText: 'Stop comparing' }).click();
  assert.deepEqual(await nextPost(page, 'compare', before), { type: 'compare', runId: runs[A].runId, otherRunId: null });
  await send(page, { type: 'comparison', runId: runs[A].runId, other: null } satisfies HostToSweepPanel);
  await page.locator('.comparison').waitFor({ state: 'hidden' });
  for (const c of await layout(page)) assert.ok(c.datasets.every((d) => !d.label.startsWith(name)) && !c.legend.some((l) => l.startsWith(name)), c.id);
  assert.deepEqual(await view.problems(), []);
  await view.close();
});

test('screenshots of the comparison in light and dark', async () => {
  for (const theme of ['light', 'dark'] as const) {
    const view = await open(theme);
    await overlay(view);
    await view.page.screenshot({ path: join(ARTIFACTS_DIR, `compare-linear-2-hidden-${theme}.png`), fullPage: true });
    assert.deepEqual(await view.problems(), []);
    await view.close();
  }
});
