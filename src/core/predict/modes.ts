// The modes of the trivial point: the singular triples (σ_k, u_k, v_k) of R = E[x̃ rᵀ]
// (r = −g/2, trivialPoint.ts). Every threshold is a function of σ_k(R) = σ_k(G)/2, G = E[x̃ gᵀ].

import type { LossKind } from '../config/types';
import type { Moments } from './moments';
import { thinSvd, type ThinSvd } from './svd';
import { trivialPoint, type BiasMode, type TrivialPoint } from './trivialPoint';

export interface Modes {
  tp: TrivialPoint;
  svd: ThinSvd;
  /** Singular values above 1e-9 of the Cauchy–Schwarz scale √(E‖r‖²·E‖x̃‖²): the modes that exist. */
  rank: number;
}

export const RANK_TOLERANCE = 1e-9;

export function modesAt(m: Moments, loss: LossKind, mode: BiasMode, lambda: number): Modes {
  const tp = trivialPoint(m, loss, mode, lambda);
  const svd = thinSvd(tp.R, tp.dim, m.k);
  const cut = RANK_TOLERANCE * Math.sqrt(tp.scale2);
  const rank = svd.values.filter((v) => v > cut).length;
  return { tp, svd, rank };
}
