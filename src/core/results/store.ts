import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Experiment } from '../config/types';
import { InputError } from '../errors';
import { datasetToJson, type Dataset, type DatasetJson } from '../data/dataset';
import type { Layout } from '../model/layout';
import type { PointRecord } from '../sweep/point';
import { sortPoints } from './order';

/** run.json: what a results folder holds, written when the run starts. */
export interface RunManifest {
  name: string;
  configHash: string;
  /** The config file the run came from, as given. */
  configPath: string;
  experiment: Experiment;
  /** Chains this folder is responsible for (all of them, or one shard's). */
  chains: string[];
  shard: { index: number; count: number } | null;
  createdAt: string;
}

/** The last finished point of a chain with its parameters: enough to resume the chain. */
export interface Checkpoint {
  record: PointRecord;
  theta: number[];
}

/** models/<id>.json, reloadable without this tool: f = act(x·W + b) per hidden layer, linear output. */
export interface SavedModel {
  id: string;
  lambda: number;
  direction: string;
  seed: number;
  activation: string;
  layers: { shape: [number, number]; weights: number[]; bias: number[] | null }[];
}

export class ResultsMismatchError extends InputError {}

/** Another live process writes the folder: two writers would duplicate and interleave records. */
export class ResultsLockedError extends InputError {}

/** .lock: who holds a results folder. */
interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/**
 * Signal 0 tests for a process without touching it (EPERM: it exists under another user). A
 * killed process that its parent has not reaped yet still answers; on Linux /proc tells that
 * zombie (state Z) from a live one.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/PID/stat: "pid (comm) state …"; comm may hold spaces and parentheses, so split at the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Takes the folder's exclusive lock: `.lock` created with O_EXCL, holding our pid and host. A
 * lock whose process is gone (a kill -9, a crash) is stale and taken over; a live holder on
 * this host, or any holder on another (a shared cluster disk, where liveness cannot be
 * checked), is refused.
 */
function acquireLock(dir: string): string {
  const path = join(dir, '.lock');
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      writeFileSync(path, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: LockHolder | null = null;
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    } catch {
      // Unreadable or half-written: its writer died between creating and filling it.
    }
    if (holder && holder.host !== mine.host) throw new ResultsLockedError(`${dir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); if that run is gone, delete ${path}`);
    if (holder && alive(holder.pid)) throw new ResultsLockedError(`${dir} is in use by process ${holder.pid} (since ${holder.since}): one results folder takes one run at a time; wait for it, stop it, or choose another --out`);
    rmSync(path, { force: true });
  }
}

/** Writes a file so that readers see the old or the new content, never half of it. */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/**
 * One results folder. The orchestrating process is its only writer. Every finished point is
 * appended to points.jsonl and fsynced before the next is reported, so a kill loses at most the
 * point in progress; the chain checkpoint is written first and carries the record too, so even
 * a kill between the two writes is repaired on reopening.
 */
export class ResultsStore {
  private constructor(
    readonly dir: string,
    readonly manifest: RunManifest,
    private readonly lock: string,
  ) {}

  get pointsPath(): string {
    return join(this.dir, 'points.jsonl');
  }

  /**
   * Creates the folder, or reopens it to resume when it holds a run of the same config; either
   * way under its exclusive lock (ResultsLockedError while another run holds it), released by
   * `close`.
   */
  static open(dir: string, manifest: RunManifest): ResultsStore {
    mkdirSync(join(dir, 'checkpoints'), { recursive: true });
    const lock = acquireLock(dir);
    try {
      const manifestPath = join(dir, 'run.json');
      if (existsSync(manifestPath)) {
        const old = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
        if (old.configHash !== manifest.configHash) {
          throw new ResultsMismatchError(`${dir} holds results of a different configuration (hash ${old.configHash}, this one is ${manifest.configHash}); choose another --out folder or delete it`);
        }
        const store = new ResultsStore(dir, old, lock);
        store.repair();
        return store;
      }
      writeAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
      writeFileSync(join(dir, 'points.jsonl'), '');
      return new ResultsStore(dir, manifest, lock);
    } catch (err) {
      rmSync(lock, { force: true });
      throw err;
    }
  }

  /** Releases the folder's lock: the run is over (finished, cancelled or failed). */
  close(): void {
    rmSync(this.lock, { force: true });
  }

  /** Reads an existing folder without writing to it. */
  static read(dir: string): { manifest: RunManifest; points: PointRecord[] } {
    const manifestPath = join(dir, 'run.json');
    if (!existsSync(manifestPath)) throw new Error(`${dir} is not a results folder (no run.json)`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
    return { manifest, points: parsePoints(readFileSync(join(dir, 'points.jsonl'), 'utf8')).points };
  }

  /** Drops a torn last line and re-appends any checkpointed point the log lacks. */
  private repair(): void {
    const text = existsSync(this.pointsPath) ? readFileSync(this.pointsPath, 'utf8') : '';
    const { points, validLength } = parsePoints(text);
    if (validLength < Buffer.byteLength(text)) truncateSync(this.pointsPath, validLength);
    const ids = new Set(points.map((p) => p.id));
    for (const chain of this.manifest.chains) {
      const cp = this.readCheckpoint(chain);
      if (cp && !ids.has(cp.record.id)) this.appendPoint(cp.record);
    }
  }

  points(): PointRecord[] {
    return parsePoints(readFileSync(this.pointsPath, 'utf8')).points;
  }

  appendPoint(record: PointRecord): void {
    const fd = openSync(this.pointsPath, 'a');
    try {
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  writeCheckpoint(chainId: string, cp: Checkpoint): void {
    writeAtomic(join(this.dir, 'checkpoints', `${chainId}.json`), JSON.stringify(cp));
  }

  readCheckpoint(chainId: string): Checkpoint | null {
    const path = join(this.dir, 'checkpoints', `${chainId}.json`);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Checkpoint) : null;
  }

  writeModel(record: PointRecord, theta: ArrayLike<number>, layout: Layout, activation: string): void {
    mkdirSync(join(this.dir, 'models'), { recursive: true });
    const all = Array.from(theta);
    const model: SavedModel = {
      id: record.id,
      lambda: record.lambda,
      direction: record.direction,
      seed: record.seed,
      activation,
      layers: layout.layers.map(({ fanIn, fanOut, wOffset, bOffset }) => ({
        shape: [fanIn, fanOut],
        weights: all.slice(wOffset, wOffset + fanIn * fanOut),
        bias: bOffset >= 0 ? all.slice(bOffset, bOffset + fanOut) : null,
      })),
    };
    writeAtomic(join(this.dir, 'models', `${record.id}.json`), JSON.stringify(model));
  }

  /** params/<id>.f64: θ of every point as little-endian float64, for slices and the views. */
  /** A point's stored parameters, or null when the folder has none for it. */
  readParams(id: string): Float64Array | null {
    return existsSync(join(this.dir, 'params', `${id}.f64`)) ? readParams(this.dir, id) : null;
  }

  writeParams(id: string, theta: Float64Array): void {
    mkdirSync(join(this.dir, 'params'), { recursive: true });
    const bytes = Buffer.alloc(theta.length * 8);
    theta.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
    writeAtomic(join(this.dir, 'params', `${id}.f64`), bytes);
  }

  writeData(ds: Dataset): void {
    writeAtomic(join(this.dir, 'data.json'), JSON.stringify(datasetToJson(ds)));
  }

  /** refinement.json: the round of refinement being run, written before it starts. */
  writeRound(tasks: object[]): void {
    writeAtomic(join(this.dir, 'refinement.json'), JSON.stringify(tasks));
  }

  readRound<T>(): T[] {
    const path = join(this.dir, 'refinement.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T[]) : [];
  }

  writeSummary(summary: object): void {
    writeAtomic(join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  }

  /** Rewrites points.jsonl in canonical order, so equal runs give equal files. */
  finalizePoints(): PointRecord[] {
    const points = sortPoints(this.points());
    writeAtomic(this.pointsPath, points.map((p) => JSON.stringify(p) + '\n').join(''));
    return points;
  }

  modelIds(): string[] {
    const dir = join(this.dir, 'models');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
  }
}

export function readParams(dir: string, id: string): Float64Array {
  const path = join(dir, 'params', `${id}.f64`);
  if (!existsSync(path)) throw new Error(`no parameters stored for point ${id} in ${dir}`);
  const bytes = readFileSync(path);
  const theta = new Float64Array(bytes.length / 8);
  for (let i = 0; i < theta.length; i++) theta[i] = bytes.readDoubleLE(i * 8);
  return theta;
}

/** data.json back into a Dataset: the exact samples the run trained on. */
export function readData(dir: string): Dataset {
  const json = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) as DatasetJson;
  const split = (s: { x: number[][]; y: number[][] }) => ({ n: s.x.length, x: Float64Array.from(s.x.flat()), y: Float64Array.from(s.y.flat()) });
  const train = split(json.train);
  return { task: json.task, inputDim: json.train.x[0].length, outputDim: json.train.y[0].length, train, test: split(json.test) };
}

/** Parses complete lines; a torn last line (a kill mid-write) ends the valid prefix. */
function parsePoints(text: string): { points: PointRecord[]; validLength: number } {
  const points: PointRecord[] = [];
  let validLength = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const line = text.slice(start, nl);
    if (line.trim()) {
      try {
        points.push(JSON.parse(line) as PointRecord);
      } catch {
        break;
      }
    }
    start = nl + 1;
    validLength = Buffer.byteLength(text.slice(0, start));
  }
  return { points, validLength };
}
