// Sweeps as the editor runs them: the bundled `l2exp` CLI in a child process, so training and
// its data loading never run in the extension host (predictions and slices go to the engine
// process, engineClient.ts). `--json` output is one event per line on stdout; stderr carries
// the CLI's messages (the last line of a failure says what to do).
import { fork, type ChildProcess } from 'node:child_process';

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process ends: its exit code (null when killed) and its stderr. */
  done: Promise<{ code: number | null; stderr: string }>;
}

/** Starts `l2exp ARGS`; `onLine` gets every complete stdout line, parsed as JSON. */
export function startCli(cli: string, args: string[], onLine: (value: unknown) => void): CliRun {
  const child = fork(cli, args, { silent: true });
  let pending = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim()) onLine(JSON.parse(line));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  return { child, done };
}

/** The message of a failed CLI call: its stderr without the progress bar, or the exit code. */
export function cliFailure(stderr: string, code: number | null): string {
  const lines = stderr
    .split(/[\r\n]/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('['));
  return lines.slice(-3).join(' ') || `l2exp exited with ${code ?? 'a signal'}`;
}
