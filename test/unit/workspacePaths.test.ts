// Which paths the extension opens: a restored panel's config path (from webview state) and the
// root a config's data must lie in (src/extension/workspacePaths.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { dataRoot, restorableConfig } from '../../src/extension/workspacePaths';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'l2-paths-')));
test.after(() => rmSync(base, { recursive: true, force: true }));
const ws = join(base, 'ws');
const other = join(base, 'other');
mkdirSync(join(ws, 'sub'), { recursive: true });
mkdirSync(other);
const inside = join(ws, 'sub', 'a.l2exp.json');
const outside = join(other, 'b.l2exp.json');
for (const f of [inside, outside, join(ws, 'notes.json')]) writeFileSync(f, '{}');
symlinkSync(outside, join(ws, 'link.l2exp.json'));
symlinkSync(join(ws, 'notes.json'), join(ws, 'renamed.l2exp.json'));
symlinkSync(inside, join(ws, 'alias.json'));

test('a restored panel opens only an existing *.l2exp.json inside an open folder', () => {
  assert.equal(restorableConfig(inside, [ws]), inside);
  assert.equal(restorableConfig(inside, [other, ws]), inside);
  assert.equal(restorableConfig(join(ws, 'sub', '..', 'sub', 'a.l2exp.json'), [ws]), inside);
  for (const bad of [
    outside, // another folder
    join(ws, '..', 'other', 'b.l2exp.json'), // climbs out
    join(ws, 'link.l2exp.json'), // a symlink out of the folder
    join(ws, 'renamed.l2exp.json'), // a symlink to a file that is not an experiment
    join(ws, 'notes.json'), // not an experiment file
    join(ws, 'missing.l2exp.json'), // nothing there
    join(ws, 'alias.json'), // an experiment, but by a name that is not one
    relative(process.cwd(), inside), // relative: it would depend on the editor's working folder
    '/etc/passwd',
    42,
    undefined,
    { configPath: inside },
  ]) {
    assert.equal(restorableConfig(bad, [ws]), undefined, `${JSON.stringify(bad)} must be refused`);
  }
  assert.equal(restorableConfig(inside, []), undefined, 'no folder open: nothing to restore');
});

test('a config reads its data inside its workspace folder, the innermost when folders nest; outside every folder, its own', () => {
  assert.equal(dataRoot(inside, [ws]), ws);
  assert.equal(dataRoot(inside, [ws, join(ws, 'sub')]), join(ws, 'sub'));
  assert.equal(dataRoot(outside, [ws]), other);
});
