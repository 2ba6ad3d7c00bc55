import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { GOLDEN, liftTopic, type Person } from '@liftwatch/contract';
import { launchChromium } from '@liftwatch/test-kit/browser';
import { ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, TEST_ADMIN_PASSWORD, terminal } from './helpers.js';

// The inbox says, beside each alert, who was notified (when, how, outcome) and who is next and when;
// a P1 that reached no crew is put in front of the admins, who got it in the console.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let browser: Browser;
let onCall: Array<Person & { role: string }>;

const alarm = async (liftId: string, terminalId?: string) => {
  const c = await terminal(lw, liftId, terminalId);
  await c.publishAsync(liftTopic(liftId, 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId, seq: 1, ts: Date.now() }), { qos: 1 });
  await c.endAsync();
};

beforeAll(async () => {
  await ensureConsoleBuilt();
  // The simulated fleet's crews are on call; its own P1 events are off, the test raises them.
  lw = await startTestLiftwatch({ simulate: 2, simulateP1PerMinute: 0, models: false });
  onCall = (await lw.get<{ people: Array<Person & { role: string }> }>('/api/on-call/SIM-0001')).people;
  await alarm('SIM-0001', 'T-SIM-0001-test'); // beside the simulated terminal, which keeps its connection
  await alarm('NOCREW-1'); // a lift of no maintenance unit
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await lw?.stop();
});

describe('the inbox in a real browser (Debian chromium)', () => {
  it('shows who was notified and who is next, and puts a P1 that reached no crew in front of the admins', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
    const page = await context.newPage();
    await logIn(page, lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD);
    await page.locator('#lang').selectOption('en');
    const primary = onCall.find((p) => p.role === 'primary')!;
    const backup = onCall.find((p) => p.role === 'backup')!;

    const sim = page.locator('#alerts tbody tr', { hasText: 'SIM-0001' });
    const sent = sim.locator('td.escalation li[data-outcome="sent"]');
    await sent.waitFor({ timeout: 15_000 });
    await expect(sent.textContent()).resolves.toMatch(new RegExp(`^${primary.name} · console · [^·]+ · sent$`));
    const next = sim.locator('td.escalation .next-step');
    await expect(next.textContent()).resolves.toMatch(new RegExp(`^Next [^:]+:\\d\\d:\\d\\d( [AP]M)?: ${backup.name} \\(backup\\), .+ \\(supervisor\\)$`));
    await expect(page.locator('#alerts thead').textContent()).resolves.toContain('Notified / next');
    // its terminal's session as the live feed reports it (the simulated terminal may connect after the page loaded)
    await page.locator('#lifts tbody tr', { hasText: 'SIM-0001' }).locator('td').nth(1).filter({ hasText: /^online$/ }).waitFor({ timeout: 15_000 });

    const nocrew = page.locator('#alerts tbody tr', { hasText: 'NOCREW-1' });
    await nocrew.locator('td.escalation li[data-fallback="1"][data-outcome="sent"]', { hasText: 'Administrator · console' }).waitFor({ timeout: 15_000 });
    await expect(nocrew.locator('td.escalation .next-step').textContent()).resolves.toContain('(nobody reachable: the admins)');
    const notice = page.locator('#fallback-notices');
    await expect(notice.textContent()).resolves.toContain('A P1 reached no crew; the admins were notified in the console:');
    await expect(notice.textContent()).resolves.toContain('NOCREW-1');
    await expect(notice.textContent()).resolves.not.toContain('SIM-0001');
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-escalation-en.png`, fullPage: true });

    await page.locator('#lang').selectOption('zh-CN');
    await expect(sim.locator('td.escalation .next-step').textContent()).resolves.toMatch(new RegExp(`^下一步 [^:]+:\\d\\d:\\d\\d: ${backup.name} \\(副值班\\), .+ \\(主管\\)$`));
    // what the terminals report, in the page's language: presence, service mode, car door
    const simLift = page.locator('#lifts tbody tr', { hasText: 'SIM-0001' });
    await expect(simLift.locator('td').nth(1).textContent()).resolves.toBe('在线');
    await simLift.locator('td').nth(2).filter({ hasText: /^(正常|检修|停止服务)$/ }).waitFor({ timeout: 20_000 }); // its first status
    await expect(simLift.locator('td').nth(5).textContent()).resolves.toMatch(/^(关闭|锁闭|开门中|打开|关门中)(（门区外）)?$/);
    await expect(sim.locator('td.escalation li[data-outcome="sent"]').textContent()).resolves.toContain('已送达');
    await expect(page.locator('#fallback-notices').textContent()).resolves.toContain('已在控制台通知管理员');
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-escalation-zh.png`, fullPage: true });
    await context.close();
  });
});
