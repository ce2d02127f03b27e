// The engine's `validate` (src/engine/validate.ts) through its client: the checks of a config
// that need its data come back from the engine process as checkData finds them here, each is a
// line in the engine's log, they are kept across edits that leave the data alone (not across an
// edit to the data section or to the csv on disk), and a superseded one is dropped without
// stopping the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkData } from '../../src/core/config/parse';
import { EngineClient } from '../../src/extension/engineClient';

const ENGINE = resolve(__dirname, '../../dist/engine.js');
if (!existsSync(ENGINE)) throw new Error(`${ENGINE} is missing: run "npm run build" (npm test does)`);
const dir = mkdtempSync(join(tmpdir(), 'l2-engine-validate-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const BAD_CSV = 'a,b,y\n1,2,0\n3,4\n5,6,0\n7,8,1\n';
const GOOD_CSV = 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n';

const text = (data: object, sweep: object = { from: 0.01, to: 1 }) => JSON.stringify({ name: 'v', data, sweep }, null, 2);

function engineWithLog(): { engine: EngineClient; lines: string[] } {
  const lines: string[] = [];
  return { engine: new EngineClient({ script: ENGINE, onLog: (line) => lines.push(line) }), lines };
}

const validations = (lines: string[]) => lines.filter((l) => /^engine: validated the /.test(l));

test("a csv of the wrong width: the engine's problems are checkData's here, at data.path, and its log says it validated the data", { timeout: 60_000 }, async () => {
  const root = join(dir, 'wrong-width');
  mkdirSync(root);
  writeFileSync(join(root, 'points.csv'), BAD_CSV);
  const configPath = join(root, 'points.l2exp.json');
  const params = { text: text({ kind: 'csv', path: 'points.csv' }), configPath, dataRoot: root };
  const { engine, lines } = engineWithLog();
  try {
    const o = await engine.request('validate', params);
    assert.equal(o.status, 'done', JSON.stringify(o));
    assert.ok(o.status === 'done');
    assert.deepEqual(o.result, checkData(params.text, configPath, { dataRoot: root }));
    assert.deepEqual(o.result.problems, [{ field: ['data', 'path'], message: `${join(root, 'points.csv')}: line 3 has 2 cells but the header has 3`, severity: 'error' }]);
    assert.equal(validations(lines).length, 1, lines.join('\n'));
    assert.match(validations(lines)[0], /^engine: validated the csv data of .*points\.l2exp\.json in \d+ ms \(validation 1 of this process\): .*line 3 has 2 cells/);

    // Outside the data root: refused before anything is read, as l2exp validate refuses it.
    const outside = await engine.request('validate', { ...params, dataRoot: join(root, 'sub') });
    assert.ok(outside.status === 'done');
    assert.match(outside.result.problems[0]?.message ?? '', /resolves outside/);
  } finally {
    engine.dispose();
  }
});

test('the engine keeps a data check across an edit to the sweep, not across one to the data or to the csv on disk', { timeout: 60_000 }, async () => {
  const root = join(dir, 'kept');
  mkdirSync(root);
  const csv = join(root, 'points.csv');
  writeFileSync(csv, GOOD_CSV);
  const configPath = join(root, 'kept.l2exp.json');
  const { engine, lines } = engineWithLog();
  const validate = async (t: string) => {
    const o = await engine.request('validate', { text: t, configPath, dataRoot: root });
    assert.ok(o.status === 'done', JSON.stringify(o));
    return o.result;
  };
  try {
    const first = await validate(text({ kind: 'csv', path: 'points.csv' }));
    assert.deepEqual(first.problems, []);
    assert.equal(first.shape?.rows, 5);
    assert.equal(first.complete, true);
    await validate(text({ kind: 'csv', path: 'points.csv' }, { from: 0.02, to: 3, points: 5 }));
    assert.equal(validations(lines).length, 1, `an edit to the sweep reuses the check:\n${lines.join('\n')}`);
    await validate(text({ kind: 'csv', path: 'points.csv', testFraction: 0.4 }));
    assert.equal(validations(lines).length, 2, `an edit to the data checks again:\n${lines.join('\n')}`);

    // The file changes on disk (another size, another time): the same config is checked again.
    writeFileSync(csv, BAD_CSV);
    utimesSync(csv, new Date(), new Date(Date.now() + 5000));
    const after = await validate(text({ kind: 'csv', path: 'points.csv' }));
    assert.equal(validations(lines).length, 3, lines.join('\n'));
    assert.match(after.problems[0]?.message ?? '', /line 3 has 2 cells/);
  } finally {
    engine.dispose();
  }
});

test('a superseded validation is dropped, the process kept (killing it would lose its data sets)', { timeout: 60_000 }, async () => {
  const root = join(dir, 'superseded');
  mkdirSync(root);
  const configPath = join(root, 'moons.l2exp.json');
  const { engine } = engineWithLog();
  try {
    const warm = await engine.request('validate', { text: text({ kind: 'two-moons', n: 40 }), configPath, dataRoot: root }, configPath);
    assert.equal(warm.status, 'done');
    const pid = engine.pid;
    const older = engine.request('validate', { text: text({ kind: 'two-moons', n: 50 }), configPath, dataRoot: root }, configPath);
    // A one-class training split, which only generating the data shows.
    const newer = engine.request('validate', { text: text({ kind: 'two-moons', n: 2, testFraction: 0.5 }), configPath, dataRoot: root }, configPath);
    assert.equal((await older).status, 'superseded');
    const o = await newer;
    assert.ok(o.status === 'done', JSON.stringify(o));
    assert.deepEqual(
      o.result.problems.map((p) => p.field),
      [['data', 'n']],
    );
    assert.match(o.result.problems[0].message, /all belong to one class/);
    assert.equal(engine.pid, pid, 'the same process');
  } finally {
    engine.dispose();
  }
});
