// Training worker: a child process that runs chains on request and streams each finished point
// back. It holds no results of its own; the parent writes everything.
import { join } from 'node:path';
import type { Dataset } from '../core/data/dataset';
import { selectBackend, type BackendInfo } from '../core/kernels/selectBackend';
import type { HostToWorker, WorkerToHost } from '../core/run/workerMessages';
import { runChain } from '../core/sweep/runChain';

let backend: Promise<BackendInfo> | undefined;
let data: { runId: string; ds: Dataset } | undefined;

function send(msg: WorkerToHost): void {
  process.send?.(msg);
}

/** Lets queued IPC flush between points (each point is one synchronous computation). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runChainRequest(msg: Extract<HostToWorker, { type: 'chain' }>): Promise<void> {
  const { runId, experiment: e, chain } = msg;
  try {
    if (!backend) {
      backend = selectBackend(e.backend, { wasmDir: join(__dirname) });
      send({ type: 'ready', runId, backend: (await backend).description });
    }
    const { kernels } = await backend;
    if (data?.runId !== runId) throw new Error('the worker has no data for this run (the orchestrator sends them first)');
    for (const { record, theta, reconstructions } of runChain(e, data.ds, kernels, chain, msg.resume)) {
      send({ type: 'point', runId, chainId: chain.id, record, theta, ...(reconstructions ? { reconstructions } : {}) });
      await yieldToEventLoop();
    }
    send({ type: 'chainDone', runId, chainId: chain.id });
  } catch (err) {
    send({ type: 'chainFailed', runId, chainId: chain.id, message: (err as Error).message });
  }
}

// Requests are handled one at a time, in order.
let queue = Promise.resolve();
process.on('message', (msg: HostToWorker) => {
  if (msg.type === 'data') data = { runId: msg.runId, ds: msg.dataset };
  else queue = queue.then(() => runChainRequest(msg));
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the parent decides what stops, and kills us itself.
process.on('SIGINT', () => undefined);
