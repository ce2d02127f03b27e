// A data setting that cannot work, tied to the setting to blame, so that validation can underline
// it in the config and a run can name it (`data.n: …`). The validator and the loader throw and
// report the same DataErrors: what `validate` accepts, the loader accepts.

import { InputError } from '../errors';

/** The experiment setting a data problem is about, as a JSON path (`["data", "n"]`). */
export type DataField = readonly (string | number)[];

export class DataError extends InputError {
  constructor(
    message: string,
    /** The setting to change (where validation underlines the problem). */
    readonly field: DataField = ['data'],
  ) {
    super(message);
  }
}

/** `["data", "n"]` → `data.n`. */
export function fieldName(field: DataField): string {
  return field.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}
