// The charts of the sweep panel: what each plots from a point record. Values are taken as
// recorded; the only transform is the symmetric-log display of curvatures.
import type { PointRecord } from '../../src/core/sweep/point';
import type { RunInfo } from '../../src/protocol/webview';

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
  /** Symmetric-log y axis with this linear-region width. */
  symlogC?: number;
  integer?: boolean;
  /** Curvature charts also mark the transitions' curvature change points. */
  changePoints?: boolean;
  /** A chart no point has data for (analysis off, no hidden layer) is not shown. */
  has(p: PointRecord): boolean;
  variants(p: PointRecord): Variant[];
}

const always = () => true;

export const CHARTS: ChartSpec[] = [
  {
    id: 'score',
    title: 'Score',
    yTitle: (run) => (run.scoreKind === 'accuracy' ? 'accuracy' : 'R²'),
    key: 'solid: test · faded: train',
    has: always,
    variants: (p) => [
      { label: 'test', value: p.testScore },
      { label: 'train', value: p.trainScore },
    ],
  },
  {
    id: 'loss',
    title: 'Data loss',
    yTitle: () => 'loss (no penalty)',
    key: 'solid: test · faded: train',
    has: always,
    variants: (p) => [
      { label: 'test', value: p.testLoss },
      { label: 'train', value: p.trainLoss },
    ],
  },
  {
    id: 'weightNorm',
    title: 'Weight norm Σ‖W‖² (order parameter)',
    yTitle: () => 'Σ‖W‖²',
    key: '',
    has: always,
    variants: (p) => [{ label: 'Σ‖W‖²', value: p.weightNorm }],
  },
  {
    id: 'modes',
    title: 'Mode spectrum: singular values of E[∂f/∂x]',
    yTitle: () => 'σₖ (one order parameter per mode)',
    key: 'solid: mode 1 · faded: weaker modes (marker shape per mode)',
    has: (p) => (p.modes?.length ?? 0) > 0,
    variants: (p) => (p.modes ?? []).map((v, i) => ({ label: `mode ${i + 1}`, value: v })),
  },
  {
    id: 'curvature',
    title: 'Scalar curvature',
    yTitle: () => 'curvature (symlog)',
    key: 'solid: objective · faded: error',
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
    title: 'Geometric complexity',
    yTitle: () => 'E‖∂f/∂x‖²',
    key: '',
    has: (p) => p.geometricComplexity !== null,
    variants: (p) => [{ label: 'complexity', value: p.geometricComplexity }],
  },
  {
    id: 'active',
    title: 'Active neurons per hidden layer',
    yTitle: () => 'active units',
    key: 'solid: layer 1 · faded: deeper layers (marker shape per layer)',
    integer: true,
    has: (p) => (p.activeNeurons?.length ?? 0) > 0,
    variants: (p) => (p.activeNeurons ?? []).map((n, i) => ({ label: `layer ${i + 1}`, value: n })),
  },
  {
    id: 'morse',
    title: 'Morse index and nullity',
    yTitle: () => 'eigenvalue count',
    key: 'solid: index (negative) · faded: nullity (≈ 0)',
    integer: true,
    has: (p) => p.hessian !== null,
    variants: (p) => [
      { label: 'Morse index', value: p.hessian?.negativeCount ?? null },
      { label: 'nullity', value: p.hessian?.nullity ?? null },
    ],
  },
];
