// The sweep panel on a real VAE run (a small β sweep of MNIST digits through the CLI): the charts
// follow the model, and the strip of reconstructions and latent traversals is the trained
// decoder's output at the selected point, read back from the canvas pixels and compared with the
// decoder computed here from the point's saved parameters.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { vaeModel } from '../../src/core/config/defaults';
import { parseExperiment } from '../../src/core/config/parse';
import type { Experiment } from '../../src/core/config/types';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { reconstructedRows, TRAVERSAL_STEPS } from '../../src/core/measures/vaeReconstructions';
import { Vae } from '../../src/core/model/vae';
import { readData, readParams, readReconstructions } from '../../src/core/results/store';
import type { PointRecord } from '../../src/core/sweep/point';
import { vaeSpec } from '../../src/core/model/vaeLayout';
import { numText } from '../../src/core/text/numbers';
import { lambdaText } from '../../src/core/transitions/text';
import type { Prediction, Transition } from '../../src/core/transitions/types';
import { runInfo } from '../../src/protocol/runInfo';
import type { HostToSweepPanel, RunInfo } from '../../src/protocol/webview';
import { greyLevel } from '../../webview/shared/colormap';
import { ARTIFACTS_DIR, buildViews, nextPost, openView, ROOT, runConfig, send, startSite, type Site } from './harness';

const CONFIG = {
  name: 'small-vae',
  data: { kind: 'mnist', n: 400, downsample: 4, testFraction: 0.2 },
  model: { kind: 'vae', hidden: [], activation: 'linear', latentDim: 3, decoder: 'bernoulli', samples: 1 },
  train: { lambda: 0.001, maxSteps: 800, tolerance: 1e-3 },
  sweep: { parameter: 'beta', from: 0.3, to: 5, points: 4, direction: 'up' },
  analysis: { hessian: { exactLimit: 0, topK: 4, lanczosSteps: 20, slqProbes: 2, hutchinsonProbes: 8, tolerance: 1e-4 }, transitions: { refine: false } },
};

let site: Site;
let out: string;
let experiment: Experiment;
let info: RunInfo;
let points: PointRecord[];
let transitions: Transition[];

before(async () => {
  buildViews();
  const dir = mkdtempSync(join(tmpdir(), 'l2-webview-vae-'));
  const file = join(dir, 'small-vae.l2exp.json');
  writeFileSync(file, JSON.stringify(CONFIG));
  out = join(dir, 'out');
  const run = runConfig(file, out);
  points = run.points;
  transitions = run.summary.transitions;
  experiment = parseExperiment(JSON.stringify(CONFIG), file).experiment!;
  info = runInfo({ runId: 'run-vae', configPath: file, experiment, points, live: false });
  site = await startSite(join(dir, 'site'));
});

after(() => site?.close());

/** A canvas row of the strip as painted: each image's grey level at the centre of every value's block. */
interface DrawnRow {
  images: number[][];
  label: string;
}

/** What the strip drew: every canvas row (originals, reconstructions, unit-1 …), sampled at its blocks' centres. */
async function drawnRows(page: Page, shape: [number, number]): Promise<Record<string, DrawnRow>> {
  return page.evaluate(([h, w]) => {
    const rows: Record<string, { images: number[][]; label: string }> = {};
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('.pictures canvas')) {
      const cell = Number(canvas.dataset.cell);
      const gap = Number(canvas.dataset.gap);
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const count = Math.round((canvas.width + gap) / (w * cell + gap));
      const images: number[][] = [];
      for (let i = 0; i < count; i++) {
        const img: number[] = [];
        for (let r = 0; r < h; r++) {
          for (let c = 0; c < w; c++) {
            const x = i * (w * cell + gap) + c * cell + Math.floor(cell / 2);
            const y = r * cell + Math.floor(cell / 2);
            const at = (y * canvas.width + x) * 4;
            // Grey: r = g = b, opaque.
            if (data[at] !== data[at + 1] || data[at] !== data[at + 2] || data[at + 3] !== 255) throw new Error(`not grey at ${x},${y}`);
            img.push(data[at]);
          }
        }
        images.push(img);
      }
      rows[canvas.dataset.row!] = { images, label: canvas.previousElementSibling?.textContent ?? '' };
    }
    return rows;
  }, shape);
}

/**
 * The decoder at θ of `p` computed here, from params/<id>.f64 and the core model: the
 * reconstructions of the run's fixed test digits at z = μ(x), and the traversals from the first.
 */
function decoderOutput(p: PointRecord): { originals: number[][]; reconstructions: number[][]; units: number[][][] } {
  const ds = readData(out);
  const d = ds.inputDim;
  const vae = new Vae(vaeSpec(vaeModel(experiment.model)!, d), jsKernels, 'float64');
  const theta = readParams(out, p.id);
  const rows = reconstructedRows(experiment.seed, ds.test.n);
  const x = new Float64Array(rows.length * d);
  rows.forEach((r, i) => x.set(ds.test.x.subarray(r * d, (r + 1) * d), i * d));
  const split = (v: Float64Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * d, (i + 1) * d)));
  const mu = vae.encode(theta, x, rows.length).mu;
  const L = vae.latentDim;
  const units = Array.from({ length: L }, (_, j) => {
    const z = TRAVERSAL_STEPS.flatMap((t) => Array.from(mu.subarray(0, L), (m, u) => m + (u === j ? t : 0)));
    return split(vae.decode(theta, z, TRAVERSAL_STEPS.length), TRAVERSAL_STEPS.length);
  });
  return { originals: split(x, rows.length), reconstructions: split(vae.reconstruct(theta, x, rows.length), rows.length), units };
}

/** Every drawn grey level within `tol` of the value's (greyLevel on [0, 1]); returns the largest difference. */
function assertDrawn(drawn: number[][], values: number[][], what: string, tol = 1): number {
  assert.equal(drawn.length, values.length, `${what}: images`);
  let worst = 0;
  drawn.forEach((img, i) =>
    img.forEach((g, k) => {
      const want = greyLevel(values[i][k], [0, 1]);
      worst = Math.max(worst, Math.abs(g - want));
      assert.ok(Math.abs(g - want) <= tol, `${what} ${i} value ${k}: drawn ${g}, the decoder's ${values[i][k]} is ${want}`);
    }),
  );
  return worst;
}

/** The host's answer to a selection, as the sweep panel's host builds it (sweepPanel.ts postReconstructions). */
const reply = (pointId: string): HostToSweepPanel => ({ type: 'reconstructions', runId: info.runId, pointId, reconstructions: readReconstructions(out, pointId) });

test('sweep panel on a VAE run: reconstruction, KL, active units and ELBO charts; the strip is the selected point decoder output', async (t) => {
  assert.equal(info.model, 'vae');
  const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1280, height: 1000 });
  const { page } = view;
  await nextPost(page, 'ready', 0);
  await send(page, { type: 'init', run: info, points, transitions, predictions: [], selectedId: null } satisfies HostToSweepPanel);
  const grid = [...points].sort((a, b) => a.value - b.value);

  await t.test('the charts follow the model: no score or data loss, the VAE measures instead', async () => {
    const ids = await page.locator('.card[data-chart]').evaluateAll((cards: { getAttribute(n: string): string | null }[]) => cards.map((c) => c.getAttribute('data-chart')));
    // No hidden layers: no active neurons; no latent subspace or modes: no features, mode or complexity charts.
    assert.deepEqual(ids, ['reconstruction', 'kl', 'klPerUnit', 'activeUnits', 'elbo', 'weightNorm', 'curvature', 'stableRank', 'outliers', 'morse']);
    assert.equal(await page.locator('.score-kind').textContent(), 'variational autoencoder');
    const layout = (await page.evaluate(() => window.__l2Layout!())) as { id: string; annotations?: { tags: { text: string }[] }; datasets: { label: string; v: (number | null)[] }[] }[];
    const units = layout.find((c) => c.id === 'activeUnits')!;
    // The transitions are tagged with the swept parameter's symbol.
    assert.ok(transitions.length > 0);
    assert.deepEqual(
      units.annotations?.tags.map((tag) => tag.text.split(' ')[0]),
      transitions.map(() => 'βc'),
    );
    assert.deepEqual(
      units.datasets[0].v,
      grid.map((p) => p.vae!.activeUnits),
    );
    const kl = layout.find((c) => c.id === 'klPerUnit')!;
    assert.deepEqual(
      kl.datasets.map((d) => d.label.split(' · ')[0]),
      ['unit 1', 'unit 2', 'unit 3'],
    );
    // The encoder's weights and the decoder's, each named for its network, not "layer 1, layer 2".
    assert.deepEqual(
      layout.find((c) => c.id === 'stableRank')!.datasets.map((d) => d.label.split(' · ')[0]),
      ['encoder 1', 'decoder 1'],
    );
    assert.deepEqual(
      layout.find((c) => c.id === 'elbo')!.datasets[0].v,
      grid.map((p) => p.vae!.testElbo),
    );
    assert.match((await page.locator('.pictures-note').textContent()) ?? '', /^Select a point/);
  });

  await t.test("a β prediction (a linear Gaussian VAE's closed form) is named βc on the charts, not λc", async () => {
    const beta = grid[Math.floor(grid.length / 2)].value;
    const prediction: Prediction = { axis: 'beta', lambda: beta, order: 'second', basis: 'β_1 = ℓ_1/σ²', exactness: 'exact', why: 'closed form' };
    await send(page, { type: 'init', run: info, points, transitions, predictions: [prediction], selectedId: null } satisfies HostToSweepPanel);
    await page.locator('#annotations-activeUnits li', { hasText: 'predicted βc ≈ ' }).first().waitFor({ state: 'attached' });
    const layout = (await page.evaluate(() => window.__l2Layout!())) as { id: string; annotations?: { entries: { text: string }[] } }[];
    const entries = layout.find((c) => c.id === 'activeUnits')!.annotations!.entries.map((e) => e.text);
    assert.ok(
      entries.some((e) => e.includes(`predicted βc = ${lambdaText(beta)}`)),
      entries.join(' | '),
    );
    assert.ok(!entries.some((e) => e.includes('λc')), entries.join(' | '));
    await send(page, { type: 'init', run: info, points, transitions, predictions: [], selectedId: null } satisfies HostToSweepPanel);
  });

  // The first point by keyboard, then the next: each answered as the host answers.
  const shown: Record<string, Record<string, DrawnRow>> = {};
  for (const key of ['Home', 'End']) {
    await t.test(`${key}: the strip is the decoder of the selected point, within one grey level`, async () => {
      const before = (await page.evaluate(() => window.__posted)).length;
      await page.locator('.card[data-chart="kl"] .chart-area').focus();
      await page.keyboard.press(key);
      const picked = (await nextPost(page, 'selectPoint', before)) as unknown as { pointId: string };
      const p = points.find((q) => q.id === picked.pointId)!;
      assert.equal(p.id, (key === 'Home' ? grid[0] : grid[grid.length - 1]).id);
      await send(page, reply(p.id));
      await page.locator('.pictures canvas[data-row="unit-3"]').waitFor();
      const drawn = await drawnRows(page, [7, 7]);
      shown[p.id] = drawn;
      const want = decoderOutput(p);
      assertDrawn(drawn.originals.images, want.originals, 'original');
      const worst = assertDrawn(drawn.reconstructions.images, want.reconstructions, 'reconstruction');
      want.units.forEach((images, j) => assertDrawn(drawn[`unit-${j + 1}`].images, images, `unit ${j + 1} traversal`));
      t.diagnostic(`${p.id}: reconstructions drawn within ${worst} grey level(s) of the decoder's`);
      // Each row says its unit's KL, as recorded; a collapsed one says so.
      p.vae!.klPerUnit!.forEach((kl, j) => {
        const label = drawn[`unit-${j + 1}`].label;
        assert.ok(label.startsWith(`unit ${j + 1} · KL ${numText(kl)}`), label);
        assert.equal(label.endsWith('collapsed'), kl <= p.vae!.threshold, label);
      });
      assert.match(
        (await page.locator('.pictures-note').textContent()) ?? '',
        new RegExp(`^At β = ${numText(p.value).replace('.', '\\.')} \\(up, seed 0\\): 8 test digits \\(rows \\d+(, \\d+){7}\\)`),
      );
    });
  }

  await t.test('another point, another strip; a late reply for an earlier point is dropped; a point without a file says so', async () => {
    const [a, b] = Object.keys(shown);
    assert.notDeepEqual(shown[a].reconstructions.images, shown[b].reconstructions.images, 'the strip changed with the point');
    assert.deepEqual(shown[a].originals.images, shown[b].originals.images, 'the same digits at every point');
    // At β = 5 every unit has collapsed; at β = 0.3 none has.
    assert.ok(shown[b]['unit-1'].label.endsWith('collapsed') && !shown[a]['unit-1'].label.endsWith('collapsed'));
    await send(page, reply(a));
    await page.waitForTimeout(200);
    assert.deepEqual((await drawnRows(page, [7, 7])).reconstructions.images, shown[b].reconstructions.images);
    await send(page, { type: 'select', runId: info.runId, pointId: grid[1].id });
    assert.match((await page.locator('.pictures-note').textContent()) ?? '', /^Reading the reconstructions at β = /);
    assert.equal(await page.locator('.pictures canvas').count(), 0, 'the previous point is not shown as this one');
    await send(page, { type: 'reconstructions', runId: info.runId, pointId: grid[1].id, reconstructions: null });
    assert.match((await page.locator('.pictures-note').textContent()) ?? '', /^No reconstructions recorded at β = /);
    await send(page, reply(grid[1].id));
    await page.locator('.pictures canvas[data-row="reconstructions"]').waitFor();
    assertDrawn((await drawnRows(page, [7, 7])).reconstructions.images, decoderOutput(grid[1]).reconstructions, 'reconstruction');
  });

  await page.screenshot({ path: join(ARTIFACTS_DIR, 'sweep-vae.png'), fullPage: true });
  assert.deepEqual(await view.problems(), [], 'console errors, page errors or CSP violations');
  await view.close();
});

test('l2exp report of a VAE run: the sweep panel shows the pictures of the point it opens on and of each one selected', async () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'report', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const page = await site.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(pathToFileURL(join(out, 'report.html')).href);
  const sweep = page.frameLocator('iframe.sweep');
  await sweep.locator('.pictures canvas[data-row="reconstructions"]').waitFor();
  const note = sweep.locator('.pictures-note');
  assert.match((await note.textContent()) ?? '', /^At β = /);
  const chart = sweep.locator('.card[data-chart="kl"] .chart-area');
  await chart.focus();
  await chart.press('End');
  await sweep.locator('.pictures-note', { hasText: new RegExp(`^At β = ${numText(Math.max(...points.map((p) => p.value)))} `) }).waitFor();
  await sweep.locator('.pictures canvas[data-row="reconstructions"]').waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

declare const window: { __l2Layout?: () => unknown; __posted: unknown[] };
declare const document: { querySelectorAll<T>(s: string): T[] };
interface HTMLCanvasElement {
  width: number;
  height: number;
  dataset: Record<string, string | undefined>;
  previousElementSibling: { textContent: string | null } | null;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
