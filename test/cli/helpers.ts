import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Rng } from '../../src/core/random';

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
      seen += chunk
        .toString()
        .split('\n')
        .filter((l) => l.includes('"type":"point"')).length;
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

/** A seeded stream of uniforms in [0, 1) from the engine's own generator: every CI run draws the same. */
export function uniforms(seed: number, label: string): () => number {
  const rng = new Rng(seed, label);
  return () => rng.uniform();
}

/** A two-moons tanh net small enough for seconds-long runs; every point warm-starts from its predecessor. No refinement. */
export const TINY_SWEEP = {
  name: 'tiny',
  data: { kind: 'two-moons', n: 120, noise: 0.15 },
  model: { hidden: [6], activation: 'tanh' },
  train: { maxSteps: 300, tolerance: 1e-5 },
  sweep: { from: 1e-3, to: 1, points: 8, direction: 'up', seeds: [0, 1] },
  analysis: { transitions: { refine: false } },
};

/** Three first-order transitions of a deep linear net: 32 grid points, then several rounds of refinement. */
export const THREE_TRANSITIONS = {
  name: 'three',
  data: { kind: 'linear', n: 300, inputDim: 5, outputDim: 3, singularValues: [1.8, 1.1, 0.6], noise: 0 },
  model: { hidden: [4, 4], activation: 'linear', bias: false },
  sweep: { from: 0.05, to: 2, points: 16, direction: 'both', seeds: [0] },
};
