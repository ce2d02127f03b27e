// Integration tests in VS Code's own test host (@vscode/test-electron): they need a VS Code
// desktop build, downloaded from update.code.visualstudio.com or named by L2_VSCODE_EXECUTABLE,
// so they run where that is possible (`npm run test:integration`), not in the offline CI, where
// test/e2e drives a real VS Code (code-server) through the same checks (hover, diagnostics,
// a run and its CodeLens) and more.
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyExamples } from '../examples';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const workspace = copyExamples(root, 'l2-integration-');
  await runTests({
    vscodeExecutablePath: process.env.L2_VSCODE_EXECUTABLE,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo/;

main().catch((err: Error) => {
  if (OFFLINE.test(err.message)) {
    process.stderr.write(
      `test:integration did not run: it must download VS Code from update.code.visualstudio.com, which this machine cannot reach (${err.message}).\n` +
        'Set L2_VSCODE_EXECUTABLE to an installed VS Code desktop binary to run it here; the same checks run in the e2e suite (npm run test:e2e, a real VS Code via code-server), which npm test runs.\n',
    );
  } else process.stderr.write(`integration tests failed: ${err.message}\n`);
  process.exit(1);
});
