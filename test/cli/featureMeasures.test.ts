// Feature-learning measures in point records: the first layer's overlap with the latent
// subspace of a multi-index model and its principal angles, recomputed here from the stored parameters and the
// generator's own Θ*, and each layer's stable rank; no overlap where the data have no latent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset } from '../../src/core/data/generate';
import { resolveExperiment, type RawExperiment } from '../../src/core/config/defaults';
import { principalAngles, stableRank, subspaceOverlap } from '../../src/core/measures/featureLearning';
import { makeLayout } from '../../src/core/model/layout';
import { readParams } from '../../src/core/results/store';
import { l2exp, points, tempDir, writeConfig } from './helpers';

const MULTI: RawExperiment = {
  name: 'features',
  data: { kind: 'multi-index', n: 400, inputDim: 12, outputDim: 1, indexDim: 2, noise: 0.05 },
  model: { hidden: [8], activation: 'tanh' },
  train: { maxSteps: 300 },
  sweep: { from: 1e-4, to: 3, points: 6, direction: 'up', seeds: [0] },
  analysis: { transitions: { refine: false } },
};

test("multi-index points record the first layer's overlap with Θ*, its principal angles (as recomputed from their parameters) and every layer's stable rank", () => {
  const dir = tempDir('features');
  const config = writeConfig(dir, MULTI);
  const out = join(dir, 'out');
  assert.equal(l2exp(['run', config, '--out', out, '--json']).status, 0);
  const e = resolveExperiment(MULTI);
  const ds = loadDataset(e.data, e.seed, dir);
  assert.ok(ds.latent && ds.latent.k === 2);
  const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
  const recorded = points(out) as { id: string; featureOverlap: number | null; principalAngles: number[] | null; stableRanks: number[] | null; weightNorm: number }[];
  let learned = 0;
  for (const p of recorded) {
    const theta = readParams(out, p.id);
    const [l0, l1] = layout.layers;
    const w = (l: typeof l0) => theta.subarray(l.wOffset, l.wOffset + l.fanIn * l.fanOut);
    const expected = subspaceOverlap(w(l0), l0.fanIn, l0.fanOut, ds.latent.basis, ds.latent.k);
    assert.ok(Math.abs(p.featureOverlap! - expected) < 1e-12, `${p.id}: ${p.featureOverlap} vs ${expected}`);
    assert.deepEqual(p.principalAngles, principalAngles(w(l0), l0.fanIn, l0.fanOut, ds.latent.basis, ds.latent.k));
    assert.equal(p.principalAngles.length, 2);
    assert.deepEqual(p.stableRanks, [stableRank(w(l0), l0.fanIn, l0.fanOut), stableRank(w(l1), l1.fanIn, l1.fanOut)]);
    // A random first layer overlaps k/d = 1/6 of Θ*; a trained one far more.
    if (p.featureOverlap! > 0.5) learned++;
  }
  assert.ok(learned >= 1, 'some trained point has learned the latent directions');

  const plain = writeConfig(dir, { ...MULTI, name: 'moons', data: { kind: 'two-moons', n: 100 } }, 'moons.l2exp.json');
  const moons = join(dir, 'moons');
  assert.equal(l2exp(['run', plain, '--out', moons, '--json']).status, 0);
  assert.ok(points(moons).every((p) => p.featureOverlap === null && p.principalAngles === null));
});
