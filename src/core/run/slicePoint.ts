import { landscapeSliceSteps, toEnd, type PointSlice, type SliceOptions, type SliceProgress } from '../analysis/slice';
import { ownKernelsOrJs } from '../kernels/selectBackend';
import { Mlp } from '../model/mlp';
import { pointLayout, pointSetting } from '../sweep/pointSetting';
import { InputError } from '../errors';
import { readData, readParams, ResultsStore, writeSlice } from '../results/store';

export type { PointSlice };

/**
 * A loss-landscape slice around one point of a finished (or partial) run, from the exact data
 * and parameters the run stored; written to slices/<id>-<directions>-<dims>d.json.
 */
export function slicePoint(dir: string, pointId: string, opts: SliceOptions): { slice: PointSlice; path: string } {
  return toEnd(slicePointSteps(dir, pointId, opts));
}

/**
 * slicePoint one unit of work at a time (landscapeSliceSteps: the directions, then each grid
 * row): the engine process drives it, reading a cancel or serving a prediction between units.
 * Nothing is written unless it runs to its end.
 */
export function* slicePointSteps(dir: string, pointId: string, opts: SliceOptions): Generator<SliceProgress, { slice: PointSlice; path: string }> {
  const { manifest, points } = ResultsStore.read(dir);
  const point = points.find((p) => p.id === pointId);
  if (!point) {
    const known = points
      .slice(0, 5)
      .map((p) => p.id)
      .join(', ');
    throw new InputError(`${dir} has no point "${pointId}"${known ? ` (points look like: ${known}…)` : ''}`);
  }
  if (point.diverged) throw new InputError(`point ${pointId} diverged: there is no landscape around it`);
  const e = manifest.experiment;
  // analysis/slice.ts evaluates an MLP's objective; a VAE's (reconstruction + β·KL on its fixed noise) is not wired in yet.
  if (e.model.kind === 'vae') throw new InputError(`${dir} is a VAE run: landscape slices are computed for MLPs only so far`);
  const ds = readData(dir);
  // The point's own setting: a width sweep's layout, a samples or noise sweep's training split.
  const setting = pointSetting(e, ds, point);
  const layout = pointLayout(e, ds, setting);
  // Every grid point is a forward pass: our WebAssembly kernels where they load.
  const model = new Mlp(layout, e.model.activation, e.loss, ownKernelsOrJs(e.backend).kernels, 'float64');
  const slice = yield* landscapeSliceSteps(model, readParams(dir, pointId), setting.train.x, setting.train.y, setting.train.n, point.lambda, opts);
  const result: PointSlice = { pointId, lambda: point.lambda, ...slice };
  return { slice: result, path: writeSlice(dir, pointId, `${opts.directions}-${opts.dims}d`, result) };
}
