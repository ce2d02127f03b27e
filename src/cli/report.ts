import type { RunSummary } from '../core/results/summary';
import type { PointRecord } from '../core/sweep/point';

const num = (v: number | null, digits = 4) => (v === null ? '—' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(digits));

/** The table a person reads after a run: one row per point, in canonical order. */
export function pointsTable(points: PointRecord[]): string {
  const head = ['lambda', 'dir', 'seed', 'train loss', 'test loss', points[0]?.scoreKind === 'accuracy' ? 'test acc' : 'test R²', '‖W‖²', 'active', 'GC', 'steps', 'ok'];
  const rows = points.map((p) => [
    p.lambda.toExponential(3),
    p.direction,
    String(p.seed),
    num(p.trainLoss),
    num(p.testLoss),
    num(p.testScore, 3),
    num(p.weightNorm),
    p.activeNeurons ? p.activeNeurons.join('/') : '—',
    num(p.geometricComplexity),
    String(p.steps),
    p.diverged ? 'diverged' : p.converged ? 'yes' : 'no',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

export function summaryLines(s: RunSummary, outDir: string): string {
  const p = s.points;
  return [
    `${s.name}: ${s.status}, ${p.finished}/${p.expected} points (${p.converged} converged, ${p.diverged} diverged) in ${s.timings.wallSeconds.toFixed(1)} s`,
    `backend: ${s.backend.join('; ') || 'none (nothing left to train)'}`,
    `parameters: ${s.parameterCount}; active units per layer are bounded by N(N+1) = ${s.activeNeuronBound} (N = ${s.dataset.nTrain} training samples)`,
    ...s.errors.map((e) => `error: ${e}`),
    `results: ${outDir}`,
  ].join('\n');
}
