import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterNormalizedDirection, landscapeSlice } from '../../src/core/analysis/slice';
import { jsKernels } from '../../src/core/kernels/jsKernels';
import { norm2 } from '../../src/core/linalg/vec';
import { makeLayout } from '../../src/core/model/layout';
import { Mlp } from '../../src/core/model/mlp';
import { lbfgs } from '../../src/core/train/lbfgs';
import { TrainingProblem } from '../../src/core/train/problem';
import { Rng } from '../../src/core/random';

test('a slice of a quadratic objective along a Hessian eigenvector is L* + ½·μ·(α‖θ‖)²', () => {
  // Ridge regression: the objective is exactly quadratic with Hessian 2XᵀX/N + 2λI.
  const rng = new Rng(2, 'slice');
  const d = 5;
  const n = 30;
  const layout = makeLayout(d, 1, { hidden: [], bias: false, regularizeBias: false });
  const model = new Mlp(layout, 'linear', 'mse', jsKernels, 'float64');
  const x = rng.fillNormal(new Float64Array(n * d));
  const y = x.filter((_, i) => i % d === 0).map((v) => 2 * v + 0.1 * rng.normal());
  const problem = new TrainingProblem(model, { n, x, y });
  problem.lambda = 0.1;
  const theta = lbfgs(problem, new Float64Array(d), { maxSteps: 100, tolerance: 1e-12 }).theta;
  const s = landscapeSlice(model, theta, x, y, n, 0.1, { directions: 'hessian', dims: 2, range: 0.5, points: 7, seed: 0 });
  const [mu1, mu2] = s.eigenvalues!;
  const lStar = s.objective[3][3];
  const scale = norm2(theta);
  s.betas!.forEach((b, j) =>
    s.alphas.forEach((a, i) => {
      // Orthogonal eigen-directions of a quadratic separate: ½μ₁(αs)² + ½μ₂(βs)².
      const expected = lStar + 0.5 * mu1 * (a * scale) ** 2 + 0.5 * mu2 * (b * scale) ** 2;
      assert.ok(Math.abs(s.objective[j][i] - expected) < 1e-9 * expected, `(${a}, ${b}): ${s.objective[j][i]} vs ${expected}`);
    }),
  );
  assert.ok(mu1 >= mu2, 'top eigenvector first');
  // The minimum of a convex quadratic sits at the centre of the grid.
  assert.equal(Math.min(...s.objective.flat()), lStar);
});

test('filter-normalized directions: every unit’s incoming weights have the norm they have in θ; biases zero', () => {
  const rng = new Rng(3, 'filters');
  const layout = makeLayout(4, 2, { hidden: [6, 3], bias: true, regularizeBias: false });
  const theta = rng.fillNormal(new Float64Array(layout.size));
  // A dead unit: zero incoming weights get unit norm.
  for (let i = 0; i < 4; i++) theta[i * 6 + 2] = 0;
  const dir = filterNormalizedDirection(layout, theta, new Rng(0, 'dir'));
  for (const { fanIn, fanOut, wOffset, bOffset } of layout.layers) {
    for (let j = 0; j < fanOut; j++) {
      let dn = 0;
      let tn = 0;
      for (let i = 0; i < fanIn; i++) {
        dn += dir[wOffset + i * fanOut + j] ** 2;
        tn += theta[wOffset + i * fanOut + j] ** 2;
      }
      assert.ok(Math.abs(Math.sqrt(dn) - (tn > 0 ? Math.sqrt(tn) : 1)) < 1e-12);
    }
    for (let j = 0; j < fanOut; j++) assert.equal(dir[bOffset + j], 0);
  }
});
