import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activation } from '../../config/types';
import type { Vec } from '../../linalg/vec';
import type { CompressedRows, Kernels, Precision, Workspace } from '../kernels';

// The project's lib (ES2022, no DOM) has no WebAssembly types: the few used here, as the JS API defines them.
// eslint-disable-next-line @typescript-eslint/no-namespace -- an ambient declaration of the global WebAssembly object, not a module
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(desc: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBufferLike;
    grow(pages: number): number;
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: Uint8Array): boolean;
}

/** The exports of assembly/kernels.ts: byte offsets into the memory, element counts. */
interface KernelExports {
  heapBase: () => number;
  mm_f32: (a: number, b: number, m: number, k: number, n: number, out: number, acc: number, epi: number, act: number, bias: number, z: number, h: number) => void;
  mmTN_f32: (a: number, b: number, m: number, k: number, n: number, out: number, acc: number) => void;
  mmNT_f32: (a: number, b: number, m: number, n: number, k: number, out: number, acc: number, scratch: number, epi: number, act: number, z: number, h: number) => void;
  colSums_f32: (x: number, m: number, n: number, out: number) => void;
  biasAct_f32: (z: number, m: number, n: number, bias: number, act: number, h: number) => void;
  hadamard_f32: (out: number, a: number, b: number, c: number, d: number, len: number) => void;
  mm_f64: KernelExports['mm_f32'];
  mmTN_f64: KernelExports['mmTN_f32'];
  mmNT_f64: KernelExports['mmNT_f32'];
  colSums_f64: KernelExports['colSums_f32'];
  biasAct_f64: KernelExports['biasAct_f32'];
  hadamard_f64: KernelExports['hadamard_f32'];
  softmaxXent_f32: (f: number, y: number, n: number, k: number, g: number, scratch: number) => number;
  softmaxXent_f64: KernelExports['softmaxXent_f32'];
  bernoulliNll_f32: (f: number, x: number, m: number, d: number, rep: number, scale: number, g: number) => number;
  bernoulliNll_f64: KernelExports['bernoulliNll_f32'];
  spmm_f32: (ptr: number, idx: number, val: number, m: number, b: number, n: number, c: number, epi: number, act: number, bias: number, hp: number) => void;
  spmm_f64: KernelExports['spmm_f32'];
  spmmTN_f32: (ptr: number, idx: number, val: number, m: number, k: number, b: number, n: number, c: number, acc: number) => void;
  spmmTN_f64: KernelExports['spmmTN_f32'];
  tridiagonalize_f64: (w: number, n: number, d: number, e: number, hs: number, scratch: number) => void;
}

/** Epilogue codes and activation ids of assembly/kernels.ts. */
const EPI_NONE = 0;
const EPI_FORWARD = 1;
const EPI_DERIV = 2;
const ACT_ID: Record<Activation, number> = { linear: 0, tanh: 1, relu: 2, sigmoid: 3, gelu: 4 };

/** Every allocation is 16-byte aligned and followed by this much slack: a kernel reads whole vectors past a row's end (never stores them). */
const PAD = 32;
const PAGE = 65536;
/** wasm32's 4 GiB. A shared memory reserves its maximum up front (address space only, nothing resident). */
const MAX_PAGES = 65536;

/** The file names scripts/build-kernels.mjs writes beside the bundles in dist/. */
export const KERNEL_FILES = { simd: 'l2-kernels-simd.wasm', relaxed: 'l2-kernels-relaxed.wasm' } as const;

/**
 * The smallest module that uses relaxed SIMD: () → v128 returning f32x4.relaxed_madd of three
 * v128.const zeros. WebAssembly.validate accepts it exactly where the running engine has
 * relaxed SIMD (V8 ≥ 11.4 by default; Node 20's V8 11.3 only with --experimental-wasm-relaxed-simd).
 */
const RELAXED_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: [] → [v128]
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x3d,
  0x01,
  0x3b,
  0x00, // code section: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0, three times
  0xfd,
  0x85,
  0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0x0b, // end
]);

export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_PROBE);
}

/** WebAssembly.validate, for callers whose lib has no WebAssembly types. */
export function validWasm(bytes: Uint8Array): boolean {
  return WebAssembly.validate(bytes);
}

/** Bytes copied into or out of WebAssembly memory by the kernels since load: zero for products between buffers of one workspace. */
let copied = 0;
export function copiedBytes(): number {
  return copied;
}

/** Which workspace each memory buffer seen so far belongs to (a grown shared memory hands out a new buffer object; views of the old one stay valid). */
const owners = new WeakMap<ArrayBufferLike, WasmWorkspace>();

/** One WebAssembly memory (shared, so growing it never detaches a view) and an instance of the kernels on it; a bump allocator, since a workspace's buffers live as long as its owner. */
export class WasmWorkspace implements Workspace {
  readonly k: KernelExports;
  private readonly memory: WebAssembly.Memory;
  private top: number;
  private temp = 0;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error('l2-landscape WebAssembly kernels aborted');
        },
      },
    });
    this.k = instance.exports as unknown as KernelExports;
    this.top = align(Math.max(this.k.heapBase(), 1024));
  }

  /** The current buffer of the memory (registered so its views are recognized). */
  buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    if (!owners.has(b)) owners.set(b, this);
    return b;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow by at least a quarter, so a model allocating buffer after buffer grows O(log) times.
    const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4));
    this.memory.grow(Math.min(pages, MAX_PAGES - have / PAGE));
  }

  alloc(precision: Precision, length: number): Vec {
    const bytes = length * (precision === 'float32' ? 4 : 8);
    const offset = this.top;
    this.top = align(offset + bytes + PAD);
    this.ensure(this.top);
    // Memory is never handed out twice, so it is still zero.
    return precision === 'float32' ? new Float32Array(this.buffer(), offset, length) : new Float64Array(this.buffer(), offset, length);
  }

  /** Starts a kernel call: temporary regions are carved above the allocations and dropped by the next call. */
  beginCall(): void {
    this.temp = this.top;
  }

  /** A temporary region of `bytes` for this call; returns its byte offset. */
  tempRegion(bytes: number): number {
    const offset = this.temp;
    this.temp = align(offset + bytes + PAD);
    this.ensure(this.temp);
    return offset;
  }

  /** The byte offset of v's first `length` entries in this memory: v itself when it lives here in the right precision, else a temporary copy. */
  stage(v: Vec, f32: boolean, length: number, copy = true): number {
    if (owners.get(v.buffer) === this && v instanceof Float32Array === f32) return v.byteOffset;
    const offset = this.tempRegion(length * (f32 ? 4 : 8));
    if (copy) {
      view(this.buffer(), f32, offset, length).set(length === v.length ? v : v.subarray(0, length));
      copied += length * (f32 ? 4 : 8);
    }
    return offset;
  }
}

function align(x: number): number {
  return (x + 15) & ~15;
}

function view(buffer: ArrayBufferLike, f32: boolean, offset: number, length: number): Vec {
  return f32 ? new Float32Array(buffer, offset, length) : new Float64Array(buffer, offset, length);
}

/** Loads the compiled kernels: the relaxed-SIMD build where the engine validates relaxed SIMD, else plain SIMD. Throws when the files are missing or do not compile. */
export function loadKernelModule(dirs: string[]): { module: WebAssembly.Module; relaxed: boolean; path: string } {
  const relaxed = relaxedSimdSupported();
  const file = relaxed ? KERNEL_FILES.relaxed : KERNEL_FILES.simd;
  const dir = dirs.find((d) => existsSync(join(d, file)));
  if (!dir) throw new Error(`${file} not found in ${dirs.join(', ')} (npm run build compiles it)`);
  const path = join(dir, file);
  return { module: new WebAssembly.Module(readFileSync(path)), relaxed, path };
}

/** Compressed rows in a workspace's memory: byte offsets of ptr (rows + 1 i32), idx (i32) and val. */
interface WasmCompressed extends CompressedRows {
  readonly ws: WasmWorkspace;
  readonly ptr: number;
  readonly idx: number;
  readonly val: number;
  /** Keeps the buffers (and so the memory) alive as long as the handle. */
  readonly keep: Vec[];
}

/**
 * The engine's own WebAssembly SIMD kernels (assembly/kernels.ts). A product runs in the memory
 * of its output's workspace (else its first operand's, else the kernels' own scratch
 * workspace); operands from elsewhere, or of the other precision, are copied into that memory
 * for the call, and an output from elsewhere is copied back. Buffers of one workspace
 * therefore multiply in place: the models allocate everything they multiply in theirs.
 */
export function wasmKernels(module: WebAssembly.Module): Kernels {
  const scratch = new WasmWorkspace(module);
  const home = (...vs: (Vec | null)[]): WasmWorkspace => {
    for (const v of vs) {
      const ws = v ? owners.get(v.buffer) : undefined;
      if (ws) return ws;
    }
    return scratch;
  };

  /** Runs one product in `ws` with out (length len, f32 or not) staged, copying it back when it lives elsewhere. */
  const withOut = (ws: WasmWorkspace, out: Vec, f32: boolean, len: number, copyIn: boolean, run: (o: number) => void): void => {
    const inPlace = owners.get(out.buffer) === ws && out instanceof Float32Array === f32;
    const o = ws.stage(out, f32, len, copyIn);
    run(o);
    if (!inPlace) {
      out.set(view(ws.buffer(), f32, o, len));
      copied += len * (f32 ? 4 : 8);
    }
  };

  const mm = (a: Vec, b: Vec, m: number, k: number, n: number, out: Vec, accumulate = false): void => {
    const ws = home(out, a, b);
    ws.beginCall();
    const f32 = out instanceof Float32Array;
    const pa = ws.stage(a, f32, m * k);
    const pb = ws.stage(b, f32, k * n);
    withOut(ws, out, f32, m * n, accumulate, (o) => (f32 ? ws.k.mm_f32 : ws.k.mm_f64)(pa, pb, m, k, n, o, accumulate ? 1 : 0, EPI_NONE, 0, 0, 0, 0));
  };

  const mmTN = (a: Vec, b: Vec, m: number, k: number, n: number, out: Vec, accumulate = false): void => {
    const ws = home(out, a, b);
    ws.beginCall();
    const f32 = out instanceof Float32Array;
    const pa = ws.stage(a, f32, m * k);
    const pb = ws.stage(b, f32, m * n);
    withOut(ws, out, f32, k * n, accumulate, (o) => (f32 ? ws.k.mmTN_f32 : ws.k.mmTN_f64)(pa, pb, m, k, n, o, accumulate ? 1 : 0));
  };

  const mmNT = (a: Vec, b: Vec, m: number, n: number, k: number, out: Vec, accumulate = false): void => {
    const ws = home(out, a, b);
    ws.beginCall();
    const f32 = out instanceof Float32Array;
    const pa = ws.stage(a, f32, m * n);
    const pb = ws.stage(b, f32, k * n);
    const pack = ws.tempRegion(k * n * (f32 ? 4 : 8));
    withOut(ws, out, f32, m * k, accumulate, (o) => (f32 ? ws.k.mmNT_f32 : ws.k.mmNT_f64)(pa, pb, m, n, k, o, accumulate ? 1 : 0, pack, EPI_NONE, 0, 0, 0));
  };

  return {
    name: 'wasm',
    mm,
    mmTN,
    mmNT,
    denseForward(x, w, bias, m, k, n, z, act, h) {
      const ws = home(z, h, x, w);
      ws.beginCall();
      const f32 = z instanceof Float32Array;
      const px = ws.stage(x, f32, m * k);
      const pw = ws.stage(w, f32, k * n);
      const pbias = bias ? ws.stage(bias, f32, n) : 0;
      const hInPlace = !h || (owners.get(h.buffer) === ws && h instanceof Float32Array === f32);
      const ph = h ? ws.stage(h, f32, m * n, false) : 0;
      withOut(ws, z, f32, m * n, false, (o) => (f32 ? ws.k.mm_f32 : ws.k.mm_f64)(px, pw, m, k, n, o, 0, EPI_FORWARD, ACT_ID[act], pbias, 0, ph));
      if (h && !hInPlace) {
        h.set(view(ws.buffer(), f32, ph, m * n));
        copied += m * n * (f32 ? 4 : 8);
      }
    },
    denseBackward(g, w, m, n, k, d, act, z, h) {
      const ws = home(d, g, w);
      ws.beginCall();
      const f32 = d instanceof Float32Array;
      const pg = ws.stage(g, f32, m * n);
      const pw = ws.stage(w, f32, k * n);
      const deriv = z !== null && h !== null && act !== 'linear';
      const pz = deriv ? ws.stage(z, f32, m * k) : 0;
      const ph = deriv ? ws.stage(h, f32, m * k) : 0;
      const pack = ws.tempRegion(k * n * (f32 ? 4 : 8));
      withOut(ws, d, f32, m * k, false, (o) => (f32 ? ws.k.mmNT_f32 : ws.k.mmNT_f64)(pg, pw, m, n, k, o, 0, pack, deriv ? EPI_DERIV : EPI_NONE, ACT_ID[act], pz, ph));
    },
    addBias(z, bias, m, n) {
      const ws = home(z, bias);
      ws.beginCall();
      const f32 = z instanceof Float32Array;
      const pb = ws.stage(bias, f32, n);
      withOut(ws, z, f32, m * n, true, (o) => (f32 ? ws.k.biasAct_f32 : ws.k.biasAct_f64)(o, m, n, pb, 0, 0));
    },
    hadamard(out, a, b, c, d) {
      const ws = home(out, a, b);
      ws.beginCall();
      const f32 = out instanceof Float32Array;
      const len = out.length;
      const pa = ws.stage(a, f32, len);
      const pb = ws.stage(b, f32, len);
      const pc = c && d ? ws.stage(c, f32, len) : 0;
      const pd = c && d ? ws.stage(d, f32, len) : 0;
      withOut(ws, out, f32, len, false, (o) => (f32 ? ws.k.hadamard_f32 : ws.k.hadamard_f64)(o, pa, pb, pc, pd, len));
    },
    columnSums(x, m, n, out) {
      const ws = home(out, x);
      ws.beginCall();
      const f32 = out instanceof Float32Array;
      const px = ws.stage(x, f32, m * n);
      withOut(ws, out, f32, n, false, (o) => (f32 ? ws.k.colSums_f32 : ws.k.colSums_f64)(px, m, n, o));
    },
    compressRows(a, m, k): WasmCompressed {
      const precision: Precision = a instanceof Float32Array ? 'float32' : 'float64';
      // In the memory a lives in (the model's, for placed training data), else a fresh one.
      const ws = owners.get(a.buffer) ?? new WasmWorkspace(module);
      let nonzeros = 0;
      for (let i = 0; i < m * k; i++) if (a[i] !== 0) nonzeros++;
      // Int32 buffers carved from float32 allocations (same size, same alignment).
      const ptrBuf = ws.alloc('float32', m + 1);
      const idxBuf = ws.alloc('float32', Math.max(1, nonzeros));
      const val = ws.alloc(precision, Math.max(1, nonzeros));
      const ptr = new Int32Array(ptrBuf.buffer, ptrBuf.byteOffset, m + 1);
      const idx = new Int32Array(idxBuf.buffer, idxBuf.byteOffset, Math.max(1, nonzeros));
      let q = 0;
      for (let i = 0; i < m; i++) {
        ptr[i] = q;
        for (let j = 0, o = i * k; j < k; j++, o++) {
          if (a[o] !== 0) {
            idx[q] = j;
            val[q++] = a[o];
          }
        }
      }
      ptr[m] = q;
      return { rows: m, cols: k, nonzeros, precision, ws, ptr: ptrBuf.byteOffset, idx: idxBuf.byteOffset, val: val.byteOffset, keep: [ptrBuf, idxBuf, val] };
    },
    sparseForward(x, w, bias, n, z, act, h) {
      const c = x as WasmCompressed;
      const ws = c.ws;
      ws.beginCall();
      const f32 = c.precision === 'float32';
      const pw = ws.stage(w, f32, c.cols * n);
      const pbias = bias ? ws.stage(bias, f32, n) : 0;
      const hInPlace = !h || (owners.get(h.buffer) === ws && h instanceof Float32Array === f32);
      const ph = h ? ws.stage(h, f32, c.rows * n, false) : 0;
      withOut(ws, z, f32, c.rows * n, false, (o) => (f32 ? ws.k.spmm_f32 : ws.k.spmm_f64)(c.ptr, c.idx, c.val, c.rows, pw, n, o, EPI_FORWARD, ACT_ID[act], pbias, ph));
      if (h && !hInPlace) {
        h.set(view(ws.buffer(), f32, ph, c.rows * n));
        copied += c.rows * n * (f32 ? 4 : 8);
      }
    },
    sparseTN(a, b, n, out, accumulate = false) {
      const c = a as WasmCompressed;
      const ws = c.ws;
      ws.beginCall();
      const f32 = c.precision === 'float32';
      const pb = ws.stage(b, f32, c.rows * n);
      withOut(ws, out, f32, c.cols * n, accumulate, (o) => (f32 ? ws.k.spmmTN_f32 : ws.k.spmmTN_f64)(c.ptr, c.idx, c.val, c.rows, c.cols, pb, n, o, accumulate ? 1 : 0));
    },
    softmaxCrossEntropy(f, y, n, k, g) {
      const ws = home(g, f, y);
      ws.beginCall();
      const f32 = f instanceof Float32Array;
      const run = f32 ? ws.k.softmaxXent_f32 : ws.k.softmaxXent_f64;
      const pf = ws.stage(f, f32, n * k);
      const py = ws.stage(y, f32, n * k);
      const scratch = ws.tempRegion(8 * (k + 2));
      if (!g) return run(pf, py, n, k, 0, scratch);
      let value = NaN;
      withOut(ws, g, f32, n * k, false, (o) => (value = run(pf, py, n, k, o, scratch)));
      return value;
    },
    bernoulliNll(f, x, m, d, rep, scale, g) {
      const ws = home(g, f, x);
      ws.beginCall();
      const f32 = f instanceof Float32Array;
      const run = f32 ? ws.k.bernoulliNll_f32 : ws.k.bernoulliNll_f64;
      const pf = ws.stage(f, f32, m * d);
      const px = ws.stage(x, f32, Math.ceil(m / rep) * d);
      if (!g) return run(pf, px, m, d, rep, scale, 0);
      let value = NaN;
      withOut(ws, g, f32, m * d, false, (o) => (value = run(pf, px, m, d, rep, scale, o)));
      return value;
    },
    tridiagonalize(w, n, d, e, hs) {
      // A memory of its own for the call (the matrix is large and lives only this long), so
      // nothing stays allocated after it; the copies in and out are O(n²) beside O(n³) work.
      const ws = new WasmWorkspace(module);
      const W = ws.alloc('float64', n * n) as Float64Array;
      const D = ws.alloc('float64', n) as Float64Array;
      const E = ws.alloc('float64', n) as Float64Array;
      const H = ws.alloc('float64', n) as Float64Array;
      const S = ws.alloc('float64', 4 * n);
      W.set(w.subarray(0, n * n));
      ws.k.tridiagonalize_f64(W.byteOffset, n, D.byteOffset, E.byteOffset, H.byteOffset, S.byteOffset);
      w.set(W);
      d.set(D);
      e.set(E);
      hs.set(H);
      copied += 8 * (2 * n * n + 3 * n);
    },
    workspace: () => new WasmWorkspace(module),
  };
}
