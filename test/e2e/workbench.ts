// Playwright helpers that drive the VS Code workbench served by code-server (codeServer.ts) in
// Debian's Chromium, the way a person would: the command palette, quick open, the mouse over
// a token, notifications, webview panels. Every wait is on a selector or a condition, never a
// fixed sleep; every timeout error says what was on screen instead.
import { mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '../../test-artifacts/e2e');

export const CHROMIUM = process.env.L2_E2E_CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Belt and braces: no name but the loopback ones resolves, so nothing the workbench or a
  // webview might ask for can leave the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export interface Workbench {
  page: Page;
  browser: Browser;
  /** Console errors and uncaught page errors seen so far (for failure messages). */
  errors(): string[];
  close(): Promise<void>;
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

/*
 * The bits of the DOM that the functions run in the page touch (the project's tsconfig has no
 * DOM lib, on purpose: host code must not reach for it). Those functions are serialized into
 * the page, so each reads `document` itself: `(globalThis as unknown as PageGlobals).document`.
 */
interface PageRect {
  top: number;
  left: number;
  width: number;
  height: number;
}
interface PageText {
  readonly data: string;
}
interface PageElement {
  readonly textContent: string | null;
  readonly innerText: string;
  readonly style: { readonly top: string };
  /** An <input>'s value (undefined on other elements). */
  readonly value?: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): PageRect;
  checkVisibility(): boolean;
}
interface PageGlobals {
  document: {
    readonly activeElement: PageElement | null;
    querySelector(selector: string): PageElement | null;
    createTreeWalker(root: PageElement, whatToShow: number): { nextNode(): PageText | null };
    createRange(): { setStart(node: PageText, offset: number): void; setEnd(node: PageText, offset: number): void; getBoundingClientRect(): PageRect };
  };
}

/**
 * Launches headless Chromium (a fresh temporary profile, deleted on close), opens `url` and
 * waits for the workbench to render.
 */
export async function openWorkbench(url: string, options: { timeoutMs?: number; width?: number; height?: number } = {}): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const errors: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1400, height: options.height ?? 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(url, { timeout: options.timeoutMs ?? 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: options.timeoutMs ?? 60_000 });
    // The parts a user sees first: the editor area and the status bar.
    await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible' });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible' });
    return { page, browser, errors: () => [...errors], close: () => browser.close() };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

// ---- the quick input (command palette, quick open, go to line) -------------------------------

function quickInput(page: Page) {
  const widget = page.locator('.quick-input-widget');
  return {
    widget,
    input: widget.locator('.quick-input-box input'),
    rows: widget.locator('.quick-input-list .monaco-list-row'),
  };
}

/** Closes the quick input if it is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  const { widget } = quickInput(page);
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  }
}

/**
 * Opens the quick input with the first of `keys` that works and returns once its input box
 * has focus and a value for which `ready` holds (F1 gives ">", Ctrl+P gives "").
 */
async function openQuickInputWith(page: Page, keys: string[], ready: (value: string) => boolean, what: string): Promise<void> {
  await closeQuickInput(page);
  const { input } = quickInput(page);
  for (const key of keys) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await page.waitForFunction(
        () => {
          const d = (globalThis as unknown as PageGlobals).document;
          const el = d.querySelector('.quick-input-widget .quick-input-box input');
          return el !== null && d.activeElement === el;
        },
        undefined,
        { timeout: 5000 },
      );
      if (ready(await input.inputValue())) return;
    } catch {
      // try the next key
    }
    await closeQuickInput(page);
  }
  throw new Error(`could not open ${what} with ${keys.join(' or ')}`);
}

async function visibleRowLabels(page: Page): Promise<string[]> {
  const { rows } = quickInput(page);
  return (await rows.locator('.label-name').allInnerTexts()).map((t) => t.trim());
}

/**
 * Types `>title` into the command palette and waits for the row labelled exactly `title`.
 * A command contributed by an extension can be registered after the palette computed its
 * list, so the query is typed again until the row shows up or `timeoutMs` runs out.
 * Returns the row, or undefined with the palette still open.
 */
async function findPaletteRow(page: Page, title: string, timeoutMs: number): Promise<Locator | undefined> {
  await openQuickInputWith(page, ['F1', 'Control+Shift+P'], (v) => v.startsWith('>'), 'the command palette');
  const { input, rows } = quickInput(page);
  const row = rows.filter({ has: page.locator('.label-name', { hasText: exactly(title) }) }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(2000, deadline - Date.now())) });
      return row;
    } catch {
      if (Date.now() >= deadline) return undefined;
      await input.fill('>');
    }
  }
}

/**
 * Runs a command from the command palette by its title as shown there ("View: Toggle Minimap",
 * "L2 Landscape: Run L2 sweep"): F1 (or Ctrl+Shift+P), type the title, Enter on its row. Returns
 * once the palette has closed or moved on to the command's own input.
 */
export async function runCommand(page: Page, title: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const row = await findPaletteRow(page, title, options.timeoutMs ?? 15_000);
  if (row === undefined) {
    const shown = await visibleRowLabels(page);
    await closeQuickInput(page);
    throw new Error(`command "${title}" is not in the command palette; it shows: ${JSON.stringify(shown)}`);
  }
  const { input } = quickInput(page);
  if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) await input.press('Enter');
  else await row.click();
  // Done when the palette is gone, or shows something else (the command's own quick pick).
  await page.waitForFunction((typed) => {
    const d = (globalThis as unknown as PageGlobals).document;
    const w = d.querySelector('.quick-input-widget');
    if (w === null || !w.checkVisibility()) return true;
    const i = w.querySelector('.quick-input-box input');
    return i === null || i.value !== typed;
  }, `>${title}`);
}

/**
 * The command palette's entries for `query` (their labels), waiting up to `timeoutMs` for the
 * one labelled exactly `query` to appear; leaves the palette closed. Use it to assert that a
 * command is (or is not) there without running it.
 */
export async function commandPaletteEntries(page: Page, query: string, options: { timeoutMs?: number } = {}): Promise<string[]> {
  await findPaletteRow(page, query, options.timeoutMs ?? 15_000);
  const labels = await visibleRowLabels(page);
  await closeQuickInput(page);
  return labels;
}

// ---- editors --------------------------------------------------------------------------------

/** The editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/**
 * Opens a file of the workspace by its path relative to the workspace folder with quick open
 * (Ctrl+P, type, Enter) and waits until its editor is the active one. Returns that editor.
 */
export async function openFile(page: Page, relativePath: string, options: { timeoutMs?: number } = {}): Promise<Locator> {
  const timeout = options.timeoutMs ?? 30_000;
  const rel = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  const name = basename(rel);
  const dir = dirname(rel) === '.' ? '' : dirname(rel);
  await openQuickInputWith(page, ['Control+P', 'Control+E'], (v) => v === '', 'quick open');
  const { input, rows } = quickInput(page);
  await input.fill(rel);
  // File rows show the name as the label and the folder as the description.
  let row = rows.filter({ has: page.locator('.label-name', { hasText: exactly(name) }) });
  if (dir !== '') row = row.filter({ has: page.locator('.label-description', { hasText: new RegExp(`(^|/)${escapeRegExp(dir)}\\s*$`) }) });
  row = row.first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const shown = await visibleRowLabels(page);
    await closeQuickInput(page);
    throw new Error(`quick open found no file "${rel}"; it shows: ${JSON.stringify(shown)}`);
  }
  if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) await input.press('Enter');
  else await row.click();
  await quickInput(page).widget.waitFor({ state: 'hidden', timeout });
  const tab = page.locator('.editor-group-container.active .tab.active', { has: page.locator('.label-name', { hasText: exactly(name) }) });
  await tab.waitFor({ state: 'visible', timeout });
  const editor = activeEditor(page);
  await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout });
  return editor;
}

/** The visible lines of the active editor, as text (Monaco renders spaces as U+00A0). */
export async function editorText(page: Page): Promise<string> {
  const lines = await activeEditor(page).evaluate((ed: PageElement) => {
    const els = Array.from(ed.querySelectorAll('.view-lines .view-line'));
    return els
      .map((el) => ({ top: parseFloat(el.style.top) || 0, text: String(el.textContent ?? '') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
  });
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** Waits until a visible line of the active editor contains `text` (or matches the RegExp). */
export async function waitForEditorLine(page: Page, text: string | RegExp, options: { timeoutMs?: number } = {}): Promise<void> {
  // A string matches case-sensitively, any run of whitespace (U+00A0 included) as one.
  const pattern = typeof text === 'string' ? new RegExp(escapeRegExp(text).replace(/\s+/g, '\\s+')) : text;
  const line = activeEditor(page).locator('.view-lines .view-line', { hasText: pattern }).first();
  try {
    await line.waitFor({ state: 'visible', timeout: options.timeoutMs ?? 15_000 });
  } catch {
    throw new Error(`the active editor shows no line with ${String(text)}; it shows:\n${await editorText(page)}`);
  }
}

/** Moves the cursor to `lineNumber` (the palette's ":" go-to-line) so the line is on screen. */
export async function goToLine(page: Page, lineNumber: number): Promise<void> {
  await openQuickInputWith(page, ['F1', 'Control+Shift+P'], (v) => v.startsWith('>'), 'the command palette');
  const { input, widget } = quickInput(page);
  await input.fill(`:${lineNumber}`);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await page
    .locator('.editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers', { hasText: exactly(String(lineNumber)) })
    .first()
    .waitFor({ state: 'visible' });
}

/**
 * Hovers the mouse over `textOnLine` on line `lineNumber` (1-based) of the active editor and
 * returns the text of the hover widget that appears (after any "Loading..." is replaced).
 */
export async function hoverAt(page: Page, lineNumber: number, textOnLine: string, options: { timeoutMs?: number } = {}): Promise<string> {
  const timeout = options.timeoutMs ?? 15_000;
  await goToLine(page, lineNumber);
  const target = await activeEditor(page).evaluate(
    (ed: PageElement, { lineNumber, textOnLine }: { lineNumber: number; textOnLine: string }) => {
      const d = (globalThis as unknown as PageGlobals).document;
      const nums = Array.from(ed.querySelectorAll('.margin-view-overlays .line-numbers'));
      const num = nums.find((n) => String(n.textContent).trim() === String(lineNumber));
      if (num === undefined) return { error: `line ${lineNumber} is not on screen` };
      const top = num.getBoundingClientRect().top;
      const lines = Array.from(ed.querySelectorAll('.view-lines .view-line'));
      const line = lines.find((l) => Math.abs(l.getBoundingClientRect().top - top) < 2);
      if (line === undefined) return { error: `no rendered text for line ${lineNumber}` };
      const walker = d.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
      const nodes: PageText[] = [];
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) nodes.push(n);
      const text = nodes
        .map((n) => String(n.data))
        .join('')
        .replace(/\u00a0/g, ' ');
      const at = text.indexOf(textOnLine);
      if (at < 0) return { error: `line ${lineNumber} is ${JSON.stringify(text)}, without ${JSON.stringify(textOnLine)}` };
      let offset = at + Math.floor(textOnLine.length / 2);
      for (const n of nodes) {
        const len = String(n.data).length;
        if (offset < len) {
          const range = d.createRange();
          range.setStart(n, offset);
          range.setEnd(n, offset + 1);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        offset -= len;
      }
      return { error: 'text position not found' };
    },
    { lineNumber, textOnLine },
  );
  if ('error' in target) throw new Error(`hoverAt: ${target.error}`);
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    // Come from outside the token so the editor sees a fresh mouse move onto it.
    await page.mouse.move(target.x, Math.max(0, target.y - 60));
    await page.mouse.move(target.x, target.y, { steps: 5 });
    try {
      await hover.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(5000, deadline - Date.now())) });
      await page.waitForFunction(
        () => {
          const d = (globalThis as unknown as PageGlobals).document;
          const el = d.querySelector('.monaco-hover:not(.hidden) .monaco-hover-content');
          const t = el === null ? '' : String(el.innerText).trim();
          return t !== '' && !/^Loading\.\.\.$/.test(t);
        },
        undefined,
        { timeout: Math.max(1, deadline - Date.now()) },
      );
      return (await hover.innerText()).trim();
    } catch (e) {
      if (Date.now() >= deadline || attempt >= 3) {
        throw new Error(`no hover appeared over ${JSON.stringify(textOnLine)} on line ${lineNumber}: ${(e as Error).message}`, { cause: e });
      }
    }
  }
}

/**
 * Hovers over `textOnLine` (see hoverAt) until the hover's text matches `pattern`, as a person
 * hovers again over something still being computed ("computing…"); returns that text.
 */
export async function hoverUntil(page: Page, lineNumber: number, textOnLine: string, pattern: RegExp, options: { timeoutMs?: number } = {}): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const text = await hoverAt(page, lineNumber, textOnLine, { timeoutMs: Math.max(5000, deadline - Date.now()) });
    if (pattern.test(text)) return text;
    if (Date.now() >= deadline) throw new Error(`the hover over ${JSON.stringify(textOnLine)} on line ${lineNumber} never matched ${String(pattern)}; it shows: ${text}`);
    await page.keyboard.press('Escape');
    await page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first().waitFor({ state: 'hidden' });
  }
}

/** Developer: Reload Window, and waits until the reloaded workbench shows. */
export async function reloadWindow(page: Page): Promise<void> {
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

// ---- notifications, screenshots, webviews ---------------------------------------------------

/**
 * Waits for a notification whose message contains `text` (or matches the RegExp), as a toast
 * or, if the toast is gone already, in the notification center; returns its message.
 */
export async function waitForNotification(page: Page, text: string | RegExp, options: { timeoutMs?: number } = {}): Promise<string> {
  const timeout = options.timeoutMs ?? 30_000;
  const message = page.locator('.notification-list-item-message', { hasText: text }).first();
  try {
    await message.waitFor({ state: 'visible', timeout });
    return (await message.innerText()).trim();
  } catch {
    // A toast hides itself after a while: look in the notification center too.
    await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    if (await message.isVisible()) return (await message.innerText()).trim();
    const shown = await page.locator('.notification-list-item-message').allInnerTexts();
    throw new Error(`no notification with ${String(text)} within ${timeout} ms; notifications: ${JSON.stringify(shown)}`);
  }
}

/** Saves a screenshot of the page as test-artifacts/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = resolve(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * The Frame of the webview panel whose title matches `title` (the page the extension put in
 * it). VS Code nests a webview in two iframes: an outer `iframe.webview` (VS Code's host page)
 * and, inside it, `iframe#active-frame`, which holds the content and carries the panel's title.
 * Activates the panel's editor tab first if it is in the background.
 */
export async function webviewFrame(page: Page, title: string | RegExp, options: { timeoutMs?: number } = {}): Promise<Frame> {
  const timeout = options.timeoutMs ?? 30_000;
  const matches = (t: string | null) => t !== null && (typeof title === 'string' ? t === title : title.test(t));
  const tab = page.locator('.tab', { has: page.locator('.label-name', { hasText: typeof title === 'string' ? exactly(title) : title }) }).first();
  if ((await tab.count()) > 0 && !(await tab.getAttribute('class'))?.split(/\s+/).includes('active')) await tab.click();

  const deadline = Date.now() + timeout;
  const seen = new Set<string>();
  /** The matching content frame, or null; frames may vanish mid-search (a reload, a panel closing). */
  const search = async (): Promise<Frame | null> => {
    for (const outer of await page.locator('iframe.webview').elementHandles()) {
      const host = await outer.contentFrame();
      if (host === null) continue;
      const inner = await host.$('iframe#active-frame');
      if (inner === null) continue;
      const t = await inner.getAttribute('title');
      if (t !== null) seen.add(t);
      if (!matches(t)) continue;
      const frame = await inner.contentFrame();
      if (frame === null) continue;
      await frame.waitForLoadState('domcontentloaded', { timeout: Math.max(1, deadline - Date.now()) });
      return frame;
    }
    return null;
  };
  for (;;) {
    const found = await search().catch((e: Error) => {
      if (/context was destroyed|detached|Target closed/i.test(e.message)) return null; // look again
      throw e;
    });
    if (found) return found;
    if (Date.now() >= deadline) {
      throw new Error(`no webview titled ${String(title)} within ${timeout} ms; webviews: ${JSON.stringify([...seen])}`);
    }
    // Webview iframes appear as the panel opens; there is no event for "a panel with this title".
    await page.waitForTimeout(200);
  }
}
