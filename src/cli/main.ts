#!/usr/bin/env node
// l2exp: the engine headless, for terminals, CI and clusters.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { experimentHash } from '../core/config/hash';
import { InputError } from '../core/errors';
import { numText } from '../core/text/numbers';
import { gridText, sweptAxes } from '../core/sweep/axis';
import { coordinatesText } from '../core/transitions/text';
import { predictTransitions } from '../core/predict';
import { mergeRuns } from '../core/results/merge';
import { shardFolders } from '../core/results/shardSet';
import { newRunDir } from '../core/results/runDirs';
import { ResultsStore, writeAtomic } from '../core/results/store';
import { runSweep } from '../core/run/runSweep';
import { sliceOptions } from '../core/analysis/slice';
import { slicePoint } from '../core/run/slicePoint';
import { parseArgs, positiveInt, resolveShard, UsageError } from './args';
import { failure } from './failure';
import { checkOutDir, checkOutFile, loadConfig, loadData } from './input';
import { Progress } from './progress';
import { reportHtml } from './htmlReport';
import { pointsTable, predictionLines, summaryLines } from './report';
import { reportPngs } from './reportPng';

const USAGE = `usage:
  l2exp run CONFIG [--out DIR] [--workers N] [--shard I/N] [--save-models] [--json] [--allow-outside-data | --data-root DIR]
  l2exp validate CONFIG [--allow-outside-data]
  l2exp predict CONFIG [--json] [--allow-outside-data]
  l2exp merge SHARDS... --out DIR [--json]
  l2exp slice RESULTS POINT [--directions hessian|random] [--dims 1|2] [--range R] [--points K] [--json]
  l2exp report RESULTS [--out FILE.html] [--png DIR]

run       trains every point of the sweep in CONFIG (a *.l2exp.json file); results go to
          --out DIR (default .l2exp/<name>/<run-id>/ beside CONFIG). Running again with the
          same --out resumes an interrupted run.
validate  checks CONFIG and prints every problem as file:line:col: message.
predict   the critical λ values CONFIG's data imply, before any training.
merge     joins the folders of a sharded run into --out DIR. SHARDS are results folders, a
          folder holding them, or a quoted glob ('results/shard-*'); missing or unfinished
          shards are named with the command that reruns them.
slice     the loss around one trained point (POINT is its id, e.g. up-s0-007) along the top
          Hessian eigenvectors (default) or filter-normalized random directions; written to
          RESULTS/slices/. Defaults: --dims 2 --range 1 --points 25 (51 for --dims 1).
report    one self-contained HTML file (default RESULTS/report.html) with the sweep panel, the
          spectrum view (and the slices computed so far), transitions, predictions, config and
          timings; opens from file:// with no network. --png DIR also saves every chart as a
          PNG through a headless Chromium (needs playwright-core; L2EXP_CHROMIUM names it).

--shard I/N runs chain I (0-based) of every N; unset, it is read from SLURM_ARRAY_TASK_ID and
SLURM_ARRAY_TASK_COUNT, or from JOB_COMPLETION_INDEX and L2EXP_SHARD_COUNT.
--json writes one JSON event per line on stdout; progress always goes to stderr.
--allow-outside-data lets a csv's data.path point outside CONFIG's folder tree (by default it
must resolve there, symlinks followed, so a config cannot make l2exp read other files);
--data-root DIR widens that tree to DIR (the editor passes its workspace folder).
exit codes: 0 done, 1 a run failed, 2 bad input (config, data, arguments, results folders),
130 interrupted. Every error is a message naming the path and what to do, never a stack trace
(L2EXP_DEBUG=1 adds the stack of an unexpected one, for a bug report).`;

async function run(argv: string[]): Promise<number> {
  const booleans = new Set(['save-models', 'json', 'allow-outside-data']);
  const { positional, flags } = parseArgs(argv, booleans, new Set(['out', 'workers', 'shard', 'data-root', ...booleans]));
  if (positional.length !== 1) throw new UsageError('run takes exactly one CONFIG');
  if (flags.has('data-root') && flags.has('allow-outside-data')) throw new UsageError('--data-root and --allow-outside-data exclude each other');
  const configPath = resolve(positional[0]);
  const shard = resolveShard(flags.get('shard') as string | undefined, process.env);
  const workersFlag = flags.get('workers') as string | undefined;
  const workersArg = workersFlag ? positiveInt('--workers', workersFlag) : undefined;
  const outFlag = flags.get('out') as string | undefined;
  if (outFlag !== undefined) checkOutDir(outFlag);
  const config = loadConfig(configPath, flags.has('allow-outside-data'), flags.get('data-root') as string | undefined);
  const experiment = config.experiment;
  // What only the full data show (large data validation does not generate) is found and
  // located in the config before a results folder exists.
  const dataset = loadData(config);
  const outDir = resolve(outFlag ?? newRunDir(configPath, experiment.name, experimentHash(experiment), shard));
  const workers = workersArg ?? (experiment.workers === 'auto' ? availableParallelism() : experiment.workers);
  const json = flags.has('json');

  const progress = new Progress(process.stderr);
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    progress.end();
    process.stderr.write('interrupted: stopping workers; every finished point is kept (Ctrl-C again to quit at once)\n');
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  // Forked with an IPC channel (by the editor's engine, src/engine/runSweep.ts): a parent that
  // is gone stops the run as SIGTERM does, so its finished points are kept for a resume.
  process.on('disconnect', () => controller.abort());

  const summary = await runSweep({
    experiment,
    configPath,
    dataset,
    outDir,
    workers,
    shard,
    saveModels: flags.has('save-models'),
    workerScript: join(__dirname, 'worker.js'),
    signal: controller.signal,
    onEvent: (ev) => {
      if (json) process.stdout.write(JSON.stringify(ev) + '\n');
      if (ev.type === 'started') {
        progress.begin(ev.done);
        const resumed = ev.done > 0 ? ` (resuming: ${ev.done} already done)` : '';
        process.stderr.write(`${experiment.name}: ${ev.total} points in ${ev.chains} chain(s) on ${ev.workers} worker(s)${resumed}\n`);
      } else if (ev.type === 'notice') {
        progress.end();
        process.stderr.write(`note: ${ev.message}\n`);
      } else if (ev.type === 'backend') {
        progress.end();
        process.stderr.write(`backend: ${ev.description}\n`);
      } else if (ev.type === 'point') {
        const r = ev.record;
        progress.update(ev.done, ev.total, `${coordinatesText(r, experiment.sweep)} ${r.direction} seed ${r.seed}`);
      } else if (ev.type === 'chainFailed') {
        progress.end();
        process.stderr.write(`chain ${ev.chainId} failed: ${ev.message}\n`);
      }
    },
  });
  progress.end();
  if (!json) {
    process.stdout.write(pointsTable(ResultsStore.read(outDir).points, experiment.sweep) + '\n\n');
  }
  process.stderr.write(summaryLines(summary, outDir, experiment) + '\n');
  if (summary.status === 'cancelled') {
    process.stderr.write(`resume with: l2exp run ${positional[0]} --out ${outDir}\n`);
    return 130;
  }
  return summary.status === 'complete' ? 0 : 1;
}

function validate(argv: string[]): number {
  const { positional, flags } = parseArgs(argv, new Set(['allow-outside-data']), new Set(['allow-outside-data']));
  if (positional.length !== 1) throw new UsageError('validate takes exactly one CONFIG');
  const e = loadConfig(resolve(positional[0]), flags.has('allow-outside-data')).experiment;
  const model = e.model.kind === 'vae' ? `vae, encoder hidden ${JSON.stringify(e.model.hidden)}, ${e.model.latentDim} latent units` : `hidden ${JSON.stringify(e.model.hidden)}`;
  process.stdout.write(`${positional[0]}: ok (${e.name}: ${e.data.kind} data, ${model}, ${gridText(e.sweep)})\n`);
  return 0;
}

function predict(argv: string[]): number {
  const booleans = new Set(['json', 'allow-outside-data']);
  const { positional, flags } = parseArgs(argv, booleans, booleans);
  if (positional.length !== 1) throw new UsageError('predict takes exactly one CONFIG');
  const config = loadConfig(resolve(positional[0]), flags.has('allow-outside-data'));
  const result = predictTransitions(config.experiment, loadData(config));
  if (flags.has('json')) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write([...predictionLines(result.predictions, sweptAxes(config.experiment.sweep)), ...result.notes.map((n) => `note: ${n}`)].join('\n') + '\n');
  return 0;
}

function merge(argv: string[]): number {
  const { positional, flags } = parseArgs(argv, new Set(['json']), new Set(['out', 'json']));
  const out = flags.get('out') as string | undefined;
  if (!out) throw new UsageError('merge needs --out DIR');
  if (positional.length === 0) throw new UsageError('merge needs the results folders to join');
  checkOutDir(out);
  const summary = mergeRuns(shardFolders(positional), resolve(out));
  if (flags.has('json')) process.stdout.write(JSON.stringify(summary) + '\n');
  process.stderr.write(summaryLines(summary, resolve(out), ResultsStore.read(resolve(out)).manifest.experiment) + '\n');
  return summary.status === 'complete' ? 0 : 1;
}

function slice(argv: string[]): number {
  const { positional, flags } = parseArgs(argv, new Set(['json']), new Set(['directions', 'dims', 'range', 'points', 'json']));
  if (positional.length !== 2) throw new UsageError('slice takes RESULTS and POINT');
  const directions = (flags.get('directions') as string | undefined) ?? 'hessian';
  if (directions !== 'hessian' && directions !== 'random') throw new UsageError(`--directions is hessian or random (got "${directions}")`);
  const dims = Number(flags.get('dims') ?? 2);
  if (dims !== 1 && dims !== 2) throw new UsageError(`--dims is 1 or 2 (got "${flags.get('dims')}")`);
  const range = Number(flags.get('range') ?? 1);
  if (!(range > 0 && Number.isFinite(range))) throw new UsageError(`--range must be a positive number (got "${flags.get('range')}")`);
  const points = flags.has('points') ? positiveInt('--points', flags.get('points') as string) : undefined;
  let result: ReturnType<typeof slicePoint>;
  try {
    result = slicePoint(resolve(positional[0]), positional[1], sliceOptions({ directions, dims, range, points }));
  } catch (err) {
    throw new InputError((err as Error).message); // a wrong folder or point id
  }
  const { slice: s, path } = result;
  if (flags.has('json')) process.stdout.write(JSON.stringify(s) + '\n');
  // Not Math.min(...values): a fine grid (--points 1000 is a million values) overflows the call stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of s.objective)
    for (const v of row) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const centre = s.objective[Math.floor(s.objective.length / 2)][Math.floor(s.alphas.length / 2)];
  process.stderr.write(`${s.pointId} (λ = ${numText(s.lambda)}): objective ${numText(centre)} at the point, from ${numText(lo)} to ${numText(hi)} over the ${dims}-D slice\n`);
  if (s.eigenvalues) process.stderr.write(`directions: Hessian eigenvectors with eigenvalues ${s.eigenvalues.map((v) => numText(v)).join(', ')}\n`);
  process.stderr.write(`written to ${path}\n`);
  return 0;
}

async function htmlReport(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, new Set(), new Set(['out', 'png']));
  if (positional.length !== 1) throw new UsageError('report takes exactly one RESULTS folder');
  const dir = resolve(positional[0]);
  const out = resolve((flags.get('out') as string | undefined) ?? join(dir, 'report.html'));
  checkOutFile(out);
  const root = join(__dirname, '..');
  writeAtomic(out, reportHtml(dir, { webviewDir: join(__dirname, 'webview'), mediaDir: join(root, 'media') }));
  process.stderr.write(`report written to ${out}\n`);
  const png = flags.get('png') as string | undefined;
  if (png !== undefined) {
    const files = await reportPngs(out, resolve(png));
    process.stderr.write(`${files.length} charts written to ${resolve(png)}\n`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'run') return await run(rest);
    if (command === 'validate') return validate(rest);
    if (command === 'predict') return predict(rest);
    if (command === 'merge') return merge(rest);
    if (command === 'slice') return slice(rest);
    if (command === 'report') return await htmlReport(rest);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    return report(err);
  }
}

/** Prints a failure by the one rule (failure.ts) and returns its exit code. */
function report(err: unknown): number {
  const f = failure(err, process.env);
  process.stderr.write(f.text + (err instanceof UsageError ? `\n\n${USAGE}` : '') + '\n');
  return f.code;
}

// Whatever escapes (an error in an event handler, a promise nobody awaited) follows the same
// rule: one line, never Node's trace.
process.on('uncaughtException', (err) => process.exit(report(err)));
process.on('unhandledRejection', (err) => process.exit(report(err)));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => process.exit(report(err)),
);
