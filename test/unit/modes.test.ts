import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { deflateModes, modeSpectrum } from '../../src/core/measures/modeSpectrum';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { thinSvd } from '../../src/core/predict/svd';
import { Rng } from '../../src/core/random';
import type { PointRecord } from '../../src/core/sweep/point';
import { detectTransitions } from '../../src/core/transitions/detect';
import { pointRecord } from './pointRecords';

/** Row-major product of an a×b and a b×c matrix. */
function matmul(a: Float64Array, b: Float64Array, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let k = 0; k < inner; k++) for (let j = 0; j < cols; j++) out[i * cols + j] += a[i * inner + k] * b[k * cols + j];
  return out;
}

function deepLinear(seed: number) {
  const layout = makeLayout(5, 3, { hidden: [4, 4], bias: false, regularizeBias: false });
  const model = new Mlp(layout, 'linear', 'mse', jsKernels, 'float64');
  const rng = new Rng(seed, 'modes');
  const theta = rng.fillNormal(new Float64Array(layout.size));
  const x = rng.fillNormal(new Float64Array(50 * 5));
  return { layout, model, theta, x };
}

test('the mode spectrum of a linear net is the singular values of its end-to-end map W₁W₂W₃', () => {
  const { layout, model, theta, x } = deepLinear(1);
  const [a, b, c] = layout.layers.map((l) => theta.subarray(l.wOffset, l.wOffset + l.fanIn * l.fanOut));
  const end = matmul(matmul(a, b, 5, 4, 4), c, 5, 4, 3);
  const want = thinSvd(end, 5, 3).values;
  const got = modeSpectrum(model, theta, x, 50);
  assert.equal(got.length, 3);
  // Both are O(1) sums of a few products: agreement to 1e-12 is rounding.
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12 * want[0], `${v} vs ${want[i]}`));
});

test('deflation switches off exactly the modes after the strongest `keep` of a linear net', () => {
  for (const seed of [2, 3, 4]) {
    const { model, theta, x } = deepLinear(seed);
    const before = modeSpectrum(model, theta, x, 50);
    for (const keep of [0, 1, 2]) {
      const after = modeSpectrum(model, deflateModes(model, theta, x, 50, keep), x, 50);
      // Cutting the input side of W₁ and the output side of W₃ along the kept modes' complements
      // leaves J̄ = P_U J̄ P_V with the kept singular pairs: the same values, the rest zero.
      for (let k = 0; k < 3; k++) {
        const want = k < keep ? before[k] : 0;
        assert.ok(Math.abs(after[k] - want) < 1e-10 * before[0], `seed ${seed}, keep ${keep}, mode ${k}: ${after[k]} vs ${want}`);
      }
    }
  }
});

/** Point records along a grid whose mode spectrum is modes(λ) (objective: the penalty only). */
function records(lambdas: number[], modes: (l: number) => number[]): PointRecord[] {
  return lambdas.map((lambda, index): PointRecord => {
    const m = modes(lambda);
    const w = m.reduce((s, v) => s + 2 * v, 0);
    return pointRecord({ id: `up-s0-${index}`, index, lambda, seed: 0, weightNorm: w, modes: m });
  });
}

const grid = Array.from({ length: 30 }, (_, i) => 1e-2 * Math.pow(1e3, i / 29));

test('modes that shrink smoothly, noisily, without switching off make no transition', () => {
  const rng = new Rng(5, 'noise');
  const pts = records(grid, (l) => [3, 1, 0.2].map((s) => (s / (1 + l)) * (1 + 0.05 * rng.normal())));
  assert.deepEqual(detectTransitions(pts), []);
});

test('two modes switching off (σ − λ)₊ give two second-order transitions at σ, each mode named', () => {
  const sigma = [2, 0.5];
  const found = detectTransitions(records(grid, (l) => sigma.map((s) => Math.max(0, s - l))));
  assert.equal(found.length, 2, JSON.stringify(found));
  const [weak, strong] = found;
  assert.deepEqual([weak.mode, weak.phases, weak.kind, weak.order], [2, [2, 1], 'cascade', 'second']);
  assert.deepEqual([strong.mode, strong.phases, strong.kind, strong.order], [1, [1, 0], 'collapse', 'second']);
  // Unrefined grid: λc by extrapolating the mode's last two values to zero, exact for a line.
  assert.ok(Math.abs(weak.value - 0.5) < 1e-9 && Math.abs(strong.value - 2) < 1e-9, `${weak.value}, ${strong.value}`);
});

test('a single grid point where a mode blinks off is no transition', () => {
  const blink = grid[5];
  const found = detectTransitions(records(grid, (l) => [Math.max(0, 5 - l), l === blink ? 0 : Math.max(0, 0.5 - l)]));
  assert.deepEqual(
    found.map((t) => [t.mode, Number(t.value.toFixed(9))]),
    [
      [2, 0.5],
      [1, 5],
    ],
    JSON.stringify(found),
  );
});
