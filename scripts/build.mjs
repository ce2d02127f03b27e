// Bundles each entry point separately (CLI, worker, benchmark; the extension and webviews
// join as they land) and copies the TF.js WASM binaries the worker loads at run time.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const nodeEntries = {
  cli: 'src/cli/main.ts',
  worker: 'src/worker/main.ts',
  bench: 'scripts/bench.ts',
};

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: nodeEntries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build hides its modules from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  // Native or optional: loaded at run time when present, never bundled.
  external: ['@tensorflow/tfjs-node', 'vscode'],
});

const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) {
  cpSync(join(wasmDir, f), join('dist', f));
}
