import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KERNEL_FILES } from '../../src/core/kernels/wasm/wasmKernels';

const ROOT = join(__dirname, '..', '..');

/** Compiles dist/l2-kernels-*.wasm (as `npm run build` does) when missing or older than their source, so tests never run stale kernels. */
export function ensureKernelsBuilt(): void {
  const source = statSync(join(ROOT, 'src/core/kernels/wasm/assembly/kernels.ts')).mtimeMs;
  const fresh = Object.values(KERNEL_FILES).every((f) => existsSync(join(ROOT, 'dist', f)) && statSync(join(ROOT, 'dist', f)).mtimeMs >= source);
  if (fresh) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-kernels.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}
