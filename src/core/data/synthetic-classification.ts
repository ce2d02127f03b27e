// 2-D classification shapes: two-moons, spirals, xor and a Gaussian mixture. Shape parameters
// come from stream "data/x", fixed structure (mixture rotation) from "data/teacher", the jitter
// from "data/noise". When inputDim > 2, inputDim − 2 pure-noise coordinates N(0, noise²) are
// appended (stream "data/extra-dims") — irrelevant features a model must learn to ignore.
// Rows are grouped by class; the split's permutation shuffles them.

import type { DataConfig } from '../config/types';
import { Rng } from '../random';
import { DataError } from './dataError';
import { balancedCounts, oneHot, type RawData } from './split';

function requireClasses(cfg: DataConfig, exact?: number): void {
  const k = cfg.outputDim;
  if (exact !== undefined && k !== exact) {
    throw new DataError(`${cfg.kind} has exactly ${exact} classes: set outputDim to ${exact} (got ${k})`, ['data', 'outputDim']);
  }
  if (!Number.isInteger(k) || k < 2) throw new DataError(`${cfg.kind}: outputDim is the number of classes and must be an integer ≥ 2 (got ${k})`, ['data', 'outputDim']);
}

/** Jitter the 2-D points, append noise dimensions, one-hot the labels. */
function assemble(cfg: DataConfig, seed: number, pts: Float64Array, labels: Int32Array): RawData {
  const { n, inputDim: d, outputDim: k, noise } = cfg;
  if (!Number.isInteger(d) || d < 2) throw new DataError(`${cfg.kind} is a 2-D shape: inputDim must be ≥ 2 (got ${d})`, ['data', 'inputDim']);
  const jitter = new Rng(seed, 'data/noise');
  const extra = new Rng(seed, 'data/extra-dims');
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    x[r * d] = pts[2 * r] + noise * jitter.normal();
    x[r * d + 1] = pts[2 * r + 1] + noise * jitter.normal();
    for (let j = 2; j < d; j++) x[r * d + j] = noise * extra.normal();
  }
  return { x, y: oneHot(labels, k) };
}

/** Two interleaved half circles (as in scikit-learn): class 0 on (cos t, sin t), class 1 on (1 − cos t, ½ − sin t), t ~ U[0, π]. */
export function twoMoons(cfg: DataConfig, seed: number): RawData {
  requireClasses(cfg, 2);
  const rng = new Rng(seed, 'data/x');
  const counts = balancedCounts(cfg.n, 2);
  const pts = new Float64Array(cfg.n * 2);
  const labels = new Int32Array(cfg.n);
  for (let r = 0; r < cfg.n; r++) {
    const c = r < counts[0] ? 0 : 1;
    const t = Math.PI * rng.uniform();
    labels[r] = c;
    pts[2 * r] = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
    pts[2 * r + 1] = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
  }
  return assemble(cfg, seed, pts, labels);
}

/** outputDim interleaved arms: arm k at radius t, angle 2πk/K + 2πt (one full turn), t ~ U[0, 1]. */
export function spirals(cfg: DataConfig, seed: number): RawData {
  requireClasses(cfg);
  const k = cfg.outputDim;
  const rng = new Rng(seed, 'data/x');
  const counts = balancedCounts(cfg.n, k);
  const pts = new Float64Array(cfg.n * 2);
  const labels = new Int32Array(cfg.n);
  let r = 0;
  counts.forEach((m, c) => {
    for (let i = 0; i < m; i++, r++) {
      const t = rng.uniform();
      const angle = (2 * Math.PI * c) / k + 2 * Math.PI * t;
      labels[r] = c;
      pts[2 * r] = t * Math.cos(angle);
      pts[2 * r + 1] = t * Math.sin(angle);
    }
  });
  return assemble(cfg, seed, pts, labels);
}

/** Four blobs at (±1, ±1), spread = the jitter `noise`; class 1 where the coordinates' signs differ. */
export function xor(cfg: DataConfig, seed: number): RawData {
  requireClasses(cfg, 2);
  const corners = [
    [1, 1, 0],
    [-1, -1, 0],
    [1, -1, 1],
    [-1, 1, 1],
  ];
  const pts = new Float64Array(cfg.n * 2);
  const labels = new Int32Array(cfg.n);
  let r = 0;
  balancedCounts(cfg.n, 4).forEach((m, b) => {
    for (let i = 0; i < m; i++, r++) {
      pts[2 * r] = corners[b][0];
      pts[2 * r + 1] = corners[b][1];
      labels[r] = corners[b][2];
    }
  });
  return assemble(cfg, seed, pts, labels);
}

/**
 * outputDim isotropic unit-variance Gaussians (σ = 1). The means sit on a circle whose radius
 * 1.5/sin(π/K) puts neighbouring means 3σ apart, randomly rotated and with classes randomly
 * assigned to positions (stream "data/teacher"); `noise` jitters on top like the other shapes.
 */
export function gaussianMixture(cfg: DataConfig, seed: number): RawData {
  requireClasses(cfg);
  const k = cfg.outputDim;
  const structure = new Rng(seed, 'data/teacher');
  const rotation = 2 * Math.PI * structure.uniform();
  const position = structure.permutation(k);
  const radius = 1.5 / Math.sin(Math.PI / k);
  const rng = new Rng(seed, 'data/x');
  const pts = new Float64Array(cfg.n * 2);
  const labels = new Int32Array(cfg.n);
  let r = 0;
  balancedCounts(cfg.n, k).forEach((m, c) => {
    const angle = rotation + (2 * Math.PI * position[c]) / k;
    const mx = radius * Math.cos(angle);
    const my = radius * Math.sin(angle);
    for (let i = 0; i < m; i++, r++) {
      labels[r] = c;
      pts[2 * r] = mx + rng.normal();
      pts[2 * r + 1] = my + rng.normal();
    }
  });
  return assemble(cfg, seed, pts, labels);
}
