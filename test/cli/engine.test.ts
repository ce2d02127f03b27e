import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PointSlice } from '../../src/core/analysis/slice';
import type { SavedModel } from '../../src/core/results/store';
import type { RunSummary } from '../../src/core/results/summary';
import { CLI, l2exp, points, pointsText, runUntilKilled, tempDir, TINY_SWEEP, writeConfig } from './helpers';

/** Largest singular value of (1/n) Σ x yᵀ over the training split written to data.json. */
function sigmaMaxOfData(dir: string): number {
  const data = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) as { train: { x: number[][]; y: number[][] } };
  const { x, y } = data.train;
  const d = x[0].length;
  const k = y[0].length;
  const m = Array.from({ length: d }, (_, a) => Array.from({ length: k }, (_, b) => x.reduce((s, xi, i) => s + xi[a] * y[i][b], 0) / x.length));
  // Power iteration on MᵀM (k×k, tiny): converges to σ_max² to machine precision.
  let v = Array.from({ length: k }, (_, i) => 1 + i);
  let sigma2 = 0;
  for (let it = 0; it < 500; it++) {
    const mv = m.map((row) => row.reduce((s, mij, j) => s + mij * v[j], 0));
    const w = v.map((_, j) => m.reduce((s, row, i) => s + row[j] * mv[i], 0));
    sigma2 = Math.hypot(...w) / Math.hypot(...v);
    v = w.map((wi) => wi / Math.hypot(...w));
  }
  return Math.sqrt(sigma2);
}

test('a linear one-hidden-layer net leaves the trivial solution at λc = ‖E[x yᵀ]‖₂ (within 5%)', () => {
  const dir = tempDir('lambda-c');
  const config = writeConfig(dir, {
    name: 'lc',
    data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2, singularValues: [1.5, 0.7], noise: 0.05, testFraction: 0.2 },
    model: { hidden: [4], activation: 'linear', bias: false },
    sweep: { from: 0.5, to: 2.5, points: 40, scale: 'log', direction: 'up', seeds: [0] },
  });
  const out = join(dir, 'out');
  const r = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const pts = points(out) as { lambda: number; weightNorm: number; converged: boolean }[];
  assert.ok(
    pts.every((p) => p.converged),
    'every point is a converged minimum',
  );
  const first = pts.findIndex((p) => p.weightNorm < 1e-8);
  assert.ok(first > 0, 'the sweep crosses the transition');
  const estimate = Math.sqrt(pts[first - 1].lambda * pts[first].lambda);
  const sigma = sigmaMaxOfData(out);
  assert.ok(Math.abs(estimate - sigma) / sigma < 0.05, `λc ≈ ${estimate} vs ‖E[xyᵀ]‖₂ = ${sigma}`);
  // Below λc the order parameter is nonzero at every point: no spurious collapse.
  assert.ok(pts.slice(0, first).every((p) => p.weightNorm > 1e-4));
});

test('without a kick (perturbation 0) a down chain still leaves the trivial saddle below λc: the saddle check escapes it', () => {
  const dir = tempDir('escape');
  const experiment = (escape: boolean) => ({
    name: 'escape',
    data: { kind: 'linear', n: 300, inputDim: 3, outputDim: 2, singularValues: [1.5, 0.7], noise: 0.05, testFraction: 0.2 },
    model: { hidden: [4], activation: 'linear', bias: false },
    train: { escape: { enabled: escape } },
    sweep: { from: 0.8, to: 2.5, points: 10, scale: 'log', direction: 'down', perturbation: 0, seeds: [0] },
    analysis: { transitions: { refine: false } },
  });
  type Point = { lambda: number; weightNorm: number; objective: number; escapes: number; saddle: boolean; hessian: { morse: string } };
  const run = (escape: boolean): Point[] => {
    const out = join(dir, escape ? 'on' : 'off');
    const r = l2exp(['run', writeConfig(dir, experiment(escape), `${escape}.l2exp.json`), '--out', out, '--json']);
    assert.equal(r.status, 0, r.stderr);
    return (points(out) as Point[]).sort((a, b) => a.lambda - b.lambda);
  };
  const on = run(true);
  const off = run(false);
  const sigma = sigmaMaxOfData(join(dir, 'on'));
  const below = (p: Point) => p.lambda < sigma;
  assert.ok(on.some(below) && on.some((p) => !below(p)), 'the grid spans λc');
  // Without the check the chain sits on the saddle all the way down (the known failure).
  assert.ok(off.every((p) => p.weightNorm < 1e-8 && p.escapes === 0));
  assert.ok(off.filter(below).every((p) => p.hessian.morse === 'saddle'));
  // With it, every point below λc has weights, the first one reached by an escape; none is a saddle.
  assert.ok(
    on.filter(below).every((p) => p.weightNorm > 1e-2),
    'nonzero weights below λc',
  );
  assert.ok(on.filter(below).at(-1)!.escapes >= 1, 'the first point below λc escaped');
  assert.ok(
    on.filter((p) => !below(p)).every((p) => p.escapes === 0 && p.weightNorm < 1e-8),
    'minima above λc are left alone',
  );
  assert.ok(on.every((p) => !p.saddle && p.hessian.morse !== 'saddle'));
  // The escape only ever lowers the objective.
  on.forEach((p, i) => assert.ok(p.objective <= off[i].objective + 1e-12, `λ = ${p.lambda}`));
});

// The tiny sweep both ways: four chains. Shards do not refine (each sees part of the sweep); the
// unsharded run must not either, and TINY_SWEEP does not.
const SHARDED = { ...TINY_SWEEP, name: 'sharded', sweep: { ...TINY_SWEEP.sweep, points: 5, direction: 'both' } };

test('merging the 4 shards of a run gives exactly the unsharded result', () => {
  const dir = tempDir('shards');
  const config = writeConfig(dir, SHARDED);
  const whole = join(dir, 'whole');
  assert.equal(l2exp(['run', config, '--out', whole, '--json']).status, 0);
  const shardDirs = [0, 1, 2, 3].map((i) => {
    const out = join(dir, `shard-${i}`);
    const r = l2exp(['run', config, '--out', out, '--shard', `${i}/4`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(points(out).length, 5, `shard ${i} holds one chain of 5 points`);
    return out;
  });
  const merged = join(dir, 'merged');
  const m = l2exp(['merge', ...shardDirs, '--out', merged]);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(pointsText(merged), pointsText(whole), 'points.jsonl byte for byte');
  assert.equal(readFileSync(join(merged, 'data.json'), 'utf8'), readFileSync(join(whole, 'data.json'), 'utf8'));
  const strip = (d: string) => {
    const s = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')) as Partial<RunSummary>;
    delete s.timings;
    delete s.startedAt;
    delete s.finishedAt;
    return s;
  };
  assert.deepEqual(strip(merged), strip(whole));
});

test('shards come from Slurm array variables when --shard is absent', () => {
  const dir = tempDir('slurm');
  const config = writeConfig(dir, SHARDED);
  const out = join(dir, 'task');
  const r = spawnSync(process.execPath, [CLI, 'run', config, '--out', out, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' },
  });
  assert.equal(r.status, 0, r.stderr);
  const ids = points(out).map((p) => p.id as string);
  // Task 3 of an array 1–4 is shard 2 of 4: the third chain, "up-s1".
  assert.deepEqual([...new Set(ids.map((id) => id.slice(0, 5)))], ['up-s1']);
});

test('a run killed mid-sweep loses nothing, and running it again resumes to the same result', async () => {
  const dir = tempDir('resume');
  const config = writeConfig(dir, {
    name: 'resume',
    data: { kind: 'teacher', n: 400, inputDim: 8, outputDim: 1, noise: 0.1 },
    model: { hidden: [10, 10], activation: 'tanh' },
    train: { maxSteps: 400, tolerance: 1e-5 },
    sweep: { from: 1e-4, to: 1, points: 16, direction: 'both', seeds: [0] },
  });
  const reference = join(dir, 'reference');
  assert.equal(l2exp(['run', config, '--out', reference, '--json']).status, 0);

  const out = join(dir, 'interrupted');
  await runUntilKilled(['run', config, '--out', out], 5);
  const kept = points(out).length;
  assert.ok(kept >= 5 && kept < 32, `kept ${kept} points after the kill`);
  assert.ok(!existsSync(join(out, 'summary.json')), 'a killed run has no summary');

  const again = l2exp(['run', config, '--out', out, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /resuming: \d+ already done/);
  assert.equal(pointsText(out), pointsText(reference), 'the resumed run equals an uninterrupted one');
});

test('a results folder of another configuration is refused, not overwritten', () => {
  const dir = tempDir('mismatch');
  const a = writeConfig(dir, { ...SHARDED, sweep: { ...SHARDED.sweep, points: 2, direction: 'up', seeds: [0] } }, 'a.l2exp.json');
  const b = writeConfig(dir, { ...SHARDED, sweep: { ...SHARDED.sweep, points: 3, direction: 'up', seeds: [0] } }, 'b.l2exp.json');
  const out = join(dir, 'out');
  assert.equal(l2exp(['run', a, '--out', out, '--json']).status, 0);
  const r = l2exp(['run', b, '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /different configuration/);
  assert.equal(points(out).length, 2);
});

test('bad input: every problem as file:line:col, exit code 2, no stack trace', () => {
  const dir = tempDir('bad');
  const path = join(dir, 'bad.l2exp.json');
  writeFileSync(
    path,
    `{
  "name": "bad",
  "data": { "kind": "linear", "n": "many" },
  "model": { "hiden": [4] },
  "sweep": { "from": 1, "to": 0.01 }
}
`,
  );
  for (const cmd of ['validate', 'run']) {
    const r = l2exp([cmd, path]);
    assert.equal(r.status, 2, `${cmd}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.length >= 3, r.stderr);
    for (const line of lines) assert.match(line, /^.*bad\.l2exp\.json:\d+:\d+: /);
    assert.match(r.stderr, /bad\.l2exp\.json:3:36: data\.n: expected integer, got string "many"/);
    assert.match(r.stderr, /bad\.l2exp\.json:4:14: .*did you mean "hidden"/);
    assert.match(r.stderr, /bad\.l2exp\.json:5:22: sweep\.from \(1\) is larger than sweep\.to/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const missing = l2exp(['run', join(dir, 'nope.l2exp.json')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.l2exp\.json: no such file/);
  const usage = l2exp(['run', path, '--wrokers', '2']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown option --wrokers/);
});

test('--save-models writes reloadable weights for every point', () => {
  const dir = tempDir('models');
  const config = writeConfig(dir, { ...SHARDED, sweep: { ...SHARDED.sweep, points: 2, direction: 'up', seeds: [0] } });
  const out = join(dir, 'out');
  assert.equal(l2exp(['run', config, '--out', out, '--save-models', '--json']).status, 0);
  for (const p of points(out)) {
    const model = JSON.parse(readFileSync(join(out, 'models', `${p.id}.json`), 'utf8')) as SavedModel;
    assert.equal(model.lambda, p.lambda);
    assert.deepEqual(
      model.layers.map((l) => l.shape),
      [
        [2, 6],
        [6, 2],
      ],
    );
    const norm = model.layers.reduce((s, l) => s + l.weights.reduce((a, w) => a + w * w, 0), 0);
    assert.ok(Math.abs(norm - (p.weightNorm as number)) <= 1e-9 * Math.max(1, norm), 'the saved weights are the measured ones');
  }
});

test('slice: the loss around a stored point as a grid, from the run’s own data and parameters', () => {
  const dir = tempDir('slice');
  const config = writeConfig(dir, { ...SHARDED, sweep: { ...SHARDED.sweep, points: 3, direction: 'up', seeds: [0] } });
  const out = join(dir, 'out');
  assert.equal(l2exp(['run', config, '--out', out, '--json']).status, 0);
  const r = l2exp(['slice', out, 'up-s0-001', '--dims', '2', '--points', '9', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as PointSlice;
  assert.equal(s.pointId, 'up-s0-001');
  assert.equal(s.objective.length, 9);
  assert.equal(s.objective[0].length, 9);
  const point = points(out).find((p) => p.id === 'up-s0-001')!;
  // The centre of the grid is the trained point itself: its recorded objective, to float64 rounding.
  assert.ok(Math.abs(s.objective[4][4] - (point.objective as number)) < 1e-9);
  assert.ok(existsSync(join(out, 'slices', 'up-s0-001-hessian-2d.json')));
  const missing = l2exp(['slice', out, 'up-s9-000']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no point "up-s9-000"/);
});

test('a chain that fails fails the run (exit 1, status failed, the error named), and the finished points stand', () => {
  const dir = tempDir('failing');
  // Native TensorFlow asked for explicitly: where @tensorflow/tfjs-node cannot load (CI), every
  // worker refuses, which is how a chain fails in real use; where it loads, the run succeeds.
  const config = writeConfig(dir, { ...SHARDED, backend: 'tensorflow', sweep: { ...SHARDED.sweep, points: 2, direction: 'up', seeds: [0] } });
  const out = join(dir, 'out');
  const r = l2exp(['run', config, '--out', out, '--json']);
  const nativeLoads = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"]).status === 0;
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  if (nativeLoads) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(summary.status, 'complete');
  } else {
    assert.equal(r.status, 1, r.stderr);
    assert.equal(summary.status, 'failed');
    assert.match(summary.errors.join('\n'), /backend "tensorflow" is not available/);
    assert.match(r.stderr, /chain up-s0 failed: backend "tensorflow" is not available/);
  }
});
