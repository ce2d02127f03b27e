// End-to-end smoke test in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by
// headless Chromium. Needs:
//   bash scripts/e2e-setup.sh                      # Debian packages + code-server, once per machine
//   npm run build && npm run package               # the extension under test, l2-landscape.vsix
//   L2_VSIX=l2-landscape.vsix node --import tsx --test test/e2e/smoke.e2e.test.ts
// Screenshots land in test-artifacts/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyExamples } from '../examples';
import { withVsCode } from './session';
import { commandPaletteEntries, openFile, screenshot, waitForEditorLine } from './workbench';

const REPO = resolve(__dirname, '../..');
const RUN_SWEEP = 'L2 Landscape: Run L2 sweep';

test('VS Code opens an experiment and offers "L2 Landscape: Run L2 sweep"', { timeout: 300_000 }, async (t) => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { publisher: string; name: string };
  const extensionId = `${pkg.publisher}.${pkg.name}`;
  let mark = Date.now();
  const timed = (what: string) => {
    t.diagnostic(`${what}: ${Date.now() - mark} ms`);
    mark = Date.now();
  };
  await withVsCode(t, 'smoke', copyExamples(REPO, 'l2-e2e-smoke-'), {}, async (page, { server }) => {
    timed('code-server installed the vsix, answers HTTP, and the workbench loaded');
    const installed = readdirSync(server.extensionsDir).filter((d) => d.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
    assert.equal(installed.length, 1, `the vsix should install ${extensionId}; extensions dir has ${JSON.stringify(readdirSync(server.extensionsDir))}`);

    // A person opens the experiment with quick open and sees it.
    await openFile(page, 'linear-1-hidden.l2exp.json');
    await waitForEditorLine(page, '"name": "linear-1-hidden"');
    timed('experiment opened with quick open');
    t.diagnostic(`screenshot: ${await screenshot(page, 'smoke-experiment-open')}`);

    // The extension's command is in the command palette.
    const entries = await commandPaletteEntries(page, RUN_SWEEP, { timeoutMs: 30_000 });
    assert.ok(entries.includes(RUN_SWEEP), `"${RUN_SWEEP}" is not in the command palette; it shows ${JSON.stringify(entries)}`);
    timed('command found in the palette');
    t.diagnostic(`screenshot: ${await screenshot(page, 'smoke-done')}`);
  });
});
