import { basename, dirname } from 'node:path';
import { experimentHash } from '../config/hash';
import type { Experiment } from '../config/types';
import { loadDataset } from '../data/generate';
import { jsKernels } from '../kernels/jsKernels';
import { deflateModes } from '../measures/modeSpectrum';
import { makeLayout } from '../model/layout';
import { initialParameters } from '../model/init';
import { Mlp } from '../model/mlp';
import { Rng } from '../random';
import { buildSummary, datasetInfo, type RunStatus, type RunSummary } from '../results/summary';
import { readParams, ResultsStore, type RunManifest } from '../results/store';
import { planChains, shardChains, type ChainSpec } from '../sweep/chains';
import type { RunEvent } from '../../protocol/run';
import { predictTransitions } from '../predict';
import { poolTask, refinementTasks, type RefineTask, type Starts } from './refine';
import { WorkerPool, type PoolTask } from './workerPool';

export interface RunOptions {
  experiment: Experiment;
  configPath: string;
  outDir: string;
  /** Worker processes (at most one per pending chain is started). */
  workers: number;
  shard: { index: number; count: number } | null;
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
  if (opts.shard) chains = shardChains(chains, opts.shard.index, opts.shard.count);
  const manifest: RunManifest = {
    name: e.name,
    configHash: experimentHash(e),
    configPath: opts.configPath,
    experiment: e,
    chains: chains.map((c) => c.id),
    shard: opts.shard,
    createdAt: startedAt.toISOString(),
  };
  const store = ResultsStore.open(opts.outDir, manifest);
  // The lock is released however the run ends (finished, cancelled, failed, or an error).
  try {
    const configDir = dirname(opts.configPath);
    const ds = loadDataset(e.data, e.seed, configDir);
    store.writeData(ds);

    const finished = new Map(store.points().map((p) => [p.id, p]));
    const doneIds = new Set(finished.keys());
    const total = chains.reduce((s, c) => s + c.points.length, 0);
    let done = chains.reduce((s, c) => s + c.points.filter((p) => doneIds.has(p.id)).length, 0);
    const pending = chains.filter((c) => c.points.some((p) => !doneIds.has(p.id)));
    emit({ type: 'started', runId, outDir: opts.outDir, total, done, chains: chains.length, workers: Math.max(1, Math.min(opts.workers, pending.length)) });

    const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
    const errors: string[] = [];
    const backends = new Set<string>();
    let status = 'complete' as RunStatus; // set by the abort handler
    let expected = total;
    const doneAtStart = done;

    const pool = new WorkerPool(opts.workerScript, Math.max(1, opts.workers), runId, e, configDir, {
      backend(description) {
        if (!backends.has(description)) emit({ type: 'backend', runId, description });
        backends.add(description);
      },
      point(chainId, record, theta) {
        // Checkpoint first: it carries the record, so a kill between the writes loses nothing.
        store.writeCheckpoint(chainId, { record, theta: Array.from(theta) });
        store.writeParams(record.id, theta);
        if (opts.saveModels) store.writeModel(record, theta, layout, e.model.activation);
        store.appendPoint(record);
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

    /** Where a chain goes on: its checkpoint, or without one (deleted, lost) its last finished point's stored parameters. */
    const resumeOf = (chain: ChainSpec): PoolTask => {
      const done = chain.points.filter((p) => doneIds.has(p.id)).map((p) => p.id);
      const cp = store.readCheckpoint(chain.id);
      const last = finished.get(done[done.length - 1] ?? '');
      const theta = cp ? Float64Array.from(cp.theta) : last && !last.diverged ? store.readParams(last.id) : null;
      return { chain, resume: { done, theta } };
    };
    if (status !== 'cancelled') await pool.run(pending.map(resumeOf));

    // Adaptive refinement of the transition brackets: whole runs only (a shard sees part of the
    // sweep), after every chain finished.
    const settings = e.analysis.transitions;
    if (settings.refine && !opts.shard && status === 'complete' && errors.length === 0) {
      const model = new Mlp(layout, e.model.activation, e.loss, jsKernels, 'float64');
      const x = model.toModel(ds.train.x);
      const starts: Starts = {
        params: (id) => readParams(opts.outDir, id),
        deflate: (theta, keep) => deflateModes(model, theta, x, ds.train.n, keep),
        restart: (seed, factor) => initialParameters(layout, e.train.init, factor * e.train.initScale, new Rng(e.seed, `restart/s${seed}/x${factor}`)),
      };
      let budget = settings.refineBudget - store.points().filter((p) => p.index === -1).length;
      // A round that an interruption cut short is finished first, exactly as it was planned, so
      // that a resumed run makes the same later rounds as an uninterrupted one.
      let unfinished = store.readRound<RefineTask>().filter((t) => !doneIds.has(t.id));
      while (budget > 0 && status === 'complete') {
        const tasks = unfinished.length ? unfinished : refinementTasks(e, store.points()).slice(0, budget);
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
