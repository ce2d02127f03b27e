// Warm starts across a width sweep: a trained θ carried to a layout with other hidden widths.
import type { Layout, LayerSlice } from './layout';

/**
 * θ of layout `from` carried to layout `to` (same input, output and depth; any hidden widths).
 * A hidden layer that grows keeps its units and gets new ones whose incoming weights are taken
 * from `fresh` (an initialization of `to`) and whose outgoing weights are zero: the new units
 * contribute nothing, so the network computes exactly the same function, and, their incoming
 * weights being nonzero, the gradient can grow their outgoing weights (with both zero they would
 * sit at a saddle). A layer that shrinks keeps its units with the largest ‖w_in‖·‖w_out‖ (the
 * size of a unit's contribution, the product its L2 cost scales with), in their order.
 */
export function resizeParameters(from: Layout, theta: Float64Array, to: Layout, fresh: Float64Array): Float64Array {
  const depth = from.layers.length;
  if (to.layers.length !== depth || from.inputDim !== to.inputDim || from.outputDim !== to.outputDim) throw new Error('resizeParameters: the layouts differ in more than their hidden widths');
  const out = new Float64Array(to.size);
  // kept[l]: the old units of layer l's output that the new layer's units 0… come from (−1: new).
  const kept: number[][] = from.layers.map((l, i) => (i === depth - 1 ? range(l.fanOut) : keptUnits(from, theta, i, to.layers[i].fanOut)));
  const inputs = [range(from.inputDim), ...kept.slice(0, -1)];
  to.layers.forEach((t, i) => {
    const f = from.layers[i];
    for (let jNew = 0; jNew < t.fanOut; jNew++) {
      const j = kept[i][jNew];
      for (let rNew = 0; rNew < t.fanIn; rNew++) {
        const r = inputs[i][rNew];
        const at = t.wOffset + rNew * t.fanOut + jNew;
        // A new unit's incoming weights are fresh; weights out of a new input unit are zero.
        out[at] = j < 0 ? fresh[at] : r < 0 ? 0 : theta[f.wOffset + r * f.fanOut + j];
      }
      if (t.bOffset >= 0) out[t.bOffset + jNew] = j < 0 || f.bOffset < 0 ? 0 : theta[f.bOffset + j];
    }
  });
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The old units of hidden layer i that a layer of `width` units keeps, then −1 for each new one. */
function keptUnits(from: Layout, theta: Float64Array, i: number, width: number): number[] {
  const [inn, out] = [from.layers[i], from.layers[i + 1]];
  if (width >= inn.fanOut) return [...range(inn.fanOut), ...Array<number>(width - inn.fanOut).fill(-1)];
  const size = (j: number) => Math.sqrt(columnNormSq(inn, theta, j) * rowNormSq(out, theta, j));
  return range(inn.fanOut)
    .sort((a, b) => size(b) - size(a) || a - b)
    .slice(0, width)
    .sort((a, b) => a - b);
}

/** ‖W[:, j]‖²: unit j's incoming weights. */
function columnNormSq(l: LayerSlice, theta: Float64Array, j: number): number {
  let s = 0;
  for (let r = 0; r < l.fanIn; r++) s += theta[l.wOffset + r * l.fanOut + j] ** 2;
  return s;
}

/** ‖W[r, :]‖²: what input unit r feeds forward. */
function rowNormSq(l: LayerSlice, theta: Float64Array, r: number): number {
  let s = 0;
  for (let j = 0; j < l.fanOut; j++) s += theta[l.wOffset + r * l.fanOut + j] ** 2;
  return s;
}
