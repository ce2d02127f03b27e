// A 2-D sweep along λ (a VAE's β) first gets a prediction per row, of that row's own setting:
// each row's equals the 1-D prediction of an experiment built by hand with that row's data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExperiment, type RawExperiment } from '../../src/core/config/defaults';
import type { Dataset } from '../../src/core/data/dataset';
import { loadDataset } from '../../src/core/data/generate';
import { predictTransitions, type Prediction } from '../../src/core/predict/index';
import { predictionHeadline } from '../../src/core/transitions/text';
import { Rng } from '../../src/core/random';

const LAMBDA = { parameter: 'lambda', from: 0.01, to: 3, points: 5 } as const;
const DELTA = { parameter: 'samples', ratio: true, from: 2, to: 12, points: 3, scale: 'linear' } as const;

/** The record without its row, to compare with a 1-D prediction. */
const unrowed = ({ across: _a, acrossAxis: _b, ...p }: Prediction): Prediction => p;

/** The dataset with only the first n training rows (the training split's order is already seeded random). */
function firstRows(ds: Dataset, n: number): Dataset {
  return { ...ds, train: { n, x: ds.train.x.slice(0, n * ds.inputDim), y: ds.train.y.slice(0, n * ds.outputDim) } };
}

test('λ × δ on linear data: each δ row predicts what the 1-D λ sweep of its first round(δ·d) rows does, marked "at δ = …", sorted by row', () => {
  const raw: RawExperiment = {
    name: 'rows',
    data: { kind: 'linear', n: 400, inputDim: 5, outputDim: 3, singularValues: [1.5, 0.8, 0.3], noise: 0.3 },
    model: { hidden: [3], activation: 'linear', bias: false },
  };
  const e = resolveExperiment({ ...raw, sweep: [LAMBDA, DELTA] });
  const ds = loadDataset(e.data, e.seed, '.');
  const { predictions, notes } = predictTransitions(e, ds);
  const oneD = resolveExperiment({ ...raw, sweep: LAMBDA });
  const deltas = [2, 7, 12];
  let expectedCount = 0;
  for (const delta of deltas) {
    const expected = predictTransitions(oneD, firstRows(ds, Math.round(delta * ds.inputDim))).predictions;
    const row = predictions.filter((p) => p.across === delta);
    assert.ok(expected.length > 0);
    assert.deepEqual(row.map(unrowed), expected, `δ = ${delta}`);
    for (const p of row) {
      assert.equal(p.acrossAxis, 'delta');
      assert.match(predictionHeadline(p), new RegExp(`^λc ≈ [0-9.]+ \\(second-order, [a-z-]+\\) at δ = ${delta}$`));
    }
    expectedCount += expected.length;
  }
  assert.equal(predictions.length, expectedCount, 'every prediction is of a row');
  // The rows differ (the subsets' moments do), so none is the full split's.
  const full = predictTransitions(oneD, ds).predictions;
  assert.notEqual(predictions.find((p) => p.across === 2)!.lambda, full[0].lambda);
  const key = (p: Prediction) => [p.across!, p.lambda];
  for (let i = 1; i < predictions.length; i++) {
    const [a, b] = [key(predictions[i - 1]), key(predictions[i])];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), 'by row, then value');
  }
  assert.equal(notes.filter((n) => n.startsWith('Per δ row')).length, 1, notes.join('\n'));
  assert.ok(!notes.some((n) => n.startsWith('All moments')), 'the rows note names the rows instead');
});

test('δ × λ (λ second): one prediction of the full split, as before, with a note on why it is not per row', () => {
  const raw: RawExperiment = { name: 'rows', data: { kind: 'linear', n: 200, inputDim: 4, outputDim: 2 }, model: { hidden: [3], activation: 'linear', bias: false } };
  const e = resolveExperiment({ ...raw, sweep: [DELTA, LAMBDA] });
  const ds = loadDataset(e.data, e.seed, '.');
  const { predictions, notes } = predictTransitions(e, ds);
  assert.deepEqual(predictions, predictTransitions(resolveExperiment({ ...raw, sweep: LAMBDA }), ds).predictions);
  assert.match(notes[0], /^Not per row: this sweep's rows are λ values/);
});

test('λ × δ without a hidden layer: no prediction in any row, one note on why and no word on rows', () => {
  const e = resolveExperiment({ name: 'rows', data: { kind: 'linear', n: 200, inputDim: 4, outputDim: 2 }, model: { hidden: [] }, sweep: [LAMBDA, DELTA] });
  const { predictions, notes } = predictTransitions(e, loadDataset(e.data, e.seed, '.'));
  assert.deepEqual(predictions, []);
  assert.equal(notes.length, 1, notes.join('\n'));
  assert.match(notes[0], /^No hidden layer/);
});

/** x with covariance spectrum about 2.2, 1.2, 0.5 along the axes, plus an offset. */
function vaeData(n: number): Dataset {
  const rng = new Rng(3, 'predict-rows/vae');
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) [2.2, 1.2, 0.5].forEach((l, a) => (x[i * 3 + a] = 0.3 * a + Math.sqrt(l) * rng.normal()));
  const none = { n: 0, x: new Float64Array(0), y: new Float64Array(0) };
  return { task: 'regression', inputDim: 3, outputDim: 1, train: { n, x, y: new Float64Array(n) }, test: none };
}

test('β × λ linear gaussian VAE: each λ row predicts what the 1-D β sweep at that train.lambda does, marked "at λ = …"', () => {
  const raw: RawExperiment = {
    name: 'vae-rows',
    data: { kind: 'linear', n: 600, inputDim: 3, outputDim: 1 },
    model: { kind: 'vae', hidden: [], activation: 'linear', latentDim: 3, decoder: 'gaussian', observationVariance: 0.5, matchMoments: true },
  };
  const beta = { parameter: 'beta', from: 0.5, to: 8, points: 10 } as const;
  const lambdas = [0, 0.1, 0.2];
  const e = resolveExperiment({ ...raw, sweep: [beta, { parameter: 'lambda', from: 0, to: 0.2, points: 3, scale: 'linear' }] });
  const ds = vaeData(600);
  const { predictions, notes } = predictTransitions(e, ds);
  for (const lambda of lambdas) {
    const expected = predictTransitions(resolveExperiment({ ...raw, train: { lambda }, sweep: beta }), ds).predictions;
    assert.ok(expected.length > 0, `λ = ${lambda}`);
    const row = predictions.filter((p) => p.across === lambda);
    assert.deepEqual(row.map(unrowed), expected, `λ = ${lambda}`);
    assert.ok(row.every((p) => p.acrossAxis === 'lambda' && predictionHeadline(p).endsWith(` at λ = ${lambda}`)));
  }
  // λ moves the thresholds: the rows are not copies of one another.
  assert.notEqual(predictions.find((p) => p.across === 0)!.lambda, predictions.find((p) => p.across === 0.2)!.lambda);
  assert.match(notes[0], /^Per λ row/);
});
