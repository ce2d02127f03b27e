import { fork, type ChildProcess } from 'node:child_process';
import type { Experiment } from '../config/types';
import type { ChainSpec } from '../sweep/chains';
import type { VaeReconstructions } from '../measures/vaeReconstructions';
import type { PointRecord } from '../sweep/point';
import type { ChainResume } from '../sweep/runChain';
import type { Dataset } from '../data/dataset';
import type { HostToWorker, WorkerToHost } from './workerMessages';

/** A chain to train, with what it resumes from. */
export interface PoolTask {
  chain: ChainSpec;
  resume: ChainResume;
}

export interface PoolEvents {
  backend(description: string): void;
  point(chainId: string, record: PointRecord, theta: Float64Array, reconstructions?: VaeReconstructions): void;
  chainFailed(chainId: string, message: string): void;
}

interface Worker {
  child: ChildProcess;
  task: PoolTask | null;
}

/**
 * Training worker processes (one chain at a time each) kept across batches of tasks, so that
 * refinement rounds do not pay for starting workers and loading backends again. A worker that
 * dies takes its chain down with it (reported); the rest of the queue goes on, on a fresh one.
 */
export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private queue: PoolTask[] = [];
  private settle: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly script: string,
    private readonly size: number,
    private readonly runId: string,
    private readonly experiment: Experiment,
    private readonly dataset: Dataset,
    private readonly on: PoolEvents,
  ) {}

  /** Trains the tasks; resolves when every one has finished or failed, or the pool is closed. */
  run(tasks: PoolTask[]): Promise<void> {
    this.queue.push(...tasks);
    return new Promise((resolve) => {
      this.settle = resolve;
      this.pump();
    });
  }

  /** Kills every worker at once (cancellation): what they were training is lost, nothing else. */
  close(): void {
    this.closed = true;
    for (const w of this.workers) w.child.kill('SIGKILL');
    this.workers.clear();
    this.queue = [];
    this.settle?.();
  }

  /** Lets idle workers exit after the last batch. */
  shutdown(): void {
    for (const w of this.workers) if (!w.task) w.child.disconnect();
  }

  private pump(): void {
    if (this.closed) return;
    for (const w of this.workers) if (!w.task) this.assign(w);
    while (this.queue.length > 0 && this.workers.size < this.size) this.assign(this.start());
    if (this.queue.length === 0 && [...this.workers].every((w) => !w.task)) {
      const settle = this.settle;
      this.settle = null;
      settle?.();
    }
  }

  private assign(w: Worker): void {
    const task = this.queue.shift();
    if (!task) return;
    w.task = task;
    const msg: HostToWorker = { type: 'chain', runId: this.runId, experiment: this.experiment, chain: task.chain, resume: task.resume };
    w.child.send(msg);
  }

  private start(): Worker {
    const child = fork(this.script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const w: Worker = { child, task: null };
    this.workers.add(w);
    const data: HostToWorker = { type: 'data', runId: this.runId, dataset: this.dataset };
    child.send(data);
    child.on('message', (msg: WorkerToHost) => {
      if (this.closed || msg.runId !== this.runId) return;
      if (msg.type === 'ready') this.on.backend(msg.backend);
      else if (msg.type === 'point') this.on.point(msg.chainId, msg.record, msg.theta, msg.reconstructions);
      else {
        if (msg.type === 'chainFailed') this.on.chainFailed(msg.chainId, msg.message);
        w.task = null;
        this.pump();
      }
    });
    child.on('exit', (code, sig) => {
      this.workers.delete(w);
      if (this.closed) return;
      if (w.task && code !== 0) this.on.chainFailed(w.task.chain.id, `worker exited (${sig ?? `code ${code}`})`);
      w.task = null;
      this.pump();
    });
    return w;
  }
}
