// The results store under damage: records checked line by line, merges that never leave a
// mixed folder, data edits that make another run, names and links that cannot lead outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { l2exp, points, pointsText, tempDir, TINY_SWEEP, writeConfig } from './helpers';

/** Two warm-started chains of 8 points on a tiny tanh net: seconds, and every point depends on its predecessor. */
const SMALL = TINY_SWEEP;

/** A finished run of `config` in `dir`/reference, made once per config. */
function reference(dir: string, config: string): string {
  const out = join(dir, 'reference');
  const r = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

function copyOf(source: string, to: string): string {
  cpSync(source, to, { recursive: true });
  return to;
}

test('a damaged line anywhere in points.jsonl is found and reported, and only its point is redone: the lines after it stand', () => {
  const dir = tempDir('damaged');
  const config = writeConfig(dir, SMALL);
  const ref = reference(dir, config);
  const out = copyOf(ref, join(dir, 'damaged'));
  rmSync(join(out, 'summary.json'));
  const lines = pointsText(out).split('\n');
  // Line 3: one digit of a number changed (still valid JSON: only the checksum can tell);
  // line 6: garbage. Both are mid-chain points, not the chains' checkpointed last ones.
  lines[2] = lines[2].replace(/"trainLoss":(\d)\.(\d)/, (_, a: string, b: string) => `"trainLoss":${a}.${(Number(b) + 1) % 10}`);
  assert.notEqual(lines[2], pointsText(ref).split('\n')[2], 'the test changed a digit');
  lines[5] = '{"id":"up-s0-005", this is not JSON';
  writeFileSync(join(out, 'points.jsonl'), lines.join('\n'));

  const r = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /points\.jsonl:3: its checksum does not match/);
  assert.match(r.stderr, /points\.jsonl:6: not valid JSON/);
  assert.match(r.stderr, /resuming: 14 already done/, 'only the two damaged points are trained again');
  assert.equal(pointsText(out), pointsText(ref), 'repaired to exactly the undamaged result');
  assert.ok(
    readdirSync(out).some((f) => f.startsWith('points.damaged-')),
    'the damaged file is kept for inspection',
  );
});

test('a damaged checkpoint or run.json is named, never a stack trace', () => {
  const dir = tempDir('damaged-json');
  const config = writeConfig(dir, SMALL);
  const ref = reference(dir, config);
  const out = copyOf(ref, join(dir, 'cp'));
  writeFileSync(join(out, 'checkpoints', 'up-s0.json'), '{"record": tru');
  const lines = pointsText(out).split('\n');
  writeFileSync(join(out, 'points.jsonl'), lines.filter((l) => !l.includes('"id":"up-s0-007"')).join('\n'));
  const r = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /up-s0\.json is damaged; ignored/);
  assert.equal(pointsText(out), pointsText(ref), 'the chain resumed from its stored parameters');

  const manifest = copyOf(ref, join(dir, 'manifest'));
  writeFileSync(join(manifest, 'run.json'), '{"name": ');
  const m = l2exp(['run', config, '--out', manifest]);
  assert.equal(m.status, 2, m.stderr);
  assert.match(m.stderr, /run\.json is damaged \(not valid JSON\)/);
  assert.doesNotMatch(m.stderr, /\n\s+at /);
});

test('merge into one of its own sources gives the unsharded result; a refused merge leaves the sources untouched', () => {
  const dir = tempDir('merge-into');
  const config = writeConfig(dir, SMALL);
  const whole = reference(dir, config);
  const shards = [0, 1].map((i) => {
    const out = join(dir, `shard${i}`);
    assert.equal(l2exp(['run', config, '--out', out, '--shard', `${i}/2`, '--json']).status, 0);
    return out;
  });
  const before = pointsText(shards[1]);

  // A third folder claiming to be shard 1 too (with other points under the same ids) is
  // refused before anything is written, so shard 0 keeps its own points.
  const other = copyOf(shards[1], join(dir, 'conflict'));
  writeFileSync(
    join(other, 'points.jsonl'),
    pointsText(other)
      .replace(/"steps":(\d+)/, (_, s: string) => `"steps":${Number(s) + 1}`)
      .replace(/,"sum":"[0-9a-f]+"/g, ''),
  );
  const refused = l2exp(['merge', shards[0], shards[1], other, '--out', shards[0]]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /both shard 1 of 2: merge one of them/);
  assert.equal(points(shards[0]).length, 8, 'shard 0 untouched');

  const m = l2exp(['merge', shards[0], shards[1], '--out', shards[0]]);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(pointsText(shards[0]), pointsText(whole), 'merged into a source: the unsharded points, byte for byte');
  assert.equal(pointsText(shards[1]), before);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('merging')),
    [],
    'no half-built folder left',
  );
});

test('the data is part of a run: shards of edited CSV data never merge, and an edited CSV is not "already done"', () => {
  const dir = tempDir('csv-edit');
  const csv = join(dir, 'data.csv');
  const rows = (shift: number) =>
    ['x1,x2,y', ...Array.from({ length: 60 }, (_, i) => `${Math.sin(i)},${Math.cos(i * 0.7)},${(Math.sin(i) + shift * 0.5 + 0.3 * Math.cos(i * 0.7)).toFixed(4)}`)].join('\n');
  writeFileSync(csv, rows(0));
  const config = writeConfig(dir, { ...SMALL, data: { kind: 'csv', path: 'data.csv', target: 'y' }, sweep: { ...SMALL.sweep, points: 3 } });
  const a = join(dir, 'a');
  assert.equal(l2exp(['run', config, '--out', a, '--shard', '0/2', '--json']).status, 0);
  writeFileSync(csv, rows(1));
  const b = join(dir, 'b');
  assert.equal(l2exp(['run', config, '--out', b, '--shard', '1/2', '--json']).status, 0);
  const m = l2exp(['merge', a, b, '--out', join(dir, 'merged')]);
  assert.equal(m.status, 2, m.stderr);
  assert.match(m.stderr, /trained on different data/);
  assert.ok(!existsSync(join(dir, 'merged')));

  const again = l2exp(['run', config, '--out', a]);
  assert.equal(again.status, 2, again.stderr);
  assert.match(again.stderr, /different data \(the data file changed since/);
});

test('--out that cannot be a results folder is refused at once, with the path: a file, a path through a file, /proc', () => {
  const dir = tempDir('bad-out');
  const config = writeConfig(dir, SMALL);
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  for (const [out, message] of [
    [file, /a-file:? is a file, not a folder/],
    [join(file, 'sub'), /a-file is a file, not a folder/],
    ['/proc/l2exp-test/out', /\/proc\/l2exp-test: no such file or folder/],
  ] as const) {
    const started = Date.now();
    const r = l2exp(['run', config, '--out', out]);
    assert.equal(r.status, 2, `${out}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(Date.now() - started < 20_000, `${out} answered in ${Date.now() - started} ms`);
  }
});

test('point ids and links cannot lead outside the results folder', () => {
  const dir = tempDir('escape');
  const config = writeConfig(dir, SMALL);
  const ref = reference(dir, config);
  const outside = join(dir, 'outside');
  mkdirSync(outside);

  // A hostile id in points.jsonl (a line without a checksum, as older folders have): slice
  // refuses it instead of writing ../../outside/zz-….
  const hostile = copyOf(ref, join(dir, 'hostile'));
  writeFileSync(
    join(hostile, 'points.jsonl'),
    pointsText(hostile)
      .replace(/,"sum":"[0-9a-f]+"/g, '')
      .replace('"id":"up-s0-003"', '"id":"../../outside/zz"'),
  );
  const s = l2exp(['slice', hostile, '../../outside/zz', '--points', '3']);
  assert.equal(s.status, 2, s.stderr);
  assert.match(s.stderr, /is not a point id/);
  assert.deepEqual(readdirSync(outside), []);

  // A slices/ link out of the folder is refused, not followed.
  const linked = copyOf(ref, join(dir, 'linked'));
  symlinkSync(outside, join(linked, 'slices'));
  const l = l2exp(['slice', linked, 'up-s0-003', '--points', '3']);
  assert.equal(l.status, 2, l.stderr);
  assert.match(l.stderr, /slices is a symbolic link/);
  assert.deepEqual(readdirSync(outside), []);

  // A .l2exp link beside the config (a cloned repository's trap): the default run folder is refused.
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  symlinkSync(outside, join(repo, '.l2exp'));
  const cloned = writeConfig(repo, SMALL);
  const r = l2exp(['run', cloned]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /\.l2exp is a symbolic link/);
  assert.deepEqual(readdirSync(outside), []);
  assert.ok(readFileSync(join(ref, 'run.json'), 'utf8').includes('"dataHash"'));
});
