// The figures of the VS Code side for `npm run bench`: extension activation in a real VS Code
// (code-server, from scripts/e2e-setup.sh) and the sweep panel's first paint with 200 points
// (the production bundle and CSP in headless Chromium). null with a note when those are absent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PointRecord } from '../src/core/sweep/point';
import { codeServerDir, startCodeServer } from '../test/e2e/codeServer';
import { copyExamples } from '../test/examples';
import { openFile, openWorkbench, runCommand } from '../test/e2e/workbench';
import { firstPaintMs, nextPost, openView, send, startSite } from '../test/webview/harness';

const ROOT = resolve(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The example's config as far as the sample changes it (the rest is passed on as it is). */
interface ExampleConfig {
  $schema?: string;
  sweep: Record<string, unknown>;
  analysis?: unknown;
}

/** 200 real point records: the deep linear example with two seeds, both ways, 50 λ values. */
function samplePoints(): PointRecord[] {
  const dir = mkdtempSync(join(tmpdir(), 'l2-bench-points-'));
  const config = JSON.parse(readFileSync(join(ROOT, 'examples/linear-2-hidden.l2exp.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as ExampleConfig;
  config.sweep = { ...config.sweep, points: 50, seeds: [0, 1] };
  config.analysis = { transitions: { refine: false } };
  delete config.$schema;
  writeFileSync(join(dir, 'b.l2exp.json'), JSON.stringify(config));
  const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'run', join(dir, 'b.l2exp.json'), '--out', join(dir, 'out'), '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sample sweep failed: ${r.stderr}`);
  const points = readFileSync(join(dir, 'out', 'points.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PointRecord);
  rmSync(dir, { recursive: true, force: true });
  return points.slice(0, 200);
}

export async function panelFirstPaint(): Promise<{ panelFirstPaintMs: number | null; panelNote: string }> {
  if (!existsSync('/usr/bin/chromium')) return { panelFirstPaintMs: null, panelNote: 'no /usr/bin/chromium (bash scripts/e2e-setup.sh installs it)' };
  const points = samplePoints();
  const dir = mkdtempSync(join(tmpdir(), 'l2-bench-pages-'));
  const site = await startSite(dir);
  const times: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const view = await openView(site.browser, `${site.url}/sweep.html`, { width: 1280, height: 900 });
      await nextPost(view.page, 'ready', 0);
      await send(view.page, {
        type: 'init',
        run: { runId: 'bench', configPath: '/bench.l2exp.json', name: 'bench', scoreKind: 'r2', live: false },
        points,
        transitions: [],
        predictions: [],
        selectedId: null,
      });
      times.push(await firstPaintMs(view.page));
      await view.page.close();
    }
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { panelFirstPaintMs: Number(median(times).toFixed(1)), panelNote: `${points.length} points, all eight charts, median of 5 loads in headless Chromium` };
}

export async function activation(): Promise<{ activationMs: number | null; activationNote: string }> {
  const vsix = join(ROOT, 'l2-landscape.vsix');
  if (!existsSync(join(codeServerDir(), 'out/node/entry.js'))) return { activationMs: null, activationNote: 'code-server not installed (bash scripts/e2e-setup.sh)' };
  if (!existsSync(vsix)) return { activationMs: null, activationNote: 'no l2-landscape.vsix (npm run package)' };
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const workspace = copyExamples(ROOT, 'l2-bench-ws-');
    const server = await startCodeServer({ folder: workspace, vsix });
    const wb = await openWorkbench(server.url);
    try {
      // The CodeLens proves the extension is active, so its Output channel exists.
      await openFile(wb.page, 'linear-1-hidden.l2exp.json');
      await wb.page
        .locator('.codelens-decoration', { hasText: /Run L2 sweep/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await runCommand(wb.page, 'Output: Show Output Channels...');
      await wb.page.keyboard.type('L2 Landscape');
      await wb.page.keyboard.press('Enter');
      const line = wb.page.locator('.view-line', { hasText: /activated\s+in\s+[\d.]+\s+ms/ }).first();
      await line.waitFor({ timeout: 60_000 });
      times.push(Number(/activated\s+in\s+([\d.]+)/.exec(await line.innerText())![1]));
    } finally {
      await wb.close();
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  }
  return { activationMs: median(times), activationNote: 'module load + activate() in VS Code 1.100.3 (code-server), median of 3 starts' };
}
