// `npm run bench`: the performance figures the issues set targets for, as one JSON object on
// stdout. Medians of repeated runs; the PyTorch reference is measured live on this machine
// (Debian's python3-torch) when it is installed, never quoted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../src/core/kernels/selectBackend';
import { makeLayout } from '../src/core/model/layout';
import { Mlp } from '../src/core/model/mlp';
import { initialParameters } from '../src/core/model/init';
import { TrainingProblem } from '../src/core/train/problem';
import { Rng } from '../src/core/random';

const DEFAULT_EXAMPLE = 'examples/linear-1-hidden.l2exp.json';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One full-batch gradient step (forward, backward, SGD update) of the reference MLP. */
async function trainStep(): Promise<{ ms: number; backend: string }> {
  const backend = await selectBackend('auto', { wasmDir: __dirname });
  const rng = new Rng(0, 'bench');
  const n = 1000;
  const layout = makeLayout(20, 1, { hidden: [64, 64], bias: true, regularizeBias: false });
  const model = new Mlp(layout, 'tanh', 'mse', backend.kernels, 'float32');
  const problem = new TrainingProblem(model, { n, x: rng.fillNormal(new Float64Array(n * 20)), y: rng.fillNormal(new Float64Array(n)) });
  problem.lambda = 1e-3;
  const theta = initialParameters(layout, 'xavier', 1, rng);
  const grad = new Float64Array(layout.size);
  const step = () => {
    problem.valueGrad(theta, grad);
    for (let i = 0; i < theta.length; i++) theta[i] -= 1e-3 * grad[i];
  };
  for (let i = 0; i < 50; i++) step();
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
  return { ms: median(times), backend: backend.kernels.name };
}

/** The default example end to end, as a user runs it (a separate process, fresh folder). */
function sweepSeconds(): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const out = mkdtempSync(join(tmpdir(), 'l2exp-bench-'));
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'run', DEFAULT_EXAMPLE, '--out', out, '--json'], { encoding: 'utf8' });
    times.push((performance.now() - t) / 1000);
    rmSync(out, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`the default example failed:\n${r.stderr}`);
  }
  return median(times);
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
  const step = await trainStep();
  const torch = torchReference();
  const result = {
    trainStepMs: Number(step.ms.toFixed(3)),
    trainStepBackend: step.backend,
    ...torch,
    trainStepOverTorch: torch.torchStepMs ? Number((step.ms / torch.torchStepMs).toFixed(2)) : null,
    sweepSeconds: Number(sweepSeconds().toFixed(2)),
    sweepExample: DEFAULT_EXAMPLE,
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
