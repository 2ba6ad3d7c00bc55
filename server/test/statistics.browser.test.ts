import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { GOLDEN, liftTopic, type AlertView, type RescueCallView } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { consoleBrowser, ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, terminalsPerLift } from './helpers.js';

// The regulator's statistics screen in a real browser (Debian chromium), in Chinese and in English on a
// phone: this month's failures per 1,000 lifts without the false alarm, the correlated incident, the rescue
// late on site, what is overdue and silent now; every count opens its list; the chart (ECharts) draws under
// the console's style policy; CSV and the printable report; the rescue-line calls with their stages.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const browser = consoleBrowser();
const liftTerminals = terminalsPerLift(() => lw);
const PASSWORD = 'statistics password 1';
const MIN = 60_000;
const PHONE = { width: 390, height: 844 };
const MONTH = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
/** Every Content-Security-Policy refusal a page reported. */
const refusals: string[] = [];

async function as(user: string, lang: 'zh-CN' | 'en', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.page({ viewport, lang });
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refusals.push(m.text()); });
  await logIn(page, lw.httpUrl, user, PASSWORD);
  return page;
}
const send = async (method: string, path: string, body: unknown) => {
  const res = await lw.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};
const fault = async (liftId: string, code: string) => (await liftTerminals.of(liftId)).publishAsync(liftTopic(liftId, 'fault'),
  JSON.stringify({ ...GOLDEN.fault, liftId, seq: 1, ts: Date.now(), code, passengersPresent: false, detail: `test ${code}` }), { qos: 1 });
const alertOf = (liftId: string, code: string) => waitFor(`${code} on ${liftId}`, async () => (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=${liftId}`)).alerts.find((a) => a.code === code));
/** The cells of this month's row of the table. */
const monthRow = (page: Page) => page.locator(`#stat-months tr[data-month="${MONTH}"] td`).allTextContents();

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch({ models: false });
  for (const [id, kind] of [['mu-S', 'maintenanceUnit'], ['uu-S', 'useUnit'], ['d-S', 'district']] as const) await send('PUT', `/api/organisations/${id}`, { kind, name: id });
  for (const [id, role, orgId] of [['reg-S', 'regulator', 'd-S'], ['tech-S', 'crew', 'mu-S']]) await send('PUT', `/api/users/${id}`, { name: id, role, orgId, password: PASSWORD });
  const lifts = ['ST-1', 'ST-2', 'ST-3', 'ST-4', 'ST-5'];
  await send('POST', '/api/lift-registry', { entries: lifts.map((liftId, i) => ({ liftId, registrationCode: `3110330106201200010${i}`, maintenanceUnit: 'mu-S', useUnit: 'uu-S', areaCode: '330106' })) });
  for (const liftId of lifts) await send('PUT', `/api/crew-lifts/${liftId}`, { maintenanceUnit: 'mu-S', useUnit: 'uu-S', district: 'd-S' });
  // Three lifts of one estate stop together (one correlated incident); ST-4's door alarm is a false alarm; ST-5 has no terminal.
  for (const liftId of ['ST-1', 'ST-2', 'ST-3']) await fault(liftId, 'E09');
  await fault('ST-4', 'E07');
  const falseAlarm = await alertOf('ST-4', 'E07');
  await send('POST', `/api/alerts/${falseAlarm.id}/false-alarm`, { note: 'a trolley in the door', finding: { outcome: 'false-alarm' } });
  for (const liftId of ['ST-1', 'ST-2', 'ST-3']) await alertOf(liftId, 'E09');
  // A 96333 call 50 minutes ago: dispatched at once, on site after 40 minutes (over the 30-minute limit), released after 45.
  const now = Date.now();
  const { call } = await send('POST', '/api/rescue-calls', { liftId: 'ST-4', receivedAt: now - 50 * MIN, externalId: 'C-1', note: '3 楼，2 人' }) as { call: RescueCallView };
  for (const [stage, at] of [['dispatched', now - 49 * MIN], ['onSite', now - 10 * MIN], ['released', now - 5 * MIN]] as const) await send('POST', `/api/rescue-calls/${call.id}/stages`, { stage, at });
  // Maintenance overdue on ST-1 (a plan of 30 days without a visit), an inspection overdue on ST-2.
  await send('PUT', '/api/maintenance-plans/ST-1', { startsAt: now - 30 * 24 * 60 * MIN });
  await send('POST', '/api/lift-registry/ST-2/inspections', { inspectedOn: '2024-01-10', result: 'pass', nextDue: '2025-01-10' });
  await browser.launch();
});
afterAll(async () => {
  await browser.close();
  await liftTerminals.end();
  await lw?.stop();
});

describe('the regulator\'s statistics screen', () => {
  it('in Chinese: this month without the false alarm, its lists, the view by district and area, what is overdue now, CSV and the printable report', async () => {
    const page = await as('reg-S', 'zh-CN');
    await page.locator('#nav-statistics', { hasText: '监管统计' }).click();
    await page.locator('#stat-chart[data-drawn="1"]').waitFor();
    await expect(page.locator('#stat-chart canvas').count()).resolves.toBeGreaterThan(0);
    // Month, lifts, failures, per 1,000, last year, change, false alarms, no fault found, unconfirmed, incidents, entrapments, late on site.
    // Failures: 3 × E09 and the entrapment (4); the E07 false alarm is not one: 4 / 5 lifts = 800 per 1,000.
    await expect(monthRow(page)).resolves.toEqual([MONTH, '5', '4', '800', '–', '–', '1', '0', '4', '1', '1', '1']);
    await expect(page.locator('#stat-rescue tr[data-stage="arrival"] td').allTextContents()).resolves.toEqual(['到场', '1', '40', '40']);
    await expect(page.locator('#stat-now [data-now] b').allTextContents()).resolves.toEqual(['5', '0', '1', '1', '1']);
    await page.screenshot({ path: `${SCREENSHOTS}/statistics-zh.png`, fullPage: true });

    await page.locator(`#stat-months tr[data-month="${MONTH}"] a[data-list="incidents"]`).click();
    await page.locator('#stat-list[data-list="incidents"]').waitFor();
    await expect(page.locator('#stat-list tbody td').nth(0).textContent()).resolves.toBe('uu-S');
    await expect(page.locator('#stat-list tbody td').nth(3).textContent()).resolves.toBe('ST-1 ST-2 ST-3 ST-4 '); // the entrapment in the same estate at the same time too
    await page.screenshot({ path: `${SCREENSHOTS}/statistics-incidents-zh.png`, fullPage: true });
    await page.goBack();
    await page.locator(`#stat-months tr[data-month="${MONTH}"] a[data-list="falseAlarms"]`).click();
    await page.locator('#stat-list[data-list="falseAlarms"]').waitFor(); // each list is drawn when its answer comes
    await expect(page.locator('#stat-list tbody td').allTextContents()).resolves.toEqual([expect.stringMatching(/^#\d+$/), 'ST-4', 'P2 E07', expect.any(String), '误报', '误报']);
    await page.goBack();
    await page.locator('#stat-over-limit').click();
    await page.locator('#stat-list-total', { hasText: '1' }).waitFor();
    await expect(page.locator('#stat-list-total').textContent()).resolves.toBe('1');
    await page.goBack();
    for (const [now, lift] of [['overdueMaintenance', 'ST-1'], ['overdueInspections', 'ST-2'], ['noTerminal', 'ST-5']] as const) {
      await page.locator(`#stat-now a[data-now="${now}"]`).click();
      await page.locator('#stat-list tbody tr td:first-child', { hasText: lift }).first().waitFor();
      await expect(page.locator('#stat-list tbody tr td:first-child').allTextContents()).resolves.toEqual([lift]);
      await page.goBack();
    }

    await page.locator('#stat-view input[name=district]').fill('d-S');
    await page.locator('#stat-view button').click();
    await page.locator('#stat-scope', { hasText: '监管辖区 d-S' }).waitFor();
    await expect(monthRow(page)).resolves.toEqual([MONTH, '5', '4', '800', '–', '–', '1', '0', '4', '1', '1', '1']);
    await page.locator('#stat-view input[name=district]').fill('');
    await page.locator('#stat-view input[name=areaCode]').fill('330108');
    await page.locator('#stat-view button').click();
    await page.locator('#stat-scope', { hasText: '区划代码 330108' }).waitFor();
    await expect(monthRow(page)).resolves.toEqual([MONTH, '0', '0', '–', '–', '–', '0', '0', '0', '0', '0', '0']);

    const csv = await page.locator('#stat-csv').getAttribute('href');
    expect(csv).toBe('/api/statistics/monthly.csv?areaCode=330108');
    expect(await (await lw.fetch('/api/statistics/monthly.csv')).text()).toContain(`\n${MONTH},5,4,800,`);
    const report = await page.locator('#stat-report').getAttribute('href');
    expect(report).toBe(`/api/reports/${MONTH}?areaCode=330108&lang=zh-CN`);
    await page.goto(`${lw.httpUrl}/api/reports/${MONTH}?lang=zh-CN`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`电梯安全运行月报 ${MONTH}`);
    await page.screenshot({ path: `${SCREENSHOTS}/statistics-report-zh.png`, fullPage: true });
    expect(refusals).toEqual([]);
  });

  it('in English on a phone: the chart and the figures; the rescue-line calls with their stages against the 30-minute rule, and a crew records the next stage', async () => {
    const page = await as('reg-S', 'en', PHONE);
    await page.goto(`${lw.httpUrl}/#/statistics`);
    await page.locator('#stat-chart[data-drawn="1"]').waitFor();
    await expect(page.locator('#stat-rescue h3').textContent()).resolves.toBe(`Rescue times in ${MONTH} (minutes from the alarm)`);
    await expect(page.locator('#stat-now a[data-now="overdueInspections"] span').textContent()).resolves.toBe('Inspection overdue');
    await page.screenshot({ path: `${SCREENSHOTS}/statistics-phone-en.png`, fullPage: true });
    await page.locator('#stat-rescue a', { hasText: 'Rescue-line calls' }).click();
    const late = page.locator('#rescue-calls tr.over');
    await late.waitFor();
    await expect(late.locator('li[data-rule="arrival"]').textContent()).resolves.toBe('✗ Arrival limit: On site ≤ 30 min → 40 min');
    await expect(late.locator('button.stage').count()).resolves.toBe(0); // a regulator reads; the rescue is over anyway

    const { call } = await send('POST', '/api/rescue-calls', { liftId: 'ST-3', externalId: 'C-2', note: 'lift stuck at 5F' }) as { call: RescueCallView };
    const tech = await as('tech-S', 'en', PHONE);
    await tech.goto(`${lw.httpUrl}/#/rescue-calls`);
    const open = tech.locator(`#rescue-calls tr[data-call-id="${call.id}"]`);
    await open.locator('button.stage', { hasText: 'Record dispatched' }).click();
    await open.locator('button.stage', { hasText: 'Record on site' }).waitFor();
    await expect(open.locator('li[data-rule="arrival"]').textContent()).resolves.toBe('… Arrival limit: On site ≤ 30 min → –');
    await tech.screenshot({ path: `${SCREENSHOTS}/rescue-calls-phone-en.png`, fullPage: true });
    expect((await lw.get<RescueCallView>(`/api/rescue-calls/${call.id}`)).stages.dispatchedAt).toEqual(expect.any(Number));
    expect(refusals).toEqual([]);
  });
});
