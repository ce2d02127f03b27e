import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { l2exp, points, pointsText, runUntilKilled, tempDir, THREE_TRANSITIONS, writeConfig } from './helpers';

test('a run killed during refinement resumes the interrupted round as planned, to the same result', async () => {
  const dir = tempDir('refinekill');
  // Branch switching and bisection take several rounds of refinement after the 2 × 16 grid points.
  const config = writeConfig(dir, THREE_TRANSITIONS);
  const reference = join(dir, 'reference');
  assert.equal(l2exp(['run', config, '--out', reference, '--json']).status, 0);
  const refinement = points(reference).filter((p) => p.index === -1).length;
  assert.ok(refinement >= 12, `refinement makes ${refinement} points`);

  const out = join(dir, 'interrupted');
  await runUntilKilled(['run', config, '--out', out], 32 + 6);
  const kept = points(out);
  assert.ok(kept.some((p) => p.index === -1) && kept.length < 32 + refinement, `killed during refinement (${kept.length} points)`);
  const again = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(pointsText(out), pointsText(reference), 'the resumed run equals an uninterrupted one');
});
