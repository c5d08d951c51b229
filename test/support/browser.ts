import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../scripts/lib/venv.js';

/**
 * Debian's Chromium, driven headless by playwright-core: nothing downloads a browser. Tests may skip
 * when it is missing only outside CI (`.ci/run` installs it).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const skipWithoutChromium = !existsSync(CHROMIUM) && !process.env.CI;
if (skipWithoutChromium) console.error(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Uncaught errors of the page's scripts, collected as they happen: a test ends by expecting none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  return errors;
}

const ARTIFACTS = join(PROJECT_ROOT, '.conductor', 'artifacts', 'console');
const DOCS = join(PROJECT_ROOT, 'docs');

/**
 * Keeps a screenshot as a test artifact (.conductor/artifacts/console/NAME.png); with
 * UPDATE_DOCS_SCREENSHOTS=1 (`npm run docs:screenshots`) also as the README's docs/console-NAME.png,
 * which is never committed.
 */
export async function keepScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const shot = await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: options.fullPage ?? true });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, `console-${name}.png`), fullPage: options.fullPage ?? true });
  }
  if (shot.length === 0) throw new Error(`screenshot ${name} is empty`);
}
