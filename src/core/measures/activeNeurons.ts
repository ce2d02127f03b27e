import type { Layout } from '../model/layout';

/**
 * Active units per hidden layer: a unit counts when both its incoming weight vector (a column
 * of W_l) and its outgoing one (a row of W_{l+1}) have norms above `threshold` times the
 * largest such norm in the layer. A unit with either side at zero contributes nothing to f,
 * which is where L2 drives the units a minimum does not need.
 * Relative norms alone would call the largest of a layer of numerical zeros "active" (at the
 * trivial point every unit is ~tolerance/λ, not 0), so the unit's contribution scale
 * ‖in‖·‖out‖ must also exceed threshold², against O(1) for a unit that does something.
 */
export function activeNeurons(layout: Layout, theta: ArrayLike<number>, threshold: number): number[] {
  const counts: number[] = [];
  for (let l = 0; l + 1 < layout.layers.length; l++) {
    const inn = layout.layers[l];
    const out = layout.layers[l + 1];
    const width = inn.fanOut;
    const inNorm = new Float64Array(width);
    const outNorm = new Float64Array(width);
    for (let i = 0; i < inn.fanIn; i++) for (let j = 0; j < width; j++) inNorm[j] += theta[inn.wOffset + i * width + j] ** 2;
    for (let j = 0; j < width; j++) for (let o = 0; o < out.fanOut; o++) outNorm[j] += theta[out.wOffset + j * out.fanOut + o] ** 2;
    const maxIn = Math.sqrt(Math.max(...inNorm));
    const maxOut = Math.sqrt(Math.max(...outNorm));
    let active = 0;
    for (let j = 0; j < width; j++) {
      const a = Math.sqrt(inNorm[j]);
      const b = Math.sqrt(outNorm[j]);
      if (a > threshold * maxIn && b > threshold * maxOut && a * b > threshold * threshold) active++;
    }
    counts.push(active);
  }
  return counts;
}
