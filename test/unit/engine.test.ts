// The extension's engine process (src/engine/main.ts) through its client
// (src/extension/engineClient.ts): predictions and slices come back from a long-lived process,
// bounded in time and memory, superseded requests are dropped (a slice is cancelled in the
// engine, which keeps its process), a prediction is not held up by a slice, and data outside the
// workspace is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveExperiment, type RawExperiment } from '../../src/core/config/defaults';
import { parseExperiment } from '../../src/core/config/parse';
import { sliceOptions } from '../../src/core/analysis/slice';
import { loadDataset } from '../../src/core/data/generate';
import { predictTransitions } from '../../src/core/predict';
import { slicePoint } from '../../src/core/run/slicePoint';
import { EngineClient, type EngineOptions } from '../../src/extension/engineClient';
import { l2exp, TINY_SWEEP, writeConfig } from '../cli/helpers';

// The bundled engine (npm test builds it first), as the extension starts it: running the source
// through tsx would put its compilation inside each request's time bound.
const ENGINE = resolve(__dirname, '../../dist/engine.js');
if (!existsSync(ENGINE)) throw new Error(`${ENGINE} is missing: run "npm run build" (npm test does)`);
const dir = mkdtempSync(join(tmpdir(), 'l2-engine-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function client(options: Partial<EngineOptions> = {}): EngineClient {
  return new EngineClient({ script: ENGINE, ...options });
}

function experiment(data: RawExperiment['data']): ReturnType<typeof resolveExperiment> {
  return resolveExperiment({ name: 'engine-test', data, model: { hidden: [4], activation: 'linear', bias: false }, sweep: { from: 0.01, to: 3 } });
}

const SMALL = experiment({ kind: 'linear', n: 400, inputDim: 4, outputDim: 1, singularValues: [1], noise: 0.1 });
/** A valid config whose data set takes seconds and hundreds of MB to make (n × inputDim = 6e7). */
const LARGE = experiment({ kind: 'teacher', n: 1_000_000, inputDim: 60, outputDim: 1 });
const params = (e: ReturnType<typeof experiment>) => ({ experiment: e, configDir: dir, root: dir });

test('a prediction is computed in the engine process, the same as in this one, and the process serves the next request too', { timeout: 120_000 }, async () => {
  const engine = client();
  try {
    const first = await engine.request('predict', params(SMALL));
    assert.equal(first.status, 'done', JSON.stringify(first));
    assert.ok(first.status === 'done');
    assert.deepEqual(first.result, predictTransitions(SMALL, loadDataset(SMALL.data, SMALL.seed, dir)));
    assert.equal(first.result.predictions.length, 1);
    const pid = engine.pid;
    assert.ok(pid !== undefined && pid !== process.pid);
    const second = await engine.request('predict', params({ ...SMALL, seed: 1 }));
    assert.equal(second.status, 'done');
    assert.equal(engine.pid, pid, 'one long-lived process serves both requests');
  } finally {
    engine.dispose();
  }
});

test('a request over the time bound is stopped with a message, and a new process serves the next one', { timeout: 120_000 }, async () => {
  const engine = client({ timeoutMs: { predict: 4000 } });
  try {
    const slow = await engine.request('predict', params(LARGE));
    assert.equal(slow.status, 'failed');
    assert.ok(slow.status === 'failed');
    assert.match(slow.message, /^prediction took too long: stopped after 4 s/);
    const next = await engine.request('predict', params(SMALL));
    assert.equal(next.status, 'done', JSON.stringify(next));
  } finally {
    engine.dispose();
  }
});

test('a request over the memory bound is stopped with a message (data sets live outside the V8 heap)', { timeout: 120_000 }, async () => {
  const engine = client({ memoryMb: 300, timeoutMs: { predict: 100_000 } });
  try {
    const big = await engine.request('predict', params(LARGE));
    assert.equal(big.status, 'failed');
    assert.ok(big.status === 'failed');
    assert.match(big.message, /^prediction ran out of memory: stopped at 300 MB/);
    assert.equal((await engine.request('predict', params(SMALL))).status, 'done');
  } finally {
    engine.dispose();
  }
});

test('a newer request of the same slot supersedes the running one; other slots are served in turn', { timeout: 120_000 }, async () => {
  const engine = client({ timeoutMs: { predict: 100_000 } });
  try {
    const stale = engine.request('predict', params(LARGE), 'a.l2exp.json');
    const other = engine.request('predict', params(SMALL), 'b.l2exp.json');
    const fresh = engine.request('predict', params({ ...SMALL, seed: 2 }), 'a.l2exp.json');
    const started = Date.now();
    assert.deepEqual(await stale, { status: 'superseded' });
    assert.equal((await other).status, 'done');
    assert.equal((await fresh).status, 'done');
    // The large data set alone takes seconds: it was stopped, not waited for.
    assert.ok(Date.now() - started < 60_000);
  } finally {
    engine.dispose();
  }
});

test('a CSV is read anywhere inside the root (the workspace), beyond the config folder, and never outside it', { timeout: 120_000 }, async () => {
  const root = join(dir, 'workspace');
  const configDir = join(root, 'configs');
  mkdirSync(configDir, { recursive: true });
  const rows = Array.from({ length: 12 }, (_, i) => `${i % 3},${(i * 7) % 5},${(i % 3) - 0.5 * ((i * 7) % 5)}`).join('\n');
  writeFileSync(join(dir, 'outside.csv'), rows + '\n');
  writeFileSync(join(root, 'inside.csv'), rows + '\n');
  const raw = { name: 'csv', data: { kind: 'csv', path: '../inside.csv', target: 2, n: 12, testFraction: 0.25 }, model: { hidden: [4], activation: 'linear' }, sweep: { from: 0.01, to: 3 } };
  const { experiment: inCsv, problems } = parseExperiment(JSON.stringify(raw), join(configDir, 'csv.l2exp.json'), { dataRoot: root });
  assert.ok(inCsv, JSON.stringify(problems));
  // The same rows by a path out of the workspace (validation refuses it; the engine must too).
  const outCsv = { ...inCsv, data: { ...inCsv.data, path: '../../outside.csv' } };
  const engine = client();
  try {
    const inside = await engine.request('predict', { experiment: inCsv, configDir, root });
    assert.equal(inside.status, 'done', JSON.stringify(inside));
    const out = await engine.request('predict', { experiment: outCsv, configDir, root });
    assert.equal(out.status, 'failed');
    assert.ok(out.status === 'failed');
    assert.match(out.message, /resolves outside/);
  } finally {
    engine.dispose();
  }
});

test('the engine keeps data sets by what makes them: another sweep or model reuses the data, other data loads it', { timeout: 120_000 }, async () => {
  const lines: string[] = [];
  const engine = client({ onLog: (line) => lines.push(line) });
  try {
    const base = SMALL;
    assert.equal((await engine.request('predict', params(base))).status, 'done');
    const otherSweep = { ...base, sweep: { ...base.sweep, from: 0.02, points: 7 }, model: { ...base.model, hidden: [6] } };
    assert.equal((await engine.request('predict', params(otherSweep))).status, 'done');
    assert.equal(lines.filter((l) => /loaded the linear data/.test(l)).length, 1, lines.join('\n'));
    const otherData = { ...base, data: { ...base.data, n: 300 } };
    assert.equal((await engine.request('predict', params(otherData))).status, 'done');
    assert.equal(lines.filter((l) => /loaded the linear data/.test(l)).length, 2, lines.join('\n'));
    assert.match(lines[1], /\(data load 2 of this process\)/);
  } finally {
    engine.dispose();
  }
});

/** A finished two-moons run of three points (the CLI's own), made once for the slice tests. */
let runDir: string | undefined;
function run(): string {
  if (runDir) return runDir;
  const config = writeConfig(dir, { ...TINY_SWEEP, sweep: { ...TINY_SWEEP.sweep, points: 3, seeds: [0] } }, 'slices.l2exp.json');
  const out = join(dir, 'slices-run');
  const r = l2exp(['run', config, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return (runDir = out);
}
const POINT = 'up-s0-001';
/** A slice of a million grid points (tens of seconds): one still running when the test acts. */
const SLOW = sliceOptions({ directions: 'random', points: 1000 });
const sliceParams = (options = sliceOptions({ points: 9 })) => ({ dir: run(), pointId: POINT, options });

/** Resolves with the first log line matching `re` (the engine logs what it did). */
function logLine(lines: string[], re: RegExp): { onLog: (line: string) => void; seen: Promise<string> } {
  let found: (line: string) => void;
  const seen = new Promise<string>((r) => (found = r));
  return {
    onLog: (line) => {
      lines.push(line);
      if (re.test(line)) found(line);
    },
    seen,
  };
}

test('a slice from the engine is the one slicePoint computes (as l2exp slice does), saved under slices/, and the process serves a prediction after it', { timeout: 120_000 }, async () => {
  const lines: string[] = [];
  const engine = client({ onLog: (line) => lines.push(line) });
  try {
    const served = await engine.request('slice', sliceParams());
    assert.equal(served.status, 'done', JSON.stringify(served));
    assert.ok(served.status === 'done');
    const path = join(run(), 'slices', `${POINT}-hessian-2d.json`);
    assert.equal(served.result.path, path);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), served.result.slice);
    const direct = slicePoint(run(), POINT, sliceOptions({ points: 9 })).slice;
    assert.deepEqual(served.result.slice, direct);
    assert.equal(served.result.slice.objective.length, 9);
    assert.match(lines.join('\n'), /engine: slice of up-s0-001 \(hessian directions, 9×9 points\) in \d+ ms/);
    const pid = engine.pid;
    const wrong = await engine.request('slice', { ...sliceParams(), pointId: 'up-s9-000' });
    assert.ok(wrong.status === 'failed');
    assert.match(wrong.message, /no point "up-s9-000"/);
    assert.equal((await engine.request('predict', params(SMALL))).status, 'done');
    assert.equal(engine.pid, pid, 'one process serves slices and predictions');
  } finally {
    engine.dispose();
  }
});

test(
  'a newer slice of the same slot supersedes a running one, which the engine cancels between rows (its process and data stay), and a queued one, which is never sent',
  { timeout: 120_000 },
  async () => {
    const lines: string[] = [];
    const { onLog, seen } = logLine(lines, /slice of .* cancelled after \d+ of 1000 rows/);
    const engine = client({ onLog });
    try {
      assert.equal((await engine.request('predict', params(SMALL))).status, 'done');
      const pid = engine.pid;
      const running = engine.request('slice', sliceParams(SLOW), 'view');
      const queued = engine.request('slice', sliceParams(sliceOptions({ dims: 1 })), 'other view');
      const superseding = engine.request('slice', sliceParams(sliceOptions({ dims: 1, points: 7 })), 'other view');
      assert.deepEqual(await queued, { status: 'superseded' });
      engine.cancel('slice', 'view');
      assert.deepEqual(await running, { status: 'superseded' });
      const rows = Number(/after (\d+) of/.exec(await seen)![1]);
      assert.ok(rows < 1000, `stopped after ${rows} rows`);
      const fresh = await superseding;
      assert.ok(fresh.status === 'done', JSON.stringify(fresh));
      assert.equal(fresh.result.slice.alphas.length, 7);
      assert.equal(engine.pid, pid, 'a cancelled slice keeps its process');
      assert.ok(!existsSync(join(run(), 'slices', `${POINT}-random-2d.json`)), 'a cancelled slice writes nothing');
      // The same process still has the data set: the prediction is not a second load.
      assert.equal((await engine.request('predict', params(SMALL))).status, 'done');
      assert.equal(lines.filter((l) => /loaded the linear data/.test(l)).length, 1, lines.join('\n'));
    } finally {
      engine.dispose();
    }
  },
);

test('a prediction is served while a long slice runs, not after it', { timeout: 120_000 }, async () => {
  const engine = client();
  try {
    let sliceEnded = false;
    const slow = engine.request('slice', sliceParams(SLOW), 'view').then((o) => ((sliceEnded = true), o));
    const predicted = await engine.request('predict', params(SMALL));
    assert.equal(predicted.status, 'done', JSON.stringify(predicted));
    assert.equal(sliceEnded, false, 'the prediction came back while the slice was still running');
    engine.cancel('slice', 'view');
    assert.deepEqual(await slow, { status: 'superseded' });
  } finally {
    engine.dispose();
  }
});

test("a slice has its own time bound, apart from the prediction's", { timeout: 120_000 }, async () => {
  const engine = client({ timeoutMs: { slice: 2000 } });
  try {
    const over = await engine.request('slice', sliceParams(SLOW));
    assert.ok(over.status === 'failed');
    assert.match(over.message, /^slice took too long: stopped after 2 s \(choose fewer grid points\)/);
    // The prediction keeps its own (default) bound, in the next process.
    assert.equal((await engine.request('predict', params(SMALL))).status, 'done');
  } finally {
    engine.dispose();
  }
});

test('a slice in flight when a prediction overruns its bound is sent again to the next process', { timeout: 120_000 }, async () => {
  const engine = client({ timeoutMs: { predict: 3000 } });
  try {
    const order: string[] = [];
    const slice = engine.request('slice', sliceParams(sliceOptions({ points: 200 }))).then((o) => (order.push('slice'), o));
    // The large data set holds the engine for longer than the prediction's bound: it is killed, with the slice's process.
    const predicted = await engine.request('predict', params(LARGE)).then((o) => (order.push('predict'), o));
    assert.ok(predicted.status === 'failed');
    assert.match(predicted.message, /^prediction took too long/);
    const sliced = await slice;
    assert.equal(sliced.status, 'done', JSON.stringify(sliced));
    assert.deepEqual(order, ['predict', 'slice'], 'the slice was still running when its process was killed, and was served by the next');
  } finally {
    engine.dispose();
  }
});
