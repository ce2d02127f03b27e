// The engine's `run` method: a sweep in `l2exp run --json` (dist/cli.js beside the engine), a
// child of the engine that loads the data and forks the training workers, so the engine's own
// event loop stays free for the predictions and slices it serves meanwhile. `--json` output is
// one RunEvent per line on stdout, relayed as it comes; stderr carries the CLI's messages (the
// last lines of a failure say what to do). The fork has an IPC channel only so that the CLI
// stops as on SIGTERM when the engine dies (src/cli/main.ts): a crash leaves a resumable run,
// never an orphan holding the results folder's lock.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { RunEvent } from '../core/run/events';
import type { EngineMethods } from '../protocol/engine';

type Run = EngineMethods['run'];

/** The message of a CLI run that ended without a summary: its stderr without the progress bar, or how it exited. */
function cliFailure(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr
    .split(/[\r\n]/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('['));
  return lines.slice(-3).join(' ') || `l2exp exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
}

/**
 * Runs the sweep to its end; cancelling (`signal`) sends the CLI SIGTERM, which keeps every
 * finished point and writes a cancelled summary. Rejects when the CLI ends without a summary.
 */
export function runSweep(p: Run['params'], signal: AbortSignal, onEvent: (ev: RunEvent) => void, log: (line: string) => void): Promise<Run['result']> {
  const args = ['run', p.configPath, '--out', p.outDir, '--workers', String(p.workers), '--data-root', p.dataRoot, '--json'];
  const child = fork(join(__dirname, 'cli.js'), args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  log(`engine: l2exp run ${p.configPath} --out ${p.outDir} (process ${child.pid})`);
  const stop = () => child.kill('SIGTERM');
  signal.addEventListener('abort', stop, { once: true });
  let summary: Run['result']['summary'] | null = null;
  let pending = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.trim()) continue;
      const ev = JSON.parse(line) as RunEvent;
      if (ev.type === 'finished') summary = ev.summary;
      onEvent(ev);
    }
  });
  // Its tail only: a long run's progress bar is megabytes of redrawn lines.
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-16_000)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', stop);
      // The events told the story; a failure's own words go to the log too (130: cancelled).
      if (code !== 0 && code !== 130) {
        const words = stderr
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('['))
          .join('\n');
        if (words) log(words);
      }
      if (summary) resolve({ summary });
      else reject(new Error(signal.aborted && sig === 'SIGTERM' ? 'the sweep was cancelled before it started' : cliFailure(stderr, code, sig)));
    });
  });
}
