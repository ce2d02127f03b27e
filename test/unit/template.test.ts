import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExperiment } from '../../src/core/config/parse';
import { loadDataset } from '../../src/core/data/generate';
import { predictTransitions } from '../../src/core/predict';
import { TEMPLATE } from '../../src/extension/template';

test('the new-experiment template is valid and its comment’s claim holds: transitions at λ = 0.7 and 1.5', () => {
  const { experiment, problems } = parseExperiment(TEMPLATE, '/tmp/experiment.l2exp.json');
  assert.deepEqual(problems, []);
  const { predictions } = predictTransitions(experiment!, loadDataset(experiment!.data, experiment!.seed, '/tmp'));
  // noise 0.05 perturbs E[x yᵀ] slightly: within 5% of the teacher's singular values.
  assert.deepEqual(predictions.map((p) => p.order), ['second', 'second']);
  [0.7, 1.5].forEach((s, i) => assert.ok(Math.abs(predictions[i].lambda - s) / s < 0.05, `${predictions[i].lambda} vs ${s}`));
});
