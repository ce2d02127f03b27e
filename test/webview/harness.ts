// A stand-in for VS Code's webview host: each view's page as the extension will serve it (the
// real bundle and CSS, a strict CSP, a nonce'd stub of acquireVsCodeApi that records what the
// view posts and sets theme variables the way VS Code does), served from 127.0.0.1 and opened
// in headless Chromium. Console errors, page errors and CSP violations are collected.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunSummary } from '../../src/core/results/summary';
import type { PointRecord } from '../../src/core/sweep/point';
import { webviewPage } from '../../src/extension/panels/page';

/** The project root, found upwards from here (this file also runs bundled, in dist/bench.js). */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'media', 'sweep.css'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no l2-landscape project above ${from}`);
  }
}

export const ROOT = projectRoot(resolve(__dirname));
export const ARTIFACTS_DIR = join(ROOT, 'test-artifacts/webview');
const CHROMIUM = process.env.L2_E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** VS Code theme variables (a subset of Dark Modern, Light Modern and Dark High Contrast). */
const THEMES: Record<string, Record<string, string>> = {
  dark: {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-sideBar-background': '#181818',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editorWidget-border': '#454545',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-editorHoverWidget-background': '#202020',
    '--vscode-errorForeground': '#f85149',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-checkbox-background': '#313131',
    '--vscode-checkbox-border': '#3c3c3c',
    '--vscode-dropdown-background': '#313131',
    '--vscode-dropdown-border': '#3c3c3c',
    '--vscode-dropdown-foreground': '#cccccc',
  },
  light: {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-sideBar-background': '#f8f8f8',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-editorWidget-border': '#c8c8c8',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-editorHoverWidget-background': '#f8f8f8',
    '--vscode-errorForeground': '#e51400',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#652d90',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-checkbox-background': '#f8f8f8',
    '--vscode-checkbox-border': '#cecece',
    '--vscode-dropdown-background': '#ffffff',
    '--vscode-dropdown-border': '#cecece',
    '--vscode-dropdown-foreground': '#3b3b3b',
  },
  'high-contrast': {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#ffffff',
    '--vscode-editor-foreground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-sideBar-background': '#000000',
    '--vscode-descriptionForeground': '#ffffff',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-contrastActiveBorder': '#f38518',
    '--vscode-focusBorder': '#f38518',
    '--vscode-editorHoverWidget-background': '#0c141f',
    '--vscode-errorForeground': '#f48771',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-button-background': '#000000',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-checkbox-background': '#000000',
    '--vscode-checkbox-border': '#6fc3df',
    '--vscode-dropdown-background': '#000000',
    '--vscode-dropdown-border': '#6fc3df',
  },
};

export type ThemeName = keyof typeof THEMES;
export const BODY_CLASS: Record<string, string> = { dark: 'vscode-dark', light: 'vscode-light', 'high-contrast': 'vscode-high-contrast' };

/** Runs first in <body>: records posts and violations, sets the theme like VS Code (CSSOM on <html>, class on <body>). */
function stub(): string {
  return `(() => {
  const posted = [];
  let state;
  window.__posted = posted;
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s) => { state = s; },
  });
  const themes = ${JSON.stringify(THEMES)};
  const classes = ${JSON.stringify(BODY_CLASS)};
  window.__setTheme = (kind) => {
    const style = document.documentElement.style;
    for (const name of [...style]) if (name.startsWith('--vscode-')) style.removeProperty(name);
    for (const [k, v] of Object.entries(themes[kind])) style.setProperty(k, v);
    document.body.className = classes[kind];
    document.body.dataset.vscodeThemeKind = classes[kind];
  };
  window.__setTheme('dark');
})();`;
}

export type View = 'sweep' | 'spectrum';

/** Writes <view>.html beside the bundle and CSS in `dir`. */
export function writePages(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const view of ['sweep', 'spectrum'] as const) {
    copyFileSync(join(ROOT, 'dist/webview', `${view}.js`), join(dir, `${view}.js`));
    copyFileSync(join(ROOT, 'media', `${view}.css`), join(dir, `${view}.css`));
    copyFileSync(join(ROOT, 'media', 'base.css'), join(dir, 'base.css'));
    const page = webviewPage({ nonce: randomBytes(16).toString('base64'), cspSource: "'self'", styles: ['base.css', `${view}.css`], script: `${view}.js`, title: view, prelude: stub() });
    writeFileSync(join(dir, `${view}.html`), page);
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** A static server for `dir` on a free loopback port. */
export async function serve(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    try {
      if (name.includes('..')) throw new Error('outside');
      const body = readFileSync(join(dir, name));
      res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** A rectangle in CSS pixels, as the views' layout hooks report them. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ViewPage {
  page: Page;
  /** Console errors, page errors and CSP violations so far. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * What a view test starts from: the views' bundle built from the source as it is, the CLI that
 * makes the test's runs (`npm test` builds it first; a lone run of a file may not have), and
 * the screenshots' folder.
 */
export function buildViews(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-webviews.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the webviews failed:\n${build.stderr}`);
  if (!existsSync(join(ROOT, 'dist/cli.js'))) {
    const cli = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (cli.status !== 0) throw new Error(`building the CLI failed:\n${cli.stderr}`);
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
}

/** `l2exp run CONFIG --out OUT --json` with the built CLI: the run's points and summary. */
export function runConfig(config: string, out: string): { points: PointRecord[]; summary: RunSummary } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'run', config, '--out', out, '--json'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`l2exp run ${config} failed:\n${r.stderr}`);
  const points = readFileSync(join(out, 'points.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PointRecord);
  return { points, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary };
}

/** Both views' pages written into `dir`, served from loopback, and a browser to open them in. */
export interface Site {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startSite(dir: string): Promise<Site> {
  writePages(dir);
  const server = await serve(dir);
  const browser = await launch().catch(async (e: unknown) => {
    await server.close();
    throw e;
  });
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export async function openView(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<ViewPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return {
    page,
    problems: async () => [...problems, ...(await page.evaluate(() => window.__violations))],
    close: () => context.close(),
  };
}

/** The page's globals this harness defines or reads (the root tsconfig has no DOM lib, on purpose). */
interface PageWindow {
  __posted: { type: string; [k: string]: unknown }[];
  __violations: string[];
  __l2FirstPaintMs?: number;
  __setTheme(kind: string): void;
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(callback: () => void): number;
}
declare const window: PageWindow;

/** Delivers a host message the way VS Code does: a message event on the view's window. */
export async function send(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(page: Page): Promise<PageWindow['__posted']> {
  return page.evaluate(() => window.__posted);
}

/** Waits until the view has posted a message of `type` beyond the first `after`, and returns it. */
export async function nextPost(page: Page, type: string, after: number): Promise<{ type: string; [k: string]: unknown }> {
  const handle = await page.waitForFunction(([t, n]) => window.__posted.slice(n).find((m) => m.type === t), [type, after] as const);
  return (await handle.jsonValue()) as { type: string; [k: string]: unknown };
}

/** Lets the page render two frames (theme changes are applied on the next one). */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((ok) => window.requestAnimationFrame(() => window.requestAnimationFrame(() => ok()))));
}

export async function setTheme(page: Page, kind: ThemeName): Promise<void> {
  await page.evaluate((k) => window.__setTheme(k), kind);
}

export async function firstPaintMs(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => window.__l2FirstPaintMs);
  return (await handle.jsonValue()) as number;
}

/** The bits of a DOM element the page functions below touch. */
interface PageElement {
  setAttribute(name: string, value: string): void;
}
declare const MutationObserver: new (callback: (records: unknown[]) => void) => { observe(target: PageElement, options: { attributeFilter: string[] }): void; disconnect(): void };

/** How often `attribute` of the first `selector` element changes while `action` runs and for `settleMs` after. */
export async function attributeChanges(page: Page, selector: string, attribute: string, action: () => Promise<void>, settleMs: number): Promise<number> {
  const target = page.locator(selector).first();
  await target.evaluate((e: PageElement & { __changes?: number; __observer?: { disconnect(): void } }, attr) => {
    e.__changes = 0;
    const observer = new MutationObserver((records) => (e.__changes! += records.length));
    observer.observe(e, { attributeFilter: [attr] });
    e.__observer = observer;
  }, attribute);
  await action();
  await page.waitForTimeout(settleMs);
  return target.evaluate((e: { __changes?: number; __observer?: { disconnect(): void } }) => {
    e.__observer?.disconnect();
    return e.__changes ?? 0;
  });
}

/** A canvas as the page's DOM has it. */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Pixels painted at all, and pixels within `tol` of `rgb` (a series or colormap color). */
export async function canvasPixels(page: Page, selector: string, rgb: [number, number, number] | null = null, tol = 40): Promise<{ painted: number; matching: number }[]> {
  return page.locator(selector).evaluateAll(
    (canvases: PageCanvas[], [color, t]) =>
      canvases.map((c) => {
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let painted = 0;
        let matching = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] === 0) continue;
          painted++;
          if (color && data[i + 3] > 200 && Math.abs(data[i] - color[0]) + Math.abs(data[i + 1] - color[1]) + Math.abs(data[i + 2] - color[2]) <= t) matching++;
        }
        return { painted, matching };
      }),
    [rgb, tol] as const,
  );
}

export const hex = (h: string): [number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
export const themeColor = (kind: ThemeName, name: string): [number, number, number] => hex(THEMES[kind][`--vscode-${name}`]);
