// NumPy's own file formats, so Python users' arrays come in and go out without conversion:
// .npy (format versions 1–3: magic, a little header dict, the raw array) and .npz (a zip of
// .npy files, stored or deflated as np.savez / np.savez_compressed write them).
// Spec: numpy.lib.format ("A simple file format for NumPy arrays", NEP 1).

import { inflateRawSync } from 'node:zlib';

/** An array read from a file, as float64 in C (row-major) order whatever its dtype or order on disk. */
export interface NpyArray {
  shape: number[];
  data: Float64Array;
  /** The dtype as written, e.g. "<f4", "<i8". */
  dtype: string;
}

/** A file that is not an array this product can read; the message says what and why. */
export class NpyError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Element readers by dtype kind and size: float, signed and unsigned integers, booleans. */
function reader(dtype: string): { size: number; read: (v: DataView, at: number) => number } {
  const m = /^([<>|=])([fiubc])(\d+)$/.exec(dtype);
  if (!m) throw new NpyError(`dtype "${dtype}" is not numeric (only float, integer and boolean arrays are data; an object or string array is not)`);
  const little = m[1] !== '>';
  const [kind, size] = [m[2], Number(m[3])];
  const fns: Record<string, (v: DataView, at: number) => number> = {
    f4: (v, at) => v.getFloat32(at, little),
    f8: (v, at) => v.getFloat64(at, little),
    i1: (v, at) => v.getInt8(at),
    i2: (v, at) => v.getInt16(at, little),
    i4: (v, at) => v.getInt32(at, little),
    i8: (v, at) => Number(v.getBigInt64(at, little)),
    u1: (v, at) => v.getUint8(at),
    u2: (v, at) => v.getUint16(at, little),
    u4: (v, at) => v.getUint32(at, little),
    u8: (v, at) => Number(v.getBigUint64(at, little)),
    b1: (v, at) => v.getUint8(at),
  };
  const read = fns[`${kind}${size}`];
  if (!read) throw new NpyError(`dtype "${dtype}" is not supported (float16 and complex are not data here): save as float32 or float64`);
  return { size, read };
}

/** Parses the header dict, a Python literal such as {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }. */
function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw new NpyError(/'descr':\s*\[/.test(text) ? 'a structured (record) array is not data: save each field as its own array' : `not a .npy header: ${text.trim().slice(0, 80)}`);
  }
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`bad shape (${shape})`);
  return { descr, fortran: fortran === 'True', shape: dims };
}

export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError('not a .npy file (it does not start with \\x93NUMPY)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new NpyError(`.npy format version ${major} is not known (1, 2 and 3 are)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = parseHeader(new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength)));
  const { size, read } = reader(header.descr);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset < count * size) throw new NpyError(`the file is cut short: shape (${header.shape.join(', ')}) needs ${count * size} bytes of data, it holds ${bytes.length - offset}`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(view, offset + i * size);
  return { shape: header.shape, data: header.fortran ? fortranToC(data, header.shape) : data, dtype: header.descr };
}

/** Reorders a column-major (Fortran) array into row-major. */
function fortranToC(data: Float64Array, shape: number[]): Float64Array {
  const out = new Float64Array(data.length);
  const n = shape.length;
  const cStride = new Array<number>(n).fill(1);
  const fStride = new Array<number>(n).fill(1);
  for (let k = n - 2; k >= 0; k--) cStride[k] = cStride[k + 1] * shape[k + 1];
  for (let k = 1; k < n; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let k = 0, rest = c; k < n; k++) {
      const idx = Math.floor(rest / cStride[k]);
      rest -= idx * cStride[k];
      f += idx * fStride[k];
    }
    out[c] = data[f];
  }
  return out;
}

/** A float64 array (row-major) as a version 1.0 .npy file. */
export function encodeNpy(data: ArrayLike<number>, shape: number[]): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // The header (magic, version, length, dict, newline) is padded with spaces to a multiple of 64 bytes.
  const padded = dict.padEnd(Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(10 + padded.length + data.length * 8);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), 10);
  for (let i = 0; i < data.length; i++) view.setFloat64(10 + padded.length + i * 8, data[i], true);
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3), as zip entries carry it. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Named arrays as an .npz (a zip of NAME.npy entries, stored uncompressed like np.savez). */
export function encodeNpz(arrays: { name: string; data: ArrayLike<number>; shape: number[] }[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const a of arrays) {
    const name = new TextEncoder().encode(`${a.name}.npy`);
    const body = encodeNpy(a.data, a.shape);
    const crc = crc32(body);
    const local = new Uint8Array(30 + name.length + body.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed: 2.0
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, body.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(body, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, body.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const size = centrals.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, arrays.length, true);
  ev.setUint16(10, arrays.length, true);
  ev.setUint32(12, size, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + size + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The arrays of an .npz, by name (without ".npy"); stored and deflated entries. */
export function decodeNpz(bytes: Uint8Array): Map<string, NpyArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new NpyError('not an .npz file (no zip directory at its end)');
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (at === 0xffffffff) throw new NpyError('a zip64 .npz (over 4 GiB) is not supported');
  const out = new Map<string, NpyArray>();
  for (let e = 0; e < entries; e++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new NpyError('the .npz zip directory is damaged');
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = bytes.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new NpyError(`${name}: zip compression method ${method} is not supported (np.savez and np.savez_compressed write 0 and 8)`);
    const body = method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw;
    try {
      out.set(name.replace(/\.npy$/, ''), decodeNpy(body));
    } catch (err) {
      throw new NpyError(`${name}: ${(err as Error).message}`);
    }
  }
  return out;
}
