// The extension host's side of the engine process (src/protocol/engine.ts): one long-lived
// fork, started on the first request and again after it dies, serving requests one at a time
// under a time bound (the process is killed when a request overruns) and a heap bound
// (--max-old-space-size). No vscode import, so the unit tests drive it directly.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { METHOD_NOUNS, type EngineMethod, type EngineMethods, type EngineToHost, type HostToEngine } from '../protocol/engine';

export interface EngineOptions {
  /** The engine's entry: dist/engine.js (or src/engine/main.ts with execArgv ['--import', 'tsx']). */
  script: string;
  /** Node options for the process besides the heap bound. */
  execArgv?: string[];
  /** A request still running after this long is stopped with its process (default 20 s). */
  timeoutMs?: number;
  /**
   * The process's memory bound in MB (default 1024): its V8 heap limit, and, where /proc shows
   * it (Linux), its resident size, sampled while a request runs: data sets live in typed arrays,
   * outside the V8 heap, so the heap limit alone does not bound them.
   */
  memoryMb?: number;
  /** Where the engine's log lines go (the extension's output channel). */
  onLog?: (line: string) => void;
}

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
  /** A newer request of the same slot replaced it before it finished. */
  | { status: 'superseded' };

interface Pending {
  id: number;
  method: EngineMethod;
  params: EngineMethods[EngineMethod]['params'];
  slot: string | undefined;
  resolve: (o: EngineOutcome<EngineMethod>) => void;
}

export class EngineClient {
  private child: ChildProcess | null = null;
  /** The tail of the process's stderr: an out-of-memory abort says so there. */
  private stderr = '';
  private readonly queue: Pending[] = [];
  private running: (Pending & { timer: NodeJS.Timeout; sampler: NodeJS.Timeout }) | null = null;
  private nextId = 1;
  private disposed = false;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;

  constructor(private readonly options: EngineOptions) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.memoryMb = options.memoryMb ?? 1024;
  }

  /**
   * Queues a request. With a `slot` (the config file it is about), a newer request of the same
   * slot supersedes this one: dropped if still queued; if running, its process is stopped
   * (a synchronous computation cannot be interrupted otherwise) and a fresh one serves the next.
   */
  request<M extends EngineMethod>(method: M, params: EngineMethods[M]['params'], slot?: string): Promise<EngineOutcome<M>> {
    if (this.disposed) return Promise.resolve({ status: 'failed', message: 'the engine is shut down' });
    if (slot !== undefined) {
      for (const p of this.queue.filter((q) => q.slot === slot)) {
        this.queue.splice(this.queue.indexOf(p), 1);
        p.resolve({ status: 'superseded' });
      }
      if (this.running?.slot === slot) this.stopRunning({ status: 'superseded' });
    }
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, method, params, slot, resolve });
      this.pump();
    });
  }

  /** The process's pid while it runs (tests watch it restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve({ status: 'superseded' });
    if (this.running) this.stopRunning({ status: 'superseded' });
    this.child?.kill('SIGKILL');
    this.child = null;
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

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.child ??= this.start();
    const timer = this.armTimeout(next.method);
    const { pid } = this.child;
    const sampler = setInterval(() => {
      const mb = pid === undefined ? undefined : residentMb(pid);
      if (mb !== undefined && mb > this.memoryMb) this.stopRunning({ status: 'failed', message: this.outOfMemory(next.method) });
    }, MEMORY_SAMPLE_MS);
    this.running = { ...next, timer, sampler };
    const msg = { type: 'request', id: next.id, method: next.method, params: next.params } as HostToEngine;
    this.child.send(msg, (err) => {
      if (err && this.running?.id === next.id) this.stopRunning({ status: 'failed', message: `${METHOD_NOUNS[next.method]} failed: the engine process could not be reached (${err.message})` });
    });
  }

  /** The time bound of the running request: stops it with its process when it overruns. */
  private armTimeout(method: EngineMethod): NodeJS.Timeout {
    return setTimeout(() => {
      this.stopRunning({ status: 'failed', message: `${METHOD_NOUNS[method]} took too long: stopped after ${this.timeoutMs / 1000} s (make data.n or data.inputDim smaller)` });
    }, this.timeoutMs);
  }

  /** Ends the running request with `outcome`; `kill`: with its process (a new one serves the next). */
  private finish(outcome: EngineOutcome<EngineMethod>, kill: boolean): void {
    const r = this.running!;
    clearTimeout(r.timer);
    clearInterval(r.sampler);
    this.running = null;
    if (kill) {
      this.child?.kill('SIGKILL');
      this.child = null;
    }
    r.resolve(outcome);
    queueMicrotask(() => this.pump());
  }

  private stopRunning(outcome: EngineOutcome<EngineMethod>): void {
    this.finish(outcome, true);
  }

  private onReply(child: ChildProcess, msg: EngineToHost): void {
    if (msg.type === 'log') return this.options.onLog?.(msg.message);
    const r = this.running;
    if (child !== this.child || !r) return;
    if (msg.type === 'ready') {
      // The bound is on the request's own work: it counts again from here.
      clearTimeout(r.timer);
      r.timer = this.armTimeout(r.method);
    } else if (msg.id === r.id) this.finish(msg.ok ? { status: 'done', result: msg.result } : { status: 'failed', message: msg.message }, false);
  }

  private outOfMemory(method: EngineMethod): string {
    return `${METHOD_NOUNS[method]} ran out of memory: stopped at ${this.memoryMb} MB (make data.n or data.inputDim smaller)`;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return; // one we stopped ourselves
    this.child = null;
    const r = this.running;
    if (!r) return;
    const oom = /heap out of memory|Allocation failed/i.test(this.stderr);
    const last = this.stderr.trim().split('\n').pop() ?? '';
    const why = oom ? this.outOfMemory(r.method) : `${METHOD_NOUNS[r.method]} failed: the engine process stopped (${signal ? `signal ${signal}` : `exit code ${code}`}) ${last}`.trim();
    this.finish({ status: 'failed', message: why }, false);
  }
}
