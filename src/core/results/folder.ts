// The file-system rules of a results folder: its exclusive lock, safe names, no symbolic links
// inside it, directories made one level at a time, and writes that are atomic and leave no
// temporary file behind when they fail. Every failure is an InputError naming the path and
// what to do about it.

import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describeFsError, InputError, RunError } from '../errors';

/** Another live process writes the folder: two writers would duplicate and interleave records. */
export class ResultsLockedError extends InputError {}

/**
 * A file-system call, its errno failure turned into words (the path and what to do): a
 * RunError (exit 1: the disk filled, a permission changed) unless `as` says it is bad input.
 */
export function fsCall<T>(path: string, f: () => T, as: new (message: string) => Error = RunError): T {
  try {
    return f();
  } catch (err) {
    const text = describeFsError(err, path);
    if (text) throw new as(text);
    throw err;
  }
}

/**
 * Point ids become file names (params/<id>.f64, slices/<id>-…): an id read from a damaged or
 * hostile points.jsonl ("../../x") must not name a path outside the folder.
 */
export function checkId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/.test(id) || id.includes('..')) {
    throw new InputError(`"${id.slice(0, 80)}" is not a point id (letters, digits and . _ + - only, as l2exp names them): the results folder was edited or damaged`);
  }
  return id;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Refuses symbolic links on the way from `root` down to `path` (both included): a link inside
 * a results tree (a cloned repository's `.l2exp -> ~/.ssh`, a `params/` link) would make a run
 * write, or a view read, outside it.
 */
export function refuseLinks(root: string, path: string): void {
  const rel = relative(resolve(root), resolve(path));
  let at = resolve(root);
  for (const part of ['', ...(rel ? rel.split(sep) : [])]) {
    at = part ? join(at, part) : at;
    if (isLink(at)) throw new InputError(`${at} is a symbolic link: results folders hold no links (one could make the run write elsewhere); replace it with a real folder`);
  }
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor (Node's recursive mkdir
 * spins forever on /proc), refusing a file where a folder should be.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    const st = fsCall(at, () => statSync(at, { throwIfNoEntry: false }), InputError);
    if (st?.isDirectory()) break;
    if (st) throw new InputError(`${at} is a file, not a folder: choose another results folder (--out)`);
    missing.push(at);
    if (dirname(at) === at) break;
    at = dirname(at);
  }
  for (const d of missing.reverse()) fsCall(d, () => mkdirSync(d), InputError);
}

/** Writes a file so that readers see the old or the new content, never half of it; a failed write leaves nothing. */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  fsCall(path, () => {
    try {
      writeFileSync(tmp, content);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  });
}

/** Reads a JSON file of the folder; a damaged one is named with what to do. */
export function readJson<T>(path: string, remedy: string): T {
  const text = fsCall(path, () => readFileSync(path, 'utf8'), InputError);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InputError(`${path} is damaged (not valid JSON): ${remedy}`);
  }
}

/** .lock: who holds a results folder. */
interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/**
 * Signal 0 tests for a process without touching it (EPERM: it exists under another user). A
 * killed process that its parent has not reaped yet still answers; on Linux /proc tells that
 * zombie (state Z) from a live one.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/PID/stat: "pid (comm) state …"; comm may hold spaces and parentheses, so split at the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Takes the folder's exclusive lock: `.lock` created with O_EXCL, holding our pid and host. A
 * lock whose process is gone (a kill -9, a crash) is stale and taken over; a live holder on
 * this host, or any holder on another (a shared cluster disk, where liveness cannot be
 * checked), is refused. Returns the lock's path, for `rmSync` when the run ends.
 */
export function acquireLock(dir: string): string {
  const path = join(dir, '.lock');
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      writeFileSync(path, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        fsCall(
          path,
          () => {
            throw err;
          },
          InputError,
        );
      }
    }
    let holder: LockHolder | null = null;
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    } catch {
      // Unreadable or half-written: its writer died between creating and filling it.
    }
    if (holder && holder.host !== mine.host) throw new ResultsLockedError(`${dir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); if that run is gone, delete ${path}`);
    if (holder && alive(holder.pid))
      throw new ResultsLockedError(`${dir} is in use by process ${holder.pid} (since ${holder.since}): one results folder takes one run at a time; wait for it, stop it, or choose another --out`);
    rmSync(path, { force: true });
  }
}
