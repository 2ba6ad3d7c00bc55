import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { GOLDEN, liftTopic, type AlertView } from '@liftwatch/contract';
import { launchChromium } from '@liftwatch/test-kit/browser';
import { ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, TEST_ADMIN_PASSWORD, terminalsPerLift } from './helpers.js';

// The console shows times in the server's time zone, not the browser's: a browser in New York
// (12 or 13 hours behind) reads an alert's opening time as it is in Shanghai, with the zone named once.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let browser: Browser;
const liftTerminals = terminalsPerLift(() => lw);
let alert: AlertView;

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch({ timeZone: 'Asia/Shanghai' });
  const client = await liftTerminals.of('TZ-1');
  await client.publishAsync(liftTopic('TZ-1', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'TZ-1', seq: 1, ts: Date.now() }), { qos: 1 });
  alert = (await lw.get<{ alerts: AlertView[] }>('/api/alerts?liftId=TZ-1')).alerts[0]!;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await liftTerminals.end();
  await lw?.stop();
});

/** Spaces as ICU writes them (a narrow no-break space before AM/PM) made plain. */
const plain = (s: string | null) => (s ?? '').replace(/[\s\u202f]+/g, ' ');

describe('the console\'s time zone', () => {
  it.each([['zh-CN', '时间均为'], ['en', 'Times in']])('shows an alert\'s opening in Asia/Shanghai to a browser in America/New_York (%s)', async (lang, words) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'America/New_York', locale: lang });
    const page = await context.newPage();
    await logIn(page, lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD);
    await page.locator('#lang').selectOption(lang);
    await page.goto(`${lw.httpUrl}/#/alert/${alert.id}`);
    const opened = page.locator('#audit li[data-action="opened"]');
    await opened.waitFor({ timeout: 10_000 });
    const shanghai = new Date(alert.openedAt).toLocaleString(lang, { timeZone: 'Asia/Shanghai' });
    const newYork = new Date(alert.openedAt).toLocaleString(lang, { timeZone: 'America/New_York' });
    expect(plain(await opened.textContent())).toContain(plain(shanghai));
    expect(plain(await opened.textContent())).not.toContain(plain(newYork));
    await expect(page.locator('#zone').textContent()).resolves.toBe(`${words} Asia/Shanghai`);
    await expect(page.locator('#zone').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/time-zone-${lang}.png` });
    await context.close();
  });
});
