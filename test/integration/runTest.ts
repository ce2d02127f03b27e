// Integration tests in VS Code's own test host (@vscode/test-electron): downloads a VS Code
// build, so it runs where that is possible (`npm run test:integration`), not in the offline CI,
// where test/e2e drives a real VS Code (code-server) instead.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const workspace = mkdtempSync(join(tmpdir(), 'l2-integration-'));
  cpSync(join(root, 'examples'), workspace, { recursive: true, filter: (src) => !src.includes('.l2exp/') && !src.endsWith('.l2exp') });
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err: Error) => {
  process.stderr.write(`integration tests failed: ${err.message}\n`);
  process.exit(1);
});
