// The machine's processes as the tests see them (Linux /proc): which process forked which.
import { readdirSync, readFileSync } from 'node:fs';

/** Every process: its pid, its parent's and its command line (arguments joined by spaces). Linux /proc; empty elsewhere. */
export function processTable(): { pid: number; ppid: number; cmdline: string }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return [{ pid: Number(e), ppid, cmdline: readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim() }];
    } catch {
      return []; // the process ended meanwhile
    }
  });
}
