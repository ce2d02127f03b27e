import type { BackendChoice } from '../config/types';
import type { Kernels } from './kernels';
import { jsKernels } from './jsKernels';
import { tfjsKernels } from './tfjsKernels';

export interface BackendInfo {
  kernels: Kernels;
  /** One line for the log: which backend runs and why. */
  description: string;
}

/** Where the TF.js WASM binaries are: beside the bundled worker/CLI in dist/. */
export interface BackendOptions {
  wasmDir?: string;
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
 * `auto` takes native TensorFlow when @tensorflow/tfjs-node loads, else TF.js WASM, else the
 * pure-JS kernels ("cpu"). An explicit choice that cannot load is an error, not a fallback:
 * a user who asked for native speed should hear that they are not getting it.
 */
export async function selectBackend(choice: BackendChoice, opts: BackendOptions = {}): Promise<BackendInfo> {
  if (choice === 'cpu') return { kernels: jsKernels, description: 'cpu (pure JavaScript kernels, as configured)' };
  const notes: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = await tryNative();
    if (!('error' in native)) return { kernels: native, description: 'tensorflow (native libtensorflow via @tensorflow/tfjs-node)' };
    if (choice === 'tensorflow') throw new Error(`backend "tensorflow" is not available: ${native.error}. Install @tensorflow/tfjs-node (needs internet for its native library) or use "auto".`);
    notes.push(`tfjs-node unavailable (${native.error})`);
  }
  const wasm = await tryWasm(opts);
  if (!('error' in wasm)) return { kernels: wasm, description: `wasm (TF.js WASM SIMD matMul, JS elementwise)${notes.length ? '; ' + notes.join('; ') : ''}` };
  if (choice === 'wasm') throw new Error(`backend "wasm" is not available: ${wasm.error}`);
  notes.push(`wasm unavailable (${wasm.error})`);
  return { kernels: jsKernels, description: `cpu (pure JavaScript kernels); ${notes.join('; ')}` };
}
