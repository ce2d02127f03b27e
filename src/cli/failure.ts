// The one rule for every way the CLI fails: bad input the user must fix (an InputError: a
// config, a data file, an argument, a results folder) exits 2 with its message, which names the
// path and what to do; a run stopped by its surroundings (RunError, an fs error) or by anything
// else exits 1, in one line `l2exp: …`. Never a stack trace, unless L2EXP_DEBUG is set (for a
// bug report).

import { describeFsError, InputError, RunError } from '../core/errors';
import { UsageError } from './args';

export interface Failure {
  code: 1 | 2;
  text: string;
}

export function failure(err: unknown, env: NodeJS.ProcessEnv): Failure {
  if (err instanceof UsageError) return { code: 2, text: `l2exp: ${err.message}` };
  if (err instanceof InputError) return { code: 2, text: err.message };
  if (err instanceof RunError) return { code: 1, text: `l2exp: ${err.message}` };
  const fs = describeFsError(err);
  const message = fs ?? (err instanceof Error ? err.message || err.name : String(err));
  const debug = env.L2EXP_DEBUG && env.L2EXP_DEBUG !== '0' && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  const tooLarge = err instanceof RangeError && /call stack|array length|string length|allocation/i.test(message);
  const hint = tooLarge ? ' (an input too large or too deeply nested: please report it with L2EXP_DEBUG=1)' : '';
  return { code: 1, text: `l2exp: ${message.split('\n')[0]}${hint}${debug}` };
}
