// The charts of the sweep panel: what each plots from a point record. Values are taken as
// recorded; the only transform is the symmetric-log display of curvatures.
import type { PointRecord } from '../../src/core/sweep/point';
import type { RunInfo } from '../../src/protocol/webview';
import type { AxisMode } from '../shared/charts';

/** One line family of a chart (test vs train, layer 1 vs 2): the first is drawn strongest. */
export interface Variant {
  label: string;
  value: number | null;
}

export interface ChartSpec {
  /** Names the chart in exportPng and in element ids. */
  id: string;
  title: string;
  yTitle(run: RunInfo): string;
  /** What distinguishes the variants, shown under the title. */
  key: string;
  /** The y axis a chart opens with (the card's toggle changes it): log for values spanning decades, symlog where they change sign. */
  scale: AxisMode;
  /** Width of the linear region of a symlog y axis (default 1). */
  symlogC?: number;
  integer?: boolean;
  /** Curvature charts also mark the transitions' curvature change points. */
  changePoints?: boolean;
  /** A chart no point has data for (analysis off, no hidden layer) is not shown. */
  has: (p: PointRecord) => boolean;
  variants(p: PointRecord): Variant[];
}

const always = () => true;
/** A VAE's point (its scores and the MLP's data loss are replaced by the VAE's own charts). */
const isVae = (p: PointRecord) => p.vae !== undefined;
const isMlp = (p: PointRecord) => p.vae === undefined;
/**
 * The name of a point's i-th weight layer ("layer 2"), or of its i-th hidden layer; a VAE's
 * encoder and decoder are counted apart ("decoder 1"), its records listing the encoder's first.
 */
const layerName = (p: PointRecord, i: number, of: 'weights' | 'hidden') => {
  const enc = p.vae?.encoderLayers;
  if (enc === undefined) return `layer ${i + 1}`;
  const split = of === 'weights' ? enc : enc - 1;
  return i < split ? `encoder ${i + 1}` : `decoder ${i - split + 1}`;
};

export const CHARTS: ChartSpec[] = [
  {
    id: 'score',
    scale: 'linear',
    title: 'Score',
    yTitle: (run) => (run.scoreKind === 'accuracy' ? 'accuracy' : 'R²'),
    key: 'solid: test · thin, hollow: train',
    has: isMlp,
    variants: (p) => [
      { label: 'test', value: p.testScore },
      { label: 'train', value: p.trainScore },
    ],
  },
  {
    id: 'loss',
    scale: 'linear',
    title: 'Data loss',
    yTitle: () => 'loss (no penalty)',
    key: 'solid: test · thin, hollow: train',
    has: isMlp,
    variants: (p) => [
      { label: 'test', value: p.testLoss },
      { label: 'train', value: p.trainLoss },
    ],
  },
  {
    id: 'reconstruction',
    scale: 'linear',
    title: 'Reconstruction −log p(x|z)',
    yTitle: () => 'nats per sample',
    key: 'solid: test · thin, hollow: train',
    has: isVae,
    variants: (p) => [
      { label: 'test', value: p.testLoss },
      { label: 'train', value: p.trainLoss },
    ],
  },
  {
    id: 'kl',
    scale: 'linear',
    title: 'KL(q(z|x) ‖ N(0, I))',
    yTitle: () => 'nats per sample',
    key: 'solid: test · thin, hollow: train',
    has: isVae,
    variants: (p) => [
      { label: 'test', value: p.vae?.testKl ?? null },
      { label: 'train', value: p.vae?.kl ?? null },
    ],
  },
  {
    id: 'klPerUnit',
    scale: 'linear',
    title: 'KL per latent unit (training rows)',
    yTitle: () => 'nats per sample',
    key: 'solid: unit 1 · thin, hollow: units 2, 3, …; a collapsed unit lies at 0',
    has: (p) => (p.vae?.klPerUnit?.length ?? 0) > 0,
    variants: (p) => (p.vae?.klPerUnit ?? []).map((v, j) => ({ label: `unit ${j + 1}`, value: v })),
  },
  {
    id: 'activeUnits',
    scale: 'linear',
    title: 'Active latent units (order parameter)',
    yTitle: () => 'units with KL above the threshold',
    key: '',
    integer: true,
    has: isVae,
    variants: (p) => [{ label: 'active units', value: p.vae?.activeUnits ?? null }],
  },
  {
    id: 'elbo',
    scale: 'linear',
    title: 'ELBO −(reconstruction + KL)',
    yTitle: () => 'nats per sample',
    key: 'solid: test · thin, hollow: train',
    has: isVae,
    variants: (p) => [
      { label: 'test', value: p.vae?.testElbo ?? null },
      { label: 'train', value: p.vae?.elbo ?? null },
    ],
  },
  {
    id: 'weightNorm',
    scale: 'log',
    title: 'Weight norm Σ‖W‖² (order parameter)',
    yTitle: () => 'Σ‖W‖²',
    key: '',
    has: always,
    variants: (p) => [{ label: 'Σ‖W‖²', value: p.weightNorm }],
  },
  {
    id: 'modes',
    scale: 'linear',
    title: 'Mode spectrum: singular values of E[∂f/∂x]',
    yTitle: () => 'σₖ (one order parameter per mode)',
    key: 'solid: mode 1 · thin, hollow: weaker modes',
    has: (p) => (p.modes?.length ?? 0) > 0,
    variants: (p) => (p.modes ?? []).map((v, i) => ({ label: `mode ${i + 1}`, value: v })),
  },
  {
    id: 'curvature',
    scale: 'symlog',
    title: 'Scalar curvature',
    yTitle: () => 'curvature',
    key: 'solid: objective · thin, hollow: error',
    symlogC: 1,
    changePoints: true,
    has: (p) => p.curvature !== null,
    variants: (p) => [
      { label: 'objective', value: p.curvature?.objective ?? null },
      { label: 'error', value: p.curvature?.error ?? null },
    ],
  },
  {
    id: 'complexity',
    scale: 'log',
    title: 'Geometric complexity',
    yTitle: () => 'E‖∂f/∂x‖²',
    key: '',
    has: (p) => p.geometricComplexity !== null,
    variants: (p) => [{ label: 'complexity', value: p.geometricComplexity }],
  },
  {
    id: 'active',
    scale: 'linear',
    title: 'Active neurons per hidden layer',
    yTitle: () => 'active units',
    key: 'solid: layer 1 · thin, hollow: deeper layers',
    integer: true,
    has: (p) => (p.activeNeurons?.length ?? 0) > 0,
    variants: (p) => (p.activeNeurons ?? []).map((n, i) => ({ label: layerName(p, i, 'hidden'), value: n })),
  },
  {
    id: 'features',
    scale: 'linear',
    title: 'Feature learning: first layer vs the latent subspace',
    yTitle: () => 'overlap, cos² θ',
    key: 'solid: overlap ‖PW₁‖²/‖W₁‖² · thin, hollow: cos² of each principal angle',
    has: (p) => p.featureOverlap !== null,
    // Records from before the angles were recorded have no principalAngles.
    variants: (p) => [{ label: 'overlap', value: p.featureOverlap }, ...(p.principalAngles ?? []).map((a, i) => ({ label: `cos² θ${i + 1}`, value: Math.cos(a) ** 2 }))],
  },
  {
    id: 'stableRank',
    scale: 'linear',
    title: 'Stable rank per layer',
    yTitle: () => '‖W‖²_F / ‖W‖²₂',
    key: 'solid: layer 1 · thin, hollow: deeper layers',
    has: (p) => p.stableRanks !== null,
    variants: (p) => (p.stableRanks ?? []).map((r, i) => ({ label: layerName(p, i, 'weights'), value: r })),
  },
  {
    id: 'outliers',
    scale: 'linear',
    title: 'Hessian outliers (eigenvalues outside the bulk)',
    yTitle: () => 'eigenvalue count',
    key: 'solid: all · thin, hollow: below, above the bulk',
    integer: true,
    has: (p) => p.hessian?.outliers !== undefined,
    variants: (p) => {
      const o = p.hessian?.outliers;
      return [
        { label: 'outliers', value: o?.count ?? null },
        { label: 'below', value: o?.below.length ?? null },
        { label: 'above', value: o?.above.length ?? null },
      ];
    },
  },
  {
    id: 'morse',
    scale: 'linear',
    title: 'Morse index and nullity',
    yTitle: () => 'eigenvalue count',
    key: 'solid: index (negative) · thin, hollow: nullity (≈ 0)',
    integer: true,
    has: (p) => p.hessian !== null,
    variants: (p) => [
      { label: 'Morse index', value: p.hessian?.negativeCount ?? null },
      { label: 'nullity', value: p.hessian?.nullity ?? null },
    ],
  },
];
