import type { InitScheme } from '../config/types';
import type { Rng } from '../random';
import type { Layout } from './layout';

/** Standard deviation of a weight entry: Glorot & Bengio (xavier), He et al. (he), LeCun. */
function initStd(scheme: InitScheme, fanIn: number, fanOut: number): number {
  if (scheme === 'xavier') return Math.sqrt(2 / (fanIn + fanOut));
  if (scheme === 'he') return Math.sqrt(2 / fanIn);
  return Math.sqrt(1 / fanIn);
}

/** Gaussian weights by the scheme times `scale`, zero biases. */
export function initialParameters(layout: Layout, scheme: InitScheme, scale: number, rng: Rng): Float64Array {
  const theta = new Float64Array(layout.size);
  for (const { fanIn, fanOut, wOffset } of layout.layers) {
    const std = scale * initStd(scheme, fanIn, fanOut);
    for (let i = wOffset; i < wOffset + fanIn * fanOut; i++) theta[i] = std * rng.normal();
  }
  return theta;
}
