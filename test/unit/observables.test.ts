// The detector's other order parameters: a change of the Hessian's outlier count and a rise of
// the first layer's feature overlap are transitions of their own, found where they are, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HessianRecord } from '../../src/core/analysis/analyzePoint';
import { LINEAR_SCALE } from '../../src/core/sweep/axis';
import { detectTransitions } from '../../src/core/transitions/detect';
import { transitionText } from '../../src/core/transitions/text';
import { pointRecord } from './pointRecords';

/** A δ sweep on a linear grid: the overlap rises from k/d to ~1 between δ = 2.5 and 3, and one outlier leaves the bulk there. */
function sweep(jumpAt: number, flicker = false) {
  const grid = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5];
  return grid.map((delta, index) => {
    const learned = delta > jumpAt;
    const count = learned ? 1 : flicker && index === 1 ? 1 : 0;
    const hessian = { outliers: { bulk: [0, 1], below: [], above: learned ? [5] : [], count } } as unknown as HessianRecord;
    return pointRecord({ id: `up-s0-${index}`, index, lambda: 1e-3, value: delta, seed: 0, weightNorm: 1, featureOverlap: learned ? 0.9 + 0.01 * index : 0.02 + 0.001 * index, hessian });
  });
}

const AXIS = { id: 'delta' as const, scale: LINEAR_SCALE, observables: ['outliers' as const, 'featureOverlap' as const] };

test('a δ sweep: the overlap jump and the outlier transition are found, each once, in the same grid interval', () => {
  const found = detectTransitions(sweep(2.7), AXIS);
  const spectral = found.filter((t) => t.kind === 'spectral');
  const learning = found.filter((t) => t.kind === 'feature-learning');
  assert.equal(spectral.length, 1, found.map((t) => transitionText(t)).join('\n'));
  assert.equal(learning.length, 1);
  assert.deepEqual(spectral[0].bracket, [2.5, 3]);
  assert.deepEqual(learning[0].bracket, [2.5, 3]);
  assert.deepEqual(spectral[0].phases, [0, 1]);
  assert.match(transitionText(learning[0]), /^δc ≈ 2\.75 \(feature learning\)/);
  assert.match(transitionText(spectral[0]), /outlier count goes from 0 to 1/);
});

test('one site whose outlier count flickers is not a transition; without the observables asked for, neither is found', () => {
  const found = detectTransitions(sweep(3.7, true), AXIS).filter((t) => t.kind === 'spectral');
  assert.deepEqual(
    found.map((t) => t.bracket),
    [[3.5, 4]],
  );
  assert.deepEqual(
    detectTransitions(sweep(2.7), { ...AXIS, observables: [] }).filter((t) => t.kind !== 'collapse' && t.kind !== 'cascade'),
    [],
  );
});

test('a first layer that never learns (overlap stays near k/d) has no feature-learning transition', () => {
  const flat = sweep(99).map((p, i) => ({ ...p, featureOverlap: 0.02 + 0.01 * i }));
  assert.equal(detectTransitions(flat, AXIS).filter((t) => t.kind === 'feature-learning').length, 0);
});

test('an overlap that wanders about halfway on its rise is one feature-learning transition, at its first crossing', () => {
  // Halfway between 0.05 and 0.95 is 0.5: the rise crosses it at 2 → 2.5, 2.5 → 3 and 3 → 3.5 (the noise of a small-n fit).
  const overlaps = [0.05, 0.1, 0.3, 0.55, 0.45, 0.6, 0.9, 0.95];
  const noisy = sweep(99).map((p, i) => ({ ...p, featureOverlap: overlaps[i] }));
  const learning = detectTransitions(noisy, AXIS).filter((t) => t.kind === 'feature-learning');
  assert.deepEqual(
    learning.map((t) => t.bracket),
    [[2, 2.5]],
  );
});
