// Progress events of a sweep, from the orchestrator to whoever drives it (the CLI's progress
// bar and --json output, the extension's progress notification and panels).
import type { RunSummary } from '../results/summary';
import type { PointRecord } from '../sweep/point';

export type RunEvent =
  /** The results folder is open; `done` points were already there (a resumed run). */
  | { type: 'started'; runId: string; outDir: string; total: number; done: number; chains: number; workers: number }
  /** Something the user should know that does not stop the run (a damaged record set aside and repaired). */
  | { type: 'notice'; runId: string; message: string }
  /** A worker loaded its backend. */
  | { type: 'backend'; runId: string; description: string }
  /** A point is written to points.jsonl. */
  | { type: 'point'; runId: string; record: PointRecord; done: number; total: number }
  /** A chain stopped on an error; the run goes on without it. */
  | { type: 'chainFailed'; runId: string; chainId: string; message: string }
  /** summary.json is written. */
  | { type: 'finished'; runId: string; summary: RunSummary };
