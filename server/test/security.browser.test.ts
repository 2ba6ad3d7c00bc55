import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { launchChromium } from '@liftwatch/test-kit/browser';
import { makeConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';
import { ensureConsoleBuilt, SCREENSHOTS } from './browser-helpers.js';
import { terminal } from './helpers.js';

// The console under its Content-Security-Policy: the first admin's forced password change, the pages, /docs; and no other page can frame it.
// The tests run in order in one browser context: the first logs in (its cookie serves the next two).
const dir = tempDir();
let lw: Running;
let oneTime = '';
let browser: Browser;
let context: BrowserContext;
let client: MqttClient;
let framer: Server;
/** Every Content-Security-Policy refusal any page of the context reported. */
const refusals: string[] = [];
const NEW_PASSWORD = 'copper meadow lantern 9';

async function page(): Promise<Page> {
  const p = await context.newPage();
  p.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refusals.push(`${p.url()}: ${m.text()}`); });
  return p;
}

beforeAll(async () => {
  await ensureConsoleBuilt();
  const told: string[] = [];
  lw = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, models: false }), () => {}, { tell: (t) => told.push(t) });
  oneTime = /^ {6}(\S+)$/m.exec(told.join(''))![1]!;
  client = await terminal(lw, 'SEC-1');
  const ts = Date.now();
  await client.publishAsync(liftTopic('SEC-1', 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId: 'SEC-1', seq: 1, ts, areaCode: '330106' }), { qos: 1 });
  await client.publishAsync(liftTopic('SEC-1', 'status'), JSON.stringify({ ...GOLDEN.status, liftId: 'SEC-1', seq: 2, ts }), { qos: 1 });
  // A page of another origin (another port) that frames the console.
  framer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' })
    .end(`<!doctype html><title>other site</title><iframe id="f" src="${lw.httpUrl}/" onload="this.dataset.loaded='1'" width="800" height="600"></iframe>`));
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await client?.endAsync();
  await new Promise((resolve) => framer?.close(resolve));
  await lw?.close();
  dir.remove();
});

describe('the console under its security headers (Debian chromium)', () => {
  it('makes the first admin replace the one-time password before anything else', async () => {
    const p = await page();
    await p.goto(lw.httpUrl);
    await p.locator('#username').fill('admin');
    await p.locator('#password').fill(`${oneTime}x`);
    await p.locator('#login button[type=submit]').click();
    // in Chinese (the default): the error code's summary, then the server's own words
    await p.locator('#login-error', { hasText: '用户名或密码错误' }).waitFor({ timeout: 10_000 });
    await expect(p.locator('#login-error').textContent()).resolves.toContain('user name or password is wrong');
    await p.locator('#password').fill(oneTime);
    await p.locator('#login button[type=submit]').click();
    await p.locator('#change-password #pw-forced').waitFor({ timeout: 10_000 });
    await expect(p.locator('#nav').isHidden()).resolves.toBe(true);
    await expect(p.locator('#feed').getAttribute('data-live')).resolves.toBeNull(); // no live feed yet
    const fill = async (current: string, next: string, again = next) => {
      await p.locator('#current-password').fill(current);
      await p.locator('#new-password').fill(next);
      await p.locator('#new-password-2').fill(again);
      await p.locator('#change-password button[type=submit]').click();
    };
    await fill(oneTime, NEW_PASSWORD, 'something else entirely');
    await expect(p.locator('#pw-error').textContent()).resolves.toBe('两次输入的新密码不一致。');
    await fill(oneTime, '1234567890');
    await p.locator('#pw-error', { hasText: 'too easy to guess' }).waitFor();
    await expect(p.locator('#pw-error').textContent()).resolves.toMatch(/^新密码太容易被猜到。（/);
    await p.screenshot({ path: `${SCREENSHOTS}/change-password-forced.png`, fullPage: true });
    await fill(oneTime, NEW_PASSWORD);
    await p.locator('#feed[data-live="1"]').waitFor({ timeout: 10_000 });
    await p.locator('#lifts tbody tr[data-lift-id="SEC-1"]').waitFor({ timeout: 10_000 });
    await expect(p.locator('#change-password-link').isVisible()).resolves.toBe(true);
  });

  it('works page by page with no Content-Security-Policy refusal: inbox, lift, district, /docs', async () => {
    const p = await page();
    await p.goto(`${lw.httpUrl}/#/lift/SEC-1`);
    await p.locator('body[data-page="lift"] #registered-area').waitFor({ timeout: 10_000 });
    await expect(p.locator('#registered-area').textContent()).resolves.toBe('未登记'); // the terminal's code is only shown as reported
    await expect(p.locator('#reported-area').textContent()).resolves.toBe('330106');
    const put = await p.evaluate(() => fetch('/api/lift-registry/SEC-1', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: '330108' }) }).then((r) => r.status));
    expect(put).toBe(200);
    await p.reload();
    await p.locator('#registered-area', { hasText: '330108' }).waitFor({ timeout: 10_000 });
    await p.goto(`${lw.httpUrl}/#/district?area=330108`);
    await p.locator('body[data-page="district"] #d-lifts b', { hasText: '1' }).waitFor({ timeout: 10_000 });
    await p.goto(`${lw.httpUrl}/docs`);
    await p.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
    await p.locator('.opblock-summary-path', { hasText: '/api/lift-registry/{liftId}' }).first().waitFor();
    await p.screenshot({ path: `${SCREENSHOTS}/docs.png` });
    expect(refusals).toEqual([]);
  });

  it('cannot be framed by a page on another port, logged in or not', async () => {
    const p = await page();
    const framed: string[] = [];
    p.on('console', (m) => framed.push(m.text()));
    await p.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
    await p.locator('#f[data-loaded="1"]').waitFor({ timeout: 10_000 });
    const frame = p.frames().find((f) => f !== p.mainFrame())!;
    await expect(frame.locator('#view').count()).resolves.toBe(0); // the console did not load in it
    expect(framed.join('\n')).toMatch(/Framing '.*' violates the following Content Security Policy directive: "frame-ancestors 'none'"\. The request has been blocked/);
    await p.screenshot({ path: `${SCREENSHOTS}/framed-refused.png` });
  });
});
