import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { Kernels } from '../kernels/kernels';
import { norm2 } from '../linalg/vec';
import { initialParameters } from '../model/init';
import { makeLayout } from '../model/layout';
import { Mlp } from '../model/mlp';
import { Rng } from '../random';
import { escapeSaddle, type EscapeOptions } from '../train/escapeSaddle';
import { lbfgs } from '../train/lbfgs';
import { minimize } from '../train/minimize';
import type { OptimizeResult } from '../train/objective';
import { TrainingProblem } from '../train/problem';
import type { ChainSpec } from './chains';
import { measurePoint } from './measure';
import type { PointRecord } from './point';

export interface ChainPoint {
  record: PointRecord;
  /** The trained parameters (float64), for warm starts, checkpoints and saved models. */
  theta: Float64Array;
}

/**
 * Where an interrupted (or repaired) chain picks up: its finished point ids, and for each
 * finished point that a point to train follows, the solution to continue from (null: it
 * diverged, so the next starts fresh, as in an uninterrupted chain). `start` is where the
 * chain's first point starts (a refinement point's chosen start).
 */
export interface ChainResume {
  done: Set<string>;
  after: Map<string, Float64Array | null>;
  start: Float64Array | null;
}

/**
 * Float32 on the fast kernels gets close; its rounding (~1e-7 relative in f) then stalls the
 * line search near ‖∇‖ ≈ 1e-5, short of a tight tolerance. The float64 polish finishes from
 * there, so every recorded point is a minimum to the tolerance asked, at float64 precision.
 */
function polish(problem64: TrainingProblem, fit: OptimizeResult, e: Experiment): OptimizeResult {
  if (fit.converged || fit.diverged || fit.steps >= e.train.maxSteps) return fit;
  const more = lbfgs(problem64, fit.theta, { maxSteps: e.train.maxSteps - fit.steps, tolerance: e.train.tolerance, memory: e.train.memory });
  return { ...more, steps: fit.steps + more.steps };
}

/**
 * Walks a chain's λ values in order, each trained to a minimum of the regularized objective,
 * warm-started from the previous solution when `warmStart` (continuation: follows one branch
 * of minima across λ), else from the chain's own fresh initialization. A trained point whose
 * Hessian has a negative eigenvalue is a saddle, not a minimum: `escapeSaddle` steps off it and
 * trains again (the kick of a warm start does this only by chance, and not at all with
 * `perturbation` 0). A diverged point is recorded as such and the next one starts fresh.
 * Results depend only on (experiment, chain), never on the process or on interruptions: the
 * basis of resume and of merged shards.
 */
export function* runChain(e: Experiment, ds: Dataset, kernels: Kernels, chain: ChainSpec, resume?: ChainResume): Generator<ChainPoint> {
  const layout = makeLayout(ds.inputDim, ds.outputDim, e.model);
  const problem = new TrainingProblem(new Mlp(layout, e.model.activation, e.loss, kernels, 'float32'), ds.train);
  // The float64 polish and the Hessian work run on the same kernels (backends without float64 products delegate them to JS).
  const problem64 = new TrainingProblem(new Mlp(layout, e.model.activation, e.loss, kernels, 'float64'), ds.train);
  const fresh = () => initialParameters(layout, e.train.init, e.train.initScale, new Rng(e.seed, `init/s${chain.seed}`));
  /** previous + perturbation × (a fresh initialization's draw), seeded by the point. */
  const kick = (previous: Float64Array, id: string): Float64Array => {
    if (e.sweep.perturbation === 0) return previous;
    const noise = initialParameters(layout, e.train.init, e.sweep.perturbation * e.train.initScale, new Rng(e.seed, `kick/${id}`));
    return previous.map((v, i) => v + noise[i]);
  };
  const escapeOptions: EscapeOptions = {
    maxEscapes: e.train.escape.maxEscapes,
    lanczosSteps: e.train.escape.lanczosSteps,
    tolerance: e.analysis.hessian.tolerance,
    stepScale: norm2(fresh()),
    seed: e.seed,
  };
  let previous: Float64Array | null = resume?.start ?? null;
  for (const p of chain.points) {
    if (resume?.done.has(p.id)) {
      if (resume.after.has(p.id)) previous = resume.after.get(p.id)!;
      continue;
    }
    problem.lambda = problem64.lambda = p.lambda;
    const start = e.sweep.warmStart && chain.direction !== 'fresh' && previous ? kick(previous, p.id) : fresh();
    // Each escape's minimization draws its own batches (…/escape1, …), seeded by the point.
    let attempt = 0;
    const train = (from: Float64Array): OptimizeResult => {
      const batches = new Rng(e.seed, attempt === 0 ? `batches/${p.id}` : `batches/${p.id}/escape${attempt}`);
      attempt++;
      return polish(problem64, minimize(problem, from, e.train, batches), e);
    };
    const measure = (f: OptimizeResult, escapes: number) => measurePoint(e, ds, problem64, problem.model, { ...p, direction: chain.direction, seed: chain.seed }, f, { escapes, saddle: false });
    const trained = train(start);
    const { fit, record, saddle } =
      trained.diverged || !e.train.escape.enabled ? { fit: trained, record: measure(trained, 0), saddle: false } : escapeSaddle(problem64, trained, train, measure, escapeOptions);
    previous = fit.diverged ? null : fit.theta;
    yield { record: { ...record, saddle }, theta: fit.theta };
  }
}
