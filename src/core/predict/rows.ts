// A 2-D sweep whose first axis is the one the theory is of (λ; a VAE's β): each row trains its
// own setting (pointSetting: the first n training rows, noisy labels, other widths, a VAE's λ), so
// the theory is applied to each row's setting, not to the full split no row trains on. Each row
// costs what a 1-D prediction does (one pass of moments over its n rows, a thin SVD; a VAE's
// d×d covariance, O(n·d²), and its eigendecomposition, which linearVae.ts keeps for rows that
// share a training split), times the rows the budget allows.
import type { Experiment } from '../config/types';
import type { Dataset } from '../data/dataset';
import { axisGrid, axisWords, axisId } from '../sweep/axis';
import { pointSetting } from '../sweep/pointSetting';
import { rowsNote, type Prediction, type TransitionPredictions } from './types';

/** The theory of a 1-D sweep along the first axis: predictLambda, vaePredictions. */
type Theory = (e: Experiment, ds: Dataset) => TransitionPredictions;

/** What a row changes in the theory's input, for the one note on the rows. */
function rowChange(e: Experiment, ns: number[]): string {
  switch (e.sweep.across!.parameter) {
    case 'samples':
      return `its first n training rows, n = ${ns.join(', ')}`;
    case 'noise':
      return `its noisy training labels, ${ns[0]} rows`;
    case 'width':
      return `its hidden widths, ${ns[0]} training rows`;
    case 'lambda':
      return `its λ, ${ns[0]} training rows`;
    default:
      return `the ${axisWords(e.sweep.across!).symbol} of a row does not enter the theory, so the rows agree; ${ns[0]} training rows`;
  }
}

/** The theory per row of a 2-D sweep, each prediction marked with its row; sorted by row, then value. */
export function predictPerRow(e: Experiment, ds: Dataset, theory: Theory): TransitionPredictions {
  const { across, ...sweep } = e.sweep;
  if (!across) return theory(e, ds);
  const acrossAxis = axisId(across);
  const predictions: Prediction[] = [];
  const notes = new Set<string>();
  /** The rows' training-set sizes, where the theory read the rows (its note on them). */
  const ns: number[] = [];
  for (const v of axisGrid(across)) {
    const s = pointSetting(e, ds, { value: e.sweep.from, across: v });
    const row: Experiment = { ...e, sweep, model: { ...e.model, hidden: s.hidden }, train: { ...e.train, lambda: s.lambda } };
    const r = theory(row, { ...ds, train: s.train });
    predictions.push(...r.predictions.map((p) => ({ ...p, across: v, acrossAxis })));
    for (const n of r.notes) if (n !== rowsNote(s.train.n)) notes.add(n);
    if (r.notes.includes(rowsNote(s.train.n)) && !ns.includes(s.train.n)) ns.push(s.train.n);
  }
  // A theory that never read the rows (a config it does not cover) needs no word on them.
  if (ns.length === 0) return { predictions, notes: [...notes] };
  const symbol = axisWords(across).symbol;
  const head = `Per ${symbol} row: each prediction is the theory of that row's own setting (${rowChange(e, ns)}), marked "at ${symbol} = …".`;
  return { predictions, notes: [head, ...notes] };
}
