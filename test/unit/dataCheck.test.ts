// The split of validation (src/core/config/parse.ts): the config's own checks, which read no
// file (the editor's host: `data: false`), and the checks that need the data (checkData: the
// csv read for its shape checks, the dry load), which the engine runs. Together they find
// exactly what `l2exp validate` finds (parseExperiment with both), at the same places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkData, parseExperiment } from '../../src/core/config/parse';
import { formatProblem, type ConfigProblem } from '../../src/core/config/problems';

const FILE = '/experiments/demo/exp.l2exp.json';
const CSV_PATH = '/experiments/demo/points.csv';

const config = (data: object, extra: object = {}) => JSON.stringify({ name: 't', data, sweep: { from: 0.01, to: 1 }, ...extra }, null, 2);
const shown = (ps: ConfigProblem[]) => ps.map(formatProblem);

/** A readFile over `files` that counts its calls. */
function files(contents: Record<string, string>) {
  const reads: string[] = [];
  return { reads, readFile: (p: string) => (reads.push(p), contents[p]) };
}

/** A readFile that must not be called. */
const noRead = () => {
  throw new Error('the config-only checks read a file');
};

const BAD_CSV = 'a,b,y\n1,2,0\n3,4\n5,6,0\n7,8,1\n';
const GOOD_CSV = 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n';

test("a csv with a row of the wrong width: l2exp validate's problem, found by the data checks only, at data.path", () => {
  const text = config({ kind: 'csv', path: 'points.csv' });
  const full = parseExperiment(text, FILE, { readFile: files({ [CSV_PATH]: BAD_CSV }).readFile });
  assert.equal(full.experiment, undefined);
  assert.equal(full.problems.length, 1, shown(full.problems).join('\n'));
  const [p] = full.problems;
  assert.match(p.message, /points\.csv: line 3 has 2 cells but the header has 3/);
  assert.deepEqual([p.line, p.column], [5, 13], formatProblem(p)); // the "path" value

  const host = parseExperiment(text, FILE, { data: false, readFile: noRead });
  assert.deepEqual(host.problems, [], 'the config alone has no problem');
  assert.equal(host.experiment, undefined, "a csv experiment's size is its file's: none without it");

  const { reads, readFile } = files({ [CSV_PATH]: BAD_CSV });
  const check = checkData(text, FILE, { readFile })!;
  assert.deepEqual(reads, [CSV_PATH], 'the data checks read the csv, once');
  assert.deepEqual(check.problems, [{ field: ['data', 'path'], message: p.message, severity: 'error' }]);
  const merged = parseExperiment(text, FILE, { data: check, readFile: noRead });
  assert.deepEqual(merged, { problems: full.problems }, "the engine's problems placed in the host's text are l2exp validate's");
});

test("a readable csv: its shape, from the data checks, resolves the host's experiment exactly as l2exp validate does (the same hash, so the same runs)", () => {
  // samples.to beyond the file's 4 training rows: a check of the config that needs the file's size.
  const text = config({ kind: 'csv', path: 'points.csv' }, { sweep: { parameter: 'samples', from: 2, to: 6, points: 3 } });
  const { readFile } = files({ [CSV_PATH]: GOOD_CSV });
  const full = parseExperiment(text, FILE, { readFile });
  assert.match(shown(full.problems).join('\n'), /sweep\.to asks for 6 training samples, but data\.n 5 leaves 4 for training/);
  assert.deepEqual(parseExperiment(text, FILE, { data: false, readFile: noRead }).problems, [], 'without the file its size is unknown: no such check');
  assert.deepEqual(parseExperiment(text, FILE, { data: checkData(text, FILE, { readFile }), readFile: noRead }).problems, full.problems);

  const valid = config({ kind: 'csv', path: 'points.csv' });
  const expected = parseExperiment(valid, FILE, { readFile });
  assert.ok(expected.experiment, shown(expected.problems).join('\n'));
  const check = checkData(valid, FILE, { readFile })!;
  assert.equal(check.complete, true);
  assert.deepEqual(parseExperiment(valid, FILE, { data: check, readFile: noRead }), { experiment: expected.experiment, problems: expected.problems });
});

test("what only generating the data shows (a one-class training split) is the data checks', what the settings show (whitening with n < inputDim) the config's", () => {
  const oneClass = config({ kind: 'two-moons', n: 2, testFraction: 0.5 });
  const full = parseExperiment(oneClass, FILE);
  assert.equal(full.problems.length, 1);
  assert.match(full.problems[0].message, /1 training sample\(s\) all belong to one class/);
  const host = parseExperiment(oneClass, FILE, { data: false, readFile: noRead });
  assert.deepEqual(host.problems, [], 'the dry load is skipped');
  assert.ok(host.experiment, "the config alone resolves (the data's problem comes from the engine)");
  const check = checkData(oneClass, FILE)!;
  assert.deepEqual(check.problems, [{ field: ['data', 'n'], message: full.problems[0].message, severity: 'error' }]);
  assert.deepEqual(parseExperiment(oneClass, FILE, { data: check }), { problems: full.problems });

  const whiten = config({ kind: 'linear', n: 8, inputDim: 10 });
  const before = parseExperiment(whiten, FILE).problems;
  assert.match(shown(before).join('\n'), /raise n to at least 12/);
  assert.deepEqual(parseExperiment(whiten, FILE, { data: false }).problems, before, 'a check of the settings alone stays with the host');
  assert.deepEqual(checkData(whiten, FILE), { problems: [], complete: false }, 'the config has errors: the data are not generated');
});

test('data: false reads no file for any kind and keeps every other problem, with its source', () => {
  const text = config({ kind: 'csv', path: 'points.csv', inputDim: 'two' }, { sweep: { from: 1, to: 0.1 }, modle: {} });
  const full = parseExperiment(text, FILE, { readFile: files({ [CSV_PATH]: BAD_CSV }).readFile });
  const host = parseExperiment(text, FILE, { data: false, readFile: noRead });
  assert.deepEqual(
    host.problems,
    full.problems.filter((p) => !/line 3 has 2 cells/.test(p.message)),
  );
  assert.deepEqual(new Set(host.problems.map((p) => p.source)), new Set(['schema', 'semantic']));
  assert.deepEqual(shown(parseExperiment(config({ kind: 'npy' }), FILE, { data: false }).problems).length, 1, "a missing data.path is the config's own problem");
  const npy = parseExperiment(config({ kind: 'npy', path: 'missing.npz' }), FILE, { data: false });
  assert.deepEqual(npy, { problems: [] }, 'an npy is not opened either');
});
