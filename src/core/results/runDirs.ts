import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { refuseLinks } from './folder';
import type { RunManifest } from './store';
import type { Shard } from '../sweep/chains';

/** Where the runs of an experiment live by default: .l2exp/<name>/ beside its config. */
export function runsFolder(configPath: string, name: string): string {
  return join(dirname(configPath), '.l2exp', name);
}

/**
 * A new run's folder: the UTC time and the config hash's first 6 hex digits (and the shard).
 * A `.l2exp` that is a link (a cloned repository's trap) is refused rather than written through.
 */
export function newRunDir(configPath: string, name: string, configHash: string, shard: Shard | null = null): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = shard ? `-shard${shard.index}of${shard.count}` : '';
  const dir = join(runsFolder(configPath, name), `${stamp}-${configHash.slice(0, 6)}${suffix}`);
  refuseLinks(dirname(configPath), dir);
  return dir;
}

/** The newest run folder whose run.json names this config, with its manifest, or null. */
export function latestRun(configPath: string, name: string): { dir: string; manifest: RunManifest } | null {
  const root = runsFolder(configPath, name);
  if (!existsSync(root)) return null;
  let best: { dir: string; manifest: RunManifest } | null = null;
  for (const entry of readdirSync(root)) {
    const path = join(root, entry, 'run.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
    if (manifest.configPath !== configPath) continue;
    if (!best || manifest.createdAt > best.manifest.createdAt) best = { dir: join(root, entry), manifest };
  }
  return best;
}
