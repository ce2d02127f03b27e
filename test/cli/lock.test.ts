import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { l2exp, l2expAsync, points, tempDir, writeConfig } from './helpers';

const CONFIG = {
  name: 'lock',
  data: { kind: 'teacher', n: 300, inputDim: 6, outputDim: 1, noise: 0.1 },
  model: { hidden: [8, 8], activation: 'tanh' },
  sweep: { from: 1e-3, to: 1, points: 12, direction: 'both', seeds: [0] },
};

test('a second run on a folder in use is refused (exit 2, who holds it); the first finishes alone, with no duplicate records', async () => {
  const dir = tempDir('lock');
  const config = writeConfig(dir, CONFIG);
  const out = join(dir, 'out');
  const first = l2expAsync(['run', config, '--out', out, '--json']);
  // Wait for the first point: the lock is held from the start of the run to its end.
  await new Promise<void>((resolve, reject) => {
    first.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('"type":"point"') && resolve());
    first.on('exit', () => reject(new Error('the first run ended before its first point')));
  });
  const second = l2exp(['run', config, '--out', out]);
  assert.equal(second.status, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`in use by process ${first.pid}`));
  assert.doesNotMatch(second.stderr, /\n\s+at /, 'no stack trace');
  const code = await new Promise<number | null>((resolve) => (first.exitCode !== null ? resolve(first.exitCode) : first.on('exit', resolve)));
  assert.equal(code, 0);
  const ids = points(out).map((p) => p.id as string);
  assert.equal(new Set(ids).size, ids.length, 'every point once');
  assert.ok(!existsSync(join(out, '.lock')), 'the lock is released at the end');
});

test('a lock left by a dead process is taken over; one from another host is refused with the file to delete', () => {
  const dir = tempDir('stale');
  const config = writeConfig(dir, { ...CONFIG, sweep: { ...CONFIG.sweep, points: 3, direction: 'up' } });
  const out = join(dir, 'out');
  mkdirSync(out);
  // A pid that was just in use and is now gone.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(join(out, '.lock'), JSON.stringify({ pid: Number(dead), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
  const taken = l2exp(['run', config, '--out', out]);
  assert.equal(taken.status, 0, taken.stderr);
  assert.equal(points(out).filter((p) => (p.index as number) >= 0).length, 3);

  const other = join(dir, 'other');
  mkdirSync(other);
  writeFileSync(join(other, '.lock'), JSON.stringify({ pid: 1, host: `not-${hostname()}`, since: '2026-01-01T00:00:00.000Z' }));
  const refused = l2exp(['run', config, '--out', other]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /in use by process 1 on not-/);
  assert.ok(refused.stderr.includes(join(other, '.lock')), refused.stderr);
});
