import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer, type StartOptions } from './codeServer';
import { openWorkbench, screenshot, type Workbench } from './workbench';

/** The packaged extension under test (npm run test:e2e packages it and sets L2_VSIX). */
export function packagedVsix(): string {
  const env = process.env.L2_VSIX;
  if (!env) assert.fail('L2_VSIX is not set: run "npm run test:e2e", which packages the extension first');
  const path = resolve(env);
  assert.ok(existsSync(path), `${path} does not exist: package the extension (npm run package)`);
  return path;
}

/** What a test's body gets besides the page: the server (its extensions folder, its log) and the browser side. */
export interface VsCodeSession {
  server: CodeServer;
  workbench: Workbench;
}

/**
 * VS Code on `workspace` (a temporary folder: it is removed at the end) with the packaged
 * extension, in headless Chromium, for `body` (the folder trusted unless `options.trusted` is
 * false). On a failure it saves `<name>-failure.png` and prints the browser's errors and the
 * server's log; it always closes the browser, stops the server and removes the workspace.
 */
export async function withVsCode(
  t: TestContext,
  name: string,
  workspace: string,
  settings: Record<string, unknown>,
  body: (page: Page, session: VsCodeSession) => Promise<void>,
  options: Pick<StartOptions, 'trusted' | 'keybindings'> = {},
): Promise<void> {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  try {
    server = await startCodeServer({ folder: workspace, vsix: packagedVsix(), settings, ...options });
    wb = await openWorkbench(server.url, { width: 1600, height: 1000 });
    await body(wb.page, { server, workbench: wb });
  } catch (err) {
    if (wb) {
      const shot = await screenshot(wb.page, `${name}-failure`).catch((e: Error) => `(none: ${e.message})`);
      t.diagnostic(`screenshot at the failure: ${shot}`);
      t.diagnostic(`browser errors:\n${wb.errors().join('\n')}`);
    }
    if (server) t.diagnostic(`code-server's log (the last 8000 characters):\n${server.logs().slice(-8000)}`);
    throw err;
  } finally {
    await wb?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}
