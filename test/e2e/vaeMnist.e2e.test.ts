// The MNIST VAE example in a real VS Code, shortened (fewer digits and β values, a small
// refinement budget: seconds of training): Run L2 sweep from the palette, the panel's VAE charts
// in place of the score, and the decoder's pictures of the selected point, which change with it
// (every unit active at the smallest β, all collapsed at the largest). Needs scripts/e2e-setup.sh and L2_VSIX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import { copyExamples } from '../examples';
import { withVsCode } from './session';
import { openFile, runCommand, screenshot, waitForEditorLine, webviewFrame } from './workbench';

const REPO = resolve(__dirname, '../..');
const CONFIG = 'mnist-vae-short.l2exp.json';

test('the MNIST VAE example in VS Code: VAE charts, and the decoder at the selected β', { timeout: 600_000 }, async (t) => {
  const workspace = copyExamples(REPO, 'l2-e2e-vae-');
  const example = parse(readFileSync(join(REPO, 'examples/mnist-vae.l2exp.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  const short = {
    ...example,
    name: 'mnist-vae-short',
    data: { ...example.data, n: 800 },
    sweep: { ...example.sweep, to: 5, points: 6, direction: 'up' },
    analysis: { ...example.analysis, transitions: { refineBudget: 4 } },
  };
  writeFileSync(join(workspace, CONFIG), JSON.stringify(short, null, 2));
  await withVsCode(t, 'vae', workspace, {}, async (page) => {
    await openFile(page, CONFIG);
    await waitForEditorLine(page, '"name": "mnist-vae-short"');
    const started = Date.now();
    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    const panel = await webviewFrame(page, /L2 sweep: mnist-vae-short/, { timeoutMs: 120_000 });
    await panel.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 180_000 });
    t.diagnostic(`run and panel: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.match(await panel.locator('.transitions').innerText(), /βc ≈ [\d.]+ .*latent unit/);

    const ids = await panel.locator('.card[data-chart]').evaluateAll((cards: { getAttribute(n: string): string | null }[]) => cards.map((c) => c.getAttribute('data-chart')));
    for (const id of ['reconstruction', 'kl', 'klPerUnit', 'activeUnits', 'elbo']) assert.ok(ids.includes(id), `${id} chart in ${ids.join(', ')}`);
    for (const id of ['score', 'loss']) assert.ok(!ids.includes(id), `no ${id} chart for a VAE: ${ids.join(', ')}`);

    const chart = panel.locator('.card[data-chart="activeUnits"] .chart-area');
    const labels = panel.locator('.pictures-traversal .pictures-label');
    await chart.focus();
    await chart.press('Home');
    await panel.locator('.pictures canvas[data-row="reconstructions"]').waitFor({ timeout: 30_000 });
    const first = await panel.locator('.pictures-note').innerText();
    assert.match(first, /^At β = 0\.1 \(up, seed 0\): 8 test digits/);
    assert.equal(await labels.count(), 6, 'one traversal row per latent unit');
    assert.equal((await labels.allInnerTexts()).filter((l) => l.endsWith('collapsed')).length, 0, 'every unit active at β = 0.1');
    // The reconstructions are drawn: grey levels, not a blank canvas.
    const lit = await panel
      .locator('.pictures canvas[data-row="reconstructions"]')
      .evaluate((c: { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255 && d[i] > 40) n++;
        return n;
      });
    assert.ok(lit > 100, `${lit} lit pixels in the reconstructions`);
    await panel.locator('.pictures').scrollIntoViewIfNeeded();
    await screenshot(page, 'vae-1-panel');

    await chart.press('End');
    await panel.locator('.pictures-note', { hasText: /^At β = 5 / }).waitFor({ timeout: 30_000 });
    await panel.locator('.pictures canvas[data-row="unit-6"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(
      (await labels.allInnerTexts()).map((l) => l.endsWith('collapsed')),
      [true, true, true, true, true, true],
      'every unit collapsed at β = 5',
    );
    await panel.locator('.pictures').scrollIntoViewIfNeeded();
    await screenshot(page, 'vae-2-collapsed');
  });
});
