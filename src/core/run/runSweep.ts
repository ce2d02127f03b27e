import { basename, dirname } from 'node:path';
import { experimentHash } from '../config/hash';
import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import { ownKernelsOrJs } from '../kernels/selectBackend';
import { deflateModes } from '../measures/modeSpectrum';
import { initialParameters } from '../model/init';
import { Mlp } from '../model/mlp';
import { Rng } from '../random';
import { buildSummary, datasetInfo, type RunStatus, type RunSummary } from '../results/summary';
import { readParams, ResultsStore, type RunManifest } from '../results/store';
import type { PointRecord } from '../sweep/point';
import { datasetHash } from '../data/datasetHash';
import { planChains, shardChains, type ChainSpec, type Shard } from '../sweep/chains';
import type { RunEvent } from './events';
import { predictTransitions } from '../predict';
import { sweepAxis } from '../transitions/detect';
import { pointLayout, pointSetting } from '../sweep/pointSetting';
import { deflateLatents } from '../sweep/vaePoint';
import { poolTask, refinementTasks, type RefineTask, type Starts } from './refine';
import { WorkerPool, type PoolTask } from './workerPool';

export interface RunOptions {
  experiment: Experiment;
  configPath: string;
  /** The experiment's data, loaded by the caller (config/data's loadDataset with its root). */
  dataset: Dataset;
  outDir: string;
  /** Worker processes (at most one per pending chain is started). */
  workers: number;
  shard: Shard | null;
  saveModels: boolean;
  /** The bundled worker entry (dist/worker.js). */
  workerScript: string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

/**
 * Runs (or resumes) a sweep: plans the chains, forks workers, and is the only writer of the
 * results folder. Cancelling (the signal) kills the workers; every point reported so far is
 * already on disk, and running again with the same folder resumes.
 */
export async function runSweep(opts: RunOptions): Promise<RunSummary> {
  const e = opts.experiment;
  const startedAt = new Date();
  const runId = basename(opts.outDir);
  const emit = (ev: RunEvent) => opts.onEvent?.(ev);
  let chains = planChains(e);
  if (opts.shard) chains = shardChains(chains, opts.shard);
  const ds = opts.dataset;
  const manifest: RunManifest = {
    name: e.name,
    configHash: experimentHash(e),
    dataHash: datasetHash(ds),
    configPath: opts.configPath,
    experiment: e,
    chains: chains.map((c) => c.id),
    shard: opts.shard,
    createdAt: startedAt.toISOString(),
  };
  const store = ResultsStore.open(opts.outDir, manifest);
  // The lock is released however the run ends (finished, cancelled, failed, or an error).
  try {
    for (const message of store.notices) emit({ type: 'notice', runId, message });
    store.writeData(ds);

    const finished = new Map(store.points().map((p) => [p.id, p]));
    const doneIds = new Set(finished.keys());
    const warm = e.sweep.warmStart;
    const resumes = chains.map((c) => resumeOf(c, warm, finished, store));
    const pending = resumes.filter((t) => t.resume.done.size < t.chain.points.length);
    const total = chains.reduce((s, c) => s + c.points.length, 0);
    let done = resumes.reduce((s, t) => s + t.resume.done.size, 0);
    emit({ type: 'started', runId, outDir: opts.outDir, total, done, chains: chains.length, workers: Math.max(1, Math.min(opts.workers, pending.length)) });

    const layout = pointLayout(e, ds, e.model);
    const errors: string[] = [];
    const backends = new Set<string>();
    let status = 'complete' as RunStatus; // set by the abort handler
    // Set by the point handler (a closure), so held in an object the control flow cannot narrow.
    const write: { failure: Error | null } = { failure: null };
    let expected = total;
    const doneAtStart = done;

    const pool = new WorkerPool(opts.workerScript, Math.max(1, opts.workers), runId, e, ds, {
      backend(description) {
        if (!backends.has(description)) emit({ type: 'backend', runId, description });
        backends.add(description);
      },
      point(chainId, record, theta, reconstructions) {
        if (write.failure) return;
        try {
          // Reconstructions before the checkpoint: a point is done once checkpointed, and only
          // the worker can make them, so a kill before the checkpoint trains the point again.
          if (reconstructions) store.writeReconstructions(reconstructions);
          // Then the checkpoint: it carries the record, so a kill between the writes loses nothing.
          store.writeCheckpoint(chainId, { record, theta: Array.from(theta) });
          store.writeParams(record.id, theta);
          if (opts.saveModels) store.writeModel(record, theta, pointLayout(e, ds, pointSetting(e, ds, record)), e.model.activation);
          // A point trained again only for its lost parameters is already in the log.
          if (!finished.has(record.id)) store.appendPoint(record);
        } catch (err) {
          // A write that fails (a full disk, a revoked permission) ends the run: workers
          // stopped, no temporary file left; what is on disk resumes once the cause is fixed.
          write.failure = err as Error;
          status = 'failed';
          pool.close();
          return;
        }
        doneIds.add(record.id);
        done++;
        emit({ type: 'point', runId, record, done, total: expected });
      },
      chainFailed(chainId, message) {
        errors.push(`chain ${chainId}: ${message}`);
        emit({ type: 'chainFailed', runId, chainId, message });
      },
    });
    const onAbort = () => {
      status = 'cancelled';
      pool.close();
    };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);

    if (status !== 'cancelled') await pool.run(pending);

    // Adaptive refinement of the transition brackets: whole runs only (a shard sees part of the
    // sweep), after every chain finished.
    const settings = e.analysis.transitions;
    if (settings.refine && !opts.shard && status === 'complete' && errors.length === 0) {
      const kernels = ownKernelsOrJs(e.backend, { wasmDir: dirname(opts.workerScript) }).kernels;
      const starts: Starts = {
        params: (id) => readParams(opts.outDir, id),
        deflate: (theta, keep, at) => {
          // The point's own layout and training split (a width or samples sweep's differ by point).
          const s = pointSetting(e, ds, at);
          if (e.model.kind === 'vae') return deflateLatents(e, ds, s, theta, keep, kernels);
          const model = new Mlp(pointLayout(e, ds, s), e.model.activation, e.loss, kernels, 'float64');
          return deflateModes(model, theta, model.toModel(s.train.x), s.train.n, keep);
        },
        restart: (seed, factor, at) => {
          const s = pointSetting(e, ds, at);
          return initialParameters(pointLayout(e, ds, s), e.train.init, factor * s.initScale, new Rng(e.seed, `restart/s${seed}/x${factor}`));
        },
      };
      let budget = settings.refineBudget - store.points().filter((p) => p.index === -1).length;
      // A round that an interruption cut short is finished first, exactly as it was planned, so
      // that a resumed run makes the same later rounds as an uninterrupted one.
      let unfinished = store.readRound<RefineTask>().filter((t) => !doneIds.has(t.id));
      while (budget > 0 && status === 'complete' && !write.failure) {
        const tasks = unfinished.length ? unfinished : refinementTasks(e, store.points(), ds.inputDim).slice(0, budget);
        unfinished = [];
        if (tasks.length === 0) break;
        store.writeRound(tasks);
        expected += tasks.length;
        budget -= tasks.length;
        await pool.run(tasks.map((t) => poolTask(t, starts)));
      }
    }
    pool.shutdown();
    opts.signal?.removeEventListener('abort', onAbort);
    if (write.failure) throw write.failure;
    // A chain that failed (an error in training, a worker that died) fails the run; its points stand.
    if (status === 'complete' && errors.length > 0) status = 'failed';

    const points = status === 'cancelled' ? store.points() : store.finalizePoints();
    // A prediction that cannot be made (an unusual configuration) must not cost the trained run.
    let predictions: RunSummary['predictions'] = [];
    try {
      predictions = predictTransitions(e, ds).predictions;
    } catch (err) {
      errors.push(`prediction: ${(err as Error).message}`);
    }
    const summary = buildSummary({
      name: e.name,
      configHash: manifest.configHash,
      status,
      backends,
      startedAt,
      finishedAt: new Date(),
      trainedPoints: done - doneAtStart,
      points,
      axis: sweepAxis(e),
      expected,
      dataset: datasetInfo(ds),
      parameterCount: layout.size,
      predictions,
      errors,
      shard: opts.shard !== null,
    });
    store.writeSummary(summary);
    emit({ type: 'finished', runId, summary });
    return summary;
  } finally {
    store.close();
  }
}

/**
 * Where a chain goes on. After each finished point that a point to train follows: its solution
 * (the checkpoint's, or params/<id>.f64), so a gap a damaged line left mid-chain is trained
 * from its true predecessor and comes out as it did. A finished point whose solution is lost
 * is trained again (to the same result) so its successor can start from it.
 */
function resumeOf(chain: ChainSpec, warm: boolean, finished: Map<string, PointRecord>, store: ResultsStore): PoolTask {
  const ids = chain.points.map((p) => p.id);
  const done = new Set(ids.filter((id) => finished.has(id)));
  const after = new Map<string, Float64Array | null>();
  const continues = warm && chain.direction !== 'fresh';
  const cp = continues && done.size < ids.length ? store.readCheckpoint(chain.id) : null;
  for (let i = ids.length - 2; continues && i >= 0; i--) {
    if (!done.has(ids[i]) || done.has(ids[i + 1])) continue;
    if (finished.get(ids[i])!.diverged) {
      after.set(ids[i], null);
      continue;
    }
    const theta = cp?.record.id === ids[i] ? Float64Array.from(cp.theta) : store.readParams(ids[i]);
    if (theta) after.set(ids[i], theta);
    else done.delete(ids[i]);
  }
  return { chain, resume: { done, after, start: null } };
}
