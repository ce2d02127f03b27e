// The engine process: a long-lived child of the extension host that does the data-dependent
// work the editor asks for (today the λc predictions behind hovers), so a large data set costs
// this process time and memory, never the editor's. It serves one request at a time; the host
// enforces the time bound by killing it and starts a new one for the next request.
import { loadDataset } from '../core/data/generate';
import { predictTransitions } from '../core/predict';
import type { EngineMethods, EngineToHost, HostToEngine } from '../protocol/engine';

function predict({ experiment: e, configDir, root }: EngineMethods['predict']['params']): EngineMethods['predict']['result'] {
  // Only data inside the workspace (checked before anything is read): a config is input from
  // whoever wrote it.
  return predictTransitions(e, loadDataset(e.data, e.seed, configDir, { root }));
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
