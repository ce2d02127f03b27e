// Integration tests in VS Code's own test host (@vscode/test-electron): downloads a VS Code
// build, so it runs where that is possible (`npm run test:integration`), not in the offline CI,
// where test/e2e drives a real VS Code (code-server) instead.
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyExamples } from '../examples';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const workspace = copyExamples(root, 'l2-integration-');
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
