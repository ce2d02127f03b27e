import { join } from 'node:path';
import type { BackendChoice } from '../config/types';
import type { Kernels } from './kernels';
import { jsKernels } from './jsKernels';
import { tfjsKernels } from './tfjsKernels';
import { loadKernelModule, wasmKernels } from './wasm/wasmKernels';

export interface BackendInfo {
  kernels: Kernels;
  /** One line for the log: which backend runs and why. */
  description: string;
}

/** Where the WebAssembly binaries (ours and TF.js's) are: beside the bundled worker/CLI in dist/. */
export interface BackendOptions {
  wasmDir?: string;
}

/** Where to look for our kernels: the given folder, beside this bundle, and (run from the sources, as the tests do) the repository's dist/. */
function kernelDirs(opts: BackendOptions): string[] {
  return [...(opts.wasmDir ? [opts.wasmDir] : []), __dirname, join(__dirname, '..', '..', '..', 'dist')];
}

function tryOwn(opts: BackendOptions): { kernels: Kernels; description: string } | { error: string } {
  try {
    const { module, relaxed } = loadKernelModule(kernelDirs(opts));
    return { kernels: wasmKernels(module), description: `wasm (l2-landscape SIMD kernels, f32+f64, ${relaxed ? 'relaxed-SIMD FMA' : 'plain SIMD: this engine has no relaxed SIMD'})` };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

async function tryNative(): Promise<Kernels | { error: string }> {
  try {
    // Optional dependency (its install downloads libtensorflow, which fails offline), so it is
    // named through a variable: neither the bundler nor the type checker may require it.
    const name = '@tensorflow/tfjs-node';
    const tf = (await import(name)) as typeof import('@tensorflow/tfjs');
    await tf.setBackend('tensorflow');
    await tf.ready();
    return tfjsKernels(tf, 'tensorflow');
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

async function tryWasm(opts: BackendOptions): Promise<Kernels | { error: string }> {
  try {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (opts.wasmDir) wasm.setWasmPaths(opts.wasmDir.endsWith('/') ? opts.wasmDir : opts.wasmDir + '/');
    if (!(await tf.setBackend('wasm'))) return { error: 'TF.js refused the wasm backend' };
    await tf.ready();
    return tfjsKernels(tf, 'wasm');
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/**
 * `auto` and `wasm` take our WebAssembly SIMD kernels (products and their layer epilogues in
 * place on one memory), else TF.js WASM, else the pure-JS kernels ("cpu"); `tensorflow` takes
 * native TensorFlow (@tensorflow/tfjs-node). An explicit choice that cannot load is an error,
 * not a fallback: a user who asked for native speed should hear that they are not getting it
 * (`wasm` is satisfied by either WebAssembly path).
 */
export async function selectBackend(choice: BackendChoice, opts: BackendOptions = {}): Promise<BackendInfo> {
  if (choice === 'cpu') return { kernels: jsKernels, description: 'cpu (pure JavaScript kernels, as configured)' };
  if (choice === 'tensorflow') {
    const native = await tryNative();
    if (!('error' in native)) return { kernels: native, description: 'tensorflow (native libtensorflow via @tensorflow/tfjs-node)' };
    throw new Error(`backend "tensorflow" is not available: ${native.error}. Install @tensorflow/tfjs-node (needs internet for its native library) or use "auto".`);
  }
  const notes: string[] = [];
  const own = tryOwn(opts);
  if (!('error' in own)) return own;
  notes.push(`l2-landscape SIMD kernels unavailable (${own.error})`);
  const wasm = await tryWasm(opts);
  if (!('error' in wasm)) return { kernels: wasm, description: `wasm (TF.js WASM SIMD matMul, JS elementwise); ${notes.join('; ')}` };
  if (choice === 'wasm') throw new Error(`backend "wasm" is not available: ${notes.join('; ')}; TF.js WASM: ${wasm.error}`);
  notes.push(`TF.js wasm unavailable (${wasm.error})`);
  return { kernels: jsKernels, description: `cpu (pure JavaScript kernels); ${notes.join('; ')}` };
}

/**
 * Synchronous kernels for float64 work outside a training worker (a run's refinement starts,
 * slices): our WebAssembly kernels where they load, else the pure-JS ones; `cpu` always the JS
 * ones. No TF.js: loading it is asynchronous and heavy, and it delegates float64 products to JS
 * anyway.
 */
export function ownKernelsOrJs(choice: BackendChoice, opts: BackendOptions = {}): BackendInfo {
  if (choice === 'cpu') return { kernels: jsKernels, description: 'cpu (pure JavaScript kernels, as configured)' };
  const own = tryOwn(opts);
  if (!('error' in own)) return own;
  return { kernels: jsKernels, description: `cpu (pure JavaScript kernels); l2-landscape SIMD kernels unavailable (${own.error})` };
}

/** TF.js's WASM matMul with JS elementwise steps: the previous `wasm` backend, kept as the fallback and for comparison. */
export async function tfjsWasmBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const wasm = await tryWasm(opts);
  if ('error' in wasm) throw new Error(`TF.js wasm unavailable: ${wasm.error}`);
  return { kernels: wasm, description: 'wasm (TF.js WASM SIMD matMul, JS elementwise)' };
}
