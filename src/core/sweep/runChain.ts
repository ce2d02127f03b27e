import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { Kernels } from '../kernels/kernels';
import { norm2 } from '../linalg/vec';
import { initialParameters } from '../model/init';
import type { VaeReconstructions } from '../measures/vaeReconstructions';
import { sameLayout, type Layout } from '../model/layout';
import { resizeParameters } from '../model/resize';
import { Rng } from '../random';
import { escapeSaddle, type EscapeOptions } from '../train/escapeSaddle';
import { lbfgs } from '../train/lbfgs';
import { minimize } from '../train/minimize';
import type { OptimizeResult, TrainingObjective } from '../train/objective';
import { warmStartable } from './axis';
import type { ChainSpec } from './chains';
import type { PointRecord } from './point';
import { pointLayout, pointSetting, type PointCoordinates, type PointSetting } from './pointSetting';
import { mlpProblems } from './mlpPoint';
import type { PointProblems } from './pointProblems';
import { vaeProblems } from './vaePoint';

export interface ChainPoint {
  record: PointRecord;
  /** The trained parameters (float64), for warm starts, checkpoints and saved models. */
  theta: Float64Array;
  /** A VAE point's reconstructions and latent traversals (not for a diverged point). */
  reconstructions?: VaeReconstructions;
}

/**
 * Where an interrupted (or repaired) chain picks up: its finished point ids, and for each
 * finished point that a point to train follows, the solution to continue from (null: it
 * diverged, so the next starts fresh, as in an uninterrupted chain). `start` is where the
 * chain's first point starts (a refinement point's chosen start), with the coordinates of the
 * point it comes from (a width sweep's θ has that point's layout).
 */
export interface ChainResume {
  done: Set<string>;
  after: Map<string, Float64Array | null>;
  start: { theta: Float64Array; at: PointCoordinates } | null;
}

/**
 * Float32 on the fast kernels gets close; its rounding (~1e-7 relative in f) then stalls the
 * line search near ‖∇‖ ≈ 1e-5, short of a tight tolerance. The float64 polish finishes from
 * there, so every recorded point is a minimum to the tolerance asked, at float64 precision.
 */
function polish(problem64: TrainingObjective, fit: OptimizeResult, e: Experiment): OptimizeResult {
  if (fit.converged || fit.diverged || fit.steps >= e.train.maxSteps) return fit;
  const more = lbfgs(problem64, fit.theta, { maxSteps: e.train.maxSteps - fit.steps, tolerance: e.train.tolerance, memory: e.train.memory });
  return { ...more, steps: fit.steps + more.steps };
}

/**
 * Walks a chain's points in order (values of the swept parameter, sweep/pointSetting.ts), each
 * trained to a minimum of the regularized objective, warm-started from the previous solution
 * when `warmStart` (continuation: follows one branch of minima; across widths through
 * model/resize.ts), else from the chain's own fresh initialization. A trained point whose
 * Hessian has a negative eigenvalue is a saddle, not a minimum: `escapeSaddle` steps off it and
 * trains again (the kick of a warm start does this only by chance, and not at all with
 * `perturbation` 0). A diverged point is recorded as such and the next one starts fresh.
 * Results depend only on (experiment, chain), never on the process or on interruptions: the
 * basis of resume and of merged shards.
 */
export function* runChain(e: Experiment, ds: Dataset, kernels: Kernels, chain: ChainSpec, resume?: ChainResume): Generator<ChainPoint> {
  const at = (value: number): PointCoordinates => ({ value, ...(chain.across === undefined ? {} : { across: chain.across }) });
  // The problems are kept while the points' layout and training split stay (a λ or init-scale
  // sweep builds them once); samples, noise and width sweeps build them per point.
  let problems: PointProblems | null = null;
  const problemsFor = (s: PointSetting): PointProblems => {
    if (problems?.key !== s.problemKey) problems = (e.model.kind === 'vae' ? vaeProblems : mlpProblems)(e, ds, s, kernels);
    return problems;
  };
  const fresh = (layout: Layout, s: PointSetting) => initialParameters(layout, e.train.init, s.initScale, new Rng(e.seed, `init/s${chain.seed}`));
  /** previous + perturbation × (a fresh initialization's draw), seeded by the point. */
  const kick = (layout: Layout, s: PointSetting, previous: Float64Array, id: string): Float64Array => {
    if (e.sweep.perturbation === 0) return previous;
    const noise = initialParameters(layout, e.train.init, e.sweep.perturbation * s.initScale, new Rng(e.seed, `kick/${id}`));
    return previous.map((v, i) => v + noise[i]);
  };
  const trajectorySteps = e.analysis.trajectory ? new Set(e.analysis.trajectory) : null;
  const continues = e.sweep.warmStart && chain.direction !== 'fresh' && warmStartable(e.sweep.parameter);
  /** The solution the next point continues from, with the layout it has. */
  let previous: { theta: Float64Array; layout: Layout } | null = resume?.start ? { theta: resume.start.theta, layout: pointLayout(e, ds, pointSetting(e, ds, resume.start.at)) } : null;
  for (const p of chain.points) {
    if (resume?.done.has(p.id)) {
      const theta = resume.after.get(p.id);
      if (resume.after.has(p.id)) previous = theta ? { theta, layout: pointLayout(e, ds, pointSetting(e, ds, at(p.value))) } : null;
      continue;
    }
    const setting = pointSetting(e, ds, at(p.value));
    const here = problemsFor(setting);
    const { layout, fast: problem, exact: problem64 } = here;
    here.set(setting);
    const carried = previous && (sameLayout(previous.layout, layout) ? previous.theta : resizeParameters(previous.layout, previous.theta, layout, fresh(layout, setting)));
    const start = continues && carried ? kick(layout, setting, carried, p.id) : fresh(layout, setting);
    const escapeOptions: EscapeOptions = {
      maxEscapes: e.train.escape.maxEscapes,
      lanczosSteps: e.train.escape.lanczosSteps,
      tolerance: e.analysis.hessian.tolerance,
      stepScale: norm2(fresh(layout, setting)),
      seed: e.seed,
    };
    // analysis.trajectory: θ at those steps of the first minimization's path (the escapes' start elsewhere).
    const path: { step: number; theta: Float64Array }[] = [];
    const observe = (step: number, theta: Float64Array) => {
      if (trajectorySteps?.has(step)) path.push({ step, theta: Float64Array.from(theta) });
    };
    // Each escape's minimization draws its own batches (…/escape1, …), seeded by the point.
    let attempt = 0;
    const train = (from: Float64Array): OptimizeResult => {
      const first = attempt === 0;
      const batches = new Rng(e.seed, first ? `batches/${p.id}` : `batches/${p.id}/escape${attempt}`);
      attempt++;
      return polish(problem64, minimize(problem, from, e.train, batches, first && trajectorySteps ? observe : undefined), e);
    };
    const who = { ...p, ...at(p.value), lambda: setting.lambda, direction: chain.direction, seed: chain.seed };
    const measure = (f: OptimizeResult, escapes: number) => here.measure(who, f, { escapes, saddle: false });
    const trained = train(start);
    const { fit, record, saddle } =
      trained.diverged || !e.train.escape.enabled ? { fit: trained, record: measure(trained, 0), saddle: false } : escapeSaddle(problem64, trained, train, measure, escapeOptions);
    previous = fit.diverged ? null : { theta: fit.theta, layout };
    const trajectory = trajectorySteps && here.measurePath ? { trajectory: here.measurePath(who, path) } : {};
    const reconstructions = !fit.diverged && here.reconstruct ? { reconstructions: here.reconstruct(p.id, fit.theta) } : {};
    yield { record: { ...record, saddle, ...trajectory }, theta: fit.theta, ...reconstructions };
  }
}
