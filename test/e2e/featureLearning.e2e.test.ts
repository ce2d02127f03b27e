// A sweep of another knob than λ in a real VS Code: the bundled δ = n/d example. The hover says
// there is no theory of δc (rather than "no transition"), the run from the command palette ends
// with δc in the CodeLens and on the sweep line, the panel names δ and draws the feature-overlap
// and outlier charts, and the spectrum view shows the point's outliers beside its bulk. Then the
// λ × δ example: its rows' λc named by their δ, and the panel's phase diagram.
// Needs scripts/e2e-setup.sh and L2_VSIX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyExamples } from '../examples';
import { withVsCode } from './session';
import { hoverUntil, openFile, runCommand, screenshot, waitForEditorLine, webviewFrame } from './workbench';

const REPO = resolve(__dirname, '../..');
const CONFIG = 'feature-learning.l2exp.json';
/** The 0-based line of a bundled example's `"sweep"`. */
const sweepLineOf = (config: string) =>
  readFileSync(join(REPO, 'examples', config), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('"sweep"'));
const sweepLine = sweepLineOf(CONFIG);

test('a δ = n/d sweep in VS Code: no λ words, δc measured and annotated, overlap and outliers drawn', { timeout: 600_000 }, async (t) => {
  const workspace = copyExamples(REPO, 'l2-e2e-delta-');
  await withVsCode(t, 'delta', workspace, {}, async (page) => {
    await openFile(page, CONFIG);
    await waitForEditorLine(page, '"name": "feature-learning"');

    const hover = await hoverUntil(page, sweepLine + 1, 'sweep', /No prediction of δc/, { timeoutMs: 60_000 });
    assert.match(hover, /Predicted critical δ/);
    assert.match(hover, /No prediction for a samples sweep/);
    assert.doesNotMatch(hover, /No transition expected/);

    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    const lens = page.locator('.codelens-decoration', { hasText: /δc ≈ [\d.]+ \(feature learning\)/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 180_000 });
    t.diagnostic(`codelens: ${await lens.innerText()}`);
    assert.doesNotMatch(await lens.innerText(), /λc/);

    const panel = await webviewFrame(page, /L2 sweep: feature-learning/, { timeoutMs: 60_000 });
    await panel.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('.transitions').innerText(), /δc ≈ [\d.]+ \(feature learning\)/);
    for (const chart of ['features', 'outliers']) await panel.locator(`.card[data-chart="${chart}"] canvas`).waitFor({ timeout: 30_000 });
    const chart = panel.locator('.card[data-chart="features"] .chart-area');
    await chart.focus();
    await chart.press('ArrowRight');
    await panel.locator('.selection', { hasText: /δ = / }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'delta-1-panel');

    await runCommand(page, 'L2 Landscape: Show Hessian spectrum');
    const spectrum = await webviewFrame(page, /Hessian spectrum/, { timeoutMs: 30_000 });
    await spectrum.locator('.point-title', { hasText: /δ = / }).waitFor({ timeout: 30_000 });
    const outliers = spectrum.locator('.summary dd', { hasText: /outliers?: \d+ below, \d+ above the bulk|no outliers/ });
    await outliers.waitFor({ timeout: 30_000 });
    t.diagnostic(`spectrum: ${await outliers.innerText()}`);
    await screenshot(page, 'delta-2-spectrum');

    // A 2-D sweep (λ × δ) from the palette: a λc per row, named by its δ, and the phase diagram.
    await openFile(page, 'lambda-delta.l2exp.json');
    await waitForEditorLine(page, '"name": "lambda-delta"');
    // The hover lists a predicted λc per δ row, each of that row's training rows.
    const gridHover = await hoverUntil(page, sweepLineOf('lambda-delta.l2exp.json') + 1, 'sweep', /at δ = 12/, { timeoutMs: 60_000 });
    for (const delta of [2, 7, 12]) assert.match(gridHover, new RegExp(`λc ≈ [\\d.]+ \\(second-order, [a-z-]+\\) at δ = ${delta}\\b`));
    await page.keyboard.press('Escape');
    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    const grid = await webviewFrame(page, /L2 sweep: lambda-delta/, { timeoutMs: 120_000 });
    await grid.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 120_000 });
    assert.match(await grid.locator('.transitions').innerText(), /λc ≈ [\d.]+.*at δ = [\d.]+/);
    assert.match(await grid.locator('.predictions').innerText(), /λc ≈ [\d.]+ \(second-order, [a-z-]+\) at δ = 2\b/);
    await grid.locator('.phase-card .phase-canvas').waitFor({ timeout: 30_000 });
    await grid.locator('vscode-dropdown.slice-pick').waitFor({ timeout: 30_000 });
    // The panel took the editor's place: bring the config back to read its CodeLens.
    await openFile(page, 'lambda-delta.l2exp.json');
    const gridLens = page.locator('.codelens-decoration', { hasText: /λc ≈ [\d.]+.*at δ = / }).first();
    await gridLens.waitFor({ state: 'visible', timeout: 60_000 });
    t.diagnostic(`2-D codelens: ${await gridLens.innerText()}`);
    await screenshot(page, 'delta-3-phase-diagram');
  });
});
