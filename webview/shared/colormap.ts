// The colour map of every heat map (the spectrum view's landscape slice, the sweep panel's phase
// diagram): viridis, perceptually uniform, readable in every theme and for colour-blind users.
// Pictures of data (a VAE's digits) are grey, as the data are.

/** Viridis from its degree-6 polynomial fit (Matt Zucker's published coefficients), t in [0, 1]. */
const VIRIDIS = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const rgb = [0, 1, 2].map((c) => {
    let v = 0;
    for (let k = VIRIDIS.length - 1; k >= 0; k--) v = v * x + VIRIDIS[k][c];
    return Math.round(255 * Math.min(1, Math.max(0, v)));
  });
  return [rgb[0], rgb[1], rgb[2]];
}

/** The grey level (0–255) of value v on range [lo, hi], black to white: a VAE's pictures. */
export const greyLevel = (v: number, [lo, hi]: [number, number]): number => Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
