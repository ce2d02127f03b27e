import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planChains } from '../sweep/chains';
import type { PointRecord } from '../sweep/point';
import { ResultsStore, writeAtomic, type RunManifest } from './store';
import { sortPoints } from './order';
import { buildSummary, type RunStatus, type RunSummary } from './summary';

/**
 * Joins the folders of a sharded run (or of resumed pieces) into one folder that is identical
 * to what an unsharded run writes: the same points.jsonl, byte for byte, and the same summary
 * but for timings. Refuses folders of different configurations and conflicting points.
 */
export function mergeRuns(dirs: string[], outDir: string): RunSummary {
  if (dirs.length === 0) throw new Error('merge needs at least one results folder');
  const parts = dirs.map((dir) => {
    const { manifest, points } = ResultsStore.read(dir);
    const summaryPath = join(dir, 'summary.json');
    if (!existsSync(summaryPath)) throw new Error(`${dir} has no summary.json: that part never finished; run it again with --out ${dir} to complete it`);
    return { dir, manifest, points, summary: JSON.parse(readFileSync(summaryPath, 'utf8')) as RunSummary };
  });
  const first = parts[0];
  for (const p of parts) {
    if (p.manifest.configHash !== first.manifest.configHash) {
      throw new Error(`${p.dir} is a run of a different configuration (hash ${p.manifest.configHash}) than ${first.dir} (hash ${first.manifest.configHash})`);
    }
  }

  const byId = new Map<string, PointRecord>();
  for (const p of parts) {
    for (const point of p.points) {
      const seen = byId.get(point.id);
      if (seen && JSON.stringify(seen) !== JSON.stringify(point)) throw new Error(`point ${point.id} differs between folders (one is from ${p.dir}); they are not shards of one run`);
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
  const store = ResultsStore.open(outDir, manifest);
  try {
    const points = sortPoints([...byId.values()]);
    writeAtomic(store.pointsPath, points.map((p) => JSON.stringify(p) + '\n').join(''));
    cpSync(join(first.dir, 'data.json'), join(outDir, 'data.json'));
    for (const p of parts) {
      for (const sub of ['checkpoints', 'models', 'params']) {
        if (existsSync(join(p.dir, sub))) cpSync(join(p.dir, sub), join(outDir, sub), { recursive: true });
      }
    }

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
      finishedAt: new Date(parts.map((p) => p.summary.finishedAt).sort().at(-1)!),
      trainedPoints: points.length,
      points,
      expected,
      dataset: first.summary.dataset,
      parameterCount: first.summary.parameterCount,
      predictions: first.summary.predictions,
      errors,
    });
    store.writeSummary(summary);
    return summary;
  } finally {
    store.close();
  }
}
