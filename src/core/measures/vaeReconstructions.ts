import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { Vae } from '../model/vae';
import { Rng } from '../random';

/** Digits reconstructed per point: the same rows of the split at every point of a run. */
export const RECONSTRUCTED_DIGITS = 8;
/** Where a traversal evaluates the decoder: z_j = μ_j(x₀) + t, t in prior standard deviations. */
export const TRAVERSAL_STEPS = [-2, -4 / 3, -2 / 3, 0, 2 / 3, 4 / 3, 2];

/** Pixel values one point's reconstructions/<id>.json holds: originals and reconstructions of the digits, and a traversal image per unit and step. */
export function reconstructionValues(inputDim: number, latentDim: number): number {
  return (2 * RECONSTRUCTED_DIGITS + latentDim * TRAVERSAL_STEPS.length) * inputDim;
}

/**
 * reconstructions/<id>.json of a VAE point (results/store.ts writes it beside params/): what the
 * trained decoder makes of a fixed, seeded handful of digits, and how each latent unit moves its
 * output. Values are the decoder's mean E[x|z] (vae.ts's decode), rounded to 4 digits of `range`.
 */
export interface VaeReconstructions {
  id: string;
  /** The split the rows come from: the test split, or the training split of a run without one. */
  split: 'test' | 'train';
  /** Row indices in that split, ascending. */
  rows: number[];
  /** One sample as an image, [height, width]: √d × √d for MNIST, 1 × d for other data. */
  shape: [number, number];
  /** The values drawn black and white: [0, 1] for a Bernoulli decoder, else the originals' extremes. */
  range: [number, number];
  /** The samples themselves, one array of `inputDim` values per row. */
  originals: number[][];
  /** The decoder's mean at the posterior mean, dec(μ(x)): no noise. */
  reconstructions: number[][];
  /** dec(μ(x₀) + t·e_j) for the first row x₀, for each unit j and each t of `steps`: `images[j][k]`. */
  traversal: { steps: number[]; images: number[][][] };
}

/** The rows a run reconstructs: RECONSTRUCTED_DIGITS of n, drawn from the experiment's seed (so every point shows the same digits). */
export function reconstructedRows(seed: number, n: number): number[] {
  return Array.from(new Rng(seed, 'vae/reconstructions').permutation(n).subarray(0, Math.min(RECONSTRUCTED_DIGITS, n))).sort((a, b) => a - b);
}

/** The reconstructions and latent traversals of the VAE at θ (float64 `vae`), on `ds`'s test split (its training split when it has no test rows). */
export function vaeReconstructions(e: Experiment, ds: Dataset, vae: Vae, theta: Float64Array, id: string): VaeReconstructions {
  const split = ds.test.n > 0 ? 'test' : 'train';
  const { x, n } = ds[split];
  const d = ds.inputDim;
  const L = vae.latentDim;
  const rows = reconstructedRows(e.seed, n);
  const k = rows.length;
  const xs = new Float64Array(k * d);
  rows.forEach((r, i) => xs.set(x.subarray(r * d, (r + 1) * d), i * d));
  const { mu } = vae.encode(theta, xs, k);
  const recon = vae.decode(theta, mu, k);
  const S = TRAVERSAL_STEPS.length;
  const z = new Float64Array(L * S * L);
  for (let j = 0; j < L; j++) {
    for (let s = 0; s < S; s++) {
      const at = (j * S + s) * L;
      z.set(mu.subarray(0, L), at);
      z[at + j] += TRAVERSAL_STEPS[s];
    }
  }
  const walked = L * S > 0 ? vae.decode(theta, z, L * S) : new Float64Array(0);
  let lo = 0;
  let hi = 1;
  if (vae.spec.observation !== 'bernoulli') {
    lo = Math.min(...xs);
    hi = Math.max(...xs);
    if (!(hi > lo)) hi = lo + 1;
  }
  // 4 decimals of the range: off by at most 1/20000 of it, far below one of 255 grey levels.
  const digits = Math.max(0, Math.min(20, 4 - Math.floor(Math.log10(hi - lo))));
  const image = (v: Float64Array, i: number) => Array.from(v.subarray(i * d, (i + 1) * d), (p) => Number(p.toFixed(digits)));
  const side = Math.round(Math.sqrt(d));
  return {
    id,
    split,
    rows,
    shape: e.data.kind === 'mnist' && side * side === d ? [side, side] : [1, d],
    range: [lo, hi],
    originals: rows.map((_, i) => image(xs, i)),
    reconstructions: rows.map((_, i) => image(recon, i)),
    traversal: { steps: [...TRAVERSAL_STEPS], images: Array.from({ length: L }, (_, j) => TRAVERSAL_STEPS.map((_, s) => image(walked, j * S + s))) },
  };
}
