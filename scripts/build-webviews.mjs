// Bundles the two webview scripts for the browser: dist/webview/sweep.js and spectrum.js.
// Each is one IIFE (no module loader, no chunks to fetch under the webview's CSP) that carries
// only the chart.js components and toolkit elements its code registers.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildWebviews({ outdir = join(root, 'dist/webview') } = {}) {
  await build({
    entryPoints: { sweep: join(root, 'webview/sweep/main.ts'), spectrum: join(root, 'webview/spectrum/main.ts') },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    tsconfig: join(root, 'webview/tsconfig.json'),
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildWebviews();
