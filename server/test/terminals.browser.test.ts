import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GOLDEN, liftTopic, type TerminalCommandView, type TerminalConfigView } from '@liftwatch/contract';
import { createEdgeAgent, createSimSource, type EdgeAgent } from '@liftwatch/edge-agent';
import { launchChromium } from '@liftwatch/test-kit/browser';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { credentials, startTestLiftwatch, terminalsPerLift } from './helpers.js';

// The terminals page in Chinese and in English: the fleet's health counts open their lists, a
// terminal's refusal shows with its reason, and a crew pushes configs and commands to its own lifts.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let browser: Browser;
let agent: EdgeAgent;
const spoolDir = tempDir();
const liftTerminals = terminalsPerLift(() => lw);
const PASSWORD = 'terminals password 1';
const contexts: BrowserContext[] = [];

async function as(user: string, lang: 'zh-CN' | 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, lw.httpUrl, user, PASSWORD);
  await page.locator('#lang').selectOption(lang);
  return page;
}
const send = async (method: 'PUT' | 'POST', path: string, body: unknown) => {
  const res = await lw.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
};
const configOf = async (liftId: string) => lw.get<{ config: TerminalConfigView | null; commands: TerminalCommandView[] }>(`/api/lifts/${liftId}/terminal-config`);

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch({ models: false });
  for (const [id, kind] of [['mu-A', 'maintenanceUnit'], ['mu-B', 'maintenanceUnit']] as const) await send('PUT', `/api/organisations/${id}`, { kind, name: id });
  for (const [liftId, unit] of [['TB-1', 'mu-A'], ['TB-2', 'mu-A'], ['TB-3', 'mu-A'], ['TB-9', 'mu-B']]) await send('PUT', `/api/crew-lifts/${liftId}`, { maintenanceUnit: unit });
  await send('PUT', '/api/users/crewA', { name: 'crewA', role: 'crew', orgId: 'mu-A', password: PASSWORD });
  const { username, password } = await credentials(lw, 'TB-1');
  agent = createEdgeAgent({ brokerUrl: lw.mqttUrl, liftId: 'TB-1', spoolPath: `${spoolDir.path}/TB-1.db`, username, password, reconnectPeriodMs: 200 },
    { source: createSimSource({ liftId: 'TB-1', seed: 5, speed: 60 }) });
  agent.start();
  // TB-2 sent one status and went away; TB-3's terminal is far behind: a deep spool and a clock 9 s ahead.
  await (await liftTerminals.of('TB-2')).publishAsync(liftTopic('TB-2', 'status'), JSON.stringify({ ...GOLDEN.status, liftId: 'TB-2', seq: 1, ts: Date.now() }), { qos: 1 });
  await (await liftTerminals.of('TB-3')).publishAsync(liftTopic('TB-3', 'device'), JSON.stringify({ ...GOLDEN.device, liftId: 'TB-3', seq: 1, ts: Date.now(), fwVersion: 'kit-2.1', bufferBacklog: 5_000, clockOffsetMs: 9_000 }), { qos: 1 });
  await waitFor('TB-1 to send records', async () => ((await lw.get<{ recordsTotal: number }>('/api/lifts/TB-1').catch(() => undefined))?.recordsTotal ?? 0) > 0);
  await send('POST', '/api/terminal-config', { target: { liftIds: ['TB-1', 'TB-2'] }, settings: { deviceS: 60 } });
  await waitFor('TB-1 to acknowledge', async () => (await configOf('TB-1')).config?.state === 'acknowledged');
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await agent?.close(500);
  await liftTerminals.end();
  await lw?.stop();
  spoolDir.remove();
});

describe('the terminals page in a real browser (Debian chromium)', () => {
  it('in Chinese: counts open their lists, a pushed config the terminal refuses shows its reason', async () => {
    const page = await as('crewA', 'zh-CN');
    await page.goto(`${lw.httpUrl}/#/terminals`);
    await page.locator('#tc-terminals').waitFor();
    await expect(page.locator('h2').first().textContent()).resolves.toBe('终端');
    await expect(page.locator('#tc-count-behind b').textContent()).resolves.toBe('1');
    await expect(page.locator('#tc-count-misconfigured b').textContent()).resolves.toBe('1');
    await expect(page.locator('#tc-unacknowledged li').textContent()).resolves.toMatch(/^TB-2 v1 · 待确认 · 下发于 /);

    await page.locator('#tc-count-behind').click();
    await page.locator('#tc-count-behind.chosen').waitFor();
    await expect(page.locator('#tc-terminals tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { liftId: string } }).dataset.liftId))).resolves.toEqual(['TB-3']);
    await expect(page.locator('#tc-terminals tbody tr td').nth(1).textContent()).resolves.toBe('kit-2.1');

    const form = page.locator('#tc-push');
    await form.locator('[name=target]').fill('TB-1');
    await form.locator('[name=statusMovingS]').fill('0.1');
    await form.locator('button[type=submit]').click();
    await expect(page.locator('#tc-push-result.done').textContent()).resolves.toBe('已下发: TB-1 v2');
    await waitFor('TB-1 to refuse config 2', async () => (await configOf('TB-1')).config?.state === 'rejected');
    await page.locator('#tc-count-misconfigured').click();
    const row = page.locator('#tc-terminals tr[data-lift-id="TB-1"]');
    await row.waitFor();
    await expect(row.locator('td.config').textContent()).resolves.toBe('v2 / v1 · 被拒绝statusMovingS 0.1 s is shorter than this terminal reads the lift (every 0.25 s): give at least 0.25');
    await expect(row.locator('td.problems').textContent()).resolves.toBe('配置未生效');
    await page.screenshot({ path: `${SCREENSHOTS}/terminals-zh.png`, fullPage: true });
  });

  it('in English: a self-test is sent and answered; another unit\'s lift is refused with the server\'s message', async () => {
    const page = await as('crewA', 'en');
    await page.goto(`${lw.httpUrl}/#/terminals`);
    await page.locator('#tc-terminals').waitFor();
    await expect(page.locator('#tc-terminals thead th').allTextContents()).resolves.toEqual(['Lift', 'Firmware', 'Link round trip', 'Connections lost', 'Spool depth', 'Clock offset', 'Last record', 'Config (desired / acknowledged)', 'Problems']);
    await expect(page.locator('#tc-terminals tbody tr').count()).resolves.toBe(3); // TB-9 is unit B's

    const form = page.locator('#tc-command');
    await form.locator('[name=target]').fill('TB-1');
    await form.locator('[name=cmd]').selectOption('selfTest');
    await expect(form.locator('.hint').textContent()).resolves.toBe('EN 81-28 asks for a remote check of the alarm device at least every 3 days.');
    await form.locator('button[type=submit]').click();
    await expect(page.locator('#tc-cmd-result.done').textContent()).resolves.toBe('Sent: TB-1');
    await waitFor('the self-test result', async () => (await configOf('TB-1')).commands.some((c) => c.cmd === 'selfTest' && c.ok === true));

    await form.locator('[name=target]').fill('TB-9');
    await form.locator('button[type=submit]').click();
    await expect(page.locator('#tc-cmd-result.error').textContent()).resolves.toBe('lift "TB-9" does not exist or is not in your scope');
    await page.screenshot({ path: `${SCREENSHOTS}/terminals-en.png`, fullPage: true });
  });
});
