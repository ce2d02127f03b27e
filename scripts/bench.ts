// `npm run bench`: the performance figures the issues set targets for, as one JSON object on
// stdout. Medians of repeated runs; the PyTorch reference is measured live on this machine
// (Debian's python3-torch) when it is installed, never quoted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsKernels } from '../src/core/kernels/jsKernels';
import type { Kernels } from '../src/core/kernels/kernels';
import { selectBackend } from '../src/core/kernels/selectBackend';
import { extremeEigenvalues } from '../src/core/linalg/extremeEigenpairs';
import { symmetricEigen } from '../src/core/linalg/symmetricEigen';
import { assembleHessian, DataHessian, objectiveHessianApply } from '../src/core/model/hessian';
import { addPenaltyHessian, makeLayout } from '../src/core/model/layout';
import { Mlp } from '../src/core/model/mlp';
import { initialParameters } from '../src/core/model/init';
import { TrainingProblem } from '../src/core/train/problem';
import { Rng } from '../src/core/random';
import { activation, panelFirstPaint } from './benchUi';
import type { Precision } from '../src/core/model/mlp';

const DEFAULT_EXAMPLE = 'examples/linear-1-hidden.l2exp.json';

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
  return timeMedian(() => {
    problem.valueGrad(theta, grad);
    for (let i = 0; i < theta.length; i++) theta[i] -= 1e-3 * grad[i];
  }, 50, 300);
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

/** The production exact path (float64): assemble H from P HVPs, then all P eigenvalues. P = 1013. */
function exactSpectrum(): { ms: number; size: number } {
  const { problem, theta, layout, model } = referenceProblem([32, 10], jsKernels, 'float64');
  const ms = timeMedian(() => {
    const hd = new DataHessian(model, theta, problem.x, problem.y, problem.n);
    const h = assembleHessian(hd, layout);
    addPenaltyHessian(layout, h, problem.lambda);
    symmetricEigen(h, layout.size);
  }, 0, 3);
  return { ms, size: layout.size };
}

/** Top 20 eigenvalues by Lanczos (the matrix-free path, training kernels) of 20 → 200 → 200 → 1, P = 44,601. */
function lanczosTop20(kernels: Kernels): { ms: number; size: number } {
  const { problem, theta, layout, model } = referenceProblem([200, 200], kernels, 'float32');
  const ms = timeMedian(() => {
    const hd = new DataHessian(model, theta, problem.x, problem.y, problem.n);
    extremeEigenvalues(objectiveHessianApply(hd, layout, problem.lambda), layout.size, { k: 20, seed: 0 });
  }, 0, 3);
  return { ms, size: layout.size };
}

/** Median wall time of 3 `l2exp run CONFIG` processes, as a user runs them, each in a fresh folder. */
function runSeconds(config: string): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
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
    writeFileSync(path, JSON.stringify({
      name: 'transitions',
      data: { kind: 'linear', n: 400, inputDim: 6, outputDim: 3, singularValues: [1.8, 1.0, 0.5], noise: 0 },
      model: { hidden: [4, 4], activation: 'linear', bias: false },
      sweep: { from: 0.02, to: 2, points: 41, direction: 'both', seeds: [0] },
      analysis: { transitions: { refine } },
    }));
    return path;
  };
  const refined = runSeconds(config(true));
  const plain = runSeconds(config(false));
  rmSync(dir, { recursive: true, force: true });
  return { transitionSweepSeconds: Number(refined.toFixed(2)), plainSweepSeconds: Number(plain.toFixed(2)), transitionOverPlain: Number((refined / plain).toFixed(2)) };
}

function torchReference(): { torchStepMs: number | null; torchNote: string } {
  try {
    const out = execFileSync('/usr/bin/python3', [join(__dirname, '..', 'scripts', 'torch-step.py')], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = JSON.parse(out) as { torchStepMs: number; torchVersion: string; blas: string };
    return { torchStepMs: r.torchStepMs, torchNote: `PyTorch ${r.torchVersion}, 1 thread, BLAS ${r.blas}` };
  } catch {
    return { torchStepMs: null, torchNote: 'PyTorch not installed (apt-get install python3-torch libopenblas0-pthread to compare)' };
  }
}

async function main() {
  const backend = await selectBackend('auto', { wasmDir: __dirname });
  const kernels = backend.kernels;
  const step = trainStep(kernels);
  const torch = torchReference();
  const exact = exactSpectrum();
  const lanczos = lanczosTop20(kernels);
  const result = {
    backend: kernels.name,
    trainStepMs: Number(step.toFixed(3)),
    ...torch,
    trainStepOverTorch: torch.torchStepMs ? Number((step / torch.torchStepMs).toFixed(2)) : null,
    sweepSeconds: Number(runSeconds(DEFAULT_EXAMPLE).toFixed(2)),
    sweepExample: DEFAULT_EXAMPLE,
    ...transitionSweep(),
    hvpOverGrad: Number(hvpOverGrad(kernels).toFixed(2)),
    exactSpectrumMs: Math.round(exact.ms),
    exactSpectrumSize: exact.size,
    lanczosTop20Ms: Math.round(lanczos.ms),
    lanczosSize: lanczos.size,
    ...(await activation()),
    ...(await panelFirstPaint()),
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(1);
  },
);
