import { fork, type ChildProcess } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { experimentHash } from '../config/hash';
import type { Experiment } from '../config/types';
import { loadDataset } from '../data/generate';
import { makeLayout } from '../model/layout';
import { buildSummary, datasetInfo, type RunStatus, type RunSummary } from '../results/summary';
import { ResultsStore, type RunManifest } from '../results/store';
import { planChains, shardChains, type ChainSpec } from '../sweep/chains';
import type { RunEvent } from '../../protocol/run';
import type { HostToWorker, WorkerToHost } from '../../protocol/worker';

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
  const configDir = dirname(opts.configPath);
  const ds = loadDataset(e.data, e.seed, configDir);
  store.writeData(ds);

  const doneIds = new Set(store.points().map((p) => p.id));
  const total = chains.reduce((s, c) => s + c.points.length, 0);
  let done = chains.reduce((s, c) => s + c.points.filter((p) => doneIds.has(p.id)).length, 0);
  const pending = chains.filter((c) => c.points.some((p) => !doneIds.has(p.id)));
  const workerCount = Math.max(0, Math.min(opts.workers, pending.length));
  emit({ type: 'started', runId, outDir: opts.outDir, total, done, chains: chains.length, workers: workerCount });

  const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
  const errors: string[] = [];
  const backends = new Set<string>();
  let status = 'complete' as RunStatus; // set by the abort handler

  const doneAtStart = done;
  await new Promise<void>((resolve) => {
    const queue = [...pending];
    const children = new Set<ChildProcess>();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      opts.signal?.removeEventListener('abort', onAbort);
      for (const c of children) c.kill('SIGKILL');
      resolve();
    };
    const onAbort = () => {
      status = 'cancelled';
      finish();
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);

    const startWorker = () => {
      const child = fork(opts.workerScript, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.add(child);
      let current: ChainSpec | undefined;
      /** Hands the worker the next chain, or lets it go when there is none. */
      const next = () => {
        current = queue.shift();
        if (!current) return child.disconnect();
        const cp = store.readCheckpoint(current.id);
        const msg: HostToWorker = {
          type: 'chain',
          runId,
          experiment: e,
          configDir,
          chain: current,
          resume: { done: current.points.filter((p) => doneIds.has(p.id)).map((p) => p.id), theta: cp ? Float64Array.from(cp.theta) : null },
        };
        child.send(msg);
      };
      child.on('message', (msg: WorkerToHost) => {
        if (finished || msg.runId !== runId) return;
        if (msg.type === 'ready') {
          if (!backends.has(msg.backend)) emit({ type: 'backend', runId, description: msg.backend });
          backends.add(msg.backend);
        } else if (msg.type === 'point') {
          const record = msg.record;
          // Checkpoint first: it carries the record, so a kill between the writes loses nothing.
          store.writeCheckpoint(msg.chainId, { record, theta: Array.from(msg.theta) });
          store.writeParams(record.id, msg.theta);
          if (opts.saveModels) store.writeModel(record, msg.theta, layout, e.model.activation);
          store.appendPoint(record);
          doneIds.add(record.id);
          done++;
          emit({ type: 'point', runId, record, done, total });
        } else {
          if (msg.type === 'chainFailed') {
            errors.push(`chain ${msg.chainId}: ${msg.message}`);
            emit({ type: 'chainFailed', runId, chainId: msg.chainId, message: msg.message });
          }
          next();
        }
      });
      child.on('exit', (code, sig) => {
        children.delete(child);
        if (finished) return;
        if (current && code !== 0) {
          const message = `worker exited (${sig ?? `code ${code}`})`;
          errors.push(`chain ${current.id}: ${message}`);
          emit({ type: 'chainFailed', runId, chainId: current.id, message });
        }
        // A crashed worker's queue is taken over by a fresh one.
        if (queue.length > 0 && children.size < workerCount) startWorker();
        if (children.size === 0) finish();
      });
      next();
    };
    for (let i = 0; i < workerCount; i++) startWorker();
    if (workerCount === 0) finish();
  });

  if (status === 'complete' && errors.length) status = 'failed';
  const points = status === 'cancelled' ? store.points() : store.finalizePoints();
  const summary = buildSummary({
    name: e.name,
    configHash: manifest.configHash,
    status,
    backends,
    startedAt,
    finishedAt: new Date(),
    trainedPoints: done - doneAtStart,
    points,
    expected: total,
    dataset: datasetInfo(ds),
    parameterCount: layout.size,
    errors,
  });
  store.writeSummary(summary);
  emit({ type: 'finished', runId, summary });
  return summary;
}
