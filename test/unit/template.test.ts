import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { parseExperiment } from '../../src/core/config/parse';
import { loadDataset } from '../../src/core/data/generate';
import { predictTransitions } from '../../src/core/predict';
import { TEMPLATE } from '../../src/extension/template';

test('the new-experiment template is valid and its comment’s claim holds: transitions at λ = 0.7 and 1.5', () => {
  const { experiment, problems } = parseExperiment(TEMPLATE, '/tmp/experiment.l2exp.json');
  assert.deepEqual(problems, []);
  const { predictions } = predictTransitions(experiment!, loadDataset(experiment!.data, experiment!.seed, '/tmp'));
  // noise 0.05 perturbs E[x yᵀ] slightly: within 5% of the teacher's singular values.
  assert.deepEqual(
    predictions.map((p) => p.order),
    ['second', 'second'],
  );
  [0.7, 1.5].forEach((s, i) => assert.ok(Math.abs(predictions[i].lambda - s) / s < 0.05, `${predictions[i].lambda} vs ${s}`));
});

test('the template and the examples keep completion when copied anywhere: no relative $schema (package.json maps the schema for *.l2exp.json)', () => {
  const root = join(__dirname, '../..');
  const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.l2exp.json'));
  assert.ok(files.length >= 4, files.join(', '));
  for (const [name, text] of [['template', TEMPLATE], ...files.map((f) => [f, readFileSync(join(root, 'examples', f), 'utf8')])]) {
    const schema = (parseTree(text) && findNodeAtLocation(parseTree(text)!, ['$schema'])?.value) as unknown;
    assert.ok(schema === undefined || (typeof schema === 'string' && /^https:\/\//.test(schema)), `${name}: $schema ${String(schema)} breaks in a copy`);
    assert.deepEqual(
      parseExperiment(text, join(root, 'examples', name)).problems.filter((p) => p.severity === 'error'),
      [],
      name,
    );
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
  assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '*.l2exp.json', url: './src/core/config/l2exp.schema.json' }]);
});
