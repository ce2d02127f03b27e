// `npm run bench`: the performance figures the issues set targets for, as one JSON object on
// stdout. Medians of repeated runs; the PyTorch reference is measured live on this machine
// (Debian's python3-torch) when it is installed, never quoted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseExperiment } from '../src/core/config/parse';
import { loadDataset } from '../src/core/data/generate';
import { pointSetting } from '../src/core/sweep/pointSetting';
import { vaeProblems } from '../src/core/sweep/vaePoint';
import type { VaeProblem } from '../src/core/train/vaeProblem';
import { jsKernels } from '../src/core/kernels/jsKernels';
import type { Kernels } from '../src/core/kernels/kernels';
import { selectBackend, tfjsWasmBackend } from '../src/core/kernels/selectBackend';
import { extremeEigenvalues } from '../src/core/linalg/extremeEigenpairs';
import { symmetricEigen } from '../src/core/linalg/symmetricEigen';
import { assembleHessian, DataHessian, objectiveHessianApply } from '../src/core/model/hessian';
import { addPenaltyHessian, makeLayout } from '../src/core/model/layout';
import { Mlp } from '../src/core/model/mlp';
import { initialParameters } from '../src/core/model/init';
import { TrainingProblem } from '../src/core/train/problem';
import { Rng } from '../src/core/random';
import { readParams } from '../src/core/results/store';
import { activation, panelFirstPaint } from './benchUi';
import type { Precision } from '../src/core/model/mlp';
import type { InitScheme } from '../src/core/config/types';

const DEFAULT_EXAMPLE = 'examples/linear-1-hidden.l2exp.json';
/** The δ = n/d example (issue: feature learning): its whole sweep's wall time. */
const DELTA_EXAMPLE = 'examples/feature-learning.l2exp.json';
/** The MNIST VAE example (issue 13): its sweep's wall time and its network's training step. */
const VAE_EXAMPLE = 'examples/mnist-vae.l2exp.json';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A tanh MLP 20 → hidden → 1 with biases on N = 1000 Gaussian samples, MSE + L2 (λ = 1e-3). */
function referenceProblem(hidden: number[], kernels: Kernels, precision: Precision) {
  const rng = new Rng(0, 'bench');
  const n = 1000;
  const layout = makeLayout(20, 1, { hidden, bias: true, regularizeBias: false });
  const model = new Mlp(layout, 'tanh', 'mse', kernels, precision);
  const data = { n, x: rng.fillNormal(new Float64Array(n * 20)), y: rng.fillNormal(new Float64Array(n)) };
  const problem = new TrainingProblem(model, data);
  problem.lambda = 1e-3;
  return { layout, model, problem, theta: initialParameters(layout, 'xavier', 1, rng), rng };
}

function timeMedian(f: () => void, warmup: number, runs: number): number {
  for (let i = 0; i < warmup; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** One full-batch gradient step (forward, backward, SGD update) of the reference MLP 20 → 64 → 64 → 1. */
function trainStep(kernels: Kernels): number {
  const { problem, theta, layout } = referenceProblem([64, 64], kernels, 'float32');
  const grad = new Float64Array(layout.size);
  return timeMedian(
    () => {
      problem.valueGrad(theta, grad);
      for (let i = 0; i < theta.length; i++) theta[i] -= 1e-3 * grad[i];
    },
    50,
    300,
  );
}

/** One Hessian-vector product over one gradient, both on the training model of the reference MLP. */
function hvpOverGrad(kernels: Kernels): number {
  const { problem, theta, layout, model, rng } = referenceProblem([64, 64], kernels, 'float32');
  const out = new Float64Array(layout.size);
  const grad = timeMedian(() => problem.valueGrad(theta, out), 20, 100);
  const hd = new DataHessian(model, theta, problem.x, problem.y, problem.n);
  const v = rng.fillNormal(new Float64Array(layout.size));
  const hvp = timeMedian(() => hd.apply(v, out), 20, 100);
  return hvp / grad;
}

/**
 * The production exact path (float64, as analyzePoint runs it on the chain's kernels): assemble H
 * from P unit-column HVPs, then all P eigenvalues (Householder reduction on the kernels, QL).
 * P = 1013. Also the two parts' medians, to see which dominates.
 */
function exactSpectrum(kernels: Kernels): { ms: number; assemblyMs: number; eigenMs: number; size: number } {
  const { problem, theta, layout, model } = referenceProblem([32, 10], kernels, 'float64');
  const parts: { assembly: number[]; eigen: number[] } = { assembly: [], eigen: [] };
  const ms = timeMedian(
    () => {
      const t = performance.now();
      const hd = new DataHessian(model, theta, problem.x, problem.y, problem.n);
      const h = assembleHessian(hd, layout);
      addPenaltyHessian(layout, h, problem.lambda);
      const t2 = performance.now();
      symmetricEigen(h, layout.size, { kernels });
      parts.assembly.push(t2 - t);
      parts.eigen.push(performance.now() - t2);
    },
    1,
    5,
  );
  return { ms, assemblyMs: median(parts.assembly.slice(1)), eigenMs: median(parts.eigen.slice(1)), size: layout.size };
}

/** Top 20 eigenvalues by Lanczos (the matrix-free path, training kernels) of 20 → 200 → 200 → 1, P = 44,601. */
function lanczosTop20(kernels: Kernels): { ms: number; size: number } {
  const { problem, theta, layout, model } = referenceProblem([200, 200], kernels, 'float32');
  const ms = timeMedian(
    () => {
      const hd = new DataHessian(model, theta, problem.x, problem.y, problem.n);
      extremeEigenvalues(objectiveHessianApply(hd, layout, problem.lambda), layout.size, { k: 20, seed: 0 });
    },
    0,
    3,
  );
  return { ms, size: layout.size };
}

/** Median wall time of `runs` (3) `l2exp run CONFIG` processes, as a user runs them, each in a fresh folder. */
function runSeconds(config: string, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'l2exp-bench-'));
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'run', config, '--out', out, '--json'], { encoding: 'utf8' });
    times.push((performance.now() - t) / 1000);
    rmSync(out, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`${config} failed:\n${r.stderr}`);
  }
  return median(times);
}

/**
 * Finding every transition, end to end: a 3-output deep linear sweep (three first-order
 * transitions) with refinement (branch switching and bisection to 2%), against the plain sweep
 * of the same grid (refinement off).
 */
function transitionSweep(): { transitionSweepSeconds: number; plainSweepSeconds: number; transitionOverPlain: number } {
  const dir = mkdtempSync(join(tmpdir(), 'l2exp-bench-transitions-'));
  const config = (refine: boolean) => {
    const path = join(dir, `${refine ? 'refined' : 'plain'}.l2exp.json`);
    writeFileSync(
      path,
      JSON.stringify({
        name: 'transitions',
        data: { kind: 'linear', n: 400, inputDim: 6, outputDim: 3, singularValues: [1.8, 1.0, 0.5], noise: 0 },
        model: { hidden: [4, 4], activation: 'linear', bias: false },
        sweep: { from: 0.02, to: 2, points: 41, direction: 'both', seeds: [0] },
        analysis: { transitions: { refine } },
      }),
    );
    return path;
  };
  const refined = runSeconds(config(true));
  const plain = runSeconds(config(false));
  rmSync(dir, { recursive: true, force: true });
  return { transitionSweepSeconds: Number(refined.toFixed(2)), plainSweepSeconds: Number(plain.toFixed(2)), transitionOverPlain: Number((refined / plain).toFixed(2)) };
}

/** Multiply-adds ×2 of one training step of the reference MLP: per layer the forward product, the weight gradient and (above the first layer) the back-propagated signal. */
function trainStepFlops(widths: number[], n: number): number {
  let macs = 0;
  for (let l = 0; l + 1 < widths.length; l++) macs += n * widths[l] * widths[l + 1] * (l > 0 ? 3 : 2);
  return 2 * macs;
}

const TORCH_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

interface TorchSweep {
  points: { lambda: number; objective: number; gradNorm: number; steps: number; converged: boolean; evals: number; theta?: number[]; objectiveAtOther?: number }[];
  sweepSeconds: number;
  processSeconds: number;
  torchVersion: string;
  blas: string;
}

/** `--tolerance=1e-7` runs sweepVsTorch with that gradient tolerance in both engines (default 1e-5). */
const sweepTolerance = Number(process.argv.find((a) => a.startsWith('--tolerance='))?.slice('--tolerance='.length) ?? 1e-5);

/** One `l2exp run CONFIG` process; its wall time and stdout. */
function l2expRun(config: string, out: string, env: NodeJS.ProcessEnv = process.env): { seconds: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'run', config, '--out', out, '--json'], { encoding: 'utf8', env });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`sweepVsTorch: l2exp failed:\n${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

/**
 * A real workload against PyTorch: a warm-started L-BFGS sweep of 16 λ values of a
 * downsampled-MNIST 196 → 64 → 10 tanh net, cross-entropy, 4000 training digits, one worker,
 * escape and analysis off, perturbation 0 (so the warm start is exactly the previous solution
 * in both). scripts/torch-sweep.py runs the same algorithm on the run's own data.json from the
 * same initial θ (the engine's initializer for chain seed 0). Wall times of both processes and
 * the objective each reached at every λ, the objective evaluations each made, and how far apart
 * the two solutions are (‖θ − θ_torch‖/‖θ_torch‖: the same minimum, or another one).
 * l2exp's time also holds what it does and PyTorch does not: loading and preparing MNIST, the
 * results folder, the worker process, and each point's measurement (train/test loss and score,
 * mode spectrum, active units; the Hessian analysis is off), so the ratio is conservative. The
 * first-layer products skip the inputs' zeros (Mlp.compressInput, the same sums); a second run
 * with L2EXP_DENSE_INPUTS=1 gives the dense kernels' time too.
 */
function sweepVsTorch() {
  const dir = mkdtempSync(join(tmpdir(), 'l2exp-bench-vs-torch-'));
  const config = join(dir, 'mnist.l2exp.json');
  const out = join(dir, 'out');
  writeFileSync(
    config,
    JSON.stringify({
      name: 'sweep-vs-torch',
      seed: 0,
      data: { kind: 'mnist', n: 5000, testFraction: 0.2, downsample: 2 },
      model: { hidden: [64], activation: 'tanh', bias: true },
      loss: 'cross-entropy',
      train: { optimizer: 'lbfgs', maxSteps: 1000, tolerance: sweepTolerance, escape: { enabled: false } },
      sweep: { from: 0.02, to: 2, points: 16, direction: 'up', warmStart: true, perturbation: 0, seeds: [0] },
      analysis: { geometricComplexity: false, transitions: { refine: false }, hessian: { enabled: false } },
      workers: 1,
    }),
  );
  try {
    const run1 = l2expRun(config, out);
    const l2expSeconds = run1.seconds;
    const backendLine = run1.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type?: string; event?: string; description?: string })
      .find((ev) => (ev.type ?? ev.event) === 'backend');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      experiment: {
        seed: number;
        model: { hidden: number[]; bias: boolean; regularizeBias: boolean };
        train: { init: InitScheme; initScale: number; memory: number; learningRate: number; maxSteps: number; tolerance: number };
      };
    };
    const ours = readFileSync(join(out, 'points.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; lambda: number; objective: number; gradNorm: number; steps: number })
      .sort((a, b) => a.lambda - b.lambda);
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as { train: { x: number[][]; y: number[][] } };
    const e = run.experiment;
    const layout = makeLayout(data.train.x[0].length, data.train.y[0].length, e.model);
    let nonzero = 0;
    for (const row of data.train.x) for (const v of row) if (v !== 0) nonzero++;
    // runChain's fresh start for chain seed 0.
    const theta0 = initialParameters(layout, e.train.init, e.train.initScale, new Rng(e.seed, 'init/s0'));
    const spec = join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        dataJson: join(out, 'data.json'),
        hidden: e.model.hidden,
        theta0: Array.from(theta0),
        lambdas: ours.map((p) => p.lambda),
        tolerance: e.train.tolerance,
        maxSteps: e.train.maxSteps,
        memory: e.train.memory,
        learningRate: e.train.learningRate,
        warmStart: true,
        returnTheta: true,
        evaluateAt: ours.map((p) => Array.from(readParams(out, p.id))),
      }),
    );
    let torch: TorchSweep | null = null;
    let torchNote = '';
    const t2 = performance.now();
    try {
      torch = JSON.parse(
        execFileSync('/usr/bin/python3', [join(__dirname, '..', 'scripts', 'torch-sweep.py'), spec], { encoding: 'utf8', env: TORCH_ENV, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }),
      ) as TorchSweep;
    } catch (err) {
      torchNote = `PyTorch sweep not run: ${(err as Error).message.split('\n')[0]}`;
    }
    const torchSeconds = (performance.now() - t2) / 1000;
    const dense = l2expRun(config, join(dir, 'out-dense'), { ...process.env, L2EXP_DENSE_INPUTS: '1' });
    const perLambda = ours.map((p, i) => {
      const q = torch?.points[i];
      let thetaRelDistance: number | null = null;
      if (q?.theta) {
        const th = readParams(out, p.id);
        let d2 = 0;
        let t2s = 0;
        for (let j = 0; j < th.length; j++) {
          d2 += (th[j] - q.theta[j]) ** 2;
          t2s += q.theta[j] ** 2;
        }
        thetaRelDistance = Number(Math.sqrt(d2 / t2s).toExponential(2));
      }
      // PyTorch's float64 objective at our θ against ours: the two implementations at one point.
      const sameThetaRelDiff = q?.objectiveAtOther !== undefined ? Number((Math.abs(p.objective - q.objectiveAtOther) / Math.abs(q.objectiveAtOther)).toExponential(2)) : null;
      return {
        lambda: Number(p.lambda.toPrecision(4)),
        objective: p.objective,
        torchObjective: q?.objective ?? null,
        sameThetaRelDiff,
        relDiff: q ? Number((Math.abs(p.objective - q.objective) / Math.abs(q.objective)).toExponential(2)) : null,
        thetaRelDistance,
        steps: p.steps,
        torchSteps: q?.steps ?? null,
        torchEvals: q?.evals ?? null,
        gradNorm: Number(p.gradNorm.toExponential(2)),
        torchGradNorm: q ? Number(q.gradNorm.toExponential(2)) : null,
      };
    });
    return {
      sweepVsTorch: {
        tolerance: sweepTolerance,
        l2expSeconds: Number(l2expSeconds.toFixed(2)),
        l2expBackend: backendLine?.description ?? null,
        torchSeconds: torch ? Number(torchSeconds.toFixed(2)) : null,
        torchSweepSeconds: torch ? Number(torch.sweepSeconds.toFixed(2)) : null,
        ratio: torch ? Number((l2expSeconds / torchSeconds).toFixed(2)) : null,
        l2expDenseInputSeconds: Number(dense.seconds.toFixed(2)),
        denseInputRatio: torch ? Number((dense.seconds / torchSeconds).toFixed(2)) : null,
        inputDensity: Number((nonzero / (data.train.x.length * data.train.x[0].length)).toFixed(3)),
        timed:
          'both processes end to end; l2exp also loads MNIST, writes its results folder, forks its worker and measures each point (losses, scores, mode spectrum, active units; Hessian analysis off), which PyTorch does not',
        maxRelObjectiveDiff: torch ? Math.max(...perLambda.map((p) => p.relDiff ?? 0)) : null,
        // Where each optimizer ended differs at small λ (other minima: see thetaRelDistance); at one θ the objectives agree to this.
        maxSameThetaRelDiff: torch ? Math.max(...perLambda.map((p) => p.sameThetaRelDiff ?? 0)) : null,
        torchEvals: torch ? torch.points.reduce((s, p) => s + p.evals, 0) : null,
        torch: torch ? `PyTorch ${torch.torchVersion}, 1 thread, BLAS ${torch.blas}` : torchNote,
        samples: data.train.x.length,
        parameters: layout.size,
        perLambda,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One full-batch training step (forward, backward, SGD update) of the MNIST VAE example's network
 * at its batch (every training row, its fixed noise, β = 1, its λ), float32 on our kernels,
 * against the same step in scripts/torch-vae-step.py on the same rows and noise, in this run.
 */
function vaeStep(kernels: Kernels): Record<string, unknown> {
  const file = join(__dirname, '..', VAE_EXAMPLE);
  const { experiment: e } = parseExperiment(readFileSync(file, 'utf8'), file);
  if (!e) throw new Error(`${VAE_EXAMPLE} does not parse`);
  const ds = loadDataset(e.data, e.seed, dirname(file));
  const setting = pointSetting(e, ds, { value: 1 });
  const { fast: problem, layout } = vaeProblems(e, ds, setting, kernels);
  const vp = problem as VaeProblem;
  vp.beta = 1;
  vp.lambda = setting.lambda;
  const theta = initialParameters(layout, e.train.init, e.train.initScale, new Rng(e.seed, 'init/s0'));
  const grad = new Float64Array(layout.size);
  const ms = timeMedian(
    () => {
      problem.valueGrad(theta, grad);
      for (let i = 0; i < theta.length; i++) theta[i] -= 1e-3 * grad[i];
    },
    50,
    300,
  );
  const dir = mkdtempSync(join(tmpdir(), 'l2exp-bench-vae-'));
  const latentDim = vp.noise.latentDim;
  type TorchVaeStep = { torchVaeStepMs: number; torchVersion: string; blas: string };
  let torch: TorchVaeStep | null = null;
  let torchNote = '';
  try {
    writeFileSync(join(dir, 'x.f32'), Buffer.from(Float32Array.from(ds.train.x).buffer));
    // samples = 1: one draw per row, rows × latentDim.
    writeFileSync(join(dir, 'eps.f32'), Buffer.from(Float32Array.from(vp.noise.eps).buffer));
    const spec = { x: join(dir, 'x.f32'), eps: join(dir, 'eps.f32'), n: ds.train.n, inputDim: ds.inputDim, latentDim, beta: 1, lambda: setting.lambda };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    torch = JSON.parse(
      execFileSync('/usr/bin/python3', [join(__dirname, '..', 'scripts', 'torch-vae-step.py'), join(dir, 'spec.json')], { encoding: 'utf8', env: TORCH_ENV, stdio: ['ignore', 'pipe', 'pipe'] }),
    ) as TorchVaeStep;
  } catch (err) {
    torchNote = `PyTorch step not run: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    vaeStepMs: Number(ms.toFixed(3)),
    torchVaeStepMs: torch ? Number(torch.torchVaeStepMs.toFixed(3)) : null,
    vaeStepOverTorch: torch ? Number((ms / torch.torchVaeStepMs).toFixed(2)) : null,
    vaeStepNetwork: `${ds.inputDim} → [μ, log σ²] of ${latentDim} → ${ds.inputDim} (Bernoulli), ${ds.train.n} rows, P = ${layout.size}`,
    vaeStepTorch: torch ? `PyTorch ${torch.torchVersion}, 1 thread, BLAS ${torch.blas}` : torchNote,
  };
}

function torchReference(): { torchStepMs: number | null; torchNote: string } {
  try {
    const out = execFileSync('/usr/bin/python3', [join(__dirname, '..', 'scripts', 'torch-step.py')], { encoding: 'utf8', env: TORCH_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = JSON.parse(out) as { torchStepMs: number; torchVersion: string; blas: string };
    return { torchStepMs: r.torchStepMs, torchNote: `PyTorch ${r.torchVersion}, 1 thread, BLAS ${r.blas}` };
  } catch {
    return { torchStepMs: null, torchNote: 'PyTorch not installed (apt-get install python3-torch libopenblas0-pthread to compare)' };
  }
}

/** `npm run bench -- --only=trainStep,sweepVsTorch` runs those sections alone (names as in the output). */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section: string) => !only || only.includes(section);

async function main() {
  const loadBefore = loadavg()[0];
  const backend = await selectBackend('auto', { wasmDir: __dirname });
  const kernels = backend.kernels;
  const result: Record<string, unknown> = { backend: kernels.name, backendDescription: backend.description };
  if (wanted('trainStep')) {
    const flops = trainStepFlops([20, 64, 64, 1], 1000);
    const step = trainStep(kernels);
    const torch = torchReference();
    // The previous kernels (TF.js WASM products, JS transposes and elementwise passes), in the same run.
    const previous = await tfjsWasmBackend({ wasmDir: __dirname }).then(
      (b) => trainStep(b.kernels),
      () => null,
    );
    Object.assign(result, {
      trainStepMs: Number(step.toFixed(3)),
      trainStepGflops: Number((flops / step / 1e6).toFixed(1)),
      ...torch,
      torchGflops: torch.torchStepMs ? Number((flops / torch.torchStepMs / 1e6).toFixed(1)) : null,
      trainStepOverTorch: torch.torchStepMs ? Number((step / torch.torchStepMs).toFixed(2)) : null,
      tfjsWasmStepMs: previous === null ? null : Number(previous.toFixed(3)),
      tfjsWasmOverTorch: previous !== null && torch.torchStepMs ? Number((previous / torch.torchStepMs).toFixed(2)) : null,
    });
  }
  if (wanted('sweepVsTorch')) Object.assign(result, sweepVsTorch());
  if (wanted('sweepSeconds')) Object.assign(result, { sweepSeconds: Number(runSeconds(DEFAULT_EXAMPLE).toFixed(2)), sweepExample: DEFAULT_EXAMPLE });
  if (wanted('deltaSweepSeconds')) Object.assign(result, { deltaSweepSeconds: Number(runSeconds(DELTA_EXAMPLE).toFixed(2)), deltaExample: DELTA_EXAMPLE });
  if (wanted('transitionSweep')) Object.assign(result, transitionSweep());
  // One run: the example takes about a minute.
  if (wanted('vaeSweepSeconds')) Object.assign(result, { vaeSweepSeconds: Number(runSeconds(VAE_EXAMPLE, 1).toFixed(1)), vaeExample: VAE_EXAMPLE });
  if (wanted('vaeStep')) Object.assign(result, vaeStep(kernels));
  if (wanted('hvpOverGrad')) result.hvpOverGrad = Number(hvpOverGrad(kernels).toFixed(2));
  if (wanted('exactSpectrumMs')) {
    const exact = exactSpectrum(kernels);
    // The pure-JS kernels' figure beside it (the fallback where WebAssembly cannot load).
    const js = exactSpectrum(jsKernels);
    Object.assign(result, {
      exactSpectrumMs: Math.round(exact.ms),
      exactSpectrumAssemblyMs: Math.round(exact.assemblyMs),
      exactSpectrumEigenMs: Math.round(exact.eigenMs),
      exactSpectrumSize: exact.size,
      exactSpectrumJsMs: Math.round(js.ms),
    });
  }
  if (wanted('lanczosTop20Ms')) {
    const lanczos = lanczosTop20(kernels);
    Object.assign(result, { lanczosTop20Ms: Math.round(lanczos.ms), lanczosSize: lanczos.size });
  }
  if (wanted('activation')) Object.assign(result, await activation());
  if (wanted('panelFirstPaint')) Object.assign(result, await panelFirstPaint());
  // The machine is shared: the 1-minute load average before and after, beside the core count.
  Object.assign(result, { cores: cpus().length, loadAverage: [Number(loadBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))] });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(1);
  },
);
