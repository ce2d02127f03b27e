// A long sweep in a real VS Code: the progress notification counts points, the sweep runs in a
// child of the engine process (the extension host forks nothing else), Cancel stops it with
// every finished point kept, running again offers to resume and finishes the same run, and the
// results panel comes back after a window reload. Needs scripts/e2e-setup.sh and L2_VSIX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processTable } from '../processTable';
import { withVsCode } from './session';
import { openFile, reloadWindow, runCommand, screenshot, waitForEditorLine, webviewFrame } from './workbench';

// About ten seconds of training on two cores: long enough to watch and to cancel.
const SLOW = {
  name: 'slow',
  data: { kind: 'two-moons', n: 600, noise: 0.15 },
  model: { hidden: [16], activation: 'tanh' },
  sweep: { from: 1e-4, to: 1, points: 120, direction: 'both', seeds: [0, 1] },
};

function pointCount(workspace: string): number {
  const runs = join(workspace, '.l2exp', 'slow');
  const [dir] = readdirSync(runs);
  return readFileSync(join(runs, dir, 'points.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean).length;
}

test('a long sweep shows progress, cancels keeping its points, resumes, and its panel survives a reload', { timeout: 600_000 }, async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'l2-e2e-cancel-'));
  writeFileSync(join(workspace, 'slow.l2exp.json'), JSON.stringify(SLOW, null, 2));
  await withVsCode(t, 'cancel', workspace, {}, async (page, { server }) => {
    await openFile(page, 'slow.l2exp.json');
    await waitForEditorLine(page, '"name": "slow"');

    // Progress: a notification counting points with an ETA.
    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    const progress = page.locator('.notification-list-item', { hasText: /\d+\/480 points · ETA/ }).first();
    await progress.waitFor({ timeout: 60_000 });
    await screenshot(page, 'cancel-1-progress');

    // Who forked whom: the extension host forked the engine and nothing else of ours; the engine
    // forked the sweep's l2exp run, which forked the training workers.
    const procs = processTable();
    const ours = procs.filter((p) => p.cmdline.includes(server.extensionsDir));
    const engines = ours.filter((p) => /dist[\\/]engine\.js/.test(p.cmdline));
    assert.equal(engines.length, 1, ours.map((p) => p.cmdline).join('\n'));
    const [engine] = engines;
    const host = procs.find((p) => p.pid === engine.ppid)!;
    assert.deepEqual(
      ours.filter((p) => p.ppid === host.pid).map((p) => p.pid),
      [engine.pid],
      'the extension host forks only the engine',
    );
    const runs = ours.filter((p) => /dist[\\/]cli\.js run /.test(p.cmdline));
    assert.deepEqual(
      runs.map((p) => p.ppid),
      [engine.pid],
      'the engine forked the l2exp run',
    );
    assert.ok(
      ours.some((p) => p.ppid === runs[0].pid && /dist[\\/]worker\.js/.test(p.cmdline)),
      'the run forked its workers',
    );

    // Cancel from the notification: the run stops, and says its points are kept.
    await progress.hover();
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const cancelled = page.locator('.notification-list-item-message', { hasText: /Sweep cancelled: \d+ points kept/ }).first();
    await cancelled.waitFor({ timeout: 60_000 });
    const kept = pointCount(workspace);
    t.diagnostic(`kept ${kept} points: ${await cancelled.innerText()}`);
    assert.ok(kept > 0 && kept < 480, `a partial run (${kept} points)`);

    // Run again: resume it, and it finishes with all points.
    await runCommand(page, 'L2 Landscape: Run L2 sweep');
    const resume = page.locator('.quick-input-widget .quick-input-list-row', { hasText: 'Resume the interrupted run' }).first();
    await resume.waitFor({ timeout: 30_000 });
    await screenshot(page, 'cancel-2-resume-offer');
    await resume.click();
    const panel = await webviewFrame(page, /L2 sweep: slow/, { timeoutMs: 60_000 });
    await panel.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 240_000 });
    assert.ok(pointCount(workspace) >= 480, 'the resumed run has every grid point');
    assert.equal(readdirSync(join(workspace, '.l2exp', 'slow')).length, 1, 'resumed in the same folder');

    // The panel comes back after a reload, drawn from the results on disk.
    await reloadWindow(page);
    const restored = await webviewFrame(page, /L2 sweep: slow/, { timeoutMs: 60_000 });
    await restored.locator('.status', { hasText: /complete/ }).waitFor({ timeout: 60_000 });
    assert.ok((await restored.locator('.card canvas').count()) >= 6);
    await screenshot(page, 'cancel-3-restored');
  });
});
