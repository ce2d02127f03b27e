import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { l2exp, points, pointsText, runUntilKilled, tempDir, writeConfig } from './helpers';

test('a killed run whose checkpoints were deleted resumes each chain from its last stored parameters, to the same result', async () => {
  const dir = tempDir('nocheckpoint');
  const config = writeConfig(dir, {
    name: 'nocheckpoint',
    data: { kind: 'teacher', n: 300, inputDim: 6, outputDim: 1, noise: 0.1 },
    model: { hidden: [8, 8], activation: 'tanh' },
    train: { maxSteps: 400, tolerance: 1e-5 },
    sweep: { from: 1e-4, to: 1, points: 16, direction: 'both', seeds: [0] },
    analysis: { transitions: { refine: false } },
  });
  const reference = join(dir, 'reference');
  assert.equal(l2exp(['run', config, '--out', reference, '--json']).status, 0);

  const out = join(dir, 'interrupted');
  await runUntilKilled(['run', config, '--out', out], 6);
  const kept = points(out).length;
  assert.ok(kept >= 6 && kept < 32, `kept ${kept} points after the kill`);
  const checkpoints = join(out, 'checkpoints');
  assert.ok(readdirSync(checkpoints).length > 0);
  rmSync(checkpoints, { recursive: true, force: true });

  const again = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(again.status, 0, again.stderr);
  // A fresh start of a chain would give other points after the kill (warm starts follow the branch).
  assert.equal(pointsText(out), pointsText(reference), 'the resumed run equals an uninterrupted one');
});
