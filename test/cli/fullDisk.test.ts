// A real full disk: a small tmpfs mounted by the test (CI runs as root; without the mount the
// test fails, it does not skip). The run must stop cleanly and resume identically once there
// is room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { l2exp, pointsText, tempDir, TINY_SWEEP, writeConfig } from './helpers';

const CONFIG = TINY_SWEEP;

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.stderr.trim() || r.error?.message}): this test needs root and tmpfs mounts`);
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

test('a full disk ends the run cleanly (exit 1, the path, what to do, no temporary files) and it resumes identically once there is room', () => {
  const dir = tempDir('fulldisk');
  const config = writeConfig(dir, CONFIG);
  const reference = join(dir, 'reference');
  assert.equal(l2exp(['run', config, '--out', reference, '--json']).status, 0);

  const mount = join(dir, 'disk');
  mkdirSync(mount);
  // 64 KiB of tmpfs pages hold the run's first few points (about 16 files of a page each).
  sh('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
  try {
    const out = join(mount, 'run');
    const full = l2exp(['run', config, '--out', out]);
    assert.equal(full.status, 1, full.stderr);
    assert.match(full.stderr, new RegExp(`${out}/\\S+: no space left on the device.*run the same command again to resume`));
    assert.doesNotMatch(full.stderr, /\n\s+at |ENOSPC:/, 'no stack trace, no raw errno text');
    assert.deepEqual(
      allFiles(out).filter((f) => f.includes('.tmp-') || f === '.lock'),
      [],
      'no temporary file and no lock left',
    );

    sh('mount', ['-o', 'remount,size=4m', mount]);
    const again = l2exp(['run', config, '--out', out, '--json']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(pointsText(out), pointsText(reference), 'resumed to exactly the uninterrupted result');
  } finally {
    sh('umount', [mount]);
  }
});
