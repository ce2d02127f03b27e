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

/**
 * VS Code on `workspace` with the packaged extension, in headless Chromium, for `body` (the
 * folder trusted unless `options.trusted` is false). On a failure it saves `<name>-failure.png`
 * and prints the server's log; it always stops the server and removes the workspace.
 */
export async function withVsCode(
  t: TestContext,
  name: string,
  workspace: string,
  settings: Record<string, unknown>,
  body: (page: Page) => Promise<void>,
  options: Pick<StartOptions, 'trusted' | 'keybindings'> = {},
): Promise<void> {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  try {
    server = await startCodeServer({ folder: workspace, vsix: packagedVsix(), settings, ...options });
    wb = await openWorkbench(server.url, { width: 1600, height: 1000 });
    await body(wb.page);
  } catch (err) {
    if (wb) await screenshot(wb.page, `${name}-failure`).catch(() => undefined);
    if (server) t.diagnostic(server.logs().slice(-4000));
    throw err;
  } finally {
    await wb?.close();
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}
