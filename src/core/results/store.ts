import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PointSlice } from '../analysis/slice';
import type { Experiment } from '../config/types';
import { InputError } from '../errors';
import { datasetToJson, type Dataset, type DatasetJson } from '../data/dataset';
import type { VaeReconstructions } from '../measures/vaeReconstructions';
import type { Layout } from '../model/layout';
import type { PointRecord } from '../sweep/point';
import { acquireLock, checkId, fsCall, makeDirs, readJson, refuseLinks, ResultsLockedError, writeAtomic } from './folder';
import { sortPoints } from './order';
import { encodeNpz } from '../npy/npy';
import { frameRecord, parseLog, type ParsedLog } from './records';
import type { Shard } from '../sweep/chains';
import type { RunSummary } from './summary';
import type { Transition } from '../transitions/types';

/** run.json: what a results folder holds, written when the run starts. */
export interface RunManifest {
  name: string;
  configHash: string;
  /** SHA-256 of the samples the run trains and tests on (data/hash): an edited CSV is another run. */
  dataHash: string;
  /** The config file the run came from, as given. */
  configPath: string;
  experiment: Experiment;
  /** Chains this folder is responsible for (all of them, or one shard's). */
  chains: string[];
  shard: Shard | null;
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

export { ResultsLockedError, writeAtomic };

/**
 * One results folder, and the only module that knows its layout. The orchestrating process is
 * its only writer (the lock). Every finished point is appended to points.jsonl as a
 * self-checking line (records.ts) and fsynced before the next is reported, so a kill loses at
 * most the point in progress; the chain checkpoint is written first and carries the record
 * too, so even a kill between the two writes is repaired on reopening. No path inside the
 * folder may be a symbolic link, and point ids are checked before they name a file.
 */
export class ResultsStore {
  /** What reopening found and repaired (damaged lines set aside, points recovered), for the log. */
  readonly notices: string[] = [];

  private constructor(
    readonly dir: string,
    readonly manifest: RunManifest,
    private readonly lock: string,
  ) {}

  get pointsPath(): string {
    return join(this.dir, 'points.jsonl');
  }

  /**
   * Creates the folder, or reopens it to resume when it holds a run of the same config and
   * data; either way under its exclusive lock (ResultsLockedError while another run holds
   * it), released by `close`.
   */
  static open(dir: string, manifest: RunManifest): ResultsStore {
    makeDirs(dir);
    refuseLinks(dir, dir);
    const lock = acquireLock(dir);
    try {
      for (const sub of SUBFOLDERS) refuseLinks(dir, join(dir, sub));
      makeDirs(join(dir, 'checkpoints'));
      const manifestPath = join(dir, 'run.json');
      // A folder whose run never finished a point holds nothing to lose: a fixed config takes it over.
      if (existsSync(manifestPath) && !existsSync(join(dir, 'summary.json')) && readLog(join(dir, 'points.jsonl')).points.length === 0 && readdirSync(join(dir, 'checkpoints')).length === 0) {
        for (const f of ['run.json', 'data.json', 'refinement.json']) rmSync(join(dir, f), { force: true });
      }
      if (existsSync(manifestPath)) {
        const old = readManifest(dir);
        if (old.configHash !== manifest.configHash) {
          throw new ResultsMismatchError(`${dir} holds results of a different configuration (hash ${old.configHash}, this one is ${manifest.configHash}); choose another --out folder or delete it`);
        }
        if (old.dataHash !== undefined && old.dataHash !== manifest.dataHash) {
          throw new ResultsMismatchError(
            `${dir} holds results of the same configuration on different data (the data file changed since; data hash ${old.dataHash.slice(0, 12)}, now ${manifest.dataHash.slice(0, 12)}); choose another --out folder, or restore the data`,
          );
        }
        const store = new ResultsStore(dir, { ...old, dataHash: manifest.dataHash }, lock);
        store.repair();
        return store;
      }
      writeAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
      writeAtomic(join(dir, 'points.jsonl'), '');
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

  /** Reads an existing folder without writing to it; damaged lines are left out (and counted). */
  static read(dir: string): { manifest: RunManifest; points: PointRecord[]; damaged: number } {
    refuseLinks(dir, dir);
    const manifest = readManifest(dir);
    const log = readLog(join(dir, 'points.jsonl'));
    return { manifest, points: log.points, damaged: log.damaged.length };
  }

  /**
   * Makes points.jsonl hold every good record once: a torn last line is dropped, a damaged line
   * anywhere is set aside (its point is retrained on resume, the lines after it stand),
   * duplicates are dropped, and checkpointed points the log lacks are re-appended.
   */
  private repair(): void {
    const log = readLog(this.pointsPath);
    for (const d of log.damaged) {
      this.notices.push(`${this.pointsPath}:${d.line}: ${d.reason}; set aside${d.id ? ` (point ${d.id} is recovered from its checkpoint or trained again)` : ''}`);
    }
    if (log.duplicates) this.notices.push(`${this.pointsPath}: ${log.duplicates} duplicate record(s) dropped`);
    if (log.damaged.length || log.duplicates || log.tornTail) {
      if (log.damaged.length) writeAtomic(join(this.dir, `points.damaged-${Date.now()}.jsonl`), readFileSync(this.pointsPath, 'utf8'));
      writeAtomic(this.pointsPath, log.points.map(frameRecord).join(''));
    }
    const ids = new Set(log.points.map((p) => p.id));
    for (const file of readdirSync(join(this.dir, 'checkpoints')).filter((f) => f.endsWith('.json'))) {
      const cp = this.readCheckpoint(file.slice(0, -5));
      // A kill between the checkpoint and the parameters' write: the checkpoint has θ too.
      if (cp && !this.readParams(cp.record.id)) this.writeParams(cp.record.id, Float64Array.from(cp.theta));
      if (cp && !ids.has(cp.record.id)) {
        this.appendPoint(cp.record);
        ids.add(cp.record.id);
        if (log.damaged.some((d) => d.id === cp.record.id)) this.notices.push(`point ${cp.record.id} recovered from its checkpoint`);
      }
    }
  }

  points(): PointRecord[] {
    return readLog(this.pointsPath).points;
  }

  appendPoint(record: PointRecord): void {
    fsCall(this.pointsPath, () => {
      const fd = openSync(this.pointsPath, 'a');
      try {
        writeSync(fd, frameRecord(record));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  }

  writeCheckpoint(chainId: string, cp: Checkpoint): void {
    writeAtomic(join(this.dir, 'checkpoints', `${checkId(chainId)}.json`), JSON.stringify(cp));
  }

  /** A chain's checkpoint; null when there is none or it is damaged (then the chain resumes from params/). */
  readCheckpoint(chainId: string): Checkpoint | null {
    const path = join(this.dir, 'checkpoints', `${checkId(chainId)}.json`);
    if (!existsSync(path)) return null;
    try {
      const cp = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
      if (typeof cp?.record?.id === 'string' && Array.isArray(cp.theta)) return cp;
    } catch {
      // reported below
    }
    this.notices.push(`${path} is damaged; ignored (the chain resumes from its stored parameters)`);
    return null;
  }

  writeModel(record: PointRecord, theta: ArrayLike<number>, layout: Layout, activation: string): void {
    makeDirs(join(this.dir, 'models'));
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
    writeAtomic(join(this.dir, 'models', `${checkId(record.id)}.json`), JSON.stringify(model));
    // The same weights for numpy.load: W0, b0, W1, … (b only where the layer has a bias).
    const arrays = model.layers.flatMap((l, i) => [{ name: `W${i}`, data: l.weights, shape: l.shape }, ...(l.bias ? [{ name: `b${i}`, data: l.bias, shape: [l.bias.length] }] : [])]);
    writeAtomic(join(this.dir, 'models', `${record.id}.npz`), encodeNpz(arrays));
  }

  /** A point's stored parameters, or null when the folder has none (or a damaged file) for it. */
  readParams(id: string): Float64Array | null {
    try {
      return readParams(this.dir, id);
    } catch {
      return null;
    }
  }

  /** params/<id>.f64: θ of every point as little-endian float64, for resumes, slices and the views. */
  writeParams(id: string, theta: Float64Array): void {
    makeDirs(join(this.dir, 'params'));
    const bytes = Buffer.alloc(theta.length * 8);
    theta.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
    writeAtomic(join(this.dir, 'params', `${checkId(id)}.f64`), bytes);
  }

  /** reconstructions/<id>.json: a VAE point's decoded digits and latent traversals, for the sweep panel. */
  writeReconstructions(r: VaeReconstructions): void {
    makeDirs(join(this.dir, 'reconstructions'));
    writeAtomic(join(this.dir, 'reconstructions', `${checkId(r.id)}.json`), JSON.stringify(r));
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
    return existsSync(path) ? readJson<T[]>(path, 'delete it (the refinement round is planned again)') : [];
  }

  writeSummary(summary: object): void {
    writeAtomic(join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  }

  /** Rewrites points.jsonl in canonical order, so equal runs give equal files. */
  finalizePoints(): PointRecord[] {
    const points = sortPoints(this.points());
    writeAtomic(this.pointsPath, points.map(frameRecord).join(''));
    return points;
  }

  /** Writes `points` (in canonical order) as this folder's whole log: a merge's result. */
  writePoints(points: PointRecord[]): void {
    writeAtomic(this.pointsPath, sortPoints(points).map(frameRecord).join(''));
  }

  modelIds(): string[] {
    const dir = join(this.dir, 'models');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
      : [];
  }
}

/** The subfolders a run writes; none may be a link. */
const SUBFOLDERS = ['checkpoints', 'params', 'models', 'slices', 'reconstructions'];

function readManifest(dir: string): RunManifest {
  const path = join(dir, 'run.json');
  if (!existsSync(path)) throw new InputError(`${dir} is not a results folder (no run.json)`);
  const m = readJson<RunManifest>(path, 'this folder cannot be resumed; choose another --out folder (or delete this one)');
  if (typeof m?.configHash !== 'string' || !Array.isArray(m.chains)) throw new InputError(`${path} is not a results manifest; choose another --out folder (or delete this one)`);
  return m;
}

function readLog(path: string): ParsedLog {
  return parseLog(existsSync(path) ? fsCall(path, () => readFileSync(path, 'utf8'), InputError) : '');
}

export function readParams(dir: string, id: string): Float64Array {
  const path = join(dir, 'params', `${checkId(id)}.f64`);
  refuseLinks(dir, path);
  if (!existsSync(path)) throw new InputError(`no parameters stored for point ${id} in ${dir}`);
  const bytes = readFileSync(path);
  if (bytes.length % 8 !== 0) throw new InputError(`${path} is damaged (${bytes.length} bytes is not a whole number of float64 values)`);
  const theta = new Float64Array(bytes.length / 8);
  for (let i = 0; i < theta.length; i++) theta[i] = bytes.readDoubleLE(i * 8);
  return theta;
}

/** A point's reconstructions/<id>.json; null when it has none (an MLP, a diverged point, a run from before they were recorded) or the file is damaged. */
export function readReconstructions(dir: string, id: string): VaeReconstructions | null {
  const path = join(dir, 'reconstructions', `${checkId(id)}.json`);
  refuseLinks(dir, path);
  if (!existsSync(path)) return null;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as VaeReconstructions;
    return r?.id === id && Array.isArray(r.reconstructions) ? r : null;
  } catch {
    return null;
  }
}

/** data.json back into a Dataset: the exact samples the run trained on. */
export function readData(dir: string): Dataset {
  const json = readJson<DatasetJson>(join(dir, 'data.json'), 'run the sweep again with the same --out to rewrite it');
  const split = (s: { x: number[][]; y: number[][] }) => ({ n: s.x.length, x: Float64Array.from(s.x.flat()), y: Float64Array.from(s.y.flat()) });
  const train = split(json.train);
  return { task: json.task, inputDim: json.train.x[0].length, outputDim: json.train.y[0].length, train, test: split(json.test) };
}

/** The slices computed so far (slices/*.json); a damaged file is left out. */
export function readSlices(dir: string): PointSlice[] {
  const folder = join(dir, 'slices');
  if (!existsSync(folder)) return [];
  refuseLinks(dir, folder);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(join(folder, f), 'utf8')) as PointSlice];
      } catch {
        return [];
      }
    });
}

/** A slice's file, slices/<id>-<what>.json, written atomically. */
export function writeSlice(dir: string, id: string, what: string, content: object): string {
  const folder = join(dir, 'slices');
  refuseLinks(dir, folder);
  makeDirs(folder);
  const path = join(folder, `${checkId(id)}-${what}.json`);
  writeAtomic(path, JSON.stringify(content));
  return path;
}

/**
 * summary.json of a run folder, or null before the run ends. Summaries written before sweeps
 * had other axes name the critical value `lambda` (and the change point's distance
 * `distanceLog10`): read as what they are, λ transitions.
 */
export function readSummary(dir: string): RunSummary | null {
  const path = join(dir, 'summary.json');
  if (!existsSync(path)) return null;
  const summary = JSON.parse(readFileSync(path, 'utf8')) as RunSummary;
  summary.transitions = summary.transitions.map(upgradeTransition);
  return summary;
}

type OldTransition = Transition & { lambda?: number; curvatureChangePoint?: Transition['curvatureChangePoint'] & { lambda?: number; distanceLog10?: number } };

export function upgradeTransition(t: OldTransition): Transition {
  if (t.axis !== undefined) return t;
  const { lambda, curvatureChangePoint: cp, ...rest } = t;
  const upgraded: Transition = { ...rest, axis: 'lambda', value: lambda ?? rest.value };
  if (cp) upgraded.curvatureChangePoint = { value: cp.lambda ?? cp.value, distance: cp.distanceLog10 ?? cp.distance, curve: cp.curve, kind: cp.kind };
  return upgraded;
}
