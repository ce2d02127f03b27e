/**
 * A progress line on stderr: redrawn in place on a terminal, otherwise printed at most every
 * 10 seconds (logs of cluster jobs stay short).
 */
export class Progress {
  private readonly started = Date.now();
  private startDone = 0;
  private lastPrint = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  begin(done: number): void {
    this.startDone = done;
  }

  update(done: number, total: number, label: string): void {
    const now = Date.now();
    const tty = this.stream.isTTY;
    if (!tty && now - this.lastPrint < 10_000 && done < total) return;
    this.lastPrint = now;
    const width = 24;
    const filled = total > 0 ? Math.round((width * done) / total) : width;
    const rate = (done - this.startDone) / ((now - this.started) / 1000);
    const eta = rate > 0 ? formatSeconds((total - done) / rate) : '?';
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} points · ETA ${eta} · ${label}`;
    if (tty) {
      this.stream.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else this.stream.write(line + '\n');
  }

  /** Ends the redrawn line before anything else is printed. */
  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  const sec = Math.round(s - 60 * m);
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
}
