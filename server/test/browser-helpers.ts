import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '@liftwatch/test-kit/browser';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots of each page, kept after the run (.test-output is ignored by git). */
export const SCREENSHOTS = `${ROOT}.test-output/screenshots`;

/** The newest change under a folder, ms. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) t = Math.max(t, e.isDirectory() ? newest(`${dir}/${e.name}`) : statSync(`${dir}/${e.name}`).mtimeMs);
  return t;
}

/** Builds the console with Vite if `npm test` has not (running the browser project alone), or if its sources changed since. */
export async function ensureConsoleBuilt(): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const built = `${ROOT}dashboards/dist/console/index.html`;
  if (existsSync(built) && statSync(built).mtimeMs >= newest(`${ROOT}dashboards/console`)) return;
  const { build } = await import('vite');
  await build({ configFile: `${ROOT}dashboards/vite.config.js` });
}

/** Logs in through the console's form and waits for the live feed. */
export async function logIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(url);
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#feed[data-live="1"]').waitFor({ timeout: 10_000 });
  await page.locator('body[data-page]').waitFor({ timeout: 10_000 });
}

/**
 * The test's browser (Debian chromium) and every context a test opens in it, one per user, language or
 * screen size; `close()` closes them all and the browser.
 */
export function consoleBrowser() {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  return {
    async launch(): Promise<void> { browser = await launchChromium(); },
    /** A page in a context of its own; with `lang` the console starts in that language. */
    async page(options: BrowserContextOptions & { lang?: 'zh-CN' | 'en' } = {}): Promise<Page> {
      if (browser === undefined) throw new Error('consoleBrowser: launch() first');
      const { lang, ...contextOptions } = options;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
      contexts.push(context);
      if (lang !== undefined) await context.addInitScript(`localStorage.setItem('lw.lang', ${JSON.stringify(lang)})`);
      return context.newPage();
    },
    async close(): Promise<void> {
      for (const c of contexts.splice(0)) await c.close();
      await browser?.close();
    },
  };
}
