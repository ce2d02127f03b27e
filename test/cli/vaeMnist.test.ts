// The bundled MNIST VAE example end to end, shortened (fewer digits and β values, a smaller
// refinement budget) to run in seconds; `npm run bench` runs it in full (vaeSweepSeconds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import type { RunSummary } from '../../src/core/results/summary';
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
});
