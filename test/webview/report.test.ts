// `l2exp report`: the HTML file opened from file:// in headless Chromium with every request
// that is not the file itself refused and recorded. It must load nothing remote, raise no
// console error or CSP violation, draw every chart of the sweep panel with each transition's
// label, show the spectrum of a point, follow a selection, and show a slice stored with the run.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunSummary } from '../../src/core/results/summary';
import { l2exp, tempDir, THREE_TRANSITIONS, writeConfig } from '../cli/helpers';
import { ARTIFACTS_DIR, canvasPixels, launch } from './harness';

/** What the sweep panel's window.__l2Layout() reports per chart (webview/sweep/view.ts), as far as this test reads it. */
interface ChartLayout {
  id: string;
  annotations?: { tags: { text: string }[] };
  datasets: { points: number }[];
}

let browser: Browser;
let out: string;
let summary: RunSummary;

before(async () => {
  const dir = tempDir('report');
  // Three first-order transitions, each with its label on every chart.
  const config = writeConfig(dir, THREE_TRANSITIONS);
  out = join(dir, 'out');
  assert.equal(l2exp(['run', config, '--out', out, '--json']).status, 0);
  summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  assert.equal(summary.transitions.length, 3);
  browser = await launch();
});

after(() => browser?.close());

test('the report opens from file:// with nothing remote and draws every chart with its transitions, the spectrum, a selection and a stored slice', async () => {
  const html = join(out, 'report.html');
  // The point the report opens on gets a stored slice, then the report is written again.
  assert.equal(l2exp(['report', out]).status, 0);
  const initial = (JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(readFileSync(html, 'utf8'))![1]) as { spectrum: { initial: string } }).spectrum.initial;
  assert.equal(l2exp(['slice', out, initial, '--points', '15']).status, 0);
  const pngDir = join(ARTIFACTS_DIR, 'report-png');
  const r = l2exp(['report', out, '--png', pngDir]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(html));
  assert.ok(readdirSync(pngDir).filter((f) => f.endsWith('.png')).length >= 8, 'a PNG per chart and the spectrum');

  const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(html).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(html).href);
  await page.frameLocator('iframe.sweep').locator('.card canvas').first().waitFor();
  const sweepFrame = await (await page.locator('iframe.sweep').elementHandle()).contentFrame();
  const layout = await sweepFrame!.evaluate(() => (globalThis as unknown as { __l2Layout(): ChartLayout[] }).__l2Layout());
  assert.ok(layout.length >= 8, `${layout.length} charts drawn`);
  for (const chart of layout) {
    const tags = chart.annotations?.tags.filter((t) => t.text.startsWith('λc')) ?? [];
    assert.equal(tags.length, summary.transitions.length, `${chart.id}: one label per transition`);
    assert.ok(
      chart.datasets.some((d) => d.points > 0),
      `${chart.id} has data`,
    );
  }
  // Every chart painted something.
  const painted = await canvasPixels(sweepFrame as unknown as Parameters<typeof canvasPixels>[0], '.card canvas');
  assert.ok(painted.length >= 8 && painted.every((c) => c.painted > 0), 'every chart canvas painted');

  // The spectrum view shows a point; moving its slider selects another in the sweep panel too.
  const spectrum = page.frameLocator('iframe.spectrum');
  await spectrum.locator('section.spectrum canvas').waitFor();
  // The slice stored for the opening point is shown when asked for.
  await spectrum
    .locator('vscode-button, button', { hasText: /compute slice/i })
    .first()
    .click();
  await spectrum.locator('canvas.contour').waitFor();
  const title = spectrum.locator('h1.point-title');
  const first = await title.textContent();
  await spectrum.locator('input[type=range]').first().focus();
  await page.keyboard.press('End');
  await title.filter({ hasNotText: first ?? '' }).waitFor();
  const lambda = /λ = (\S+)/.exec((await title.textContent()) ?? '')![1];
  await page.frameLocator('iframe.sweep').getByText(`Selected: λ = ${lambda} `).first().waitFor();
  // A slice the run never computed: the view says how to compute it.
  await spectrum
    .locator('vscode-button, button', { hasText: /compute slice/i })
    .first()
    .click();
  await spectrum
    .getByText(/run "l2exp slice RESULTS/)
    .first()
    .waitFor();

  assert.deepEqual(requests, [], 'nothing but the file itself was requested');
  assert.deepEqual(problems, []);
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'report.png'), fullPage: true });
  await page.close();
});
