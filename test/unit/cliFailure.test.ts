// The CLI's one rule for failures (src/cli/failure.ts): exit 2 for input the user must fix, 1
// for anything else, in one line, the stack only on request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure } from '../../src/cli/failure';
import { UsageError } from '../../src/cli/args';
import { DataError } from '../../src/core/data/dataError';
import { InputError, RunError } from '../../src/core/errors';

test('input errors exit 2 with their own message; usage errors say l2exp', () => {
  assert.deepEqual(failure(new InputError('/x/exp.l2exp.json:3:4: data.n is 0'), {}), { code: 2, text: '/x/exp.l2exp.json:3:4: data.n is 0' });
  assert.deepEqual(failure(new DataError('data.n 2 …', ['data', 'n']), {}), { code: 2, text: 'data.n 2 …' });
  assert.deepEqual(failure(new UsageError('unknown option --x'), {}), { code: 2, text: 'l2exp: unknown option --x' });
});

test('anything else exits 1 in one line; an fs error names its path; the stack only with L2EXP_DEBUG', () => {
  assert.deepEqual(failure(new RunError('/r: no space left'), {}), { code: 1, text: 'l2exp: /r: no space left' });
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/r/points.jsonl' });
  assert.equal(failure(enospc, {}).code, 1);
  assert.match(failure(enospc, {}).text, /^l2exp: \/r\/points\.jsonl: no space left on the device.*free space there/);

  const bug = new TypeError('cannot read properties of undefined\nsecond line');
  const quiet = failure(bug, {});
  assert.deepEqual(quiet, { code: 1, text: 'l2exp: cannot read properties of undefined' });
  assert.equal(failure(bug, { L2EXP_DEBUG: '0' }).text, quiet.text);
  const loud = failure(bug, { L2EXP_DEBUG: '1' });
  assert.ok(loud.text.startsWith(quiet.text + '\n'), loud.text);
  assert.match(loud.text, /\n\s+at /);
  assert.match(failure(new RangeError('Maximum call stack size exceeded'), {}).text, /too large or too deeply nested/);
  assert.deepEqual(failure('a string thrown', {}), { code: 1, text: 'l2exp: a string thrown' });
});
