import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { launchChromium } from '@liftwatch/test-kit/browser';
import { ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, TEST_ADMIN_PASSWORD, terminal } from './helpers.js';

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let browser: Browser;
let page: Page;
let client: MqttClient;

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch();
  client = await terminal(lw, 'WEB-1');
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await client?.endAsync();
  await lw?.stop();
});

describe('the live page in a real browser', () => {
  it('shows a lift and its P1 alert as they arrive, without a reload', async () => {
    await logIn(page, lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD);
    await expect(page.locator('#no-lifts').isVisible()).resolves.toBe(true);
    let loads = 0;
    page.on('load', () => loads++);

    const ts = Date.now();
    await client.publishAsync(liftTopic('WEB-1', 'status'), JSON.stringify({ ...GOLDEN.status, liftId: 'WEB-1', seq: 1, ts, floor: 4, speedMps: 0, direction: 'none', doorZone: true }), { qos: 1 });
    const row = page.locator('#lifts tbody tr[data-lift-id="WEB-1"]');
    await row.waitFor({ timeout: 15_000 });
    await expect(row.locator('td.floor').textContent()).resolves.toBe('4');

    await client.publishAsync(liftTopic('WEB-1', 'status'), JSON.stringify({ ...GOLDEN.status, liftId: 'WEB-1', seq: 2, ts: ts + 1000, floor: 4, speedMps: 0.5, direction: 'up', doorZone: false, carDoor: 'open' }), { qos: 1 });
    const alert = page.locator('#alerts tbody tr.sev-P1');
    await alert.waitFor({ timeout: 15_000 });
    await expect(alert.textContent()).resolves.toMatch(/WEB-1.*E02 开门走车.*轿厢以 0\.5 m\/s 运行时轿门开启/); // the page's language (Chinese by default)
    await expect(page.locator('#count-p1').textContent()).resolves.toBe('1');
    await row.locator('td.motion', { hasText: '↑ 0.50 m/s' }).waitFor({ timeout: 15_000 }); // lift rows follow within the feed interval
    expect(loads).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/live-page-admin.png`, fullPage: true });
  });
});
