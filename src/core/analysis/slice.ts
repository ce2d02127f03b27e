import { extremeEigenvalues } from '../linalg/extremeEigenpairs';
import { norm2 } from '../linalg/vec';
import { DataHessian, objectiveHessianApply } from '../model/hessian';
import { penalty, type Layout } from '../model/layout';
import type { Mlp } from '../model/mlp';
import { Rng } from '../random';

export type SliceDirections = 'hessian' | 'random';

export interface SliceOptions {
  directions: SliceDirections;
  /** 1: L(θ + αd₁); 2: L(θ + αd₁ + βd₂). */
  dims: 1 | 2;
  /** α (and β) run over [−range, range]. */
  range: number;
  /** Grid points per axis. */
  points: number;
  seed: number;
}

/** A loss-landscape slice around a trained point, returned as a grid. */
export interface LandscapeSlice {
  directions: SliceDirections;
  alphas: number[];
  /** null for a 1-D slice. */
  betas: number[] | null;
  /** values[b][a]: rows over β (one row for 1-D), columns over α. */
  objective: number[][];
  error: number[][];
  /** hessian directions: the eigenvalues of d₁ and d₂. */
  eigenvalues: number[] | null;
  /** ‖d₁‖ (and ‖d₂‖): both kinds are scaled like the weights, so α = 1 is a step the size of θ. */
  directionNorms: number[];
}

/**
 * Li et al. (2018), "Visualizing the Loss Landscape of Neural Nets": a Gaussian direction whose
 * every filter (here: a unit's incoming weight vector, a column of W_l) is rescaled to the norm
 * of the same filter in θ, so the slice is comparable across networks and scales; bias
 * directions are zero. A filter of zero norm (a dead unit, the trivial point) gets unit norm.
 */
export function filterNormalizedDirection(layout: Layout, theta: ArrayLike<number>, rng: Rng): Float64Array {
  const d = new Float64Array(layout.size);
  for (const { fanIn, fanOut, wOffset } of layout.layers) {
    for (let j = 0; j < fanOut; j++) {
      let dn = 0;
      let tn = 0;
      for (let i = 0; i < fanIn; i++) {
        const k = wOffset + i * fanOut + j;
        d[k] = rng.normal();
        dn += d[k] * d[k];
        tn += theta[k] * theta[k];
      }
      const scale = (tn > 0 ? Math.sqrt(tn) : 1) / Math.sqrt(dn);
      for (let i = 0; i < fanIn; i++) d[wOffset + i * fanOut + j] *= scale;
    }
  }
  return d;
}

/** A slice around one point of a run, as stored in slices/ and sent to the views. */
export interface PointSlice extends LandscapeSlice {
  pointId: string;
  lambda: number;
}

/**
 * A slice's options with the defaults of `l2exp slice` filled in: Hessian directions, 2-D, α
 * (and β) over [−1, 1], 25 points per axis (51 for a 1-D slice, which draws a curve), seed 0.
 */
export function sliceOptions(o: Partial<SliceOptions> = {}): SliceOptions {
  const dims = o.dims ?? 2;
  return { directions: o.directions ?? 'hessian', dims, range: o.range ?? 1, points: o.points ?? (dims === 1 ? 51 : 25), seed: o.seed ?? 0 };
}

/** How far a slice has got: grid rows (over β; one for 1-D) done, of how many. */
export interface SliceProgress {
  rows: number;
  of: number;
}

/** The loss of a float64 model over a grid around θ, along Hessian eigenvectors or random directions. */
export function landscapeSlice(model: Mlp, theta: Float64Array, x: Float64Array, y: Float64Array, n: number, lambda: number, opts: SliceOptions): LandscapeSlice {
  return toEnd(landscapeSliceSteps(model, theta, x, y, n, lambda, opts));
}

/** Runs a stepwise computation to its end, synchronously. */
export function toEnd<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * landscapeSlice one unit of work at a time: it yields after the directions (the Hessian's top
 * eigenvectors are one unit) and after each grid row, so a caller can do other work or stop in
 * between (the engine process reads a cancel there); its return value is landscapeSlice's.
 */
export function* landscapeSliceSteps(model: Mlp, theta: Float64Array, x: Float64Array, y: Float64Array, n: number, lambda: number, opts: SliceOptions): Generator<SliceProgress, LandscapeSlice> {
  const { layout } = model;
  let dirs: Float64Array[];
  let eigenvalues: number[] | null = null;
  if (opts.directions === 'hessian') {
    // Top eigenvectors of the objective's Hessian, unit length, then scaled to ‖θ‖ (1 at θ = 0).
    const hd = new DataHessian(model, theta, x, y, n);
    const ext = extremeEigenvalues(objectiveHessianApply(hd, layout, lambda), layout.size, { k: opts.dims, vectors: true, seed: opts.seed });
    const scale = norm2(theta) || 1;
    dirs = ext.topVectors!.slice(0, opts.dims).map((u) => u.map((v) => v * scale));
    eigenvalues = Array.from(ext.top.slice(0, opts.dims));
  } else {
    const rng = new Rng(opts.seed, 'slice/directions');
    dirs = Array.from({ length: opts.dims }, () => filterNormalizedDirection(layout, theta, rng));
  }
  const axis = Array.from({ length: opts.points }, (_, i) => (opts.points === 1 ? 0 : -opts.range + (2 * opts.range * i) / (opts.points - 1)));
  const betas = opts.dims === 2 ? axis : null;
  const objective: number[][] = [];
  const error: number[][] = [];
  const point = new Float64Array(layout.size);
  const rows = betas ?? [0];
  yield { rows: 0, of: rows.length };
  for (const beta of rows) {
    const rowO: number[] = [];
    const rowE: number[] = [];
    for (const alpha of axis) {
      for (let i = 0; i < point.length; i++) point[i] = theta[i] + alpha * dirs[0][i] + (opts.dims === 2 ? beta * dirs[1][i] : 0);
      const data = model.lossGrad(point, x, y, n);
      rowE.push(data);
      rowO.push(data + penalty(layout, point, lambda));
    }
    objective.push(rowO);
    error.push(rowE);
    yield { rows: objective.length, of: rows.length };
  }
  return { directions: opts.directions, alphas: axis, betas, objective, error, eigenvalues, directionNorms: dirs.map((d) => norm2(d)) };
}
