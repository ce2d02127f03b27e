// The Kubernetes Indexed Job cannot run here (no cluster): its manifest is checked against
// what an Indexed Job needs and against the sweep it runs, and its container command is run
// for real for one completion index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { parseExperiment } from '../../src/core/config/parse';
import { planChains } from '../../src/core/sweep/chains';
import { points, tempDir } from '../cli/helpers';

const ROOT = resolve(__dirname, '../..');

interface Container {
  command: string[];
  args: string[];
  workingDir: string;
  env: { name: string; value: string }[];
}
interface IndexedJob {
  apiVersion: string;
  kind: string;
  spec: { completionMode: string; completions: number; parallelism: number; template: { spec: { restartPolicy: string; containers: Container[] } } };
}

test("the Kubernetes Indexed Job: Indexed completions equal to L2EXP_SHARD_COUNT, within the sweep's chains, and its command runs shard JOB_COMPLETION_INDEX", () => {
  const job = load(readFileSync(join(ROOT, 'examples/cluster/k8s-indexed-job.yaml'), 'utf8')) as IndexedJob;
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  assert.equal(job.spec.completionMode, 'Indexed', 'JOB_COMPLETION_INDEX is set only for Indexed Jobs');
  assert.ok(['OnFailure', 'Never'].includes(job.spec.template.spec.restartPolicy), 'a Job pod restarts OnFailure or Never');
  assert.ok(job.spec.parallelism >= 1 && job.spec.parallelism <= job.spec.completions);
  const [container] = job.spec.template.spec.containers;
  const count = Number(container.env.find((e) => e.name === 'L2EXP_SHARD_COUNT')?.value);
  assert.equal(count, job.spec.completions, 'L2EXP_SHARD_COUNT must equal completions');
  const script = container.args.join(' ');
  assert.match(script, /--out \S*\$JOB_COMPLETION_INDEX/, 'each index writes its own folder');

  const configPath = /run (\S+\.l2exp\.json)/.exec(script)![1];
  const { experiment } = parseExperiment(readFileSync(join(ROOT, configPath), 'utf8'), configPath);
  assert.ok(experiment);
  assert.ok(count <= planChains(experiment).length, `${count} completions for ${planChains(experiment).length} chains`);

  // The container's own command, as the pod runs it (workingDir = the repository, /results a folder).
  const results = tempDir('k8s');
  const r = spawnSync(container.command[0], [...container.command.slice(1), script.replaceAll('/results', results)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, JOB_COMPLETION_INDEX: '2', L2EXP_SHARD_COUNT: String(count) },
  });
  assert.equal(r.status, 0, r.stderr);
  const chains = planChains(experiment).filter((_, i) => i % count === 2);
  assert.deepEqual(
    [...new Set(points(join(results, 'shard-2')).map((p) => String(p.id).replace(/-\d+$/, '')))],
    chains.map((c) => c.id),
  );
});
