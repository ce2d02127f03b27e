/**
 * Curvature of the loss landscape seen as the graph {(θ, L(θ))} ⊂ R^(P+1).
 *
 * Scalar (Ricci) curvature of a graph hypersurface from the gradient g and Hessian H
 * (Gauss equation with the second fundamental form H/√(1+‖g‖²) and metric I + ggᵀ):
 *   R = β[(tr H)² − tr H²] − 2β²[(tr H)(gᵀHg) − gᵀH²g],  β = 1/(1 + ‖g‖²).
 * At a critical point R = (Σλᵢ)² − Σλᵢ² = 2Σ_{i<j} λᵢλⱼ; for P = 2 it is 2K, K the Gauss curvature.
 */
export interface CurvatureInputs {
  trH: number;
  /** tr H² = ‖H‖²_F */
  trH2: number;
  /** gᵀHg */
  gHg: number;
  /** gᵀH²g = ‖Hg‖² */
  gH2g: number;
  /** ‖g‖² */
  g2: number;
}

export function scalarCurvature(c: CurvatureInputs): number {
  const beta = 1 / (1 + c.g2);
  return beta * (c.trH * c.trH - c.trH2) - 2 * beta * beta * (c.trH * c.gHg - c.gH2g);
}

/**
 * First-order error of R from errors of the stochastic inputs (tr H and tr H² from Hutchinson;
 * g, gᵀHg and ‖Hg‖² are exact): |∂R/∂trH|·δtrH + |∂R/∂trH²|·δtrH², the two estimates being
 * treated as independent worst cases (an upper bound on the standard error).
 */
export function scalarCurvatureStdErr(c: CurvatureInputs, trHStdErr: number, trH2StdErr: number): number {
  const beta = 1 / (1 + c.g2);
  const dTr = Math.abs(2 * beta * c.trH - 2 * beta * beta * c.gHg);
  return dTr * trHStdErr + beta * trH2StdErr;
}

/**
 * Normal curvature of the graph along a unit direction u of θ-space (the curve
 * t ↦ (θ + tu, L(θ + tu))): uᵀHu / (√(1+‖g‖²)·(1 + (gᵀu)²)). At a critical point along an
 * eigenvector it is the eigenvalue.
 */
export function normalCurvature(uHu: number, gu: number, g2: number): number {
  return uHu / (Math.sqrt(1 + g2) * (1 + gu * gu));
}
