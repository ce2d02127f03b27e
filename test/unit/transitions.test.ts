import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noiseScale } from '../../src/core/transitions/curve';
import { detectTransitions } from '../../src/core/transitions/detect';
import type { PointRecord } from '../../src/core/sweep/point';
import { Rng } from '../../src/core/random';
import { pointRecord } from './pointRecords';

/** Minimal point records along a log grid with the given order parameter per seed. */
function records(lambdas: number[], weightNorm: (l: number, seed: number) => number, seeds = [0, 1, 2]): PointRecord[] {
  return seeds.flatMap((seed) =>
    lambdas.map((lambda, index): PointRecord => {
      const w = weightNorm(lambda, seed);
      return pointRecord({ id: `up-s${seed}-${index}`, index, lambda, seed, weightNorm: w });
    }),
  );
}

const grid = Array.from({ length: 30 }, (_, i) => 1e-3 * Math.pow(1e3, i / 29));

test('a smooth curve with 2% noise and no transition: none found', () => {
  const rng = new Rng(1, 'noise');
  const pts = records(grid, (l) => (5 / (1 + 3 * l)) * (1 + 0.02 * rng.normal()));
  assert.deepEqual(detectTransitions(pts), []);
});

test('one noisy point does not make a transition', () => {
  const pts = records(grid, (l, seed) => 4 - Math.log10(l) + (seed === 1 && l === grid[12] ? 2 : 0));
  assert.deepEqual(detectTransitions(pts), []);
});

test('a collapse seen at only the last point is not reported; two trivial points make it', () => {
  const last = grid[grid.length - 1];
  assert.deepEqual(detectTransitions(records(grid, (l) => (l === last ? 0 : 2 - l))), []);
  const two = detectTransitions(records(grid, (l) => (l >= grid[grid.length - 2] ? 0 : 2 - l / 2)));
  assert.equal(two.length, 1);
  assert.equal(two[0].kind, 'collapse');
});

test('the noise scale ignores a straight line on a geometric grid and finds added noise', () => {
  const line = grid.map((l) => 3 - 2 * l);
  // Third differences of a line on a geometric grid are ∝ (r−1)³ ≈ 0.02 of the slope step:
  // far below the noise below, where second differences (∝ (r−1)²) would not be.
  assert.ok(noiseScale(line) < 1e-3, `${noiseScale(line)}`);
  const rng = new Rng(2, 'n');
  const noisy = line.map((v) => v + 0.01 * rng.normal());
  // A MAD over 27 overlapping (so correlated) third differences: within a factor 2.5 of σ = 0.01
  // (seeds 0–7 give 0.0049–0.0142).
  assert.ok(noiseScale(noisy) > 0.004 && noiseScale(noisy) < 0.025, `${noiseScale(noisy)}`);
});
