import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The bundled CLI; `npm test` builds it first. Missing means a broken setup: fail loudly. */
export const CLI = resolve(__dirname, '../../dist/cli.js');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test does it)`);

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `l2exp-${label}-`));
}

/** Writes an experiment file into `dir` and returns its path. */
export function writeConfig(dir: string, config: object, name = 'exp.l2exp.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

export function l2exp(args: string[], cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 240_000 });
}

export function l2expAsync(args: string[]) {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts `l2exp ARGS --json` and SIGKILLs it once it has reported `after` points (rejects if it ends first). */
export function runUntilKilled(args: string[], after: number): Promise<void> {
  const child = l2expAsync([...args, '--json']);
  let seen = 0;
  return new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').filter((l) => l.includes('"type":"point"')).length;
      if (seen >= after && child.exitCode === null) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => (seen >= after ? resolve() : reject(new Error('the run ended before it could be killed'))));
  });
}

export function pointsText(dir: string): string {
  return readFileSync(join(dir, 'points.jsonl'), 'utf8');
}

export function points(dir: string): Record<string, unknown>[] {
  return pointsText(dir)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
