// The editor's engine process in a real VS Code: a csv experiment whose file has a row of the
// wrong width shows that problem, located at data.path, in the Problems panel, found by the
// engine's check of the data (it logs it: the editor's own process reads no data file), and Run
// refuses it; hovering an MNIST experiment twice, with an edit to its sweep in between, loads
// the digits once (the engine logs every load), a whole sweep is run by the engine (it logs the
// l2exp run it forks) and costs the extension host only the relaying of its events (the runner
// logs its CPU time), and the spectrum view's slice is computed by the engine (it logs the slice).
// Needs scripts/e2e-setup.sh and L2_VSIX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { withVsCode } from './session';
import { goToLine, hoverUntil, openFile, runCommand, screenshot, waitForEditorLine, waitForNotification, webviewFrame } from './workbench';

/** The extension host's CPU time for the sweep below must stay under this (measured: a few hundred ms). */
const HOST_CPU_LIMIT_MS = 3000;

const MNIST = {
  name: 'digits',
  data: { kind: 'mnist', n: 3000, downsample: 4 },
  model: { hidden: [16], activation: 'tanh' },
  sweep: { from: 1e-4, to: 1, points: 12, direction: 'up', seeds: [0] },
};
/** data.path's value: line 5, column 13 of the file as written below. */
const BAD_CSV = {
  name: 'bad-csv',
  data: { kind: 'csv', path: 'bad.csv' },
  sweep: { from: 0.01, to: 1, points: 4 },
};
const LINEAR = {
  name: 'linear',
  data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2, singularValues: [1.5, 0.7], noise: 0.05 },
  model: { hidden: [4], activation: 'linear', bias: false },
  sweep: { from: 0.5, to: 2.5, points: 30, direction: 'up', seeds: [0] },
};

/** The extension's output channel, in the panel. */
async function showLog(page: Page): Promise<void> {
  await runCommand(page, 'Output: Show Output Channels...').catch(() => undefined);
  await page.keyboard.type('L2 Landscape');
  await page.keyboard.press('Enter');
}

test(
  "the engine checks a csv's data for the Problems panel, loads an MNIST experiment's data once across a sweep edit and computes the spectrum view's slice; a sweep costs the host little CPU",
  { timeout: 600_000 },
  async (t) => {
    const workspace = mkdtempSync(join(tmpdir(), 'l2-e2e-engine-'));
    writeFileSync(join(workspace, 'digits.l2exp.json'), JSON.stringify(MNIST, null, 2));
    writeFileSync(join(workspace, 'linear.l2exp.json'), JSON.stringify(LINEAR, null, 2));
    writeFileSync(join(workspace, 'bad-csv.l2exp.json'), JSON.stringify(BAD_CSV, null, 2));
    writeFileSync(join(workspace, 'bad.csv'), 'a,b,y\n1,2,0\n3,4\n5,6,1\n');
    await withVsCode(t, 'engine', workspace, {}, async (page) => {
      // The csv's problem, at data.path, from the engine's check of the data.
      await openFile(page, 'bad-csv.l2exp.json');
      await waitForEditorLine(page, '"name": "bad-csv"');
      await runCommand(page, 'Problems: Focus on Problems View');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: /bad\.csv: line 3 has 2 cells but the header has 3/ }).first();
      await row.waitFor({ timeout: 60_000 });
      assert.match((await row.innerText()).replace(/\s+/g, ' '), /\[Ln 5, Col 13\]/);
      await screenshot(page, 'engine-csv-problem');
      // The log is read while it is short: the output view draws only the lines in sight.
      await showLog(page);
      await page
        .locator('.view-line', { hasText: /engine:\s+validated\s+the\s+csv\s+data\s+of\s+\S*bad-csv\.l2exp\.json/ })
        .first()
        .waitFor({ timeout: 30_000 });
      // Run refuses it, pointing at the Problems panel, and starts nothing (from its editor: the
      // output view is the active one now).
      await openFile(page, 'bad-csv.l2exp.json');
      await runCommand(page, 'L2 Landscape: Run L2 sweep');
      await waitForNotification(page, /bad-csv\.l2exp\.json has problems; fix them first/);
      assert.ok(!existsSync(join(workspace, '.l2exp', 'bad-csv')), 'no results folder for the refused run');
      await runCommand(page, 'Notifications: Clear All Notifications');

      await openFile(page, 'digits.l2exp.json');
      await waitForEditorLine(page, '"name": "digits"');
      const lines = JSON.stringify(MNIST, null, 2).split('\n');
      const sweepLine = lines.findIndex((l) => l.includes('"sweep"')) + 1;
      const pointsLine = lines.findIndex((l) => l.includes('"points": 12')) + 1;
      assert.match(await hoverUntil(page, sweepLine, 'sweep', /λc ≈/, { timeoutMs: 120_000 }), /Predicted critical λ/);

      // An edit to the sweep: another config hash, the same data.
      await goToLine(page, pointsLine);
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.insertText('      "points": 16,');
      await waitForEditorLine(page, '"points": 16');
      assert.match(await hoverUntil(page, sweepLine, 'sweep', /λc ≈/, { timeoutMs: 120_000 }), /Predicted critical λ/);
      const loads = await page.locator('.view-line', { hasText: /loaded\s+the\s+mnist\s+data\s+of\s+digits/ }).count();
      assert.equal(loads, 1, 'the digits were loaded once for both hovers');

      // A whole sweep of another experiment, then the log.
      await openFile(page, 'linear.l2exp.json');
      await waitForEditorLine(page, '"name": "linear"');
      await runCommand(page, 'L2 Landscape: Run L2 sweep');
      await waitForNotification(page, /L2 sweep linear complete/, { timeoutMs: 240_000 });

      // A point picked in the sweep panel, and a slice around it in the spectrum view.
      const panel = await webviewFrame(page, /L2 sweep: linear/, { timeoutMs: 60_000 });
      const chart = panel.locator('.chart-area').first();
      await chart.focus();
      await chart.press('ArrowRight');
      await panel.locator('.selection', { hasText: /λ = / }).waitFor();
      await runCommand(page, 'L2 Landscape: Show Hessian spectrum');
      const spectrum = await webviewFrame(page, /Hessian spectrum/, { timeoutMs: 30_000 });
      await spectrum.locator('.point-title').waitFor({ timeout: 30_000 });
      await spectrum.locator('.slice-controls vscode-button, .slice-controls button').first().click();
      await spectrum.locator('#slice-description li').first().waitFor({ timeout: 60_000 });

      await showLog(page);
      // Monaco renders spaces as U+00A0: match across any whitespace.
      const cpu = page.locator('.view-line', { hasText: /extension\s+host:\s+\d+\s+ms\s+of\s+CPU/ }).first();
      await cpu.waitFor({ timeout: 30_000 });
      await screenshot(page, 'engine-log');
      // The sweep was the engine's request: it forked l2exp run, the extension host did not (the
      // line's start only: the output view wraps it).
      await page
        .locator('.view-line', { hasText: /engine:\s+l2exp\s+run\s+\S*linear\.l2exp\.json/ })
        .first()
        .waitFor({ timeout: 30_000 });
      // The slice came from the engine process, not from a spawned l2exp.
      await page
        .locator('.view-line', { hasText: /engine:\s+slice\s+of\s+up-s0-\d+\s+\(hessian\s+directions,\s+25×25\s+points\)\s+in\s+\d+\s+ms/ })
        .first()
        .waitFor({ timeout: 30_000 });
      const ms = Number(/(\d+)\s+ms/.exec((await cpu.innerText()).replace(/\u00a0/g, ' '))![1]);
      t.diagnostic(`extension host CPU during the sweep: ${ms} ms`);
      assert.ok(ms < HOST_CPU_LIMIT_MS, `the extension host spent ${ms} ms of CPU on the sweep`);
    });
  },
);
