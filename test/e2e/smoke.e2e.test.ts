// End-to-end smoke test in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by
// headless Chromium. Needs:
//   bash scripts/e2e-setup.sh                      # Debian packages + code-server, once per machine
//   npm run build && npx @vscode/vsce package --no-dependencies --no-rewrite-relative-links \
//     --allow-missing-repository -o l2-landscape.vsix   # the extension under test (the flags:
//     # dist/ is bundled; README's links are relative and package.json names no repository)
//   L2_VSIX=l2-landscape.vsix node --import tsx --test test/e2e/smoke.e2e.test.ts
// Screenshots land in test-artifacts/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer, type CodeServer } from './codeServer';
import { commandPaletteEntries, openFile, openWorkbench, screenshot, waitForEditorLine, type Workbench } from './workbench';

const REPO = resolve(__dirname, '../..');
const EXAMPLES = join(REPO, 'examples');
const RUN_SWEEP = 'L2 Landscape: Run L2 sweep';

test('VS Code opens an experiment and offers "L2 Landscape: Run L2 sweep"', { timeout: 300_000 }, async (t) => {
  const vsixEnv = process.env.L2_VSIX;
  if (vsixEnv === undefined || vsixEnv === '') {
    assert.fail(
      'L2_VSIX is not set: package the extension first (npx @vscode/vsce package -o l2-landscape.vsix) ' +
        'and run with L2_VSIX=l2-landscape.vsix',
    );
  }
  const vsix = resolve(vsixEnv);
  assert.ok(existsSync(vsix), `L2_VSIX=${vsixEnv}: ${vsix} does not exist; package the extension (npx @vscode/vsce package)`);
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { publisher: string; name: string };
  const extensionId = `${pkg.publisher}.${pkg.name}`;

  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let mark = Date.now();
  const timed = (what: string) => {
    t.diagnostic(`${what}: ${Date.now() - mark} ms`);
    mark = Date.now();
  };
  try {
    server = await startCodeServer({ folder: EXAMPLES, vsix });
    timed('code-server installed the vsix and answers HTTP');
    const installed = readdirSync(server.extensionsDir).filter((d) => d.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
    assert.equal(installed.length, 1, `the vsix should install ${extensionId}; extensions dir has ${JSON.stringify(readdirSync(server.extensionsDir))}`);

    wb = await openWorkbench(server.url);
    const { page } = wb;
    timed('workbench loaded');

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
  } catch (e) {
    if (wb !== undefined) {
      const shot = await screenshot(wb.page, 'smoke-failure').catch((err: Error) => `(none: ${err.message})`);
      process.stderr.write(`\n--- screenshot at failure: ${shot}\n--- browser errors:\n${wb.errors().join('\n')}\n`);
    }
    if (server !== undefined) process.stderr.write(`--- code-server output (last 8000 chars):\n${server.logs().slice(-8000)}\n`);
    throw e;
  } finally {
    await wb?.close().catch(() => undefined);
    await server?.stop();
  }
});
