// The CSV export: one header, one row per point; the swept coordinates named by their axis,
// layer-wise lists joined with ';', empty cells where a record lacks a field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveExperiment } from '../../src/core/config/defaults';
import { pointsCsv } from '../../src/core/results/pointsCsv';
import { pointRecord } from './pointRecords';

const rows = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));

test('a λ sweep: λ in its own column, lists joined with ;, the spectrum structure counted', () => {
  const sweep = resolveExperiment({ name: 'x', data: { kind: 'two-moons', n: 10 }, model: { hidden: [2] } }).sweep;
  const p = pointRecord({ id: 'up-0-s0', index: 0, lambda: 0.5, seed: 0, weightNorm: 2, principalAngles: [0.1, 0.2], stableRanks: [1.5, 1] });
  const [head, row] = rows(pointsCsv([p], sweep));
  const at = (name: string) => row[head.indexOf(name)];
  assert.equal(head[0], 'id');
  assert.equal(at('id'), 'up-0-s0');
  assert.equal(at('lambda'), '0.5');
  assert.equal(at('weightNorm'), '2');
  assert.equal(at('principalAngles'), '0.1;0.2');
  assert.equal(at('stableRanks'), '1.5;1');
  assert.equal(at('featureOverlap'), '');
  // No Hessian: its columns are empty.
  assert.deepEqual(['morse', 'outliers', 'trace'].map(at), ['', '', '']);
  assert.equal(row.length, head.length);
});

test('a δ sweep names its coordinate; the outlier count comes from the Hessian record', () => {
  const sweep = resolveExperiment({
    name: 'x',
    data: { kind: 'multi-index', n: 100, inputDim: 10, outputDim: 1, indexDim: 1 },
    model: { hidden: [4] },
    train: { lambda: 1e-3 },
    sweep: { parameter: 'samples', ratio: true, from: 1, to: 4, points: 4 },
  }).sweep;
  const outliers = { bulk: [0, 1] as [number, number], below: [-1], above: [3, 4], count: 3 };
  const hessian = { outliers } as unknown as NonNullable<Parameters<typeof pointRecord>[0]['hessian']>;
  const p = pointRecord({ id: 'up-1-s0', index: 1, lambda: 1e-3, value: 2, seed: 0, weightNorm: 1, hessian });
  const [head, row] = rows(pointsCsv([p], sweep));
  assert.equal(head[1], 'delta');
  assert.equal(row[1], '2');
  assert.equal(row[head.indexOf('lambda')], '0.001');
  assert.equal(row[head.indexOf('outliers')], '3');
});
