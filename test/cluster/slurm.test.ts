// The README's Slurm array job, run for real on a one-node cluster started here: the merged
// shards equal an unsharded run, also after a task is cancelled mid-run and requeued; an array
// of another size needs no edit; one larger than the sweep is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { l2exp, pointsText, tempDir, writeConfig } from '../cli/helpers';
import { SlurmCluster } from './slurm';

const ROOT = resolve(__dirname, '../..');
const JOB = join(ROOT, 'examples/cluster/slurm-array.sh');

let cluster: SlurmCluster;
let dir: string;
let config: string;
let whole: string;

before(async () => {
  dir = tempDir('slurm');
  cluster = await SlurmCluster.start(join(dir, 'cluster'));
  // 4 chains (2 seeds × 2 directions), a few seconds each: long enough to cancel one mid-run.
  config = writeConfig(dir, {
    name: 'slurm',
    data: { kind: 'two-moons', n: 600, noise: 0.15 },
    model: { hidden: [24], activation: 'tanh' },
    train: { tolerance: 1e-6 },
    sweep: { from: 1e-4, to: 1, points: 24, direction: 'both', seeds: [0, 1] },
    // Shards never refine (each sees part of the sweep), so neither may the reference.
    analysis: { transitions: { refine: false } },
  });
  whole = join(dir, 'whole');
  const r = l2exp(['run', config, '--out', whole, '--json']);
  assert.equal(r.status, 0, r.stderr);
});

after(() => cluster?.stop());

/** Submits the bundled job file as an array; returns the job id. */
function submit(array: string, results: string): string {
  return cluster.run('sbatch', ['--parsable', `--array=${array}`, `--chdir=${ROOT}`, `--output=${dir}/job-%A_%a.out`, JOB], { L2EXP_CONFIG: config, L2EXP_RESULTS: results }).trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('sbatch --array=0-3 of the bundled job file: the merged shards equal the unsharded run', async () => {
  const results = join(dir, 'array4');
  const job = submit('0-3', results);
  await cluster.wait(job);
  for (const task of [0, 1, 2, 3]) {
    const info = cluster.job(`${job}_${task}`);
    assert.equal(info.JobState, 'COMPLETED', `task ${task}: ${readFileSync(`${dir}/job-${job}_${task}.out`, 'utf8')}`);
  }
  const merged = join(dir, 'merged4');
  const m = l2exp(['merge', results, '--out', merged]);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(pointsText(merged), pointsText(whole));
});

test('a task cancelled mid-run is named by merge with the line that reruns it; requeued, it resumes and the merge is still identical', async () => {
  // Two tasks of two chains each: another array size, the same job file.
  const results = join(dir, 'array2');
  const job = submit('0-1', results);
  const points = join(results, 'shard-1', 'points.jsonl');
  for (let i = 0; i < 600 && !(existsSync(points) && readFileSync(points, 'utf8').split('\n').length > 3); i++) await sleep(100);
  cluster.run('scancel', [`${job}_1`]);
  await cluster.wait(job);
  // scancel sends SIGTERM: l2exp stops cleanly and exits 130, which Slurm records as CANCELLED,
  // or as FAILED with that exit code when the task ended before slurmctld noted the cancel.
  const cancelled = cluster.job(`${job}_1`);
  assert.ok(cancelled.JobState === 'CANCELLED' || (cancelled.JobState === 'FAILED' && cancelled.ExitCode === '130:0'), JSON.stringify(cancelled));
  const kept = readFileSync(points, 'utf8').split('\n').filter(Boolean).length;
  assert.ok(kept >= 3 && kept < 48, `task 1 was cancelled mid-run with ${kept} of its 48 points`);

  const refused = l2exp(['merge', `${results}/shard-*`, '--out', join(dir, 'merged2')]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /unfinished: shard 1 /);
  assert.match(refused.stderr, /sbatch --array=1 /);

  cluster.run('scontrol', ['requeue', `${job}_1`]);
  // A requeued job waits (BeginTime) before it is eligible again; release it now.
  cluster.run('scontrol', ['update', `jobid=${job}_1`, 'StartTime=now']);
  await cluster.wait(job);
  const task1 = cluster.job(`${job}_1`);
  assert.equal(task1.JobState, 'COMPLETED');
  assert.equal(task1.Restarts, '1');
  assert.match(readFileSync(`${dir}/job-${job}_1.out`, 'utf8'), /resuming: \d+ already done/);
  const m = l2exp(['merge', `${results}/shard-*`, '--out', join(dir, 'merged2')]);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(pointsText(join(dir, 'merged2')), pointsText(whole));
});

test('an array larger than the sweep is refused by every task (exit 2, what to submit instead)', async () => {
  const job = submit('0-5', join(dir, 'array6'));
  await cluster.wait(job);
  const info = cluster.job(`${job}_5`);
  assert.equal(info.JobState, 'FAILED');
  assert.equal(info.ExitCode, '2:0');
  assert.match(readFileSync(`${dir}/job-${job}_5.out`, 'utf8'), /splits into at most 4 shards, not 6: submit --array=0-3/);
});
