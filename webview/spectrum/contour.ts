// Contour levels and lines of a gridded function, for the landscape slice: levels on a 1–2–5
// log ladder of (objective − min), and marching squares (Lorensen & Cline 1987, in its 2-D form)
// for the iso-lines, with linear interpolation along cell edges and the saddle cells resolved
// by the cell's mean value.

/** Levels of z ≥ 0 between `floor` and max z: 1, 2, 5 × 10^k, thinned to decades when there are too many. */
export function logLevels(max: number, floor: number, most = 12): number[] {
  if (!(max > floor && floor > 0)) return max > 0 ? [max / 2] : [];
  const all: number[] = [];
  for (let k = Math.floor(Math.log10(floor)); k <= Math.ceil(Math.log10(max)); k++)
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v > floor && v < max) all.push(v);
    }
  if (all.length <= most) return all;
  const decades = all.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  if (decades.length <= most) return decades;
  const step = Math.ceil(decades.length / most);
  return decades.filter((_, i) => (decades.length - 1 - i) % step === 0);
}

/** A segment of an iso-line, in grid coordinates (i along columns, j along rows). */
export type Segment = [number, number, number, number];

/**
 * The iso-line z = level through the grid z[j][i], as segments. Each cell's corners above or
 * below the level give one of 16 cases; where the line crosses an edge is interpolated linearly.
 */
export function marchingSquares(z: number[][], level: number): Segment[] {
  const out: Segment[] = [];
  const rows = z.length;
  const cols = rows ? z[0].length : 0;
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      const a = z[j][i]; // (i, j)
      const b = z[j][i + 1]; // (i+1, j)
      const c = z[j + 1][i + 1]; // (i+1, j+1)
      const d = z[j + 1][i]; // (i, j+1)
      const code = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const t = (p: number, q: number) => (p === q ? 0.5 : (level - p) / (q - p));
      // Crossing points on the four edges: bottom (a–b), right (b–c), top (d–c), left (a–d).
      const B: [number, number] = [i + t(a, b), j];
      const R: [number, number] = [i + 1, j + t(b, c)];
      const T: [number, number] = [i + t(d, c), j + 1];
      const L: [number, number] = [i, j + t(a, d)];
      const seg = (p: [number, number], q: [number, number]) => out.push([p[0], p[1], q[0], q[1]]);
      const centreAbove = (a + b + c + d) / 4 >= level;
      switch (code) {
        case 1:
        case 14:
          seg(L, B);
          break;
        case 2:
        case 13:
          seg(B, R);
          break;
        case 3:
        case 12:
          seg(L, R);
          break;
        case 4:
        case 11:
          seg(R, T);
          break;
        case 6:
        case 9:
          seg(B, T);
          break;
        case 7:
        case 8:
          seg(L, T);
          break;
        case 5:
          // a and c above: joined through the centre when it is above too.
          if (centreAbove) {
            seg(L, T);
            seg(B, R);
          } else {
            seg(L, B);
            seg(R, T);
          }
          break;
        case 10:
          if (centreAbove) {
            seg(L, B);
            seg(R, T);
          } else {
            seg(L, T);
            seg(B, R);
          }
          break;
      }
    }
  }
  return out;
}

/** Bilinear interpolation of z at fractional grid coordinates (clamped to the grid). */
export function bilinear(z: number[][], fi: number, fj: number): number {
  const rows = z.length;
  const cols = z[0].length;
  const i = Math.min(Math.max(fi, 0), cols - 1);
  const j = Math.min(Math.max(fj, 0), rows - 1);
  const i0 = Math.min(Math.floor(i), cols - 2 < 0 ? 0 : cols - 2);
  const j0 = Math.min(Math.floor(j), rows - 2 < 0 ? 0 : rows - 2);
  const i1 = Math.min(i0 + 1, cols - 1);
  const j1 = Math.min(j0 + 1, rows - 1);
  const u = i - i0;
  const v = j - j0;
  return (1 - u) * (1 - v) * z[j0][i0] + u * (1 - v) * z[j0][i1] + u * v * z[j1][i1] + (1 - u) * v * z[j1][i0];
}

/** Evenly spaced round ticks over [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The round step nearest the raw one (in ratio), so there are about `count` ticks.
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).reduce((a, b) => (Math.abs(Math.log(b / raw)) < Math.abs(Math.log(a / raw)) ? b : a));
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}
