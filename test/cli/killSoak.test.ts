// Kill -9 at seeded random moments, over and over, across the grid and the refinement rounds:
// the run finished at last must be byte-identical to one never interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { l2exp, l2expAsync, points, pointsText, tempDir, THREE_TRANSITIONS, uniforms, writeConfig } from './helpers';

/**
 * Runs until `after` more points are reported, then kills it `delay` ms later (so some kills
 * land mid-write, some between points); true when it was killed, false when it ended first.
 */
function runFor(args: string[], after: number, delay: number): Promise<boolean> {
  const child = l2expAsync(args);
  let seen = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk
        .toString()
        .split('\n')
        .filter((l) => l.includes('"type":"point"')).length;
      if (seen >= after) setTimeout(() => child.kill('SIGKILL'), delay);
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') assert.equal(code, 0, `an unkilled run ends well (exit ${code}): ${stderr}`);
      resolve(signal === 'SIGKILL');
    });
  });
}

test('≥ 30 kill -9 at random moments, in the grid and in refinement: the final results are byte-identical', async () => {
  const dir = tempDir('soak');
  const config = writeConfig(dir, THREE_TRANSITIONS);
  const reference = join(dir, 'reference');
  assert.equal(l2exp(['run', config, '--out', reference, '--json']).status, 0);
  const refined = points(reference).filter((p) => p.index === -1).length;
  assert.ok(refined >= 12, `refinement adds ${refined} points`);

  const out = join(dir, 'soaked');
  // Seeded, so every CI run kills at the same moments.
  const next = uniforms(20261202, 'soak');
  let kills = 0;
  let inRefinement = 0;
  for (let attempt = 0; attempt < 400; attempt++) {
    // Some kills at the first event (while opening and planning), most one point in.
    const killed = await runFor(['run', config, '--out', out, '--json'], next() < 0.15 ? 0 : 1, Math.floor(next() * 8));
    if (!killed) break;
    kills++;
    if (existsSync(join(out, 'points.jsonl')) && points(out).some((p) => p.index === -1)) inRefinement++;
    // Enough kills in both phases (how many the grid takes depends on the machine's speed): let the run finish.
    if (kills >= 30 && inRefinement >= 6) {
      assert.equal(l2exp(['run', config, '--out', out, '--json']).status, 0);
      break;
    }
  }
  assert.ok(kills >= 30, `${kills} kills`);
  assert.ok(inRefinement >= 5, `${inRefinement} kills during refinement`);
  assert.ok(existsSync(join(out, 'summary.json')), 'the run finished');
  assert.equal(pointsText(out), pointsText(reference), 'byte-identical to the uninterrupted run');
});
