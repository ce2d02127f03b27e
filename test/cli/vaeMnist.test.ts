// The bundled MNIST VAE example end to end, shortened (fewer digits and β values, a smaller
// refinement budget) to run in seconds; `npm run bench` runs it in full (vaeSweepSeconds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { readData, readParams, readReconstructions } from '../../src/core/results/store';
import type { RunSummary } from '../../src/core/results/summary';
import { makeVaeLayout } from '../../src/core/model/vaeLayout';
import type { PointRecord } from '../../src/core/sweep/point';
import { l2exp, points, tempDir, writeConfig } from './helpers';

const EXAMPLE = join(__dirname, '../../examples/mnist-vae.l2exp.json');

test('the MNIST VAE example, shortened: latent units collapse one by one as β grows (6 → 0 along the up chain), each collapse a transition of the active-unit count; every point has its KL, ELBO and the curvature of both landscapes', () => {
  const example = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, unknown>>;
  const dir = tempDir('vae-mnist');
  const config = writeConfig(dir, {
    ...example,
    data: { ...example.data, n: 1000 },
    // To β = 5, so that the collapsed phase holds two grid sites (one end site alone does not confirm a phase).
    sweep: { ...example.sweep, to: 5, points: 9, direction: 'up' },
    analysis: { ...example.analysis, transitions: { refineBudget: 12 } },
  });
  const out = join(dir, 'out');
  const r = l2exp(['run', config, '--out', out, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  assert.equal(summary.status, 'complete');
  assert.deepEqual(summary.predictions, [], 'a bernoulli decoder has no closed form');

  const grid = (points(out) as unknown as PointRecord[]).filter((p) => p.index >= 0).sort((a, b) => a.value - b.value);
  const counts = grid.map((p) => p.vae!.activeUnits!);
  assert.equal(counts[0], 6, `all six units active at β = ${grid[0].value}: ${counts}`);
  assert.equal(counts[counts.length - 1], 0, `all collapsed at β = ${grid[grid.length - 1].value}: ${counts}`);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] <= counts[i - 1], `counts ${counts}`);
  for (const p of grid) {
    assert.ok(p.converged, `β = ${p.value} converged`);
    assert.ok(p.vae!.testElbo! < 0 && p.vae!.kl! >= 0);
    assert.equal(p.hessian?.method, 'lanczos');
    assert.ok(Number.isFinite(p.curvature!.error) && Number.isFinite(p.curvature!.objective));
  }
  // Each unit's collapse is a transition of the count (a bracket the refinement budget left holding two gives two), units 6 … 1 in turn.
  const collapses = summary.transitions.filter((t) => t.observable === 'activeUnits');
  assert.deepEqual(
    collapses.map((t) => t.mode).sort((a, b) => b - a),
    [6, 5, 4, 3, 2, 1],
    JSON.stringify(summary.transitions),
  );
  for (const t of collapses) assert.ok(t.phases[0] >= t.mode && t.phases[1] < t.mode, JSON.stringify(t));
  assert.equal(collapses.at(-1)!.kind, 'collapse');
  assert.match(r.stderr, /transition: βc ≈ .*latent unit 1\)/);
  reconstructionsAreTheDecoders(out, points(out) as unknown as PointRecord[]);
});

/**
 * reconstructions/<id>.json of every point: the same test digits everywhere, and the decoder's
 * mean computed here by hand from params/<id>.f64 (this example's networks are one linear layer
 * each: μ = (x·W_enc + b_enc)[:L], x̂ = sigmoid(z·W_dec + b_dec)), within the file's rounding
 * (4 decimals: 5e-5) plus float64 noise. The traversals move the output far less once the units
 * have collapsed; not to nothing here (~0.1 of a pixel's range over t = ±2 at β = 5): the decoder
 * keeps some weight on a collapsed unit, whose z_j is each row's fixed noise draw.
 */
function reconstructionsAreTheDecoders(out: string, all: PointRecord[]): void {
  const ds = readData(out);
  const d = ds.inputDim;
  const L = 6;
  const layout = makeVaeLayout({ inputDim: d, latentDim: L, encoderHidden: [], activation: 'linear', bias: true, regularizeBias: false, observation: 'bernoulli' });
  const [enc, dec] = layout.layers;
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  let rows: number[] | null = null;
  /** Per point: how far a unit's traversal moves a pixel, averaged over the units. */
  const spreads = new Map<string, number>();
  for (const p of all) {
    const r = readReconstructions(out, p.id);
    assert.ok(r, `reconstructions/${p.id}.json`);
    assert.deepEqual(r.shape, [7, 7]);
    assert.equal(r.split, 'test');
    rows ??= r.rows;
    assert.deepEqual(r.rows, rows, 'the same digits at every point');
    assert.equal(r.rows.length, 8);
    const theta = readParams(out, p.id);
    const decode = (z: number[]) => Array.from({ length: d }, (_, c) => sigmoid(z.reduce((s, zj, j) => s + zj * theta[dec.wOffset + j * d + c], theta[dec.bOffset + c])));
    const mus = r.rows.map((row) => {
      const x = ds.test.x.subarray(row * d, (row + 1) * d);
      return Array.from({ length: L }, (_, j) => x.reduce((s, xi, i) => s + xi * theta[enc.wOffset + i * 2 * L + j], theta[enc.bOffset + j]));
    });
    r.rows.forEach((row, i) => {
      const want = decode(mus[i]);
      want.forEach((v, c) => assert.ok(Math.abs(r.reconstructions[i][c] - v) <= 6e-5, `${p.id} digit ${row} pixel ${c}: ${r.reconstructions[i][c]} vs ${v}`));
      r.originals[i].forEach((v, c) => assert.ok(Math.abs(v - ds.test.x[row * d + c]) <= 5e-5 + 1e-12, `${p.id} digit ${row} pixel ${c}: ${v} is not the test split's ${ds.test.x[row * d + c]}`));
    });
    assert.equal(r.traversal.images.length, L);
    r.traversal.images.forEach((images, j) => {
      images.forEach((img, k) => {
        const z = mus[0].map((m, u) => m + (u === j ? r.traversal.steps[k] : 0));
        decode(z).forEach((v, c) => assert.ok(Math.abs(img[c] - v) <= 6e-5, `${p.id} unit ${j + 1} step ${k} pixel ${c}: ${img[c]} vs ${v}`));
      });
      spreads.set(p.id, (spreads.get(p.id) ?? 0) + Math.max(...images.flatMap((img) => img.map((v, c) => Math.abs(v - images[0][c])))) / L);
    });
  }
  const grid = all.filter((p) => p.index >= 0).sort((a, b) => a.value - b.value);
  const [active, collapsed] = [spreads.get(grid[0].id)!, spreads.get(grid[grid.length - 1].id)!];
  assert.ok(active > 3 * collapsed, `traversals move a pixel by ${active} with six active units, by ${collapsed} with none`);
}
