// One synthetic point record for the detector tests: a converged minimum whose objective is
// 1 + λ·Σ‖W‖², with whatever fields the test sets; a new record field gets its default here once.
import type { PointRecord } from '../../src/core/sweep/point';

export function pointRecord(p: Pick<PointRecord, 'id' | 'index' | 'lambda' | 'seed' | 'weightNorm'> & Partial<PointRecord>): PointRecord {
  const w = p.weightNorm!;
  return {
    direction: 'up',
    converged: true,
    diverged: false,
    steps: 1,
    escapes: 0,
    saddle: false,
    gradNorm: 0,
    trainLoss: 1,
    testLoss: 1,
    objective: 1 + p.lambda * w,
    trainScore: 1,
    testScore: 1,
    scoreKind: 'r2',
    layerNorms: [w],
    modes: null,
    activeNeurons: [1],
    featureOverlap: null,
    principalAngles: null,
    stableRanks: null,
    geometricComplexity: 0,
    hessian: null,
    curvature: null,
    ...p,
    value: p.value ?? p.lambda,
  };
}
