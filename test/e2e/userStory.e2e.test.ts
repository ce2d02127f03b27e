// What a researcher does, in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) with the
// packaged extension: open an experiment, read the predicted λc in the hover, run the sweep from
// the command palette, watch the panel draw the charts with the transition, pick a λ and see
// the Hessian spectrum follow, and find the measured transition annotated in the editor.
// Needs scripts/e2e-setup.sh and L2_VSIX (npm run test:e2e does both). Screenshots land in
// test-artifacts/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { copyExamples } from '../examples';
import { withVsCode } from './session';
import { goToLine, hoverAt, hoverUntil, openFile, runCommand, screenshot, waitForEditorLine, webviewFrame } from './workbench';

const REPO = resolve(__dirname, '../..');
const CONFIG = 'linear-2-hidden.l2exp.json';

/** The 1-based line of the first line of the config containing `text`. */
function lineOf(text: string): number {
  return (
    readFileSync(join(REPO, 'examples', CONFIG), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

/** The text a decoration draws after the code (rendered through CSS ::after, so not in the DOM text). */
async function afterDecorations(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<object> }; getComputedStyle(e: object, p: string): { content: string } }).document;
    const g = globalThis as unknown as { getComputedStyle(e: object, p: string): { content: string } };
    return Array.from(d.querySelectorAll('.editor-group-container.active .view-line span'))
      .map((el) => g.getComputedStyle(el, '::after').content)
      .filter((c) => c && c !== 'none' && c !== 'normal');
  });
}

test('a researcher predicts, runs and inspects an L2 sweep in VS Code', { timeout: 600_000 }, async (t) => {
  const workspace = copyExamples(REPO, 'l2-e2e-ws-');
  // Typed text goes in verbatim: no auto-closed quotes or brackets.
  const settings = { 'editor.autoClosingQuotes': 'never', 'editor.autoClosingBrackets': 'never' };
  await withVsCode(t, 'story', workspace, settings, async (page) => {
    // 1. Open the experiment.
    await openFile(page, CONFIG);
    await waitForEditorLine(page, '"name": "linear-2-hidden"');

    // 2. Hover over the sweep: the λc predicted from the data, before anything is trained (in
    // the engine process: the first hover may say "computing…" while it starts).
    const hover = await hoverUntil(page, lineOf('"sweep"'), 'sweep', /λc ≈/, { timeoutMs: 30_000 });
    t.diagnostic(`hover: ${hover.replace(/\s+/g, ' ').slice(0, 300)}`);
    assert.match(hover, /Predicted critical λ/);
    assert.match(hover, /λc ≈ 0\.3969 \(first-order, exact\)/);
    await screenshot(page, 'story-1-hover-prediction');

    // 2b. The same prediction from the command palette.
    await runCommand(page, 'L2 Landscape: Predict critical λ');
    await page
      .locator('.quick-input-widget .quick-input-list-row', { hasText: /λc ≈ 0\.3969 \(first-order, exact\)/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');

    // 3. Run the sweep from the command palette (progress and cancelling: cancelResume.e2e.test.ts).
    await runCommand(page, 'L2 Landscape: Run L2 sweep');

    // 4. Once it is done, the CodeLens above the config names the measured transition.
    const lens = page.locator('.codelens-decoration', { hasText: /λc ≈ 0\.39\d+ \(first-order, mode 1\)/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 180_000 });
    t.diagnostic(`codelens: ${await lens.innerText()}`);

    // 5. The sweep line carries the measured transition, and a gutter marker.
    const decorations = await afterDecorations(page);
    t.diagnostic(`decorations: ${JSON.stringify(decorations)}`);
    // Short (λc and order), so it stays on screen; the details are in its hover.
    assert.ok(
      decorations.some((d) => /λc ≈ 0\.39\d+ \(first-order\)/.test(d) && d.length < 60),
      `sweep line decoration: ${JSON.stringify(decorations)}`,
    );
    assert.ok(
      (await page.locator('.editor-group-container.active .glyph-margin-widgets .cgmr, .editor-group-container.active .margin-view-overlays .cgmr').count()) > 0,
      'a gutter marker on the sweep line',
    );
    await screenshot(page, 'story-3-annotated');

    // 6. The sweep panel: charts, the transition annotated, the run complete.
    const panel = await webviewFrame(page, /L2 sweep: linear-2-hidden/, { timeoutMs: 60_000 });
    await panel.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('.transitions').innerText(), /λc ≈ 0\.39\d+ \(first-order, mode 1\)/);
    assert.ok((await panel.locator('.card canvas').count()) >= 6, 'the charts are drawn');
    assert.ok((await panel.locator('.annotations li', { hasText: /λc ≈ 0\.39\d+ \(first-order\)/ }).count()) >= 1, 'the transition is annotated on the charts');
    await screenshot(page, 'story-4-panel');

    // 7. Pick a λ with the keyboard; the Hessian spectrum view shows that point and follows.
    const chart = panel.locator('.chart-area').first();
    await chart.focus();
    for (let i = 0; i < 5; i++) await chart.press('ArrowRight');
    const selected = async () => /λ = ([\d.e+-]+)/.exec(await panel.locator('.selection').innerText())?.[1];
    await panel.locator('.selection', { hasText: /λ = / }).waitFor();
    await runCommand(page, 'L2 Landscape: Show Hessian spectrum');
    const spectrum = await webviewFrame(page, /Hessian spectrum/, { timeoutMs: 30_000 });
    const title = spectrum.locator('.point-title');
    await title.filter({ hasText: `λ = ${await selected()}` }).waitFor({ timeout: 30_000 });
    assert.match(await spectrum.locator('.view').innerText(), /(saddle|degenerate minimum|nondegenerate minimum)/i);
    await chart.press('ArrowRight');
    await title.filter({ hasText: `λ = ${await selected()}` }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'story-5-spectrum');

    // 8. A 2-D landscape slice around the point, on demand.
    await spectrum.locator('.slice-controls vscode-button, .slice-controls button').first().click();
    await spectrum.locator('#slice-description li').first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'story-6-slice');

    // 9. Hovering again: the measured λc beside the predicted one.
    await page.locator('.editor-group-container .tab', { hasText: CONFIG }).first().click();
    const again = await hoverAt(page, lineOf('"sweep"'), 'sweep', { timeoutMs: 30_000 });
    assert.match(again, /Measured \(complete, \d+ points\)/);
    assert.match(again, /λc ≈ 0\.39\d+ \(first-order, mode 1\)/);
    assert.match(again, /the branches with 1 mode and the trivial solution cross/);

    // 10. Typing a contradiction: the engine's check shows at once, on the right range.
    await goToLine(page, lineOf('"sweep"'));
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('"sweep": { "from": 5, "to": 1, "points": 30, "scale": "log", "direction": "both", "seeds": [0] }');
    await runCommand(page, 'Problems: Focus on Problems View');
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: /sweep\.from \(5\) is larger than sweep\.to \(1\)/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'story-7-diagnostic');

    // 11. The engine log in the Output channel.
    await runCommand(page, 'Output: Show Output Channels...').catch(() => undefined);
    await page.keyboard.type('L2 Landscape');
    await page.keyboard.press('Enter');
    // Monaco renders spaces as U+00A0: match across any whitespace.
    await page
      .locator('.view-line', { hasText: /backend:\s+wasm/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.view-line', { hasText: /complete:\s+\d+\/\d+\s+points/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'story-8-log');

    // 12. A sweep run from a terminal (the CLI) while the editor is open shows up in the editor.
    await openFile(page, 'linear-1-hidden.l2exp.json');
    await waitForEditorLine(page, '"name": "linear-1-hidden"');
    const cli = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'run', join(workspace, 'linear-1-hidden.l2exp.json'), '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    await page
      .locator('.codelens-decoration', { hasText: /λc ≈ 0\.99\d+ \(second-order, mode 1\) · open results/ })
      .first()
      .waitFor({ timeout: 60_000 });
  });
});
