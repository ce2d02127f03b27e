// The engine process: a long-lived child of the extension host that does the data-dependent
// work the editor asks for (today the λc predictions behind hovers), so a large data set costs
// this process time and memory, never the editor's. It serves one request at a time; the host
// enforces the time bound by killing it and starts a new one for the next request. Data sets
// are kept by what makes them (the data section, the seed, the data file's size and time), so
// an edit to the sweep, the model or the training never loads the data again.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson } from '../core/config/hash';
import type { Experiment } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { loadDataset } from '../core/data/generate';
import { predictTransitions } from '../core/predict';
import type { EngineMethods, EngineToHost, HostToEngine } from '../protocol/engine';

/** Data sets kept (a hover over two experiments alternately reuses both). */
const KEEP = 2;
const datasets = new Map<string, Dataset>();
let loads = 0;

/** What the data set depends on: its settings, and the data files as they are now (an edited CSV is another key). */
function dataKey(e: Experiment, configDir: string, root: string): string {
  const files = [e.data.path, e.data.targetPath]
    .filter((p): p is string => !!p)
    .map((p) => {
      const st = statSync(resolve(configDir, p), { throwIfNoEntry: false });
      return st ? [p, st.size, st.mtimeMs] : [p, null];
    });
  return canonicalJson({ data: e.data, seed: e.seed, configDir, root, files });
}

function dataset(e: Experiment, configDir: string, root: string): Dataset {
  const key = dataKey(e, configDir, root);
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

function send(msg: EngineToHost): void {
  process.send?.(msg);
}

process.on('message', (msg: HostToEngine) => {
  if (msg.type !== 'request') return;
  try {
    send({ type: 'reply', id: msg.id, ok: true, result: predict(msg.params) });
  } catch (err) {
    send({ type: 'reply', id: msg.id, ok: false, message: (err as Error).message });
  }
});
send({ type: 'ready' });
// The host closed the channel (it quit, or disposed of the engine): nothing left to serve.
process.on('disconnect', () => process.exit(0));
