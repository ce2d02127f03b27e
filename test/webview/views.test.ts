// The two webviews in headless Chromium under a strict CSP, driven like a user: real points from
// sample runs of the CLI, made-up transitions and predictions, clicks and keys, theme switches.
// Any console error, page error or CSP violation fails. Screenshots: test-artifacts/webview/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parse } from 'jsonc-parser';
import type { PointSlice } from '../../src/core/analysis/slice';
import { parseExperiment } from '../../src/core/config/parse';
import { slicePoint } from '../../src/core/run/slicePoint';
import type { PointRecord } from '../../src/core/sweep/point';
import { numText } from '../../src/core/text/numbers';
import { predictionHeadline } from '../../src/core/transitions/text';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import { runInfo, spectrumChoices } from '../../src/protocol/runInfo';
import type { HostToSpectrumView, HostToSweepPanel, RunInfo } from '../../src/protocol/webview';
import { viridis } from '../../webview/shared/colormap';
import {
  ARTIFACTS_DIR,
  attributeChanges,
  buildViews,
  canvasPixels,
  firstPaintMs,
  nextFrames,
  nextPost,
  openView,
  posted,
  ROOT,
  runConfig,
  send,
  setTheme,
  startSite,
  themeColor,
  type Box,
  type Site,
  type ViewPage,
} from './harness';

const TRANSITIONS: Transition[] = [
  {
    axis: 'lambda',
    value: 0.46,
    bracket: [0.44, 0.485],
    order: 'first',
    observable: 'weightNorm',
    kind: 'collapse',
    mode: 1,
    phases: [1, 0],
    hysteresis: { up: 0.49, down: 0.4, width: Math.log10(0.49 / 0.4) },
    curvatureChangePoint: { value: 0.45, distance: 0.01, curve: 'error', kind: 'jump' },
    confidence: 0.92,
  },
  { axis: 'lambda', value: 0.12, bracket: [0.11, 0.13], order: 'second', observable: 'modes', kind: 'cascade', mode: 2, phases: [2, 1], confidence: 0.4 },
];
const PREDICTIONS: Prediction[] = [
  {
    lambda: 0.397,
    order: 'first',
    basis: 'σ₁ of E[x yᵀ] = 1, D = 2: λc = (c/D)((D−1)c/(Ds))^((D−1)/(D+1))',
    exactness: 'exact',
    why: 'A linear net on whitened inputs decouples into per-mode problems.',
  },
];

let site: Site;
let deep: PointRecord[];
let moons: PointRecord[];
let pathRun: PointRecord[];
let slice: PointSlice;
/** Real 2-D runs (λ × δ, λ × width) and a 1-D width sweep, each with the RunInfo the host would send. */
let grids: Record<'delta' | 'width' | 'widths', { info: RunInfo; points: PointRecord[]; transitions: Transition[]; predictions: Prediction[] }>;

/** Two small real runs: a deep linear net (both chains, exact Hessians) and two moons with Lanczos Hessians. */
function sampleRuns(dir: string): void {
  const configs = {
    deep: {
      name: 'linear-2-hidden',
      data: { kind: 'linear', n: 400, inputDim: 4, outputDim: 1, singularValues: [1], noise: 0, testFraction: 0.25 },
      model: { hidden: [4, 4], activation: 'linear', bias: false },
      sweep: { from: 0.05, to: 1, points: 100, scale: 'log', direction: 'both', seeds: [0] },
    },
    moons: {
      name: 'two-moons-lanczos',
      data: { kind: 'two-moons', n: 200, noise: 0.15 },
      model: { hidden: [16], activation: 'tanh' },
      train: { tolerance: 1e-5 },
      analysis: { hessian: { exactLimit: 50 } },
      sweep: { from: 1e-3, to: 1, points: 4, direction: 'up', seeds: [0] },
    },
    // A multi-index net trained by Adam with its path recorded (analysis.trajectory).
    path: {
      name: 'adam-path',
      data: { kind: 'multi-index', n: 200, inputDim: 8, outputDim: 1, indexDim: 1, noise: 0.05 },
      model: { hidden: [4], activation: 'tanh' },
      train: { optimizer: 'adam', learningRate: 0.02, maxSteps: 200, escape: { enabled: false } },
      analysis: { trajectory: [0, 20, 200], transitions: { refine: false } },
      sweep: { from: 1e-3, to: 1e-2, points: 2, direction: 'up', seeds: [0] },
    },
  };
  const run = (name: keyof typeof configs) => {
    writeFileSync(join(dir, `${name}.l2exp.json`), JSON.stringify(configs[name]));
    return runConfig(join(dir, `${name}.l2exp.json`), join(dir, name)).points;
  };
  deep = run('deep');
  moons = run('moons');
  pathRun = run('path');
  // The bundled λ × δ example (a k = 1 multi-index model at d = 10, two seeds so a cell has a best
  // point to choose), and the same problem swept in λ × width and in width alone.
  const example = parse(readFileSync(join(ROOT, 'examples/lambda-delta.l2exp.json'), 'utf8')) as { train: object; sweep: [object, object] };
  const lambda = { ...example.sweep[0], seeds: [0] };
  const gridConfigs = {
    delta: example,
    width: {
      ...example,
      name: 'lambda-width',
      sweep: [
        { ...lambda, points: 5 },
        { parameter: 'width', from: 1, to: 4, points: 4, scale: 'linear' },
      ],
    },
    widths: { ...example, name: 'widths', train: { ...example.train, lambda: 1e-3 }, sweep: { parameter: 'width', from: 1, to: 6, points: 6, scale: 'linear', seeds: [0] } },
  };
  grids = Object.fromEntries(
    Object.entries(gridConfigs).map(([name, config]) => {
      const file = join(dir, `${name}.l2exp.json`);
      writeFileSync(file, JSON.stringify(config));
      const { points, summary } = runConfig(file, join(dir, name));
      const experiment = parseExperiment(JSON.stringify(config), file).experiment!;
      return [name, { info: runInfo({ runId: `run-${name}`, configPath: file, experiment, points, live: false }), points, transitions: summary.transitions, predictions: summary.predictions }];
    }),
  ) as typeof grids;
  const centre = deep.find((p) => p.direction === 'up' && p.lambda > 0.3)!;
  slice = slicePoint(join(dir, 'deep'), centre.id, { directions: 'hessian', dims: 2, range: 1, points: 31, seed: 0 }).slice;
}

before(async () => {
  buildViews();
  const dir = mkdtempSync(join(tmpdir(), 'l2-webview-'));
  sampleRuns(dir);
  site = await startSite(join(dir, 'site'));
});

after(() => site?.close());

test('the bundles are browser-only: no Node globals or modules', () => {
  for (const view of ['sweep', 'spectrum']) {
    const code = readFileSync(join(ROOT, 'dist/webview', `${view}.js`), 'utf8');
    assert.doesNotMatch(code, /(?<![\w.$])(process|Buffer)\.|(?<![\w.$])require\(|["']node:/, view);
  }
});

const run = (runId: string, name: string, live = true) => ({ runId, configPath: `/work/${name}.l2exp.json`, name, scoreKind: 'r2' as const, live });
const sweepMsg = (m: HostToSweepPanel) => m;
const spectrumMsg = (m: HostToSpectrumView) => m;
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });

async function noProblems(view: ViewPage): Promise<void> {
  assert.deepEqual(await view.problems(), [], 'console errors, page errors or CSP violations');
}

/** A number as the views print it, as a regular expression. */
const numRe = (v: number) => numText(v).replace(/[.]/g, '\\.');
/** Values plotted in the weight-norm chart (the card publishes its count as data-plotted). */
const plotted = async (page: Page) => Number(await page.locator('.card[data-chart="weightNorm"] .chart-area').getAttribute('data-plotted'));

test('sweep panel: first paint, live points, selection, export, themes', async (t) => {
  const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1280, height: 900 });
  const { page } = view;
  await nextPost(page, 'ready', 0);
  const first = deep.slice(0, 200);
  await send(page, sweepMsg({ type: 'init', run: run('run-a', 'linear-2-hidden'), points: first, transitions: TRANSITIONS, predictions: PREDICTIONS, selectedId: null }));
  const paintMs = await firstPaintMs(page);
  t.diagnostic(`panel first paint with ${first.length} points: ${paintMs.toFixed(1)} ms`);
  writeFileSync(join(ARTIFACTS_DIR, 'first-paint.json'), JSON.stringify({ points: first.length, panelFirstPaintMs: paintMs }));

  await t.test('every chart is drawn, with the up branch in the theme blue', async () => {
    const canvases = await canvasPixels(page, '.card canvas', themeColor('dark', 'charts-blue'));
    assert.equal(canvases.length, 10);
    // No latent subspace in these data: no feature-learning chart.
    const ids = await page.locator('.card').evaluateAll((cards: { getAttribute(n: string): string | null }[]) => cards.map((c) => c.getAttribute('data-chart')));
    assert.deepEqual(ids, ['score', 'loss', 'weightNorm', 'modes', 'curvature', 'complexity', 'active', 'stableRank', 'outliers', 'morse']);
    for (const c of canvases) assert.ok(c.painted > 2000 && c.matching > 200, `a chart looks blank: ${JSON.stringify(c)}`);
  });

  await t.test('header and annotation text', async () => {
    assert.equal(await page.locator('.transitions').textContent(), '2 transitions: λc ≈ 0.46 (first-order, mode 1), λc ≈ 0.12 (second-order, mode 2); hysteresis 0.4–0.49');
    assert.match((await page.locator('.predictions').textContent()) ?? '', /Predicted λc ≈ 0\.397 \(first-order, exact\)/);
    const weight = await page.locator('#annotations-weightNorm li').allTextContents();
    assert.ok(
      weight.some((l) => l.startsWith('λc ≈ 0.46 (first-order)')),
      weight.join('\n'),
    );
    assert.ok(
      weight.some((l) => l.startsWith('predicted λc ≈ 0.397 (first-order')),
      weight.join('\n'),
    );
    const curvature = await page.locator('#annotations-curvature li').allTextContents();
    assert.ok(
      curvature.some((l) => l.startsWith('curvature change (error jump) at λ ≈ 0.45')),
      curvature.join('\n'),
    );
  });

  await t.test('points of another run are dropped; points of this run are added', async () => {
    const before = await plotted(page);
    await send(page, sweepMsg({ type: 'update', runId: 'other-run', points: deep.slice(200), transitions: [] }));
    await page.waitForTimeout(400);
    assert.equal(await plotted(page), before);
    // A made-up fresh branch: the global minimum, on the up branch below the predicted λc and trivial above.
    const down = new Map(deep.filter((p) => p.direction === 'down').map((p) => [p.index, p]));
    const fresh = deep
      .filter((p) => p.direction === 'up' && p.index >= 0)
      .map((p) => ({ ...(p.lambda < PREDICTIONS[0].lambda ? p : down.get(p.index)!), id: p.id.replace('up', 'fresh'), direction: 'fresh' as const }));
    // A burst of messages, as a fast run sends them: redrawn at most 4 times a second, in place.
    const batches = [deep.slice(200), ...Array.from({ length: 10 }, (_, i) => fresh.slice(i * 10, i * 10 + 10))];
    const canvas = page.locator('.card[data-chart="weightNorm"] canvas');
    await canvas.evaluate((c: { setAttribute(n: string, v: string): void }) => c.setAttribute('data-test-mark', 'before'));
    const redraws = await attributeChanges(
      page,
      '.card[data-chart="weightNorm"] .chart-area',
      'data-plotted',
      async () => {
        for (const points of batches) await send(page, sweepMsg({ type: 'update', runId: 'run-a', points, transitions: [] }));
      },
      600,
    );
    // Throttled to 4 redraws a second: far fewer redraws than messages (how many depends on how fast the messages arrive on a loaded machine).
    assert.ok(redraws >= 1 && redraws <= Math.ceil(batches.length / 2), `${batches.length} messages gave ${redraws} redraws`);
    assert.equal(await canvas.getAttribute('data-test-mark'), 'before', 'the chart was re-created');
    assert.equal(await plotted(page), before + (deep.length - 200) + fresh.length);
    assert.equal(await page.locator('.status').textContent(), `live: ${deep.length + fresh.length} points`);
    await page.locator('vscode-checkbox[data-branch="fresh"]').waitFor();
  });

  await t.test('click selects a point; → moves to the next λ of its chain', async () => {
    const n = (await posted(page)).length;
    const box = (await page.locator('.card[data-chart="weightNorm"] canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.3);
    const picked = await nextPost(page, 'selectPoint', n);
    const a = deep.find((p) => p.id === picked.pointId) ?? deep.find((p) => p.id === String(picked.pointId).replace('fresh', 'up'));
    assert.ok(a, `selectPoint names an unknown point: ${JSON.stringify(picked)}`);
    await page.keyboard.press('ArrowRight');
    const next = await nextPost(page, 'selectPoint', n + 1);
    const b = deep.find((p) => p.id === String(next.pointId).replace('fresh', 'up'))!;
    assert.ok(b.lambda > a.lambda && b.direction === a.direction, `→ went from ${picked.pointId} to ${next.pointId}`);
    assert.match((await page.locator('.selection').textContent()) ?? '', /^Selected: λ = /);
  });

  await t.test('Export CSV and PNG', async () => {
    let n = (await posted(page)).length;
    await page.locator('vscode-button', { hasText: 'Export CSV' }).click();
    assert.deepEqual(await nextPost(page, 'exportCsv', n), { type: 'exportCsv', runId: 'run-a' });
    n = (await posted(page)).length;
    await page.locator('.card[data-chart="weightNorm"] vscode-button', { hasText: 'PNG' }).click();
    const png = await nextPost(page, 'exportPng', n);
    assert.equal(png.chart, 'weightNorm');
    assert.match(String(png.dataUrl), /^data:image\/png;base64,[A-Za-z0-9+/]{5000,}/);
  });

  await t.test('finished, and theme switches re-color the charts', async () => {
    await send(page, sweepMsg({ type: 'finished', runId: 'run-a', status: 'complete' }));
    await page.locator('.status', { hasText: /^complete/ }).waitFor();
    await page.locator('.card[data-chart="weightNorm"] .chart-area').focus();
    await shot(page, 'sweep-dark');
    for (const kind of ['light', 'high-contrast', 'dark'] as const) {
      await setTheme(page, kind);
      const color = themeColor(kind, 'charts-blue');
      await nextFrames(page);
      if (kind !== 'dark') await shot(page, `sweep-${kind}`);
      const canvases = await canvasPixels(page, '.card canvas', color, 30);
      for (const c of canvases) assert.ok(c.matching > 200, `${kind}: a chart lacks the theme's series color: ${JSON.stringify(canvases)}`);
    }
  });

  await t.test('init rebuilds everything for another run', async () => {
    await send(
      page,
      sweepMsg({
        type: 'init',
        run: { ...run('run-b', 'two-moons-lanczos', false), scoreKind: 'accuracy' },
        points: moons,
        transitions: [],
        predictions: [],
        selectedId: moons.find((p) => p.index === 1)!.id,
      }),
    );
    await page.locator('h1', { hasText: /^two-moons-lanczos/ }).waitFor();
    assert.equal(await page.locator('.transitions').textContent(), 'No transition detected.');
    assert.equal(await page.locator('.card').count(), 10);
    assert.match((await page.locator('.selection').textContent()) ?? '', /^Selected: λ = 0\.01 · up · seed 0/);
  });

  await t.test('a run that starts empty gets its charts with its first points', async () => {
    await send(page, sweepMsg({ type: 'init', run: run('run-c', 'linear-2-hidden'), points: [], transitions: [], predictions: PREDICTIONS, selectedId: null }));
    await page.getByText('Waiting for the first points…').waitFor();
    assert.equal(await page.locator('.status').textContent(), 'live: 0 points');
    await send(page, sweepMsg({ type: 'update', runId: 'run-c', points: deep.slice(0, 3), transitions: [] }));
    await page.locator('.status', { hasText: 'live: 3 points' }).waitFor();
    assert.equal(await page.locator('.card').count(), 10);
  });

  await noProblems(view);
  await view.close();
});

/** What window.__l2Layout() reports per chart (webview/sweep/view.ts), as far as this test reads it. */
interface ChartLayout {
  id: string;
  axes: Record<string, { type: string; ticks: { text: string }[] }>;
  datasets: { label: string; x: number[]; v: (number | null)[] }[];
}
/** What window.__l2PhaseLayout() reports (webview/sweep/phasePlot.ts), as far as this test reads it. */
interface PhaseLayout {
  grid: [number, number];
  plot: Box;
  cells: { i: number; j: number; value: number; box: Box; id: string }[];
  scale: { min: number; max: number; log: boolean };
  lines: { name: string; points: { value: number; across: number; order: string; x: number; y: number }[] }[];
  predicted: { name: string; points: { value: number; across: number; order: string; x: number; y: number }[] }[];
  yTicks: { text: string }[];
  titles: { x: string; y: string; colorbar: string };
}
/** The page's globals and DOM this test reads (the root tsconfig has no DOM lib, on purpose). */
interface SweepWindow {
  __l2Layout(): ChartLayout[];
  __l2PhaseLayout(): PhaseLayout | null;
  document: { querySelector(selector: string): { value: string } | null };
}
const chartLayout = async (page: Page, id: string) => (await page.evaluate(() => (globalThis as unknown as SweepWindow).__l2Layout())).find((c) => c.id === id)!;
const phaseLayout = (page: Page) => page.evaluate(() => (globalThis as unknown as SweepWindow).__l2PhaseLayout());
/** What the weight-norm chart plots on its up · seed 0 line: x and Σ‖W‖². */
const weightLine = async (page: Page) => {
  const d = (await chartLayout(page, 'weightNorm')).datasets.find((s) => s.label === 'Σ‖W‖² · up · seed 0')!;
  return { x: d.x, v: d.v };
};
/** The same line from the records: seed 0's up chain of one row (x the first axis) or one column (x the second). */
const recorded = (points: PointRecord[], kind: 'row' | 'column', at: number) => {
  const x = (p: PointRecord) => (kind === 'row' ? p.value : p.across!);
  const line = points.filter((p) => p.direction === 'up' && p.seed === 0 && (kind === 'row' ? p.across : p.value) === at).sort((a, b) => x(a) - x(b));
  return { x: line.map(x), v: line.map((p) => p.weightNorm) };
};
/** The slice dropdown's value: "row:<δ>" or "column:<λ>". */
const sliceValue = (page: Page) => page.locator('vscode-dropdown.slice-pick').evaluate((d: { value: string }) => d.value);
/** Chooses a row or column ("row δ = 7", "column λ = 0.01") and waits until the dropdown holds it. */
const pickSlice = async (page: Page, kind: 'row' | 'column', symbol: string, at: number) => {
  await page.locator('vscode-dropdown.slice-pick').click();
  await page.locator('vscode-dropdown.slice-pick vscode-option', { hasText: new RegExp(`^\\s*${kind} ${symbol} = ${numRe(at)}\\s*$`) }).click();
  await page.waitForFunction((v) => (globalThis as unknown as SweepWindow).document.querySelector('vscode-dropdown.slice-pick')?.value === v, `${kind}:${at}`);
};

test('sweep panel: a λ × δ sweep draws its phase diagram; the charts show one row or column', async (t) => {
  const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1280, height: 1100 });
  const { page } = view;
  await nextPost(page, 'ready', 0);
  const g = grids.delta;
  const [nx, ny] = [g.info.axis!.grid!.length, g.info.across!.grid!.length];
  assert.deepEqual([nx, ny], [10, 3]);
  assert.equal(g.points.length, nx * ny * 2);
  const rows = g.info.across!.grid!;
  /** Each cell's point of lowest objective (of its two seeds), cell by cell. */
  const best = g.info.axis!.grid!.flatMap((_, i) => rows.map((r) => g.points.filter((p) => p.index === i && p.across === r).sort((a, b) => a.objective! - b.objective!)[0]));
  assert.ok(new Set(best.map((p) => p.seed)).size === 2, 'each seed is the best somewhere: the choice matters');
  assert.ok(
    rows.every((r) => g.transitions.some((tr) => tr.across === r)),
    `every row has a transition: ${JSON.stringify(g.transitions)}`,
  );
  // The run's own predictions: one λc per δ row, each of that row's training rows.
  assert.deepEqual(
    g.predictions.map((p) => p.across),
    rows,
  );
  await send(page, sweepMsg({ type: 'init', run: g.info, points: g.points, transitions: g.transitions, predictions: g.predictions, selectedId: null }));
  await page.locator('.card[data-chart="phase"]').waitFor();

  await t.test('one coloured cell per grid point, each the best point of its cell, in viridis from end to end', async () => {
    const ids = await page.locator('.card').evaluateAll((cards: { getAttribute(n: string): string | null }[]) => cards.map((c) => c.getAttribute('data-chart')));
    assert.equal(ids[0], 'phase', 'the phase diagram is the first card');
    const lay = (await phaseLayout(page))!;
    assert.deepEqual(lay.grid, [nx, ny]);
    assert.equal(lay.cells.length, nx * ny);
    for (const c of lay.cells) {
      const b = best.find((p) => p.index === c.i && p.across === rows[c.j])!;
      assert.equal(c.id, b.id);
      assert.equal(c.value, b.weightNorm);
    }
    const norms = best.map((p) => p.weightNorm!);
    assert.deepEqual([lay.scale.min, lay.scale.max], [Math.min(...norms), Math.max(...norms)]);
    // Σ‖W‖² spans decades here (the trivial phase above λc): a log colour scale.
    assert.equal(lay.scale.log, true);
    // δ's full title is longer than the plot is high: its gloss goes (the description keeps it).
    assert.deepEqual(lay.titles, { x: 'λ (L2 strength), log scale', y: 'δ = n/d', colorbar: 'Σ‖W‖² (log)' });
    assert.deepEqual(
      lay.yTicks.map((k) => k.text),
      rows.map(String),
    );
    // Both ends of the colour map fill whole cells (the colour bar alone has a sliver of each).
    for (const end of [0, 1]) {
      const [px] = await canvasPixels(page, '.phase-canvas', viridis(end), 30);
      const cell = lay.cells.find((c) => c.value === (end ? lay.scale.max : lay.scale.min))!;
      assert.ok(px.matching > (cell.box.w * cell.box.h) / 2, `viridis(${end}) covers ${px.matching} px; a cell is ${Math.round(cell.box.w * cell.box.h)}`);
    }
    const text = await page.locator('#annotations-phase li').allTextContents();
    assert.match(text[0], /^Phase diagram of Σ‖W‖² \(weight norm\) over λ \(L2 strength\), log scale × δ = n\/d .*: 10 × 3 cells, 30 drawn, from /);
    await shot(page, 'sweep-phase-diagram');
    await page.locator('.phase-card').screenshot({ path: join(ARTIFACTS_DIR, 'sweep-phase-card.png') });
  });

  await t.test('the transition line joins the transitions of each row at its row, marked by order', async () => {
    const lay = (await phaseLayout(page))!;
    const drawn = lay.lines.flatMap((l) => l.points.map((p) => ({ value: p.value, across: p.across, order: p.order, line: l.name })));
    const sent = g.transitions.map((tr) => ({
      value: tr.value,
      across: tr.across,
      order: tr.order,
      line: tr.kind === 'collapse' || tr.kind === 'cascade' ? `mode ${tr.mode}` : tr.kind === 'spectral' ? 'spectral' : 'feature learning',
    }));
    const order = (a: { line: string; across?: number; value: number }, b: typeof a) => a.line.localeCompare(b.line) || a.across! - b.across! || a.value - b.value;
    assert.deepEqual([...drawn].sort(order), [...sent].sort(order));
    // Each marker sits at its row's centre and at its value along the log λ axis.
    const plot = lay.plot;
    const [lo, hi] = [lay.cells.find((c) => c.i === 0)!, lay.cells.find((c) => c.i === nx - 1)!];
    const grid = g.info.axis!.grid!;
    const xOf = (v: number) => lo.box.x + lo.box.w / 2 + ((Math.log(v) - Math.log(grid[0])) / (Math.log(grid[nx - 1]) - Math.log(grid[0]))) * (hi.box.x + hi.box.w / 2 - lo.box.x - lo.box.w / 2);
    for (const l of lay.lines)
      for (const p of l.points) {
        const row = lay.cells.find((c) => c.j === rows.indexOf(p.across))!;
        assert.ok(Math.abs(p.y - (row.box.y + row.box.h / 2)) < 1, `marker of ${p.across} at y ${p.y}`);
        assert.ok(Math.abs(p.x - xOf(p.value)) < 1 && p.x > plot.x && p.x < plot.x + plot.w, `marker of ${p.value} at x ${p.x}`);
      }
  });

  await t.test("the predicted line, dashed, has each row's predicted λc at its row; the description names them", async () => {
    const lay = (await phaseLayout(page))!;
    const drawn = lay.predicted.flatMap((l) => l.points);
    assert.deepEqual(
      drawn.map((p) => [p.value, p.across]),
      g.predictions.map((p) => [p.lambda, p.across]),
    );
    const cellX = (v: number) => lay.cells.find((c) => c.i === g.info.axis!.grid!.indexOf(v))!;
    for (const p of drawn) {
      const row = lay.cells.find((c) => c.j === rows.indexOf(p.across))!;
      assert.ok(Math.abs(p.y - (row.box.y + row.box.h / 2)) < 1, `predicted marker of ${p.across} at y ${p.y}`);
      // Between the centres of the grid's λ on either side of it.
      const grid = g.info.axis!.grid!;
      const k = grid.findIndex((v) => v > p.value);
      assert.ok(p.x > cellX(grid[k - 1]).box.x + cellX(grid[k - 1]).box.w / 2 && p.x < cellX(grid[k]).box.x + cellX(grid[k]).box.w / 2, `predicted marker of ${p.value} at x ${p.x}`);
    }
    const text = (await page.locator('#annotations-phase li').allTextContents()).join('\n');
    for (const r of rows) assert.match(text, new RegExp(`Predicted line \\(predicted mode 1, dashed\\): .*λc ≈ [0-9.]+ \\(second-order, [a-z-]+\\) at δ = ${r}\\b`));
    assert.match((await page.locator('.phase-card .card-key').textContent()) ?? '', /Dashed yellow, hollow markers: the λc predicted from each row's training data/);
  });

  await t.test('the charts show the first row, with its transitions only; another row changes what they plot', async () => {
    assert.equal(await sliceValue(page), `row:${rows[0]}`);
    assert.deepEqual(await weightLine(page), recorded(g.points, 'row', rows[0]));
    const own = g.transitions.find((tr) => tr.across === rows[0])!;
    const other = g.transitions.find((tr) => tr.across === rows[1])!;
    const notes = async () => (await page.locator('#annotations-weightNorm li').allTextContents()).join('\n');
    assert.match(await notes(), new RegExp(`^λc ≈ ${numRe(own.value)}`));
    assert.doesNotMatch(await notes(), new RegExp(`λc ≈ ${numRe(other.value)}`));
    await pickSlice(page, 'row', 'δ', rows[1]);
    assert.deepEqual(await weightLine(page), recorded(g.points, 'row', rows[1]));
    assert.match(await notes(), new RegExp(`^λc ≈ ${numRe(other.value)}`));
    assert.equal(await plotted(page), g.points.filter((p) => p.across === rows[1]).length);
    // The row's own prediction only.
    const predicted = (await notes()).split('\n').filter((n) => n.startsWith('predicted '));
    assert.deepEqual(
      predicted,
      g.predictions.filter((p) => p.across === rows[1]).map((p) => `predicted ${predictionHeadline(p)}`),
    );
  });

  await t.test('a column: x is δ, the transitions (found along rows) are not marked', async () => {
    const at = g.info.axis!.grid![2];
    await pickSlice(page, 'column', 'λ', at);
    assert.deepEqual(await weightLine(page), recorded(g.points, 'column', at));
    const axes = (await chartLayout(page, 'weightNorm')).axes;
    assert.equal(axes.x.type, 'linear');
    assert.equal(await page.locator('#annotations-weightNorm li').count(), 0);
    const title = await page.locator('.card[data-chart="weightNorm"] .chart-area').getAttribute('aria-label');
    assert.match(title ?? '', /against δ = n\/d/);
    await pickSlice(page, 'row', 'δ', rows[0]);
  });

  await t.test('hovering a cell reads it out; clicking one selects its point and shows its row', async () => {
    const lay = (await phaseLayout(page))!;
    const cell = lay.cells.find((c) => c.i === 3 && c.j === 2)!;
    const box = (await page.locator('.phase-canvas').boundingBox())!;
    const [cx, cy] = [box.x + cell.box.x + cell.box.w / 2, box.y + cell.box.y + cell.box.h / 2];
    await page.mouse.move(cx, cy);
    const p = g.points.find((q) => q.id === cell.id)!;
    await page.locator('.phase-readout', { hasText: `λ = ${numText(p.value)}, δ = ${rows[2]}: Σ‖W‖² (weight norm) = ` }).waitFor();
    const n = (await posted(page)).length;
    await page.mouse.click(cx, cy);
    assert.deepEqual(await nextPost(page, 'selectPoint', n), { type: 'selectPoint', runId: g.info.runId, pointId: cell.id });
    assert.equal(await sliceValue(page), `row:${rows[2]}`);
    assert.match((await page.locator('.selection').textContent()) ?? '', new RegExp(`^Selected: λ = ${numRe(p.value)}, δ = ${rows[2]} · up · seed ${p.seed}`));
    assert.deepEqual(await weightLine(page), recorded(g.points, 'row', rows[2]));
    // → in a chart steps along the shown row.
    await page.locator('.card[data-chart="weightNorm"] .chart-area').focus();
    await page.keyboard.press('ArrowRight');
    const next = await nextPost(page, 'selectPoint', n + 1);
    const q = g.points.find((r) => r.id === next.pointId)!;
    assert.deepEqual([q.across, q.index, q.direction], [rows[2], p.index + 1, 'up']);
  });

  await t.test('another order parameter recolours the cells', async () => {
    await page.locator('vscode-dropdown.phase-pick').click();
    await page.locator('vscode-dropdown.phase-pick vscode-option', { hasText: 'test score' }).click();
    await page.locator('.phase-area[data-parameter="testScore"]').waitFor();
    const lay = (await phaseLayout(page))!;
    const scores = best.map((p) => p.testScore!);
    assert.deepEqual([lay.scale.min, lay.scale.max, lay.scale.log], [Math.min(...scores), Math.max(...scores), false]);
    assert.equal(lay.titles.colorbar, 'test score');
  });

  await t.test('a reload keeps the row and the order parameter', async () => {
    await send(page, sweepMsg({ type: 'init', run: g.info, points: g.points, transitions: g.transitions, predictions: g.predictions, selectedId: null }));
    await page.locator('.phase-area[data-parameter="testScore"]').waitFor();
    assert.equal(await sliceValue(page), `row:${rows[2]}`);
    assert.deepEqual(await weightLine(page), recorded(g.points, 'row', rows[2]));
  });

  await t.test('λ × width: the phase diagram and a column count widths in whole numbers', async () => {
    const w = grids.width;
    await send(page, sweepMsg({ type: 'init', run: w.info, points: w.points, transitions: w.transitions, predictions: [], selectedId: null }));
    await page.locator('h1', { hasText: /^lambda-width/ }).waitFor();
    const lay = (await phaseLayout(page))!;
    assert.deepEqual(lay.grid, [5, 4]);
    assert.deepEqual(
      lay.yTicks.map((k) => k.text),
      ['1', '2', '3', '4'],
    );
    assert.equal(lay.titles.y, 'w (hidden width)');
    await pickSlice(page, 'column', 'λ', w.info.axis!.grid![1]);
    const ticks = (await chartLayout(page, 'weightNorm')).axes.x.ticks.map((k) => k.text);
    assert.ok(ticks.length >= 3 && ticks.every((k) => /^\d+$/.test(k)), `width ticks: ${ticks.join(' ')}`);
  });

  await t.test('a 1-D run has no phase diagram and no slice; a width axis has whole-number ticks', async () => {
    const w = grids.widths;
    await send(page, sweepMsg({ type: 'init', run: w.info, points: w.points, transitions: w.transitions, predictions: [], selectedId: null }));
    await page.locator('h1', { hasText: /^widths/ }).waitFor();
    assert.equal(await page.locator('.card[data-chart="phase"]').count(), 0);
    assert.equal(await page.locator('vscode-dropdown.slice-pick').count(), 0);
    assert.equal(await phaseLayout(page), null);
    assert.equal(await plotted(page), w.points.length);
    const x = (await chartLayout(page, 'weightNorm')).axes.x;
    const ticks = x.ticks.map((k) => k.text);
    assert.ok(ticks.length >= 3 && ticks.every((k) => /^\d+$/.test(k)), `width ticks: ${ticks.join(' ')}`);
    await send(page, sweepMsg({ type: 'init', run: run('run-a', 'linear-2-hidden'), points: deep, transitions: TRANSITIONS, predictions: PREDICTIONS, selectedId: null }));
    await page.locator('h1', { hasText: /^linear-2-hidden/ }).waitFor();
    assert.equal(await page.locator('.card[data-chart="phase"]').count(), 0);
  });

  await noProblems(view);
  await view.close();
});

test('spectrum view: exact and Lanczos spectra, slider, slice', async (t) => {
  const view = await openView(site.browser, `${site.url}/spectrum.html`, { width: 300, height: 1000 });
  const { page } = view;
  await nextPost(page, 'ready', 0);
  const choices = deep.map((p) => ({ id: p.id, value: p.value, direction: p.direction, seed: p.seed }));
  const point = deep.find((p) => p.id === slice.pointId)!;

  await t.test('empty shows its message', async () => {
    await send(page, spectrumMsg({ type: 'empty', message: 'No results yet: run a sweep.' }));
    await page.getByText('No results yet: run a sweep.').waitFor();
  });

  await t.test('an exact point: header, Morse data, histogram, extremes', async () => {
    await send(page, spectrumMsg({ type: 'point', run: run('run-a', 'linear-2-hidden', false), point, choices }));
    await page.locator('.point-title').getByText(`· up · seed 0`).waitFor();
    assert.equal(await page.locator('.badge').textContent(), point.hessian!.morse.replace('-', ' '));
    const [hist] = await canvasPixels(page, '.spectrum canvas', themeColor('dark', 'charts-blue'));
    assert.ok(hist.painted > 2000 && hist.matching > 50, JSON.stringify(hist));
    assert.equal(await page.locator('.eigs li').count(), 10);
  });

  await t.test('the bulk band and the outliers are marked', async () => {
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 0.02 * Math.abs(b) + 1e-9, `${what}: drawn ${a}, recorded ${b}`);
    const marks = () => page.evaluate(() => (globalThis as unknown as { __l2SpectrumMarks(): { bulk: [number, number] | null; below: number[]; above: number[] } | null }).__l2SpectrumMarks());
    const o = point.hessian!.outliers!;
    const drawn = (await marks())!;
    near(drawn.bulk![0], o.bulk[0], 'bulk low edge');
    near(drawn.bulk![1], o.bulk[1], 'bulk high edge');
    assert.deepEqual([drawn.below.length, drawn.above.length], [o.below.length, o.above.length]);
    [...drawn.below, ...drawn.above].forEach((v, i) => near(v, [...o.below, ...o.above][i], `outlier ${i}`));
    // A planted structure: one eigenvalue on each side of a narrow bulk, drawn in orange and purple.
    const [lo, hi] = [point.hessian!.eigenvalues[0], point.hessian!.eigenvalues.at(-1)!];
    const withOutliers = (below: number[], above: number[]) => ({
      ...point,
      hessian: { ...point.hessian!, outliers: { bulk: [lo / 4, hi / 4] as [number, number], below, above, count: below.length + above.length } },
    });
    const colors = async () => {
      await nextFrames(page);
      const [[orange], [purple]] = [
        await canvasPixels(page, '.spectrum canvas', themeColor('dark', 'charts-orange'), 30),
        await canvasPixels(page, '.spectrum canvas', themeColor('dark', 'charts-purple'), 30),
      ];
      return { orange: orange.matching, purple: purple.matching };
    };
    await send(page, spectrumMsg({ type: 'point', run: run('run-a', 'linear-2-hidden', false), point: withOutliers([], []), choices }));
    await page.locator('.summary dd', { hasText: 'no outliers: all eigenvalues in the bulk' }).waitFor();
    const none = await colors();
    const planted = withOutliers([lo], [hi]);
    await send(page, spectrumMsg({ type: 'point', run: run('run-a', 'linear-2-hidden', false), point: planted, choices }));
    await page.locator('.summary dd', { hasText: '2 outliers: 1 below, 1 above the bulk' }).waitFor();
    const p = (await marks())!;
    near(p.bulk![0], lo / 4, 'planted bulk low edge');
    near(p.bulk![1], hi / 4, 'planted bulk high edge');
    assert.equal(p.below.length, 1);
    near(p.below[0], lo, 'the outlier below');
    assert.equal(p.above.length, 1);
    near(p.above[0], hi, 'the outlier above');
    const marked = await colors();
    assert.ok(marked.orange > none.orange + 10 && marked.purple > none.purple + 10, `markers not drawn: ${JSON.stringify({ none, marked })}`);
    await shot(page, 'spectrum-outliers');
    await send(page, spectrumMsg({ type: 'point', run: run('run-a', 'linear-2-hidden', false), point, choices }));
  });

  await t.test('the step slider walks the training path; a point without one has none', async () => {
    const stepRow = page.locator('.step-row');
    assert.equal(await stepRow.isVisible(), false, 'no path recorded for the deep linear run');
    const trained = pathRun[0];
    const steps = trained.trajectory!;
    const pathChoices = pathRun.map((p) => ({ id: p.id, value: p.value, direction: p.direction, seed: p.seed }));
    await send(page, spectrumMsg({ type: 'point', run: run('run-p', 'adam-path', false), point: trained, choices: pathChoices }));
    await page.locator('.step-value', { hasText: `trained point (${trained.steps} steps)` }).waitFor();
    const stepSlider = page.getByRole('slider', { name: 'Training step' });
    assert.equal(await stepSlider.getAttribute('max'), String(steps.length));
    const shown = async () => ({
      morse: await page.locator('.badge').textContent(),
      objective: await page.locator('.stats dt:text-is("objective") + dd').textContent(),
      smallest: await page.locator('.eigs li').first().textContent(),
      curvature: await page.locator('.stats dt', { hasText: 'curvature (error)' }).count(),
    });
    const expect = (h: NonNullable<PointRecord['hessian']>, objective: number | null, curvature: number) => ({
      morse: h.morse.replace('-', ' '),
      objective: numText(objective),
      smallest: numText(h.eigenvalues[0]),
      curvature,
    });
    assert.deepEqual(await shown(), expect(trained.hessian!, trained.objective, 1));
    await stepSlider.focus();
    await page.keyboard.press('Home');
    await page.locator('.step-value', { hasText: `step 0 of ${trained.steps}` }).waitFor();
    assert.deepEqual(await shown(), expect(steps[0].hessian!, steps[0].objective, 0));
    // The histogram is redrawn from step 0's eigenvalues: its x range holds them.
    const x = await page.evaluate(() => (globalThis as unknown as { __l2SpectrumLayout(): Record<string, { min: number; max: number }> }).__l2SpectrumLayout().x);
    const e0 = steps[0].hessian!.eigenvalues;
    assert.ok(x.min <= e0[0] && x.max >= e0.at(-1)!, `x [${x.min}, ${x.max}] vs eigenvalues [${e0[0]}, ${e0.at(-1)}]`);
    await page.keyboard.press('ArrowRight');
    await page.locator('.step-value', { hasText: `step ${steps[1].step} of ${trained.steps}` }).waitFor();
    assert.deepEqual(await shown(), expect(steps[1].hessian!, steps[1].objective, 0));
    await shot(page, 'spectrum-step');
    await page.keyboard.press('End');
    await page.locator('.step-value', { hasText: 'trained point' }).waitFor();
    assert.deepEqual(await shown(), expect(trained.hessian!, trained.objective, 1));
    await send(page, spectrumMsg({ type: 'point', run: run('run-a', 'linear-2-hidden', false), point, choices }));
    await page.locator('.point-title').getByText(`· up · seed 0`).waitFor();
    assert.equal(await stepRow.isVisible(), false);
  });

  await t.test('the slider posts selectPoint for the next λ', async () => {
    const n = (await posted(page)).length;
    await page.getByRole('slider', { name: 'Point (ordered by λ)' }).focus();
    await page.keyboard.press('ArrowRight');
    const m = await nextPost(page, 'selectPoint', n);
    const sorted = [...choices].sort((a, b) => a.value - b.value || a.direction.localeCompare(b.direction) || a.seed - b.seed);
    assert.equal(m.pointId, sorted[sorted.findIndex((c) => c.id === point.id) + 1].id);
  });

  await t.test('a slice is requested and drawn as a heat map', async () => {
    const n = (await posted(page)).length;
    await page.locator('vscode-button', { hasText: 'Compute slice' }).click();
    assert.deepEqual(await nextPost(page, 'requestSlice', n), { type: 'requestSlice', runId: 'run-a', pointId: point.id, directions: 'hessian', dims: 2, range: 1, points: 25 });
    await send(page, spectrumMsg({ type: 'slice', runId: 'run-a', slice }));
    await page.locator('.heatmap:not(.empty)').waitFor();
    const [heat] = await canvasPixels(page, '.heatmap', [252, 231, 34], 60);
    assert.ok(heat.painted > 20_000 && heat.matching > 50, `the heat map lacks viridis' top color: ${JSON.stringify(heat)}`);
    await shot(page, 'spectrum-exact-slice');
    await setTheme(page, 'light');
    await nextFrames(page);
    await shot(page, 'spectrum-exact-light');
    await setTheme(page, 'dark');
  });

  await t.test('random directions, and a failed slice is shown', async () => {
    const n = (await posted(page)).length;
    await page.locator('vscode-dropdown.slice-directions').click();
    await page.locator('vscode-dropdown.slice-directions vscode-option', { hasText: 'Random' }).click();
    await page.locator('vscode-button', { hasText: 'Compute slice' }).click();
    assert.equal((await nextPost(page, 'requestSlice', n)).directions, 'random');
    await send(page, spectrumMsg({ type: 'sliceFailed', runId: 'run-a', pointId: point.id, message: 'no parameters stored for this point' }));
    await page.getByText('The slice failed: no parameters stored for this point').waitFor();
  });

  await t.test('a Lanczos point: SLQ density and Ritz values', async () => {
    const lanczos = moons[0];
    assert.equal(lanczos.hessian?.method, 'lanczos');
    await send(
      page,
      spectrumMsg({ type: 'point', run: run('run-b', 'two-moons-lanczos', false), point: lanczos, choices: moons.map((p) => ({ id: p.id, value: p.value, direction: p.direction, seed: p.seed })) }),
    );
    await page.locator('.caption', { hasText: /^SLQ density of 82 eigenvalues/ }).waitFor();
    const [density] = await canvasPixels(page, '.spectrum canvas', themeColor('dark', 'charts-blue'));
    assert.ok(density.matching > 50, JSON.stringify(density));
    await shot(page, 'spectrum-lanczos');
  });

  await noProblems(view);
  await view.close();
});

test("spectrum view: a 2-D run's slider walks the selected point's row", async () => {
  const view = await openView(site.browser, `${site.url}/spectrum.html`, { width: 300, height: 1000 });
  const { page } = view;
  await nextPost(page, 'ready', 0);
  const g = grids.delta;
  const rows = g.info.across!.grid!;
  const point = g.points.find((p) => p.across === rows[1] && p.index === 3 && p.seed === 0)!;
  // The choices as the host sends them: every point of the run, all rows.
  await send(page, spectrumMsg({ type: 'point', run: g.info, point, choices: spectrumChoices(g.points) }));
  await page.locator('.point-title', { hasText: `λ = ${numText(point.value)}, δ = ${rows[1]} · up · seed 0` }).waitFor();
  const row = g.points.filter((p) => p.across === rows[1]).sort((a, b) => a.value - b.value || a.seed - b.seed);
  const at = row.findIndex((p) => p.id === point.id);
  assert.equal(await page.locator('.slider-value').textContent(), `point ${at + 1} of ${row.length}, by λ at δ = ${rows[1]}`);
  const n = (await posted(page)).length;
  await page.getByRole('slider', { name: `Point (ordered by λ at δ = ${rows[1]})` }).focus();
  await page.keyboard.press('End');
  assert.equal((await nextPost(page, 'selectPoint', n)).pointId, row[row.length - 1].id, "the end of the point's row, not of the run");
  await noProblems(view);
  await view.close();
});
