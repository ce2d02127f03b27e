// Compiles the engine's WebAssembly kernels (src/core/kernels/wasm/assembly/kernels.ts,
// AssemblyScript) with asc from the `assemblyscript` dev dependency, twice: with plain 128-bit
// SIMD, and with relaxed SIMD (its fused multiply-add), which the loader picks only where the
// running engine validates it. The memory is imported and shared (views survive its growth).
// `npm run build` runs this; `node scripts/build-kernels.mjs [OUTDIR]` runs it alone.
import asc from 'assemblyscript/asc';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KERNEL_SOURCE = join(ROOT, 'src/core/kernels/wasm/assembly/kernels.ts');
const VARIANTS = { 'l2-kernels-simd.wasm': [], 'l2-kernels-relaxed.wasm': ['--enable', 'relaxed-simd'] };

/** Writes both variants into outDir (default dist/); throws with asc's messages on an error. */
export async function buildKernels(outDir = join(ROOT, 'dist')) {
  mkdirSync(outDir, { recursive: true });
  for (const [file, extra] of Object.entries(VARIANTS)) {
    let messages = '';
    const sink = {
      write: (s) => {
        messages += s;
        return true;
      },
    };
    const { error } = await asc.main(
      [
        KERNEL_SOURCE,
        '-O3',
        '--noAssert',
        '--runtime',
        'stub',
        '--importMemory',
        '--sharedMemory',
        '--initialMemory',
        '1',
        '--maximumMemory',
        '65536',
        '--enable',
        'simd',
        '--enable',
        'threads',
        ...extra,
        '--outFile',
        join(outDir, file),
      ],
      { stdout: sink, stderr: sink },
    );
    if (error) throw new Error(`asc (${file}): ${error.message}\n${messages}`);
  }
  return Object.keys(VARIANTS).map((f) => join(outDir, f));
}

/** Whether outDir holds both variants, newer than the source. */
export function kernelsUpToDate(outDir = join(ROOT, 'dist')) {
  const src = statSync(KERNEL_SOURCE).mtimeMs;
  return Object.keys(VARIANTS).every((f) => {
    try {
      return statSync(join(outDir, f)).mtimeMs >= src;
    } catch {
      return false;
    }
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildKernels(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
