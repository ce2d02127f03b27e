// The engine process: a long-lived child of the extension host that does the data-dependent
// work the editor asks for (the λc predictions behind hovers, the checks of a config that need
// its data, the spectrum view's landscape slices) and runs its sweeps, so a large data set
// costs this process time and memory, never the editor's. The host sends at most one request
// of each method at a time (src/extension/engineClient.ts), so a prediction, a validation, a
// slice and a run can be in flight together: a prediction and a validation run in one piece, a
// slice yields to the event loop between its chunks (its directions, then each grid row), where
// a prediction that arrived meanwhile is served and a `cancel` for the slice is read, and a run
// is a child process (runSweep.ts) whose events are relayed between them. The host enforces the
// time bounds by killing the process and starts a new one for the next request.
// Data sets and data checks are kept by what makes them (dataKey.ts), so an edit to the sweep,
// the model or the training never loads or checks the data again.
import type { Experiment } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { loadDataset } from '../core/data/generate';
import { predictTransitions } from '../core/predict';
import { slicePointSteps } from '../core/run/slicePoint';
import type { EngineMethods, EngineRequest, EngineToHost, HostToEngine } from '../protocol/engine';
import { dataKey } from './dataKey';
import { runSweep } from './runSweep';
import { validate } from './validate';

/** Data sets kept (a hover over two experiments alternately reuses both). */
const KEEP = 2;
const datasets = new Map<string, Dataset>();
let loads = 0;

function dataset(e: Experiment, configDir: string, root: string): Dataset {
  const key = dataKey(e.data, e.seed, configDir, root);
  const kept = datasets.get(key);
  if (kept) return kept;
  const started = performance.now();
  // Only data inside the workspace (checked before anything is read): a config is input from
  // whoever wrote it.
  const ds = loadDataset(e.data, e.seed, configDir, { root });
  send({
    type: 'log',
    message: `engine: loaded the ${e.data.kind} data of ${e.name} (${ds.train.n + ds.test.n} × ${ds.inputDim}) in ${Math.round(performance.now() - started)} ms (data load ${++loads} of this process)`,
  });
  datasets.set(key, ds);
  if (datasets.size > KEEP) datasets.delete(datasets.keys().next().value!);
  return ds;
}

function predict({ experiment: e, configDir, root }: EngineMethods['predict']['params']): EngineMethods['predict']['result'] {
  return predictTransitions(e, dataset(e, configDir, root));
}

/** slicePoint, one chunk at a time: between chunks the event loop runs, so a cancel or a prediction is read there. */
async function slice({ dir, pointId, options: o }: EngineMethods['slice']['params'], signal: AbortSignal): Promise<EngineMethods['slice']['result']> {
  const started = performance.now();
  const what = `slice of ${pointId} (${o.directions} directions, ${o.dims === 2 ? `${o.points}×${o.points}` : o.points} points)`;
  const steps = slicePointSteps(dir, pointId, o);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      send({ type: 'log', message: `engine: ${what} in ${Math.round(performance.now() - started)} ms, written to ${step.value.path}` });
      return step.value;
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) {
      send({ type: 'log', message: `engine: ${what} cancelled after ${step.value.rows} of ${step.value.of} rows` });
      throw new Error('cancelled');
    }
  }
}

function send(msg: EngineToHost): void {
  process.send?.(msg);
}

/** The requests being served, by id: their cancel switches. */
const serving = new Map<number, AbortController>();

async function serve(msg: EngineRequest): Promise<void> {
  const cancel = new AbortController();
  serving.set(msg.id, cancel);
  try {
    const result =
      msg.method === 'predict'
        ? predict(msg.params)
        : msg.method === 'validate'
          ? validate(msg.params, (message) => send({ type: 'log', message }))
          : msg.method === 'slice'
            ? await slice(msg.params, cancel.signal)
            : await runSweep(
                msg.params,
                cancel.signal,
                (event) => send({ type: 'event', id: msg.id, event }),
                (message) => send({ type: 'log', message }),
              );
    send({ type: 'reply', id: msg.id, ok: true, result });
  } catch (err) {
    send({ type: 'reply', id: msg.id, ok: false, message: (err as Error).message });
  } finally {
    serving.delete(msg.id);
  }
}

process.on('message', (msg: HostToEngine) => {
  if (msg.type === 'cancel') serving.get(msg.id)?.abort();
  else if (msg.type === 'request') void serve(msg);
});
send({ type: 'ready' });
// The host closed the channel (it quit, or disposed of the engine): nothing left to serve.
process.on('disconnect', () => process.exit(0));
