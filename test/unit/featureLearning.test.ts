// Feature-learning measures (src/core/measures/featureLearning.ts): the overlap of a first layer
// with a latent subspace, principal angles, stable rank. Known answers and the exact law of the
// overlap of a Gaussian matrix; all randomness seeded. Matrices are the engine's: fanIn×fanOut
// row-major (y = x·W + b), Θ d×k row-major.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/random';
import { principalAngles, stableRank, subspaceBasis, subspaceOverlap } from '../../src/core/measures/featureLearning';
import { randomOrthonormal } from '../../src/core/data/synthetic-regression';

/** a (m×n) · b (n×p), row-major. */
function matmul(a: Float64Array, b: Float64Array, m: number, n: number, p: number): Float64Array {
  const out = new Float64Array(m * p);
  for (let i = 0; i < m; i++) for (let t = 0; t < n; t++) for (let j = 0; j < p; j++) out[i * p + j] += a[i * n + t] * b[t * p + j];
  return out;
}

/** U diag(s) Vᵀ with U rows×r, V cols×r orthonormal. */
function withSingularValues(u: Float64Array, s: number[], v: Float64Array, rows: number, cols: number): Float64Array {
  const r = s.length;
  const us = Float64Array.from(u, (x, i) => x * s[i % r]);
  const vt = new Float64Array(r * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < r; i++) vt[i * cols + j] = v[j * r + i];
  return matmul(us, vt, rows, r, cols);
}

test('subspaceBasis: orthonormal, and the span dimension of dependent, unscaled columns', () => {
  const d = 6;
  // Columns e1 + e2, 2·e2, 3·(e1 + e2) + e2 (dependent): a 2-D span.
  const theta = new Float64Array(d * 3);
  theta[0 * 3 + 0] = 1;
  theta[1 * 3 + 0] = 1;
  theta[1 * 3 + 1] = 2;
  theta[0 * 3 + 2] = 3;
  theta[1 * 3 + 2] = 4;
  const q = subspaceBasis(theta, d, 3);
  assert.equal(q.length, 2);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const dot = q[i].reduce((s, x, t) => s + x * q[j][t], 0);
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-14);
    }
    // Inside span{e1, e2}.
    for (let t = 2; t < d; t++) assert.ok(Math.abs(q[i][t]) < 1e-15);
  }
});

test('subspaceOverlap: 1 when every unit lies in span Θ* (any basis of it), 0 when orthogonal, exact on a mixed case', () => {
  const rng = new Rng(1, 'fl/overlap-known');
  const d = 30;
  const k = 3;
  const h = 10;
  const theta = rng.fillNormal(new Float64Array(d * k)); // a random, not orthonormal, basis
  const w = matmul(theta, rng.fillNormal(new Float64Array(k * h)), d, k, h); // columns in span Θ*
  assert.ok(Math.abs(subspaceOverlap(w, d, h, theta, k) - 1) < 1e-12);
  // The same span through another basis Θ·G (G invertible): the same answer.
  const g = Float64Array.from([2, 1, 0, 0, 1, 0, 1, 0, 3]);
  assert.ok(Math.abs(subspaceOverlap(w, d, h, matmul(theta, g, d, k, k), k) - 1) < 1e-12);
  // Θ* = span{e1, e2}; units e3 and e4 only: 0. Units (1, 0, 1) and (0, 2, 0, 2)/… mixed: exact ratio.
  const e12 = new Float64Array(5 * 2);
  e12[0] = 1;
  e12[1 * 2 + 1] = 1;
  const orth = new Float64Array(5 * 2);
  orth[2 * 2 + 0] = 1;
  orth[3 * 2 + 1] = 1;
  assert.equal(subspaceOverlap(orth, 5, 2, e12, 2), 0);
  // Unit 0 = (1, 0, 1, 0, 0), unit 1 = (0, 2, 0, 0, 1): inside 1 + 4, total 2 + 5 → 5/7.
  const mixed = new Float64Array(5 * 2);
  mixed[0 * 2 + 0] = 1;
  mixed[2 * 2 + 0] = 1;
  mixed[1 * 2 + 1] = 2;
  mixed[4 * 2 + 1] = 1;
  assert.ok(Math.abs(subspaceOverlap(mixed, 5, 2, e12, 2) - 5 / 7) < 1e-15);
  // The same span through the skewed basis e1 + e2, 2·e2: still 5/7 (the projector, not the columns).
  const skew = new Float64Array(5 * 2);
  skew[0 * 2 + 0] = 1;
  skew[1 * 2 + 0] = 1;
  skew[1 * 2 + 1] = 2;
  assert.ok(Math.abs(subspaceOverlap(mixed, 5, 2, skew, 2) - 5 / 7) < 1e-14);
  assert.ok(Number.isNaN(subspaceOverlap(new Float64Array(10), 5, 2, e12, 2)), 'W = 0: undefined');
});

test('subspaceOverlap of a Gaussian W: Beta(k·h/2, (d−k)·h/2), mean k/d, variance 2(k/d)(1−k/d)/(d·h + 2)', () => {
  // One draw at the δ_NN scale: d = 100, k = 2, h = 50 → mean 0.02, sd 0.0028; 4 sd is a
  // two-sided 6e-5 tail of the (near-normal) Beta, and 0.011 still excludes both 0 and 2k/d.
  {
    const rng = new Rng(2, 'fl/overlap-random');
    const [d, k, h] = [100, 2, 50];
    const theta = rng.fillNormal(new Float64Array(d * k));
    const w = rng.fillNormal(new Float64Array(d * h));
    const mean = k / d;
    const sd = Math.sqrt((2 * mean * (1 - mean)) / (d * h + 2));
    const o = subspaceOverlap(w, d, h, theta, k);
    assert.ok(Math.abs(o - mean) < 4 * sd, `overlap ${o} vs k/d = ${mean} ± ${4 * sd}`);
  }
  // The law itself, over 400 draws at d = 20, k = 3, h = 4 (Beta(6, 34)): the sample mean within
  // 4 standard errors σ/√400 of k/d, the sample variance within 4 of its standard errors
  // σ²·√(2/(N−1)) (the normal-theory value; Beta(6, 34)'s excess kurtosis 0.6 widens it by ~15%,
  // covered by the 4).
  const [d, k, h, N] = [20, 3, 4, 400];
  const rng = new Rng(3, 'fl/overlap-law');
  const theta = rng.fillNormal(new Float64Array(d * k));
  const xs: number[] = [];
  for (let r = 0; r < N; r++) xs.push(subspaceOverlap(rng.fillNormal(new Float64Array(d * h)), d, h, theta, k));
  const mean = k / d;
  const variance = (2 * mean * (1 - mean)) / (d * h + 2);
  const m = xs.reduce((s, x) => s + x, 0) / N;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (N - 1);
  assert.ok(Math.abs(m - mean) < (4 * Math.sqrt(variance)) / Math.sqrt(N), `mean ${m} vs ${mean}`);
  assert.ok(Math.abs(v - variance) < 4 * variance * Math.sqrt(2 / (N - 1)), `variance ${v} vs ${variance}`);
});

test('principalAngles: 0 for equal subspaces, π/2 for orthogonal ones', () => {
  const rng = new Rng(4, 'fl/angles');
  const [d, k, h] = [12, 3, 7];
  const u = randomOrthonormal(d, k, rng);
  const v = randomOrthonormal(h, k, rng);
  const w = withSingularValues(u, [3, 2, 1], v, d, h); // left singular subspace = span u
  const theta = matmul(u, Float64Array.from([1, 2, 0, 0, 1, 0, 1, 1, 1]), d, k, k); // the same span, another basis
  const same = principalAngles(w, d, h, theta, k);
  assert.equal(same.length, 3);
  for (const a of same) assert.ok(a >= 0 && a < 1e-14, `angle ${a}`);
  // Θ ⟂ span u: the complement's first directions.
  const full = randomOrthonormal(d, d, rng);
  const split = (from: number, count: number) => Float64Array.from({ length: d * count }, (_, i) => full[Math.floor(i / count) * d + from + (i % count)]);
  const wIn = withSingularValues(split(0, 2), [1, 1], randomOrthonormal(h, 2, rng), d, h);
  const orth = principalAngles(wIn, d, h, split(2, 2), 2);
  assert.equal(orth.length, 2);
  for (const a of orth) assert.ok(Math.abs(a - Math.PI / 2) < 1e-14, `angle ${a}`);
});

test('principalAngles: a known rotation, only the top-k directions of W count, and small angles stay accurate', () => {
  // Θ = span{e1, e2} in R^4; W's units 5·e1, 4·(cos φ e2 + sin φ e3), 0.1·e4: its top-2 left
  // singular subspace is span{e1, cos φ e2 + sin φ e3}, at angles 0 and φ (e4, the third
  // direction, is at π/2 and must not enter).
  const d = 4;
  const theta = new Float64Array(d * 2);
  theta[0] = 1;
  theta[1 * 2 + 1] = 1;
  for (const phi of [0.3, 1.2, 1e-9]) {
    const w = new Float64Array(d * 3);
    w[0 * 3 + 0] = 5;
    w[1 * 3 + 1] = 4 * Math.cos(phi);
    w[2 * 3 + 1] = 4 * Math.sin(phi);
    w[3 * 3 + 2] = 0.1;
    const a = principalAngles(w, d, 3, theta, 2);
    assert.equal(a.length, 2);
    assert.ok(Math.abs(a[0]) < 1e-15, `first angle ${a[0]}`);
    // Relative accuracy even at φ = 1e-9, where acos(cos φ) = acos(1 − 5e-19) would give 0.
    assert.ok(Math.abs(a[1] - phi) < 1e-12 * phi, `φ = ${phi}: got ${a[1]}`);
    // All three directions: the third at π/2 (only 2 angles: span Θ is 2-D).
    const all = principalAngles(w, d, 3, theta, 2, { dims: 3 });
    assert.equal(all.length, 2);
    assert.ok(Math.abs(all[0]) < 1e-15 && Math.abs(all[1] - phi) < 1e-12 * phi);
  }
  // A weaker unit 1·e2 INSIDE span Θ: the top-2 subspace excludes its own direction, so the angles
  // are 0 and the angle ψ from e2 of the top left singular vector of the (e2, e3) block
  // B = [[4c, 1], [4s, 0]]: tan 2ψ = 2(BBᵀ)₁₂ / ((BBᵀ)₁₁ − (BBᵀ)₂₂) = 32cs / (16(c² − s²) + 1). With all three
  // directions the span contains e1 and e2: both angles 0.
  {
    const phi = 0.3;
    const [c, s] = [Math.cos(phi), Math.sin(phi)];
    const w = new Float64Array(d * 3);
    w[0 * 3 + 0] = 5;
    w[1 * 3 + 1] = 4 * c;
    w[2 * 3 + 1] = 4 * s;
    w[1 * 3 + 2] = 1;
    const psi = 0.5 * Math.atan2(32 * c * s, 16 * (c * c - s * s) + 1);
    const top2 = principalAngles(w, d, 3, theta, 2);
    assert.ok(Math.abs(top2[0]) < 1e-14 && Math.abs(top2[1] - psi) < 1e-13, `top-2 angles ${top2} vs [0, ${psi}]`);
    assert.ok(Math.abs(psi - phi) > 0.01, `the weaker unit moves the angle measurably (ψ = ${psi})`);
    const all = principalAngles(w, d, 3, theta, 2, { dims: 3 });
    assert.ok(
      all.every((a) => Math.abs(a) < 1e-14),
      `all directions: ${all}`,
    );
  }
  // One latent direction against a 1-D W: the angle between two lines in the plane.
  const line = Float64Array.from([1, 0]);
  const unit = Float64Array.from([Math.cos(0.7), Math.sin(0.7)]);
  const [angle] = principalAngles(unit, 2, 1, line, 1);
  assert.ok(Math.abs(angle - 0.7) < 1e-15);
  assert.deepEqual(principalAngles(new Float64Array(4), 2, 2, line, 1), [], 'W = 0 has no directions');
});

test('stableRank: r for r equal singular values, 1 for rank one, Σσ²/σ₁² in general; both orientations', () => {
  const rng = new Rng(5, 'fl/stable-rank');
  for (const [rows, cols] of [
    [20, 8],
    [8, 20],
  ]) {
    for (const r of [1, 3, 8]) {
      const w = withSingularValues(randomOrthonormal(rows, r, rng), new Array<number>(r).fill(2.5), randomOrthonormal(cols, r, rng), rows, cols);
      assert.ok(Math.abs(stableRank(w, rows, cols) - r) < 1e-12 * r, `${rows}×${cols}, ${r} equal values: ${stableRank(w, rows, cols)}`);
    }
    const s = [4, 3, 1];
    const w = withSingularValues(randomOrthonormal(rows, 3, rng), s, randomOrthonormal(cols, 3, rng), rows, cols);
    assert.ok(Math.abs(stableRank(w, rows, cols) - 26 / 16) < 1e-13);
  }
  // Rank one as an outer product (not through the helper).
  const a = Float64Array.from([1, -2, 3]);
  const b = Float64Array.from([0.5, 4]);
  const outer = Float64Array.from({ length: 6 }, (_, i) => a[Math.floor(i / 2)] * b[i % 2]);
  assert.ok(Math.abs(stableRank(outer, 3, 2) - 1) < 1e-14);
  assert.ok(Number.isNaN(stableRank(new Float64Array(6), 3, 2)));
});
