// `l2exp report --png DIR`: every chart of a written report as a PNG, through a headless
// Chromium driven by playwright-core when both are present (neither is needed otherwise).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/errors';

const CHROMIUM = process.env.L2EXP_CHROMIUM ?? '/usr/bin/chromium';

/** Opens `html` (a written report) and saves each chart card and the spectrum view's sections; returns the files. */
export async function reportPngs(html: string, dir: string): Promise<string[]> {
  if (!existsSync(CHROMIUM)) throw new InputError(`--png needs a Chromium at ${CHROMIUM} (set L2EXP_CHROMIUM to another); the HTML report was written without PNGs`);
  let chromium: typeof import('playwright-core').chromium;
  try {
    // Optional at run time (a development dependency): named through a variable so the bundle does not carry it.
    const name = 'playwright-core';
    ({ chromium } = (await import(name)) as typeof import('playwright-core'));
  } catch {
    throw new InputError('--png needs the npm package playwright-core (npm install playwright-core); the HTML report was written without PNGs');
  }
  mkdirSync(dir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    await page.goto(pathToFileURL(html).href);
    const sweep = page.frameLocator('iframe.sweep');
    const cards = sweep.locator('.card');
    await cards.first().waitFor();
    const written: string[] = [];
    for (let i = 0; i < (await cards.count()); i++) {
      const id = (await cards.nth(i).getAttribute('data-chart')) ?? `chart-${i}`;
      const file = join(dir, `${id}.png`);
      await cards.nth(i).screenshot({ path: file });
      written.push(file);
    }
    const spectrum = page.frameLocator('iframe.spectrum').locator('section.spectrum');
    if (await spectrum.count()) {
      const file = join(dir, 'spectrum.png');
      await spectrum.first().screenshot({ path: file });
      written.push(file);
    }
    return written;
  } finally {
    await browser.close();
  }
}
