import type { PointRecord } from '../sweep/point';

const DIRECTIONS = ['up', 'down', 'fresh'];

/** Canonical order of points: by seed, up, down, fresh, then by λ (refinement points fall in place). */
export function sortPoints(points: PointRecord[]): PointRecord[] {
  const dir = (d: string) => DIRECTIONS.indexOf(d);
  return [...points].sort((a, b) => a.seed - b.seed || dir(a.direction) - dir(b.direction) || a.lambda - b.lambda || a.id.localeCompare(b.id));
}
