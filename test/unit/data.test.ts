import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MNIST_SAMPLES } from '../../src/core/config/defaults';
import { MNIST_DIGIT_COUNTS, mnistData, mnistLabels } from '../../src/core/data/mnist';
import type { DataConfig, DataKind } from '../../src/core/config/types';
import type { Dataset } from '../../src/core/data/dataset';
import { CsvError, loadDataset } from '../../src/core/data/generate';
import { symmetricEigen } from '../../src/core/linalg/symmetricEigen';
import { encodeNpz } from '../../src/core/npy/npy';

const dir = mkdtempSync(join(tmpdir(), 'l2-data-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function csvFile(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const IRIS_LIKE = 'a,b,"c, quoted",species\n' + Array.from({ length: 30 }, (_, i) => `${i % 7},${(i * 3) % 5}.5,${i / 10},${['x', 'y', 'z'][i % 3]}`).join('\n') + '\n';
const IRIS_CSV = csvFile('happy.csv', IRIS_LIKE);

// NumPy arrays: 30 samples of 3 inputs and labels in {3, 7} (the classes are the label values).
writeFileSync(
  join(dir, 'arrays.npz'),
  encodeNpz([
    { name: 'x', data: Array.from({ length: 90 }, (_, i) => Math.sin(i * 1.3)), shape: [30, 3] },
    { name: 'y', data: Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 7 : 3)), shape: [30] },
  ]),
);

const base = { n: 40, noise: 0.1, testFraction: 0.25 };
const configs: Record<DataKind, DataConfig> = {
  linear: { ...base, kind: 'linear', inputDim: 4, outputDim: 3 },
  teacher: { ...base, kind: 'teacher', inputDim: 4, outputDim: 2, teacherHidden: [8, 5], teacherActivation: 'gelu' },
  'multi-index': { ...base, kind: 'multi-index', inputDim: 5, outputDim: 2, indexDim: 3 },
  'two-moons': { ...base, kind: 'two-moons', inputDim: 2, outputDim: 2 },
  spirals: { ...base, kind: 'spirals', inputDim: 3, outputDim: 3 },
  xor: { ...base, kind: 'xor', inputDim: 2, outputDim: 2 },
  'gaussian-mixture': { ...base, kind: 'gaussian-mixture', inputDim: 4, outputDim: 4 },
  iris: { ...base, kind: 'iris', inputDim: 4, outputDim: 3 },
  mnist: { ...base, kind: 'mnist', inputDim: 16, outputDim: 10, downsample: 7, n: 30 },
  csv: { ...base, kind: 'csv', inputDim: 3, outputDim: 3, n: 30, path: IRIS_CSV, target: 'species' },
  npy: { ...base, kind: 'npy', inputDim: 3, outputDim: 2, n: 30, path: 'arrays.npz' },
};

const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && bytes(a).every((v, i) => v === bytes(b)[i]);

function assertWellFormed(ds: Dataset, cfg: DataConfig): void {
  assert.equal(ds.inputDim, cfg.inputDim);
  assert.equal(ds.outputDim, cfg.outputDim);
  assert.equal(ds.train.n + ds.test.n, cfg.n);
  assert.equal(ds.test.n, Math.round(cfg.n * cfg.testFraction));
  for (const s of [ds.train, ds.test]) {
    assert.ok(s.x instanceof Float64Array && s.y instanceof Float64Array);
    assert.equal(s.x.length, s.n * cfg.inputDim);
    assert.equal(s.y.length, s.n * cfg.outputDim);
    assert.ok(s.x.every(Number.isFinite) && s.y.every(Number.isFinite), 'all values finite');
    if (ds.task === 'classification') {
      for (let r = 0; r < s.n; r++) {
        const row = s.y.subarray(r * cfg.outputDim, (r + 1) * cfg.outputDim);
        assert.ok(
          row.every((v) => v === 0 || v === 1),
          'one-hot entries are 0/1',
        );
        assert.equal(
          row.reduce((a, b) => a + b, 0),
          1,
          'one-hot rows sum to 1',
        );
      }
    }
  }
}

const classificationKinds = new Set<DataKind>(['two-moons', 'spirals', 'xor', 'gaussian-mixture', 'iris', 'mnist', 'csv', 'npy']);

for (const [kind, cfg] of Object.entries(configs) as [DataKind, DataConfig][]) {
  test(`${kind}: shapes, task, finiteness, seeded determinism`, () => {
    const a = loadDataset(cfg, 7, dir);
    assertWellFormed(a, cfg);
    assert.equal(a.task, classificationKinds.has(kind) ? 'classification' : 'regression');
    const b = loadDataset(cfg, 7, dir);
    for (const part of ['train', 'test'] as const) {
      assert.ok(sameBits(a[part].x, b[part].x), `${part}.x bit-identical for the same seed`);
      assert.ok(sameBits(a[part].y, b[part].y), `${part}.y bit-identical for the same seed`);
    }
    const c = loadDataset(cfg, 8, dir);
    assert.ok(!sameBits(a.train.x, c.train.x), 'a different seed gives different data');
  });
}

// ---- known answers: linear ----

/** AᵀB / divisor for row-major A (n×p), B (n×q); by default the sample moment (1/n) AᵀB. */
function crossMoment(a: Float64Array, p: number, b: Float64Array, q: number, n: number, divisor = n): Float64Array {
  const m = new Float64Array(p * q);
  for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) m[i * q + j] += (a[r * p + i] * b[r * q + j]) / divisor;
  return m;
}

test('linear with whiten: training second moment (1/n)XᵀX is I within 1e-10', () => {
  const cfg: DataConfig = { ...configs.linear, inputDim: 8, n: 50, testFraction: 0.2 };
  const ds = loadDataset(cfg, 3, dir);
  const m = crossMoment(ds.train.x, 8, ds.train.x, 8, ds.train.n);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) assert.ok(Math.abs(m[i * 8 + j] - (i === j ? 1 : 0)) < 1e-10, `entry ${i},${j} = ${m[i * 8 + j]}`);
  // Without whitening the raw Gaussian sample is visibly not white.
  const raw = loadDataset({ ...cfg, whiten: false }, 3, dir);
  const r = crossMoment(raw.train.x, 8, raw.train.x, 8, raw.train.n);
  assert.ok(Math.abs(r[0] - 1) > 1e-3);
});

test('linear, singularValues [3,2,1], noise 0: singular values of (1/n)Σ x yᵀ are [3,2,1] within 1e-9', () => {
  const cfg: DataConfig = { ...configs.linear, inputDim: 6, outputDim: 3, n: 40, noise: 0, singularValues: [3, 2, 1] };
  const ds = loadDataset(cfg, 11, dir);
  const m = crossMoment(ds.train.x, 6, ds.train.y, 3, ds.train.n); // 6×3 = Wᵀ on white inputs
  const mtm = crossMoment(m, 3, m, 3, 6, 1); // MᵀM, 3×3
  const sv = Array.from(symmetricEigen(mtm, 3).values, Math.sqrt).reverse();
  sv.forEach((s, i) => assert.ok(Math.abs(s - [3, 2, 1][i]) < 1e-9, `σ${i + 1} = ${s}`));
});

test('linear: whitening impossible when inputDim > training samples', () => {
  assert.throws(() => loadDataset({ ...configs.linear, inputDim: 20, n: 20 }, 1, dir), /whitened on the training samples.*inputDim \(20\).*15 training/);
  assert.doesNotThrow(() => loadDataset({ ...configs.linear, inputDim: 20, n: 20, whiten: false }, 1, dir));
  assert.throws(() => loadDataset({ ...configs.linear, singularValues: [1, 1, 1, 1] }, 1, dir), /at most 3/);
});

test('teacher: every activation gives finite data; default widths work', () => {
  for (const act of ['linear', 'tanh', 'relu', 'sigmoid', 'gelu'] as const) {
    assertWellFormed(loadDataset({ ...configs.teacher, teacherActivation: act }, 2, dir), configs.teacher);
  }
  const { teacherHidden: _h, teacherActivation: _a, ...defaults } = configs.teacher;
  assertWellFormed(loadDataset(defaults, 2, dir), configs.teacher);
});

test('regression streams are independent: noise changes y but never x', () => {
  const a = loadDataset({ ...configs['multi-index'], noise: 0 }, 5, dir);
  const b = loadDataset({ ...configs['multi-index'], noise: 0.5 }, 5, dir);
  assert.ok(sameBits(a.train.x, b.train.x));
  assert.ok(!sameBits(a.train.y, b.train.y));
});

// ---- classification shapes ----

function classCounts(ds: Dataset): number[] {
  const k = ds.outputDim;
  const counts = new Array<number>(k).fill(0);
  for (const s of [ds.train, ds.test]) for (let r = 0; r < s.n; r++) counts[s.y.subarray(r * k, r * k + k).indexOf(1)]++;
  return counts;
}

test('classification kinds: balanced classes', () => {
  assert.deepEqual(classCounts(loadDataset({ ...configs['two-moons'], n: 41 }, 1, dir)), [21, 20]);
  assert.deepEqual(classCounts(loadDataset({ ...configs.spirals, n: 31 }, 1, dir)), [11, 10, 10]);
  assert.deepEqual(classCounts(loadDataset({ ...configs['gaussian-mixture'], n: 40 }, 1, dir)), [10, 10, 10, 10]);
  assert.deepEqual(classCounts(loadDataset({ ...configs.xor, n: 40 }, 1, dir)), [20, 20]);
});

test('classification: extra dimensions are appended noise and leave the 2-D shape untouched', () => {
  const flat = loadDataset({ ...configs['two-moons'], inputDim: 2 }, 4, dir);
  const wide = loadDataset({ ...configs['two-moons'], inputDim: 5 }, 4, dir);
  for (let r = 0; r < flat.train.n; r++) {
    assert.equal(wide.train.x[r * 5], flat.train.x[r * 2]);
    assert.equal(wide.train.x[r * 5 + 1], flat.train.x[r * 2 + 1]);
  }
  const quiet = loadDataset({ ...configs['two-moons'], inputDim: 5, noise: 0 }, 4, dir);
  for (let r = 0; r < quiet.train.n; r++) for (let j = 2; j < 5; j++) assert.ok(quiet.train.x[r * 5 + j] === 0);
});

test('classification: outputDim and inputDim are validated', () => {
  assert.throws(() => loadDataset({ ...configs['two-moons'], outputDim: 3 }, 1, dir), /two-moons has exactly 2 classes/);
  assert.throws(() => loadDataset({ ...configs.xor, outputDim: 4 }, 1, dir), /xor has exactly 2 classes/);
  assert.throws(() => loadDataset({ ...configs.spirals, outputDim: 1 }, 1, dir), /≥ 2/);
  assert.throws(() => loadDataset({ ...configs['gaussian-mixture'], inputDim: 1 }, 1, dir), /inputDim must be ≥ 2/);
});

// ---- iris ----

test('iris: class names, all 150 standardized on train, seeded subsets, n > 150 rejected', () => {
  const cfg = { ...configs.iris, n: 150, testFraction: 0.2 };
  const ds = loadDataset(cfg, 1, dir);
  assert.deepEqual(ds.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(classCounts(ds), [50, 50, 50]);
  for (let j = 0; j < 4; j++) {
    let mean = 0;
    let sq = 0;
    for (let r = 0; r < ds.train.n; r++) mean += ds.train.x[r * 4 + j] / ds.train.n;
    for (let r = 0; r < ds.train.n; r++) sq += (ds.train.x[r * 4 + j] - mean) ** 2 / ds.train.n;
    assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sq - 1) < 1e-12, `feature ${j}: mean ${mean}, var ${sq}`);
  }
  assert.throws(() => loadDataset({ ...configs.iris, n: 151 }, 1, dir), /only 150 samples/);
  assert.throws(() => loadDataset({ ...configs.iris, inputDim: 3 }, 1, dir), /set inputDim to 4/);
});

// ---- mnist ----

test('mnist: balanced digits, pixels in [0,1], inputDim must match the downsample', () => {
  const ds = loadDataset({ ...configs.mnist, n: 50, downsample: 4, inputDim: 49 }, 1, dir);
  assert.deepEqual(classCounts(ds), new Array(10).fill(5));
  assert.deepEqual(ds.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.ok(ds.train.x.every((v) => v >= 0 && v <= 1));
  assert.ok(
    ds.train.x.some((v) => v > 0.5),
    'images are not blank',
  );
  assert.throws(() => loadDataset({ ...configs.mnist, downsample: 2, inputDim: 49 }, 1, dir), /set inputDim to 196 \(got 49\)/);
  assert.throws(() => loadDataset({ ...configs.mnist, downsample: 1, inputDim: 49 }, 1, dir), /set inputDim to 784/);
  assert.throws(() => loadDataset({ ...configs.mnist, downsample: 3, inputDim: 81 }, 1, dir), /downsample must be one of/);
});

// ---- csv ----

test('csv happy path: header, quoted header cell, string labels, target by name, train-standardized features', () => {
  const ds = loadDataset(configs.csv, 1, dir);
  assert.equal(ds.task, 'classification');
  assert.deepEqual(ds.classNames, ['x', 'y', 'z']);
  assert.deepEqual(classCounts(ds), [10, 10, 10]);
  let mean = 0;
  for (let r = 0; r < ds.train.n; r++) mean += ds.train.x[r * 3 + 2] / ds.train.n;
  assert.ok(Math.abs(mean) < 1e-12);
});

test('csv: task inference, headerless files, target by index, quoted cells', () => {
  // Integer labels, no header, default target (last column) → classification, classes sorted numerically.
  csvFile('ints.csv', '1,2,10\n3,4,2\n5,"6",10\n7,8,-1\n');
  const ints = loadDataset({ ...base, kind: 'csv', path: 'ints.csv', n: 4, testFraction: 0.25, inputDim: 2, outputDim: 3 }, 1, dir);
  assert.equal(ints.task, 'classification');
  assert.deepEqual(ints.classNames, ['-1', '2', '10']);
  // Real-valued target chosen by index → regression, y kept as written.
  csvFile('reals.csv', 'y,u,v\n0.5,1,2\n1.5,3,4\n-2.25,5,6\n');
  const reals = loadDataset({ ...base, kind: 'csv', path: 'reals.csv', target: 0, n: 3, testFraction: 0, inputDim: 2, outputDim: 1 }, 1, dir);
  assert.equal(reals.task, 'regression');
  assert.deepEqual(Array.from(reals.train.y).sort(), [-2.25, 0.5, 1.5]);
  // Explicit task overrides inference.
  const forced = loadDataset({ ...base, kind: 'csv', path: 'ints.csv', n: 4, testFraction: 0.25, inputDim: 2, outputDim: 1, task: 'regression' }, 1, dir);
  assert.equal(forced.task, 'regression');
  // inputDim must match the feature count.
  assert.throws(() => loadDataset({ ...configs.csv, inputDim: 5 }, 1, dir), /3 feature columns.*set inputDim to 3/);
});

function csvError(text: string | undefined, over: Partial<DataConfig> = {}): CsvError {
  const path = text === undefined ? 'does-not-exist.csv' : csvFile(`err-${Math.random().toString(36).slice(2)}.csv`, text);
  try {
    loadDataset({ ...base, kind: 'csv', inputDim: 2, outputDim: 2, n: 2, testFraction: 0, path, ...over }, 1, dir);
  } catch (e) {
    assert.ok(e instanceof CsvError, `expected a CsvError, got ${e}`);
    return e;
  }
  assert.fail('no error thrown');
}

test('csv errors: missing file, non-numeric cell, ragged row, empty file, unknown target', () => {
  const missing = csvError(undefined);
  assert.ok(missing.message.includes(join(dir, 'does-not-exist.csv')), missing.message);

  const nonNumeric = csvError('a,b,label\n1,2,0\n3,oops,1\n');
  assert.equal(nonNumeric.line, 3);
  assert.equal(nonNumeric.column, 2);
  assert.match(nonNumeric.message, /line 3.*"b".*"oops"/);

  const ragged = csvError('a,b,label\n1,2,0\n3,4\n');
  assert.equal(ragged.line, 3);
  assert.equal(ragged.column, 3);
  assert.match(ragged.message, /2 cells.*3/);

  const empty = csvError('');
  assert.equal(empty.line, 1);
  assert.match(empty.message, /empty/);
  assert.match(csvError('\n\n').message, /empty/);
  assert.match(csvError('a,b,label\n').message, /no data rows/);

  const unknown = csvError('a,b,label\n1,2,0\n3,4,1\n', { target: 'class' });
  assert.equal(unknown.line, 1);
  assert.match(unknown.message, /"class".*"a", "b", "label"/);
});

test('mnist: the package holds MNIST_SAMPLES images, MNIST_DIGIT_COUNTS per digit, and mnistLabels lays rows out as mnistData does', () => {
  const digits = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const counts = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(digits, `${d}.json`), 'utf8')) as { data: number[] }).data.length / 784);
  assert.deepEqual(counts, [...MNIST_DIGIT_COUNTS]);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    MNIST_SAMPLES,
  );
  for (const [n, seed] of [
    [37, 1],
    [10000, 2],
  ] as const) {
    const cfg = { ...configs.mnist, n, downsample: 7, inputDim: 16 };
    const y = mnistData(cfg, seed).y;
    const fromImages = Int32Array.from({ length: n }, (_, r) => y.subarray(r * 10, r * 10 + 10).indexOf(1));
    assert.deepEqual(mnistLabels(n, seed), fromImages, `n ${n}`);
  }
  assert.throws(() => loadDataset({ ...configs.mnist, n: MNIST_SAMPLES + 1 }, 1, dir), /holds 10000 images/);
});
