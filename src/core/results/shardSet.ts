// The shards a merge is given: folders, a parent folder of shard folders, or a glob (as a job
// script writes it, quoted), checked for completeness before anything is merged, so a missing
// or unfinished array task is named with the command that reruns exactly it.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import { readJson } from './folder';
import type { RunManifest } from './store';
import type { RunSummary } from './summary';

/** `*` and `?` in the last path component, matched against that folder's entries. */
function expandGlob(pattern: string): string[] {
  const dir = dirname(pattern);
  const re = new RegExp(
    `^${basename(pattern)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  if (!existsSync(dir)) throw new InputError(`${pattern}: no folder ${dir}`);
  const hits = readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (hits.length === 0) throw new InputError(`${pattern} matches no folder`);
  return hits;
}

const isResults = (dir: string) => existsSync(join(dir, 'run.json'));

/** The results folders named by `args`: each a results folder, a folder of them, or a glob of them. */
export function shardFolders(args: string[]): string[] {
  const dirs = args.flatMap((a) => (/[*?]/.test(basename(a)) ? expandGlob(resolve(a)) : [resolve(a)]));
  return dirs.flatMap((dir) => {
    if (isResults(dir) || !existsSync(dir) || !statSync(dir).isDirectory()) return [dir];
    const children = readdirSync(dir)
      .sort()
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isDirectory() && isResults(f));
    if (children.length === 0) throw new InputError(`${dir} is neither a results folder (no run.json) nor a folder of them`);
    return children;
  });
}

/**
 * Refuses an incomplete set of shards: every index of the sharding present once, each
 * finished. The message lists the missing and unfinished ones with the array line that
 * reruns exactly those (a rerun task resumes its folder).
 */
export function checkShardSet(dirs: string[]): void {
  const parts = dirs.map((dir) => ({ dir, manifest: readJson<RunManifest>(join(dir, 'run.json'), `remove ${dir} from the merge or run it again`) }));
  const count = parts.find((p) => p.manifest.shard)?.manifest.shard?.count;
  if (count === undefined) return; // whole runs (or resumed pieces): nothing to count
  const byIndex = new Map<number, string>();
  for (const p of parts) {
    const s = p.manifest.shard;
    if (!s || s.count !== count) throw new InputError(`${p.dir} is ${s ? `shard ${s.index} of ${s.count}` : 'a whole run'}, the others are shards of ${count}: merge the shards of one sharding`);
    const twin = byIndex.get(s.index);
    if (twin) throw new InputError(`${p.dir} and ${twin} are both shard ${s.index} of ${count}: merge one of them`);
    byIndex.set(s.index, p.dir);
  }
  const missing = [...Array(count).keys()].filter((i) => !byIndex.has(i));
  const unfinished = [...byIndex].filter(([, dir]) => {
    const path = join(dir, 'summary.json');
    return !existsSync(path) || readJson<RunSummary>(path, 'run that shard again').status !== 'complete';
  });
  if (missing.length === 0 && unfinished.length === 0) return;
  const rerun = [...missing, ...unfinished.map(([i]) => i)].sort((a, b) => a - b);
  const lines = [
    `the merge needs all ${count} shards, finished:`,
    ...(missing.length ? [`  missing: shard ${missing.join(', ')}`] : []),
    ...unfinished.map(([i, dir]) => `  unfinished: shard ${i} (${dir})`),
    `rerun exactly those (a rerun resumes its folder), then merge again:`,
    `  sbatch --array=${rerun.join(',')} JOBFILE       (a 0-based array, e.g. examples/cluster/slurm-array.sh)`,
    ...rerun.map((i) => `  l2exp run ${parts[0].manifest.configPath} --shard ${i}/${count} --out ${unfinished.find(([j]) => j === i)?.[1] ?? 'DIR'}`),
  ];
  throw new InputError(lines.join('\n'));
}
