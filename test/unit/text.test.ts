// The one precision rule and the one text module: every surface prints a λc the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationText, lambdaText, numText } from '../../src/core/text/numbers';
import { predictedAxis, predictionHeadline, runHeadline, transitionsCompact, transitionsHeadline, transitionText } from '../../src/core/transitions/text';
import type { Transition } from '../../src/core/transitions/types';
import { fmtNum } from '../../webview/shared/format';

const T: Transition = {
  axis: 'lambda',
  value: 0.012743,
  bracket: [0.0125, 0.013],
  order: 'first',
  observable: 'modes',
  kind: 'collapse',
  mode: 1,
  phases: [1, 0],
  hysteresis: { up: 0.0131, down: 0.0119, width: 0.04 },
  curvatureChangePoint: { value: 0.0126, distance: 0.004, curve: 'error', kind: 'jump' },
  confidence: 0.8473,
};

test('one precision rule: four significant digits, trailing zeros dropped, exponent form outside [1e-3, 1e4)', () => {
  assert.deepEqual(
    [0.012743, 0.4, 0.396852, 12.3456, 1, 1.2743e-4, 25000, -0.5, 0].map((x) => numText(x)),
    ['0.01274', '0.4', '0.3969', '12.35', '1', '1.274e-4', '2.5e4', '-0.5', '0'],
  );
  for (const x of [0.012743, 0.4, 1.2743e-4, 3.14159]) {
    assert.equal(lambdaText(x), numText(x));
    assert.equal(fmtNum(x), numText(x));
  }
});

test('every surface names a transition with the same λc: CodeLens, decoration, log line, prediction', () => {
  assert.equal(transitionsHeadline([T], false), 'λc ≈ 0.01274 (first-order, mode 1)');
  assert.equal(transitionsCompact([T], false), 'λc ≈ 0.01274 (first-order)');
  assert.match(transitionText(T), /^λc ≈ 0\.01274 \(first-order, mode 1\) in \[0\.0125, 0\.013\]; .*hysteresis 0\.0119–0\.0131; .*collapse, confidence 0\.85$/);
  assert.equal(predictionHeadline({ lambda: 0.012743, order: 'second', basis: 'b', exactness: 'exact', why: 'w' }), 'λc ≈ 0.01274 (second-order, exact)');
  assert.equal(transitionsHeadline([], true), 'no transition yet');
});

test('the sweep line decoration stays short: λc and order per transition, at most ~30 characters each', () => {
  const three = transitionsCompact([T, { ...T, value: 0.4 }, { ...T, value: 1.5, order: 'second' }], false);
  assert.ok(three.length <= 90, `${three.length}: ${three}`);
  assert.ok(transitionText(T).length > 150, 'the details (for the hover) are long');
});

test('durations: seconds, then minutes and seconds, then hours', () => {
  assert.deepEqual([0.84, 12.4, 152, 4020, Infinity].map(durationText), ['0.8 s', '12 s', '2 min 32 s', '1 h 07 min', '…']);
});

test('the completion message has the headline result', () => {
  const msg = runHeadline({ name: 'two-moons', status: 'complete', transitions: [T], points: { finished: 40 }, timings: { wallSeconds: 12.4 } });
  assert.equal(msg, 'L2 sweep two-moons complete: λc ≈ 0.01274 (first-order, mode 1) (40 points in 12 s).');
});

test('the knob a prediction is of: λ or β first, else λ wherever it is swept, else the first axis', () => {
  assert.equal(predictedAxis(['lambda']), 'lambda');
  assert.equal(predictedAxis(['beta', 'lambda']), 'beta');
  assert.equal(predictedAxis(['lambda', 'delta']), 'lambda');
  assert.equal(predictedAxis(['delta', 'lambda']), 'lambda');
  assert.equal(predictedAxis(['delta']), 'delta');
  assert.equal(predictedAxis(['width', 'noise']), 'width');
});
