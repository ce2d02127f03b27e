// Round trips with NumPy itself (Debian's python3-numpy, installed by scripts/test-packages.sh;
// without it these fail, they do not skip): arrays NumPy writes are read exactly, and the
// models --save-models writes are what numpy.load reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, decodeNpz, NpyError } from '../../src/core/npy/npy';
import { l2exp, tempDir, writeConfig } from './helpers';

function python(script: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `python3 with numpy is needed (bash scripts/test-packages.sh): ${r.stderr}`);
  return r.stdout;
}

test('every numeric array NumPy writes (dtypes, byte orders, Fortran order, versions, savez and savez_compressed) is read exactly', () => {
  const dir = tempDir('npy');
  // Each case: a name and a NumPy expression; NumPy also prints the values in C order as JSON.
  const cases: Record<string, string> = {
    f8: 'np.arange(12, dtype="<f8").reshape(3, 4) / 7',
    f4: '(np.arange(6, dtype=np.float32) * np.float32(0.1)).reshape(2, 3)',
    bigEndian: 'np.arange(6, dtype=">f8").reshape(3, 2) - 2.5',
    i8: 'np.array([[-3, 2**40], [7, 0]], dtype=np.int64)',
    i4: 'np.arange(-4, 4, dtype=np.int32)',
    u1: 'np.array([0, 255, 7], dtype=np.uint8)',
    bool: 'np.array([True, False, True])',
    fortran: 'np.asfortranarray(np.arange(24, dtype=float).reshape(2, 3, 4))',
    scalar: 'np.array(3.25)',
    empty: 'np.zeros((0, 5))',
  };
  python(`
import numpy as np, json
cases = {${Object.entries(cases)
    .map(([k, v]) => `'${k}': ${v}`)
    .join(', ')}}
for k, a in cases.items():
    np.save('${dir}/' + k + '.npy', a)
    json.dump({'shape': list(a.shape), 'values': np.ascontiguousarray(a).ravel().astype(float).tolist()}, open('${dir}/' + k + '.json', 'w'))
np.lib.format.write_array(open('${dir}/v2.npy', 'wb'), cases['f8'], version=(2, 0))
json.dump({'shape': [3, 4], 'values': cases['f8'].ravel().tolist()}, open('${dir}/v2.json', 'w'))
np.savez('${dir}/plain.npz', x=cases['f8'], y=cases['i4'])
np.savez_compressed('${dir}/packed.npz', x=cases['fortran'], labels=cases['u1'])
np.save('${dir}/object.npy', np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
np.save('${dir}/record.npy', np.zeros(3, dtype=[('a', '<f8'), ('b', '<i4')]))
np.save('${dir}/complex.npy', np.zeros(3, dtype=np.complex128))
`);
  for (const name of [...Object.keys(cases), 'v2']) {
    const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { shape: number[]; values: number[] };
    const got = decodeNpy(readFileSync(join(dir, `${name}.npy`)));
    assert.deepEqual(got.shape, expected.shape, name);
    assert.deepEqual(Array.from(got.data), expected.values, name);
  }
  const plain = decodeNpz(readFileSync(join(dir, 'plain.npz')));
  assert.deepEqual([...plain.keys()].sort(), ['x', 'y']);
  assert.deepEqual(Array.from(plain.get('y')!.data), [-4, -3, -2, -1, 0, 1, 2, 3]);
  const packed = decodeNpz(readFileSync(join(dir, 'packed.npz')));
  assert.deepEqual(
    Array.from(packed.get('x')!.data),
    Array.from({ length: 24 }, (_, i) => i),
    'deflated and Fortran-ordered',
  );
  assert.deepEqual(packed.get('x')!.shape, [2, 3, 4]);
  assert.throws(
    () => decodeNpy(readFileSync(join(dir, 'object.npy'))),
    (e: Error) => e instanceof NpyError && /not numeric/.test(e.message),
  );
  assert.throws(
    () => decodeNpy(readFileSync(join(dir, 'record.npy'))),
    (e: Error) => e instanceof NpyError && /structured/.test(e.message),
  );
  assert.throws(
    () => decodeNpy(readFileSync(join(dir, 'complex.npy'))),
    (e: Error) => e instanceof NpyError && /not supported/.test(e.message),
  );
  assert.throws(() => decodeNpy(readFileSync(join(dir, 'f8.npy')).subarray(0, 100)), /cut short/);
});

test('--save-models writes one .npz per point that numpy.load reads: W0, b0, … equal to the saved model and giving its outputs', () => {
  const dir = tempDir('npz-models');
  const config = writeConfig(dir, {
    name: 'npz',
    data: { kind: 'teacher', n: 200, inputDim: 5, outputDim: 2, noise: 0.1 },
    model: { hidden: [7, 3], activation: 'tanh' },
    train: { maxSteps: 200 },
    sweep: { from: 1e-3, to: 1e-1, points: 3, direction: 'up', seeds: [0] },
    analysis: { transitions: { refine: false } },
  });
  const out = join(dir, 'out');
  assert.equal(l2exp(['run', config, '--out', out, '--save-models', '--json']).status, 0);
  const npz = readdirSync(join(out, 'models')).filter((f) => f.endsWith('.npz'));
  assert.equal(npz.length, 3);
  // NumPy evaluates the net from the .npz and the same from the JSON model; both must agree,
  // and the data loss of the .npz net must be the point's recorded trainLoss.
  const report = JSON.parse(
    python(`
import numpy as np, json
out = '${out}'
data = json.load(open(out + '/data.json'))
x, y = np.array(data['train']['x']), np.array(data['train']['y'])
points = {p['id']: p for p in map(json.loads, open(out + '/points.jsonl'))}
res = []
for f in sorted(${JSON.stringify(npz)}):
    z = np.load(out + '/models/' + f)
    m = json.load(open(out + '/models/' + f[:-4] + '.json'))
    names = sorted(z.files)
    h = x
    for i, layer in enumerate(m['layers']):
        W = z['W%d' % i]
        same = W.dtype == np.float64 and list(W.shape) == layer['shape'] and np.array_equal(W.ravel(), np.array(layer['weights']))
        h = h @ W + z['b%d' % i]
        if i < len(m['layers']) - 1: h = np.tanh(h)
        res.append(bool(same))
    loss = float(np.mean(np.sum((h - y) ** 2, axis=1)))
    res.append([names, loss, points[m['id']]['trainLoss']])
print(json.dumps(res))
`),
  ) as (boolean | [string[], number, number])[];
  for (const r of report) {
    if (typeof r === 'boolean') assert.ok(r, 'W as saved, float64, shape [fanIn, fanOut]');
    else {
      assert.deepEqual(r[0], ['W0', 'W1', 'W2', 'b0', 'b1', 'b2']);
      assert.ok(Math.abs(r[1] - r[2]) <= 1e-9 * Math.max(1, r[2]), `NumPy's loss ${r[1]} vs recorded ${r[2]}`);
    }
  }
});

test('data.kind "npy": an .npz of images and labels, or two .npy files, train end to end; what NumPy cannot give as data is a located error', () => {
  const dir = tempDir('npy-data');
  python(`
import numpy as np
rng = np.random.default_rng(0)
labels = rng.integers(0, 3, 90)
images = np.asfortranarray((rng.normal(size=(90, 4, 4)) + labels[:, None, None]).astype(np.float32))
np.savez_compressed('${dir}/digits.npz', x=images, y=labels)
x = rng.normal(size=(80, 3))
np.save('${dir}/x.npy', x)
np.save('${dir}/y.npy', np.stack([x @ [1.0, -2.0, 0.5], x[:, 0] ** 2], axis=1))
np.save('${dir}/y_short.npy', np.zeros(79))
np.save('${dir}/objects.npy', np.array([None] * 80, dtype=object), allow_pickle=True)
np.savez('${dir}/no_y.npz', x=x, z=x[:, 0])
np.save('${dir}/one_class.npy', np.ones(80, dtype=np.int64))
`);
  const sweep = { from: 1e-3, to: 1e-1, points: 3, direction: 'up', seeds: [0] };
  const base = { model: { hidden: [5], activation: 'tanh' }, train: { maxSteps: 100 }, sweep, analysis: { transitions: { refine: false } } };

  const cls = writeConfig(dir, { name: 'digits', data: { kind: 'npy', path: 'digits.npz' }, ...base }, 'digits.l2exp.json');
  assert.equal(l2exp(['validate', cls]).status, 0);
  const a = l2exp(['run', cls, '--out', join(dir, 'digits'), '--json']);
  assert.equal(a.status, 0, a.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'digits', 'summary.json'), 'utf8')) as {
    dataset: { task: string; inputDim: number; outputDim: number; trainSamples: number; testSamples: number };
  };
  assert.deepEqual([summary.dataset.task, summary.dataset.inputDim, summary.dataset.outputDim], ['classification', 16, 3]);

  const reg = writeConfig(dir, { name: 'pair', data: { kind: 'npy', path: 'x.npy', targetPath: 'y.npy' }, ...base }, 'pair.l2exp.json');
  const b = l2exp(['run', reg, '--out', join(dir, 'pair'), '--json']);
  assert.equal(b.status, 0, b.stderr);
  const pairSummary = JSON.parse(readFileSync(join(dir, 'pair', 'summary.json'), 'utf8')) as typeof summary;
  assert.deepEqual([pairSummary.dataset.task, pairSummary.dataset.inputDim, pairSummary.dataset.outputDim], ['regression', 3, 2]);

  const refused: [object, RegExp, string][] = [
    [{ kind: 'npy', path: 'x.npy', targetPath: 'y_short.npy' }, /y_short\.npy have shape \(79\), the inputs \(80, 3\)/, 'targetPath'],
    [{ kind: 'npy', path: 'x.npy', targetPath: 'objects.npy' }, /not numeric/, 'targetPath'],
    [{ kind: 'npy', path: 'no_y.npz' }, /has no array "y" \(it holds "x", "z"\)/, 'path'],
    [{ kind: 'npy', path: 'x.npy' }, /set data\.targetPath/, 'path'],
    [{ kind: 'npy', path: 'x.npy', targetPath: 'one_class.npy' }, /single class/, 'targetPath'],
  ];
  for (const [data, message, field] of refused) {
    const config = writeConfig(dir, { name: 'bad', data, ...base }, 'bad.l2exp.json');
    const text = readFileSync(config, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes(`"${field}"`)) + 1;
    for (const cmd of ['validate', 'run']) {
      const r = l2exp([cmd, config]);
      assert.equal(r.status, 2, `${cmd} ${JSON.stringify(data)}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, new RegExp(`bad\\.l2exp\\.json:${line}:`), `${cmd} locates it at data.${field}: ${r.stderr}`);
    }
  }
});
