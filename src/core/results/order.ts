import type { PointRecord } from '../sweep/point';

/** Canonical order of points: by seed, up before down, then along the ascending λ grid. */
export function sortPoints(points: PointRecord[]): PointRecord[] {
  const dir = (d: string) => (d === 'up' ? 0 : 1);
  return [...points].sort((a, b) => a.seed - b.seed || dir(a.direction) - dir(b.direction) || a.index - b.index || a.id.localeCompare(b.id));
}
