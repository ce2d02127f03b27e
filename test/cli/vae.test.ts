// A linear VAE swept in β from the CLI: each latent direction's posterior collapse is found once,
// where predict/linearVae.ts's closed form puts it; and bad VAE configs are located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/random';
import { readReconstructions } from '../../src/core/results/store';
import type { RunSummary } from '../../src/core/results/summary';
import type { PointRecord } from '../../src/core/sweep/point';
import type { Prediction } from '../../src/core/transitions/types';
import { l2exp, points, runUntilKilled, tempDir, writeConfig } from './helpers';

/** Covariance eigenvalues of the data by design; they sum to d = 4, so every column has unit variance. */
const SPECTRUM = [2.2, 1.2, 0.5, 0.1];
const S2 = 0.5;
const TAU = 0.01;

/**
 * n rows x = Σ_a √ℓ_a g_a h_a + offset, h_a the rows of the 4×4 Hadamard matrix over 2
 * (orthonormal, every entry ±½): the covariance is Σ_a ℓ_a h_a h_aᵀ with unit diagonal, so the
 * csv loader's standardization leaves its spectrum (up to the sampling of the training rows).
 */
function writeData(dir: string, n: number): string {
  const h = [
    [1, 1, 1, 1],
    [1, -1, 1, -1],
    [1, 1, -1, -1],
    [1, -1, -1, 1],
  ];
  const rng = new Rng(7, 'vae-cli/data');
  const lines = ['x1,x2,x3,x4,y'];
  for (let i = 0; i < n; i++) {
    const g = SPECTRUM.map((l) => Math.sqrt(l) * rng.normal());
    const x = [0, 1, 2, 3].map((j) => 0.5 * j + g.reduce((s, ga, a) => s + (ga * h[a][j]) / 2, 0));
    lines.push([...x, rng.normal()].map((v) => v.toPrecision(17)).join(','));
  }
  const path = join(dir, 'spectrum.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const LINEAR_VAE = {
  name: 'linear-vae',
  seed: 1,
  data: { kind: 'csv', path: 'spectrum.csv', target: 'y', task: 'regression', testFraction: 0.2 },
  model: { kind: 'vae', hidden: [], activation: 'linear', latentDim: 3, decoder: 'gaussian', observationVariance: S2, samples: 4, matchMoments: true },
  train: { tolerance: 1e-8, maxSteps: 5000 },
  sweep: { parameter: 'beta', from: 0.5, to: 8, points: 25 },
};

test('linear VAE β sweep: one collapse per latent direction, each within 2% of the closed form; the KL kinks beside them; active units fall with β; predict prints the thresholds', () => {
  const dir = tempDir('vae-linear');
  writeData(dir, 1000);
  const config = writeConfig(dir, LINEAR_VAE);

  const predicted = l2exp(['predict', config]);
  assert.equal(predicted.status, 0, predicted.stderr);
  assert.equal((predicted.stdout.match(/^predicted: βc ≈ /gm) ?? []).length, 3, predicted.stdout);
  assert.match(predicted.stdout, /β_1 = ℓ_1\/σ² = /);
  const json = l2exp(['predict', config, '--json']);
  const predictions = (JSON.parse(json.stdout) as { predictions: Prediction[] }).predictions;
  // The closed form on the training rows is the designed spectrum, to its sampling (√(2/800) ≈ 5%).
  const collapseAt = predictions.map((p) => p.lambda * Math.exp(2 * TAU)).sort((a, b) => b - a);
  SPECTRUM.slice(0, 3).forEach((l, i) => assert.ok(Math.abs(collapseAt[i] / (l / S2) - 1) < 0.15, `direction ${i + 1}: β_i = ${collapseAt[i]}, designed ${l / S2}`));

  const out = join(dir, 'out');
  const run = l2exp(['run', config, '--out', out]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /active z/);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  assert.equal(summary.predictions.length, 3);

  // One transition of the active-unit count per direction, 3 → 2 → 1 → 0, each within 2% of its prediction (the count's drop, β_i·e^{−2τ}).
  const collapses = summary.transitions.filter((t) => t.observable === 'activeUnits');
  assert.equal(collapses.length, 3, JSON.stringify(summary.transitions));
  const expected = [...summary.predictions].sort((a, b) => a.lambda - b.lambda);
  collapses.forEach((t, i) => {
    assert.equal(t.axis, 'beta');
    assert.deepEqual(t.phases, [3 - i, 2 - i]);
    assert.ok(Math.abs(t.value / expected[i].lambda - 1) < 0.02, `collapse ${i}: βc = ${t.value}, predicted ${expected[i].lambda}`);
    // Tighter: refinement leaves a bracket under 2%, and KL − τ, nearly linear across it, extrapolates to the drop itself.
    assert.ok(Math.abs(t.value / expected[i].lambda - 1) < 2e-3, `collapse ${i}: βc = ${t.value}, predicted ${expected[i].lambda} (bracket ${t.bracket})`);
    assert.equal(t.order, expected[i].order);
    assert.equal(t.kind, i === 2 ? 'collapse' : 'cascade');
  });
  // The total KL kinks once per collapse, in the grid interval around β_i itself.
  const kinks = summary.transitions.filter((t) => t.observable === 'kl');
  assert.equal(kinks.length, 3, JSON.stringify(kinks));
  kinks.forEach((t, i) => {
    const beta = expected[i].lambda * Math.exp(2 * TAU);
    assert.ok(t.bracket[0] <= beta && beta <= t.bracket[1], `KL kink ${i} in [${t.bracket}], β_i = ${beta}`);
  });

  // Along the grid the count falls monotonically, 3 to 0; each record's VAE fields agree with each other.
  const grid = (points(out) as unknown as PointRecord[]).filter((p) => p.index >= 0).sort((a, b) => a.value - b.value);
  const counts = grid.map((p) => p.vae!.activeUnits!);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] <= counts[i - 1], `counts ${counts}`);
  assert.equal(counts[0], 3);
  assert.equal(counts[counts.length - 1], 0);
  for (const p of grid) {
    const v = p.vae!;
    assert.equal(v.beta, p.value);
    assert.equal(v.threshold, TAU);
    assert.equal(p.trainScore, null);
    assert.ok(Math.abs(v.klPerUnit!.reduce((a, b) => a + b, 0) - v.kl!) < 1e-12);
    assert.ok(Math.abs(v.elbo! + p.trainLoss! + v.kl!) < 1e-12);
    assert.ok(v.testKl !== null && v.testElbo !== null && p.testLoss !== null);
    assert.ok(Math.abs(p.objective! - (p.trainLoss! + p.value * v.kl!)) < 1e-12 * Math.abs(p.objective!), 'objective = reconstruction + β·KL at λ = 0');
    assert.equal(p.hessian?.method, 'exact');
    assert.ok(Number.isFinite(p.curvature!.error) && Number.isFinite(p.curvature!.objective));
    assert.notEqual(p.curvature!.error, p.curvature!.objective);
  }
  // The recorded traversals (reconstructions/<id>.json): with matched noise moments the decoder
  // cannot use a collapsed unit's noise, so its row is flat; an active unit's is not. The csv
  // rows are drawn 1 × 4, black to white over the originals' extremes.
  for (const p of grid) {
    const r = readReconstructions(out, p.id)!;
    assert.deepEqual(r.shape, [1, 4]);
    [Math.min(...r.originals.flat()), Math.max(...r.originals.flat())].forEach((v, i) => assert.ok(Math.abs(v - r.range[i]) <= 1e-4, `range ${r.range}`));
    r.traversal.images.forEach((images, j) => {
      const spread = Math.max(...images.flatMap((img) => img.map((v, c) => Math.abs(v - images[0][c])))) / (r.range[1] - r.range[0]);
      const kl = p.vae!.klPerUnit![j];
      if (kl < TAU / 10) assert.ok(spread < 1e-3, `β = ${p.value}: collapsed unit ${j + 1} (KL ${kl}) moves the output by ${spread} of the range`);
      if (kl > 0.1) assert.ok(spread > 0.05, `β = ${p.value}: active unit ${j + 1} (KL ${kl}) moves the output by ${spread} of the range`);
    });
  }
  // Slices evaluate an MLP's objective: a VAE's run says so instead of slicing the wrong function.
  const slice = l2exp(['slice', out, grid[0].id]);
  assert.equal(slice.status, 2);
  assert.match(slice.stderr, /is a VAE run: landscape slices are computed for MLPs only/);
});

test('predict with linear hidden layers: a layer narrower than latentDim caps the active directions; at λ > 0 no closed form is claimed', () => {
  const dir = tempDir('vae-linear-hidden');
  writeData(dir, 400);
  const predictions = (cfg: object) => {
    const r = l2exp(['predict', writeConfig(dir, cfg), '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { predictions: Prediction[]; notes: string[] };
  };
  // Widths [2] of 3 latent units: rank 2 on both sides, so only the top two directions (a run on the same data collapses 2 → 1 → 0).
  const narrow = predictions({ ...LINEAR_VAE, model: { ...LINEAR_VAE.model, hidden: [2], decoderHidden: [2] } });
  assert.equal(narrow.predictions.length, 2, JSON.stringify(narrow));
  const wide = predictions({ ...LINEAR_VAE, model: { ...LINEAR_VAE.model, hidden: [4], decoderHidden: [4] } });
  assert.equal(wide.predictions.length, 3);
  // λ > 0 through a hidden layer: a run put the collapses 24–50% below β_i(λ) (and first order), so none is predicted.
  const penalized = predictions({ ...LINEAR_VAE, model: { ...LINEAR_VAE.model, hidden: [4], decoderHidden: [4] }, train: { ...LINEAR_VAE.train, lambda: 0.05 } });
  assert.deepEqual(penalized.predictions, []);
  assert.match(penalized.notes.join('\n'), /at λ > 0 the closed form is for a linear VAE without hidden layers/);
  assert.equal(predictions({ ...LINEAR_VAE, train: { ...LINEAR_VAE.train, lambda: 0.05 } }).predictions.length, 3, 'without hidden layers λ > 0 keeps its closed form');
});

test('VAE configs that cannot run are located errors, and fields of the other model kind are warnings', () => {
  const dir = tempDir('vae-errors');
  writeData(dir, 50);
  const cases: [object, RegExp][] = [
    [
      { ...LINEAR_VAE, model: { hidden: [4] }, analysis: { transitions: { observables: ['kl'] } } },
      /exp\.l2exp\.json:\d+:\d+: .*parameter "beta" is the KL weight of a variational autoencoder, but model\.kind is "mlp"/,
    ],
    [{ ...LINEAR_VAE, model: { hidden: [4] }, sweep: { from: 0.1, to: 1 }, analysis: { transitions: { observables: ['kl'] } } }, /exp\.l2exp\.json:\d+:\d+: observable "kl" is the KL term/],
    [{ ...LINEAR_VAE, sweep: { parameter: 'width', from: 2, to: 8, points: 3 } }, /exp\.l2exp\.json:\d+:\d+: sweep\.parameter "width" does not apply to a VAE/],
    [{ ...LINEAR_VAE, model: { ...LINEAR_VAE.model, decoder: 'bernoulli', observationVariance: undefined } }, /exp\.l2exp\.json:\d+:\d+: a bernoulli decoder models inputs in \[0, 1\]/],
    [{ ...LINEAR_VAE, model: { ...LINEAR_VAE.model, samples: 3 } }, /exp\.l2exp\.json:\d+:\d+: .*samples/],
  ];
  for (const [config, message] of cases) {
    const r = l2exp(['validate', writeConfig(dir, config)]);
    assert.equal(r.status, 2, `${JSON.stringify(config)}: ${r.stdout}`);
    assert.match(r.stderr, message);
  }
  // The VAE's own reason, alone: not also the MLP's "a width sweep needs a hidden layer".
  const width = l2exp(['validate', writeConfig(dir, { ...LINEAR_VAE, sweep: { parameter: 'width', from: 2, to: 8, points: 3 } })]);
  assert.equal(width.stderr.trim().split('\n').length, 1, width.stderr);
  const warned = l2exp(['validate', writeConfig(dir, { ...LINEAR_VAE, model: { hidden: [4] }, sweep: { from: 0.1, to: 1 }, train: { beta: 2 }, analysis: { activeKl: 0.1 } })]);
  assert.equal(warned.status, 0, warned.stderr);
  assert.match(warned.stderr, /train\.beta only applies to model\.kind "vae"/);
  assert.match(warned.stderr, /analysis\.activeKl only applies to model\.kind "vae"/);
});

test("a VAE run's reconstructions/ survive sharding, merging and a kill: the merged and the resumed folder hold the unsharded run's files, byte for byte", async () => {
  const dir = tempDir('vae-recon');
  const config = writeConfig(dir, {
    name: 'tiny-vae',
    data: { kind: 'mnist', n: 300, downsample: 4, testFraction: 0.2 },
    model: { kind: 'vae', hidden: [], activation: 'linear', latentDim: 2, decoder: 'bernoulli', samples: 1 },
    train: { lambda: 0.001, maxSteps: 400, tolerance: 1e-3 },
    sweep: { parameter: 'beta', from: 0.3, to: 3, points: 4, direction: 'both' },
    analysis: { hessian: { enabled: false }, transitions: { refine: false } },
  });
  const files = (out: string) => Object.fromEntries(readdirSync(join(out, 'reconstructions')).map((f) => [f, readFileSync(join(out, 'reconstructions', f), 'utf8')]));
  const whole = join(dir, 'whole');
  assert.equal(l2exp(['run', config, '--out', whole]).status, 0);
  const reference = files(whole);
  assert.deepEqual(Object.keys(reference).sort(), (points(whole) as unknown as PointRecord[]).map((p) => `${p.id}.json`).sort(), 'one file per point');

  const shards = [0, 1].map((i) => {
    const out = join(dir, `shard${i}`);
    assert.equal(l2exp(['run', config, '--out', out, '--shard', `${i}/2`]).status, 0);
    return out;
  });
  const merged = join(dir, 'merged');
  const m = l2exp(['merge', ...shards, '--out', merged]);
  assert.equal(m.status, 0, m.stderr);
  assert.deepEqual(files(merged), reference);

  const killed = join(dir, 'killed');
  await runUntilKilled(['run', config, '--out', killed, '--workers', '1'], 3);
  assert.equal(l2exp(['run', config, '--out', killed]).status, 0);
  assert.deepEqual(files(killed), reference);
});
