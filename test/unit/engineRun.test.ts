// Sweeps through the engine process (src/engine/runSweep.ts via src/extension/engineClient.ts),
// as Run L2 sweep sends them: the run's events stream back as they happen, the engine (not the
// caller) forks `l2exp run`, it serves a prediction while the run goes, a cancel ends the run
// with its finished points kept and resumable, a superseded prediction does not stop the run,
// and an engine that dies mid-run leaves a run that resumes with nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveExperiment } from '../../src/core/config/defaults';
import type { RunSummary } from '../../src/core/results/summary';
import type { RunEvent } from '../../src/core/run/events';
import { EngineClient, type EngineOptions } from '../../src/extension/engineClient';
import { points, tempDir, TINY_SWEEP, writeConfig } from '../cli/helpers';
import { processTable } from '../processTable';

const ENGINE = resolve(__dirname, '../../dist/engine.js');
if (!existsSync(ENGINE)) throw new Error(`${ENGINE} is missing: run "npm run build" (npm test does)`);
const dir = tempDir('engine-run');
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** 2 × 40 points on one worker: seconds of training, long enough to act on while it runs. */
const SWEEP = { ...TINY_SWEEP, sweep: { ...TINY_SWEEP.sweep, points: 40 } };
const TOTAL = 80;
const SMALL = resolveExperiment({
  name: 'small',
  data: { kind: 'linear', n: 400, inputDim: 4, outputDim: 1, singularValues: [1], noise: 0.1 },
  model: { hidden: [4], activation: 'linear', bias: false },
  sweep: { from: 0.01, to: 3 },
});
/** A data set that takes the engine seconds to make (n × inputDim = 6e7). */
const LARGE = resolveExperiment({ name: 'large', data: { kind: 'teacher', n: 1_000_000, inputDim: 60, outputDim: 1 }, model: { hidden: [4] }, sweep: { from: 0.01, to: 3 } });
const predictParams = (e: typeof SMALL) => ({ experiment: e, configDir: dir, root: dir });

function client(options: Partial<EngineOptions> = {}): EngineClient {
  return new EngineClient({ script: ENGINE, ...options });
}

let runs = 0;
/** A fresh config and results folder for one test. */
function sweep(): { configPath: string; outDir: string } {
  const name = `sweep-${++runs}`;
  const configPath = writeConfig(dir, { ...SWEEP, name }, `${name}.l2exp.json`);
  return { configPath, outDir: join(dir, `${name}-out`) };
}
const runParams = (s: { configPath: string; outDir: string }) => ({ ...s, workers: 1, dataRoot: dir });

/** Collects a run's events; `when(n)` resolves once n points have been reported. */
function events(): { all: RunEvent[]; onEvent: (ev: RunEvent) => void; when: (n: number) => Promise<void> } {
  const all: RunEvent[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const pointsSeen = () => all.filter((e) => e.type === 'point').length;
  return {
    all,
    onEvent(ev) {
      all.push(ev);
      for (const w of waiting.filter((w) => pointsSeen() >= w.n)) w.resolve();
    },
    when: (n) => new Promise((resolve) => (pointsSeen() >= n ? resolve() : waiting.push({ n, resolve }))),
  };
}

/** Resolves when the results folder's lock is gone (its run ended), watching the folder; rejects after a minute. */
function lockReleased(outDir: string): Promise<void> {
  const lock = join(outDir, '.lock');
  return new Promise((resolve, reject) => {
    const end = (err?: Error) => {
      watcher.close();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const watcher = watch(outDir, () => existsSync(lock) || end());
    const timer = setTimeout(() => end(new Error(`${lock} is still held a minute after the engine died: its l2exp run did not stop`)), 60_000);
    if (!existsSync(lock)) end();
  });
}

/** The pids of the processes whose parent is `pid` and whose command line contains `text`. */
function children(pid: number, text: string): number[] {
  return processTable()
    .filter((p) => p.ppid === pid && p.cmdline.includes(text))
    .map((p) => p.pid);
}

/** A new engine running a fresh sweep (`outcome` its reply, `ev` its events) for `body`; the engine is disposed after. */
async function withRun(
  options: Partial<EngineOptions>,
  body: (run: { engine: EngineClient; s: { configPath: string; outDir: string }; ev: ReturnType<typeof events>; outcome: ReturnType<EngineClient['run']> }) => Promise<void>,
): Promise<void> {
  const engine = client(options);
  const s = sweep();
  try {
    const ev = events();
    await body({ engine, s, ev, outcome: engine.run(runParams(s), s.configPath, ev.onEvent) });
  } finally {
    engine.dispose();
  }
}

/** A stopped run's folder holds a partial run; running it again trains only the rest. */
async function resumesKeptPoints(engine: EngineClient, s: { configPath: string; outDir: string }): Promise<void> {
  const kept = points(s.outDir).length;
  assert.ok(kept >= 3 && kept < TOTAL, `a partial run (${kept} points)`);
  const again = events();
  const resumed = await engine.run(runParams(s), s.configPath, again.onEvent);
  assert.ok(resumed.status === 'done' && resumed.result.summary.status === 'complete', JSON.stringify(resumed));
  const started = again.all[0];
  assert.ok(started.type === 'started');
  assert.equal(started.done, kept, 'the resumed run starts from the kept points');
  assert.equal(again.all.filter((e) => e.type === 'point').length, TOTAL - kept);
  assert.equal(points(s.outDir).length, TOTAL);
}

test('a run streams its events as they happen, is forked by the engine, and the engine serves a prediction while it goes', { timeout: 240_000 }, async () => {
  await withRun({}, async ({ engine, s, ev, outcome }) => {
    await ev.when(1);
    const pid = engine.pid!;
    assert.equal(children(pid, 'cli.js run').length, 1, 'the engine forked the l2exp run');
    assert.deepEqual(children(process.pid, 'cli.js run'), [], 'the caller forked only the engine');
    const predicted = await engine.request('predict', predictParams(SMALL));
    assert.equal(predicted.status, 'done', JSON.stringify(predicted));
    assert.ok(!ev.all.some((e) => e.type === 'finished'), 'the prediction came back while the run was still going');
    const ended = await outcome;
    assert.ok(ended.status === 'done', JSON.stringify(ended));
    assert.equal(ended.result.summary.status, 'complete');
    assert.equal(engine.pid, pid, 'one process served the run and the prediction');
    // Events in order: started, every point (counting up), finished with the reply's summary.
    assert.equal(ev.all[0].type, 'started');
    const pts = ev.all.filter((e) => e.type === 'point');
    assert.equal(pts.length, TOTAL);
    assert.deepEqual(
      pts.map((e) => e.done),
      Array.from({ length: TOTAL }, (_, i) => i + 1),
    );
    const last = ev.all.at(-1)!;
    assert.ok(last.type === 'finished');
    assert.deepEqual(last.summary, ended.result.summary);
    assert.deepEqual(
      points(s.outDir).map((p) => p.id),
      pts.map((e) => e.record.id),
    );
  });
});

test('a cancelled run ends with its summary and every finished point kept, and running it again resumes it', { timeout: 240_000 }, async () => {
  await withRun({}, async ({ engine, s, ev, outcome }) => {
    await ev.when(3);
    engine.cancel('run', s.configPath);
    const ended = await outcome;
    assert.ok(ended.status === 'done', JSON.stringify(ended));
    const summary: RunSummary = ended.result.summary;
    assert.equal(summary.status, 'cancelled');
    assert.equal(summary.points.finished, points(s.outDir).length);
    await resumesKeptPoints(engine, s);
  });
});

test('a prediction superseded while a run goes is abandoned (the engine finishes it, its reply dropped), not killed with the run', { timeout: 240_000 }, async () => {
  await withRun({ timeoutMs: { predict: 100_000 } }, async ({ engine, ev, outcome }) => {
    await ev.when(1);
    const pid = engine.pid;
    const stale = engine.request('predict', predictParams(LARGE), 'a.l2exp.json');
    const fresh = engine.request('predict', predictParams(SMALL), 'a.l2exp.json');
    assert.deepEqual(await stale, { status: 'superseded' });
    assert.equal((await fresh).status, 'done');
    const ended = await outcome;
    assert.ok(ended.status === 'done', JSON.stringify(ended));
    assert.equal(ended.result.summary.status, 'complete');
    assert.equal(ended.result.summary.points.finished, TOTAL);
    assert.equal(engine.pid, pid, 'the engine (and with it the run) was never restarted');
  });
});

test('an engine that dies mid-run says so, its run stops keeping every finished point, and a new engine resumes it', { timeout: 240_000 }, async () => {
  await withRun({}, async ({ engine, s, ev, outcome }) => {
    await ev.when(3);
    process.kill(engine.pid!, 'SIGKILL');
    const ended = await outcome;
    assert.ok(ended.status === 'failed');
    assert.match(ended.message, /^the engine process stopped during the sweep \(signal SIGKILL\); every finished point is kept: run it again to resume$/);
    // The orphaned l2exp stops as on SIGTERM: it writes the cancelled summary and frees the folder.
    await lockReleased(s.outDir);
    const summaryPath = join(s.outDir, 'summary.json');
    const cancelled = JSON.parse(readFileSync(summaryPath, 'utf8')) as RunSummary;
    assert.equal(cancelled.status, 'cancelled');
    await resumesKeptPoints(engine, s);
  });
});
