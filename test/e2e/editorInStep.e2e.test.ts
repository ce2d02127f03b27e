// The editor in step with the panel, in a real VS Code (code-server) with the packaged extension:
// a copied example keeps completion; a misspelt key is a problem with the engine's near miss;
// while a sweep runs, the CodeLens names the same transitions as the panel at the same point
// count, and at the end too; a completion message with the headline and "Open results"; a
// second run reuses its panel (no new editor group); the two runs compared on the panel's charts
// and in its runs table; a contour slice at a chosen range and resolution; after a window
// reload the selection and the spectrum view come back without a click. Screenshots of each
// view in light and dark: test-artifacts/e2e/. Needs scripts/e2e-setup.sh and L2_VSIX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { withVsCode } from './session';
import { goToLine, openFile, reloadWindow, runCommand, screenshot, waitForEditorLine, waitForNotification, webviewFrame } from './workbench';

const REPO = resolve(__dirname, '../..');

// linear-2-hidden with a finer grid, more data and two seeds: a first-order transition found
// mid-run, half a minute or so of training to watch the CodeLens and the panel side by side.
const EXPERIMENT = (() => {
  const text = readFileSync(join(REPO, 'examples/linear-2-hidden.l2exp.json'), 'utf8');
  // Long enough (about half a minute on two cores with the WebAssembly kernels) to watch the editor mid-run.
  return text.replace('"points": 30', '"points": 240').replace('"n": 400', '"n": 40000').replace('"seeds": [0]', '"seeds": [0, 1]');
})();

const PANEL = /L2 sweep: linear-2-hidden/;

/** The CodeLens naming the measured transitions (the one ending in "open results"). */
async function measuredLens(page: Page): Promise<string | null> {
  const lens = page.locator('.editor-group-container .codelens-decoration', { hasText: /open results/ }).first();
  if ((await lens.count()) === 0) return null;
  // Lenses on one line share a decoration, separated by "|": the last one is ours.
  return (await lens.innerText()).replace(/\s+/g, ' ').split('|').pop()!.trim();
}

async function chooseTheme(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await page.keyboard.type(name);
  await page.locator('.quick-input-widget .quick-input-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function pick(frame: Frame, cls: string, label: string): Promise<void> {
  await frame.locator(`vscode-dropdown.${cls}`).click();
  await frame.locator(`vscode-dropdown.${cls} vscode-option`, { hasText: label }).first().click();
}

test('the editor in step with the sweep panel: CodeLens, completion message, one panel, comparison, slice, reload', { timeout: 900_000 }, async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'l2-e2e-step-'));
  writeFileSync(join(workspace, 'linear-2-hidden.l2exp.json'), EXPERIMENT);
  // An example copied somewhere else, as a user starting their own would.
  mkdirSync(join(workspace, 'mine'));
  cpSync(join(REPO, 'examples/two-moons-tanh.l2exp.json'), join(workspace, 'mine', 'copied.l2exp.json'));
  const settings = { 'editor.autoClosingQuotes': 'never', 'editor.autoClosingBrackets': 'never', 'editor.quickSuggestions': { strings: true, other: true } };
  await withVsCode(t, 'step', workspace, settings, async (page) => {
    // 1. A copied example keeps completion: its properties are suggested, no schema fails to load.
    await openFile(page, 'copied.l2exp.json');
    await waitForEditorLine(page, '"name": "two-moons-tanh"');
    await goToLine(page, 4);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"');
    // The JSON language server may still be starting: ask again until it answers.
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'analysis' }).first();
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+Space');
      const shown = await suggestion.waitFor({ timeout: 8_000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (attempt >= 5) throw new Error("no completion of the schema's properties in the copied example");
      await page.keyboard.press('Escape');
    }
    await screenshot(page, 'step-1-completion');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');

    // 2. A misspelt key: a problem with the engine's near miss, counted as an error.
    const text = readFileSync(join(workspace, 'mine', 'copied.l2exp.json'), 'utf8');
    const modelLine = text.split('\n').findIndex((l) => l.includes('"hidden"')) + 1;
    await goToLine(page, modelLine);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.insertText('  "model": { "hiden": [16], "activation": "tanh" },');
    await runCommand(page, 'Problems: Focus on Problems View');
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: /unknown key "hiden" in model \(did you mean "hidden"\?\)/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const schemaFailures = await page.locator('.markers-panel .monaco-list-row', { hasText: /Unable to load schema/ }).count();
    assert.equal(schemaFailures, 0, 'the copied example loads its schema');
    const problems = await page.locator('.statusbar-item[id="status.problems"]').innerText();
    // "errors warnings": the engine's error counts (VS Code's own schema check only warns).
    assert.ok(Number(/\d+/.exec(problems)?.[0]) >= 1, `status bar: ${JSON.stringify(problems)}`);
    await screenshot(page, 'step-2-misspelt-key');

    // 3. A sweep: mid-run the CodeLens and the panel name the same transitions at the same point count.
    await openFile(page, 'linear-2-hidden.l2exp.json');
    await waitForEditorLine(page, '"name": "linear-2-hidden"');
    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    const panel = await webviewFrame(page, PANEL, { timeoutMs: 60_000 });
    await page.locator('.editor-group-container .tab', { hasText: 'linear-2-hidden.l2exp.json' }).first().click();
    let agreedLive = 0;
    let lastLens = '';
    for (const deadline = Date.now() + 240_000; Date.now() < deadline;) {
      const status = await panel
        .locator('.status')
        .innerText()
        .catch(() => '');
      const lens = (await measuredLens(page)) ?? '';
      lastLens = lens;
      if (/^complete/.test(status)) break;
      const n = /^live: (\d+) point/.exec(status)?.[1];
      const m = /\((\d+) points?\) · open results$/.exec(lens);
      if (n && m && n === m[1] && /λc ≈/.test(lens)) {
        const headline = lens.replace(/ \(\d+ points?\) · open results$/, '');
        const summary = await panel.locator('.transitions').innerText();
        // Read again: a point may have arrived between the two reads.
        if ((await panel.locator('.status').innerText()) === status && (await measuredLens(page)) === lens) {
          assert.ok(summary.includes(headline), `mid-run at ${n} points: CodeLens "${headline}" vs panel "${summary}"`);
          agreedLive++;
          if (agreedLive === 1) await screenshot(page, 'step-3-mid-run');
        }
      }
      await page.waitForTimeout(150);
    }
    t.diagnostic(`mid-run agreements: ${agreedLive}; last lens ${lastLens}`);
    assert.ok(agreedLive >= 1, 'never saw the CodeLens and the panel at the same point count with a transition mid-run');

    // 4. The completion message: the headline result and "Open results".
    const done = await waitForNotification(page, /L2 sweep linear-2-hidden complete: λc ≈/, { timeoutMs: 240_000 });
    t.diagnostic(`completion: ${done}`);
    await panel.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 60_000 });
    await page
      .locator('.editor-group-container .codelens-decoration', { hasText: /Run L2 sweep.*λc ≈ .* · open results/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const headline = (await measuredLens(page))!.replace(/ · open results$/, '');
    assert.ok(!/points?\)/.test(headline), headline);
    assert.ok((await panel.locator('.transitions').innerText()).includes(headline), 'the CodeLens and the panel agree at the end');
    assert.ok(done.includes(headline), `the message has the headline: ${done}`);
    const groups = await page.locator('.editor-group-container').count();
    await page
      .locator('.notification-list-item', { hasText: /complete: λc ≈/ })
      .first()
      .hover();
    await page
      .locator('.notification-list-item', { hasText: /complete: λc ≈/ })
      .first()
      .locator('.monaco-button', { hasText: 'Open results' })
      .click();
    await webviewFrame(page, PANEL, { timeoutMs: 30_000 });
    assert.equal(await page.locator('.tab', { hasText: PANEL }).count(), 1, 'Open results reuses the panel');

    // 5. A second run reuses its panel: no new tab, no new editor group.
    await page.locator('.editor-group-container .tab', { hasText: 'linear-2-hidden.l2exp.json' }).first().click();
    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    await waitForNotification(page, /L2 sweep linear-2-hidden complete/, { timeoutMs: 240_000 });
    const again = await webviewFrame(page, PANEL, { timeoutMs: 30_000 });
    await again.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.tab', { hasText: PANEL }).count(), 1, 'one sweep panel per experiment');
    assert.equal(await page.locator('.editor-group-container').count(), groups, 'no new editor group for the second run');

    // 6. The two runs compared: the runs table, then the first run drawn over the charts.
    await again.locator('.runs-toggle', { hasText: 'Runs (2)' }).click();
    const rows = again.locator('.runs-table tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await again.locator('.runs-table').innerText(), /same config/);
    await again.locator('.runs-table vscode-button', { hasText: 'Overlay' }).first().click();
    await again.locator('.comparison', { hasText: /Compared with run \S+ \(dotted, ▲\): λc ≈/ }).waitFor({ timeout: 30_000 });
    const compared = Number(await again.locator('.card[data-chart="weightNorm"] .chart-area').getAttribute('data-compared'));
    assert.ok(compared > 10, `compared points drawn: ${compared}`);
    await screenshot(page, 'step-4-comparison-dark');

    // 7. Select a λ, open the spectrum view, compute a slice at ±0.5 on a 25×25 grid.
    const chart = again.locator('.chart-area').first();
    await chart.focus();
    for (let i = 0; i < 4; i++) await chart.press('ArrowRight');
    const selectedLambda = async () => /λ = ([\d.e+-]+)/.exec(await again.locator('.selection').innerText())?.[1];
    assert.ok(await selectedLambda(), 'a point is selected');
    await runCommand(page, 'L2 Landscape: Show Hessian spectrum');
    const spectrum = await webviewFrame(page, /Hessian spectrum/, { timeoutMs: 30_000 });
    // The key presses are handled one after another: the spectrum view must come to show the
    // panel's selection as it stands once they are done (read both until they agree).
    let selected: string | undefined;
    for (let waited = 0; ; waited += 250) {
      selected = await selectedLambda();
      const title = await spectrum
        .locator('.point-title')
        .innerText()
        .catch(() => '');
      if (selected && title.includes(`λ = ${selected} `)) break;
      assert.ok(waited < 30_000, `the spectrum view shows "${title}", the panel λ = ${selected}`);
      await page.waitForTimeout(250);
    }
    await pick(spectrum, 'slice-range', '±0.5');
    await pick(spectrum, 'slice-points', '25×25');
    await spectrum.locator('.slice-controls vscode-button').first().click();
    await spectrum
      .locator('#slice-description li', { hasText: /from -?−?0\.5 to 0\.5, 25×25 points/ })
      .first()
      .waitFor({ timeout: 120_000 });
    await screenshot(page, 'step-5-slice-dark');

    // 8. Light theme: the same views.
    await chooseTheme(page, 'Light Modern');
    await webviewFrame(page, PANEL);
    await screenshot(page, 'step-6-panel-light');
    await runCommand(page, 'L2 Landscape: Show Hessian spectrum');
    await screenshot(page, 'step-7-spectrum-light');
    await chooseTheme(page, 'Dark Modern');

    // 9. A window reload: the selection and the spectrum view come back, no click needed.
    await reloadWindow(page);
    const restoredSpectrum = await webviewFrame(page, /Hessian spectrum/, { timeoutMs: 60_000 });
    await restoredSpectrum.locator('.point-title', { hasText: `λ = ${selected}` }).waitFor({ timeout: 60_000 });
    const restoredPanel = await webviewFrame(page, PANEL, { timeoutMs: 60_000 });
    await restoredPanel.locator('.selection', { hasText: `λ = ${selected}` }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'step-8-restored');
  });
});
