// The extension host's side of the engine process (src/protocol/engine.ts): one long-lived
// fork for every method, started on the first request and again after it dies. A prediction
// and a slice run under a time bound (the process is killed when one overruns) and a memory
// bound (--max-old-space-size, and the resident size while one runs); a run under neither: it
// lasts as long as its sweep, and its data and training are in the CLI's processes, which the
// engine forks. No vscode import, so the unit tests drive it directly.
//
// Scheduling: one request of each method at a time, methods side by side. A slice takes seconds
// and a hover waits for its prediction only briefly, so a prediction is never queued behind a
// slice or a run: it is sent at once, and the engine serves it at the slice's next chunk (a grid
// row, or the Hessian's eigenvectors: well under a second for the networks the editor shows) or
// between two of the run's events. When the process is killed for one request (its time bound,
// or a superseded prediction, which cannot be stopped otherwise), the other predictions and
// slices in flight were not at fault: they are sent again to the next process. A run is not:
// its CLI stops with the engine, keeping every finished point, and the run is reported stopped,
// for the user to resume. So while a run goes a superseded prediction is not killed but
// abandoned: the engine finishes it (under its time bound) and its reply is dropped.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RunEvent } from '../core/run/events';
import { CANCEL, METHOD_NOUNS, type EngineMethod, type EngineMethods, type EngineToHost, type HostToEngine } from '../protocol/engine';

export interface EngineOptions {
  /** The engine's entry: dist/engine.js (or src/engine/main.ts with execArgv ['--import', 'tsx']). */
  script: string;
  /** Node options for the process besides the heap bound. */
  execArgv?: string[];
  /** A prediction, validation or slice still running after this long is stopped with its process; by method (defaults: TIME_BOUNDS_MS). */
  timeoutMs?: Partial<Record<Exclude<EngineMethod, 'run'>, number>>;
  /**
   * The process's memory bound in MB (default 1024): its V8 heap limit, and, where /proc shows
   * it (Linux), its resident size, sampled while a prediction or a slice runs: data sets live in
   * typed arrays, outside the V8 heap, so the heap limit alone does not bound them.
   */
  memoryMb?: number;
  /** Where the engine's log lines go (the extension's output channel). */
  onLog?: (line: string) => void;
}

/**
 * Each method's default time bound: a prediction loads data and solves small problems; a
 * validation reads the data file and generates small data; a slice is hundreds of forward
 * passes over the run's data; a run has none (nor the memory bound).
 */
export const TIME_BOUNDS_MS: Record<EngineMethod, number | null> = { predict: 20_000, validate: 20_000, slice: 120_000, run: null };

/** Whether a method runs under the time and memory bounds. */
const bounded = (method: EngineMethod): boolean => TIME_BOUNDS_MS[method] !== null;

/** What to make smaller when a method overruns its time or memory. */
const SMALLER: Record<EngineMethod, string> = { predict: 'make data.n or data.inputDim smaller', validate: 'use a smaller data file', slice: 'choose fewer grid points', run: '' };

const MEMORY_SAMPLE_MS = 200;

/** The resident size of a process in MB, or undefined where /proc does not show it. */
function residentMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export type EngineOutcome<M extends EngineMethod> =
  | { status: 'done'; result: EngineMethods[M]['result'] }
  /** The engine answered with an error, or overran its time or memory: `message` says which. */
  | { status: 'failed'; message: string }
  /** A newer request of the same method and slot replaced it, or it was cancelled, before it finished. */
  | { status: 'superseded' };

interface Pending {
  id: number;
  method: EngineMethod;
  params: EngineMethods[EngineMethod]['params'];
  slot: string | undefined;
  resolve: (o: EngineOutcome<EngineMethod>) => void;
  /** Given up on while the engine still computes it (see cancel): never sent again. */
  abandoned?: boolean;
  /** A run's events, as they come. */
  onEvent?: (ev: RunEvent) => void;
  /** While it runs: its time bound. */
  timer?: NodeJS.Timeout;
}

/** A run whose engine process is gone: its CLI stopped as on SIGTERM (src/cli/main.ts), so nothing is lost. */
function runStopped(why: string): EngineOutcome<'run'> {
  return { status: 'failed', message: `the engine process stopped during the sweep (${why}); every finished point is kept: run it again to resume` };
}

export class EngineClient {
  private child: ChildProcess | null = null;
  /** The tail of the process's stderr: an out-of-memory abort says so there. */
  private stderr = '';
  private readonly queue: Pending[] = [];
  /** The request of each method the process is serving. */
  private readonly running = new Map<EngineMethod, Pending>();
  /** Samples the process's resident size while a bounded request runs. */
  private sampler: NodeJS.Timeout | null = null;
  private nextId = 1;
  private disposed = false;
  private readonly memoryMb: number;

  constructor(private readonly options: EngineOptions) {
    this.memoryMb = options.memoryMb ?? 1024;
  }

  /**
   * Queues a request. With a `slot` (what it is about: the config file, the view), a newer
   * request of the same method and slot supersedes this one (see cancel).
   */
  request<M extends Exclude<EngineMethod, 'run'>>(method: M, params: EngineMethods[M]['params'], slot?: string): Promise<EngineOutcome<M>> {
    return this.enqueue(method, params, slot);
  }

  /**
   * Runs a sweep in the engine (slot: its config file, for cancel); `onEvent` gets its events as
   * they come. Cancelled, it ends with the cancelled run's summary (its finished points kept).
   */
  run(params: EngineMethods['run']['params'], slot: string, onEvent: (ev: RunEvent) => void): Promise<EngineOutcome<'run'>> {
    return this.enqueue('run', params, slot, onEvent);
  }

  private enqueue<M extends EngineMethod>(method: M, params: EngineMethods[M]['params'], slot?: string, onEvent?: (ev: RunEvent) => void): Promise<EngineOutcome<M>> {
    if (this.disposed) return Promise.resolve({ status: 'failed', message: 'the engine is shut down' });
    if (slot !== undefined) this.cancel(method, slot);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, method, params, slot, resolve, onEvent });
      this.pump();
    });
  }

  /**
   * Gives up on the requests of `method` and `slot`. One still queued is dropped; a running one
   * is stopped as CANCEL says: a slice is sent `cancel` (the engine stops it at its next chunk,
   * keeping the process and its data sets) and resolves as superseded, as does a validation
   * (which the engine finishes in milliseconds, its reply dropped); a run is sent `cancel`
   * and resolves with the engine's reply (the cancelled summary); a prediction is stopped with
   * its process (a synchronous computation cannot be interrupted otherwise), or, while a run
   * goes, abandoned: resolved as superseded, its reply dropped when it comes.
   */
  cancel(method: EngineMethod, slot: string): void {
    for (const p of this.queue.filter((q) => q.method === method && q.slot === slot)) {
      this.queue.splice(this.queue.indexOf(p), 1);
      p.resolve({ status: 'superseded' });
    }
    const r = this.running.get(method);
    if (r?.slot !== slot) return;
    // A lost cancel: the slice's reply is dropped all the same; the run's ends with its process.
    const sendCancel = () => this.child?.send({ type: 'cancel', id: r.id } satisfies HostToEngine, () => undefined);
    switch (CANCEL[method]) {
      case 'drop':
        sendCancel();
        return this.settle(r, { status: 'superseded' });
      case 'reply':
        return void sendCancel();
      case 'kill':
        if (!this.running.has('run')) return this.stopWith(r, { status: 'superseded' });
        // Abandoned: it keeps its place (and its bound) until the engine answers, so the next prediction is sent after it.
        r.abandoned = true;
        r.resolve({ status: 'superseded' });
    }
  }

  /** The process's pid while it runs (tests watch it restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve({ status: 'superseded' });
    for (const r of [...this.running.values()]) this.settle(r, { status: 'superseded' });
    this.killProcess();
  }

  private start(): ChildProcess {
    const child = fork(this.options.script, [], {
      execArgv: [...(this.options.execArgv ?? []), `--max-old-space-size=${this.memoryMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    child.on('message', (msg: EngineToHost) => this.onReply(child, msg));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', () => undefined); // reported by 'exit' (or a failed send)
    return child;
  }

  /** Sends the first queued request of every method the process is not serving one of. */
  private pump(): void {
    if (this.disposed) return;
    for (const next of this.queue.filter((p, i, q) => !this.running.has(p.method) && q.findIndex((o) => o.method === p.method) === i)) {
      this.queue.splice(this.queue.indexOf(next), 1);
      this.send(next);
    }
  }

  private send(next: Pending): void {
    const child = (this.child ??= this.start());
    next.timer = this.armTimeout(next);
    this.running.set(next.method, next);
    if (bounded(next.method)) this.sampler ??= setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS);
    const msg = { type: 'request', id: next.id, method: next.method, params: next.params } as HostToEngine;
    child.send(msg, (err) => {
      if (err && this.running.get(next.method) === next)
        this.stopWith(next, { status: 'failed', message: `${METHOD_NOUNS[next.method]} failed: the engine process could not be reached (${err.message})` });
    });
  }

  /** The time bound of a running prediction or slice: stops it with its process when it overruns. */
  private armTimeout(r: Pending): NodeJS.Timeout | undefined {
    if (r.method === 'run') return undefined;
    const ms = this.options.timeoutMs?.[r.method] ?? TIME_BOUNDS_MS[r.method]!;
    return setTimeout(() => this.stopWith(r, { status: 'failed', message: `${METHOD_NOUNS[r.method]} took too long: stopped after ${ms / 1000} s (${SMALLER[r.method]})` }), ms);
  }

  /** The memory bound is the process's: every request it serves fails with it. */
  private sampleMemory(): void {
    const pid = this.child?.pid;
    const mb = pid === undefined ? undefined : residentMb(pid);
    if (mb === undefined || mb <= this.memoryMb) return;
    this.killProcess();
    const overrun = [...this.running.values()].find((r) => bounded(r.method))!;
    for (const r of [...this.running.values()]) this.settle(r, r.method === 'run' ? runStopped(this.outOfMemory(overrun.method)) : { status: 'failed', message: this.outOfMemory(r.method) });
  }

  /** Ends a running request with `outcome`; its method's next request can go. */
  private settle(r: Pending, outcome: EngineOutcome<EngineMethod>): void {
    clearTimeout(r.timer);
    this.running.delete(r.method);
    if (![...this.running.keys()].some(bounded) && this.sampler) {
      clearInterval(this.sampler);
      this.sampler = null;
    }
    r.resolve(outcome);
    queueMicrotask(() => this.pump());
  }

  /** Ends `r` with its process; the other predictions and slices in flight go first to the next process, a run ends (resumable). */
  private stopWith(r: Pending, outcome: EngineOutcome<EngineMethod>): void {
    this.killProcess();
    const others = [...this.running.values()].filter((o) => o !== r);
    const run = others.find((o) => o.method === 'run');
    if (run) this.settle(run, runStopped(outcome.status === 'failed' ? outcome.message : `a superseded ${METHOD_NOUNS[r.method]} was stopped`));
    for (const o of others.filter((o) => o !== run)) {
      clearTimeout(o.timer);
      this.running.delete(o.method);
    }
    this.queue.unshift(...others.filter((o) => o !== run && !o.abandoned));
    this.settle(r, outcome);
  }

  private killProcess(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  private onReply(child: ChildProcess, msg: EngineToHost): void {
    if (msg.type === 'log') return this.options.onLog?.(msg.message);
    if (child !== this.child) return;
    if (msg.type === 'event') return [...this.running.values()].find((p) => p.id === msg.id)?.onEvent?.(msg.event);
    if (msg.type === 'ready') {
      // The bound is on the request's own work: it counts again from here.
      for (const r of this.running.values()) {
        clearTimeout(r.timer);
        r.timer = this.armTimeout(r);
      }
      return;
    }
    const r = [...this.running.values()].find((p) => p.id === msg.id);
    if (r) this.settle(r, msg.ok ? { status: 'done', result: msg.result } : { status: 'failed', message: msg.message });
  }

  private outOfMemory(method: EngineMethod): string {
    return `${METHOD_NOUNS[method]} ran out of memory: stopped at ${this.memoryMb} MB (${SMALLER[method]})`;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return; // one we stopped ourselves
    this.child = null;
    const oom = /heap out of memory|Allocation failed/i.test(this.stderr);
    const last = this.stderr.trim().split('\n').pop() ?? '';
    for (const r of [...this.running.values()]) {
      const how = `${signal ? `signal ${signal}` : `exit code ${code}`}${last ? `: ${last}` : ''}`;
      if (r.method === 'run') this.settle(r, runStopped(oom ? 'out of memory' : how));
      else this.settle(r, { status: 'failed', message: oom ? this.outOfMemory(r.method) : `${METHOD_NOUNS[r.method]} failed: the engine process stopped (${how})` });
    }
  }
}
