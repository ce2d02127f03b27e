import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import { planChains } from '../sweep/chains';
import type { PointRecord } from '../sweep/point';
import { sweepAxis } from '../transitions/detect';
import { fsCall, readJson, refuseLinks } from './folder';
import { checkShardSet } from './shardSet';
import { ResultsStore, type RunManifest } from './store';
import { buildSummary, type RunStatus, type RunSummary } from './summary';

/**
 * Joins the folders of a sharded run (or of resumed pieces) into one folder that is identical
 * to what an unsharded run writes: the same points.jsonl, byte for byte, and the same summary
 * but for timings. Refuses folders of different configurations or data and conflicting
 * points. The result is built in a new folder beside `outDir` and renamed into place, so a
 * merge into one of its own sources (or one that fails half-way) never leaves a mixed folder.
 */
export function mergeRuns(dirs: string[], outDir: string): RunSummary {
  if (dirs.length === 0) throw new InputError('merge needs at least one results folder');
  checkShardSet(dirs);
  const parts = dirs.map((dir) => {
    const { manifest, points, damaged } = ResultsStore.read(dir);
    if (damaged) throw new InputError(`${dir} has ${damaged} damaged record(s) in points.jsonl: run that part again with --out ${dir} to repair it, then merge`);
    const summaryPath = join(dir, 'summary.json');
    if (!existsSync(summaryPath)) throw new InputError(`${dir} has no summary.json: that part never finished; run it again with --out ${dir} to complete it`);
    return { dir, manifest, points, summary: readJson<RunSummary>(summaryPath, `run that part again with --out ${dir} to rewrite it`) };
  });
  const first = parts[0];
  for (const p of parts) {
    if (p.manifest.configHash !== first.manifest.configHash) {
      throw new InputError(`${p.dir} is a run of a different configuration (hash ${p.manifest.configHash}) than ${first.dir} (hash ${first.manifest.configHash}): only shards of one run merge`);
    }
    if (p.manifest.dataHash !== first.manifest.dataHash) {
      throw new InputError(`${p.dir} was trained on different data than ${first.dir} (the data file changed between the shards): run the shards again on the same data`);
    }
  }
  const out = resolve(outDir);
  const sources = new Set(parts.map((p) => resolve(p.dir)));
  if (existsSync(out) && !sources.has(out) && readdirSync(out).length > 0) {
    throw new InputError(`${out} exists and is not one of the folders being merged: merge into a new folder (or one of the shards)`);
  }

  const byId = new Map<string, PointRecord>();
  for (const p of parts) {
    for (const point of p.points) {
      const seen = byId.get(point.id);
      if (seen && JSON.stringify(seen) !== JSON.stringify(point)) throw new InputError(`point ${point.id} differs between folders (one is from ${p.dir}); they are not shards of one run`);
      byId.set(point.id, point);
    }
  }
  const e = first.manifest.experiment;
  const allChains = planChains(e);
  const expected = allChains.reduce((s, c) => s + c.points.length, 0);
  const manifest: RunManifest = {
    ...first.manifest,
    chains: allChains.map((c) => c.id),
    shard: null,
    createdAt: parts.map((p) => p.manifest.createdAt).sort()[0],
  };
  const building = join(dirname(out), `.${basename(out)}.merging-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  const store = ResultsStore.open(building, manifest);
  try {
    store.writePoints([...byId.values()]);
    const points = store.points();
    fsCall(building, () => {
      cpSync(join(first.dir, 'data.json'), join(building, 'data.json'));
      for (const p of parts) {
        for (const sub of ['checkpoints', 'models', 'params', 'reconstructions']) {
          refuseLinks(p.dir, join(p.dir, sub));
          if (existsSync(join(p.dir, sub))) cpSync(join(p.dir, sub), join(building, sub), { recursive: true });
        }
      }
    });

    const missing = expected - points.length;
    const errors = parts.flatMap((p) => p.summary.errors);
    if (missing > 0) errors.push(`${missing} of ${expected} points are missing: some shards are absent or unfinished`);
    const status: RunStatus = parts.some((p) => p.summary.status === 'cancelled') ? 'cancelled' : errors.length ? 'failed' : 'complete';
    const summary = buildSummary({
      name: e.name,
      configHash: manifest.configHash,
      status,
      backends: parts.flatMap((p) => p.summary.backend),
      startedAt: new Date(parts.map((p) => p.summary.startedAt).sort()[0]),
      finishedAt: new Date(
        parts
          .map((p) => p.summary.finishedAt)
          .sort()
          .at(-1)!,
      ),
      trainedPoints: points.length,
      points,
      axis: sweepAxis(e),
      expected,
      dataset: first.summary.dataset,
      parameterCount: first.summary.parameterCount,
      predictions: first.summary.predictions,
      errors,
    });
    store.writeSummary(summary);
    store.close();
    swapInto(building, out);
    return summary;
  } catch (err) {
    store.close();
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
}

/** Puts the finished `building` folder at `out`: a rename, with an existing `out` moved aside first and removed after. */
function swapInto(building: string, out: string): void {
  const aside = `${building}.old`;
  fsCall(out, () => {
    if (existsSync(out)) renameSync(out, aside);
    renameSync(building, out);
  });
  rmSync(aside, { recursive: true, force: true });
}
