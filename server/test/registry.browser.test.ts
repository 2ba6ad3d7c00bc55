import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { GOLDEN, liftTopic, type AlertDetail, type AlertView, type LiftProfile, type WorkOrder } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { consoleBrowser, ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, terminalsPerLift } from './helpers.js';

// The registry and maintenance screens in a real browser (Debian chromium): an admin imports a CSV and sees
// every line at fault, finds a lift, types its registration code (checked as typed), records an inspection
// and sets a plan (Chinese); a manager opens the overdue lists and makes a work order (English); a technician
// on a phone checks in, ticks the checklist, adds a photo and signs off; an alert becomes a repair work order.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const browser = consoleBrowser();
const liftTerminals = terminalsPerLift(() => lw);
const PASSWORD = 'registry password 1';
const DAY = 86_400_000;
const PHONE = { width: 390, height: 844 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const CSV = (code3: string) => `liftId,registrationCode,name,maintenanceUnit,address,areaCode,type,floors\n`
  + `BR-1,31103301062012000001,1号楼 1号梯,mu-1,西湖路 1 号,330106,traction,12\n`
  + `BR-2,31103301062012000002,1号楼 2号梯,mu-1,西湖路 1 号,330106,traction,12\n`
  + `BR-3,${code3},2号楼 扶梯,mu-1,西湖路 2 号,330106,escalator,\n`;

async function as(user: string, lang: 'zh-CN' | 'en', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.page({ viewport, lang });
  await logIn(page, lw.httpUrl, user, user === 'admin' ? 'test-admin-password' : PASSWORD);
  return page;
}
const put = async (path: string, body: unknown) => {
  const res = await lw.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
};
/** The page's text has no "undefined", "null" or a word key left untranslated. */
const readable = async (page: Page) => expect(page.locator('#view').textContent()).resolves.not.toMatch(/undefined|null|\b(?:r|w|m|o|ws|cls|res|set|type)\.[a-z]+[A-Z]?/);

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch({ models: false });
  await put('/api/organisations/mu-1', { kind: 'maintenanceUnit', name: '西湖电梯维保' });
  for (const [id, role] of [['mgr-1', 'manager'], ['tech-1', 'crew']]) await put(`/api/users/${id}`, { name: id, role, orgId: 'mu-1', password: PASSWORD });
  await browser.launch();
});
afterAll(async () => {
  await browser.close();
  await liftTerminals.end();
  await lw?.stop();
});

describe('registry and maintenance screens', () => {
  it('an admin imports the registry in Chinese: the lines at fault are listed and nothing is written; then the file goes in, a lift is found and its entry edited', async () => {
    const page = await as('admin', 'zh-CN');
    await page.goto(`${lw.httpUrl}/#/registry`);
    await expect(page.locator('#nav-registry').textContent()).resolves.toBe('电梯登记');
    await page.locator('#import-file').setInputFiles({ name: 'lifts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV('ABC')) });
    await page.locator('#import-run').click();
    await page.locator('#import-errors').waitFor();
    await expect(page.locator('#import-result').textContent()).resolves.toBe('1 处错误，未写入任何数据。');
    await expect(page.locator('#import-errors tbody tr td').allTextContents()).resolves.toEqual(['4', 'BR-3', '注册代码 (registrationCode)', expect.stringMatching(/^registration code "ABC" is not 20 digits/)]);
    await page.screenshot({ path: `${SCREENSHOTS}/registry-import-errors-zh.png`, fullPage: true });
    expect((await lw.get<{ entries: unknown[] }>('/api/lift-registry')).entries).toEqual([]);

    await page.locator('#import-file').setInputFiles({ name: 'lifts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV('33103301062012000003')) });
    await page.locator('#import-run').click();
    await page.locator('#import-result.done').waitFor();
    await expect(page.locator('#import-result').textContent()).resolves.toBe('共 3 行：导入 3 台，检验记录 0 条。');
    await page.reload();
    await page.locator('#registry tbody tr').nth(2).waitFor();
    await page.locator('#registry-search').fill('2号楼');
    await page.locator('#registry tbody tr').nth(1).waitFor({ state: 'detached' });
    await expect(page.locator('#registry tbody tr td').nth(3).textContent()).resolves.toBe('自动扶梯');
    await page.locator('#registry-search').fill('nowhere');
    await expect(page.locator('#registry-none').textContent()).resolves.toBe('没有符合的电梯。');

    await page.goto(`${lw.httpUrl}/#/registry/BR-1`);
    const code = page.locator('#entry input[name=registrationCode]');
    await code.fill('3110330106');
    await page.locator('#code-check.error', { hasText: /^registration code "3110330106" is not 20 digits/ }).waitFor();
    await code.fill('31103301062012000002');
    await page.locator('#code-check.error', { hasText: /is already lift BR-2's/ }).waitFor();
    await code.fill('31103301062012000011');
    await page.locator('#code-check.done', { hasText: '注册代码格式正确。' }).waitFor();
    await page.locator('#entry input[name=name]').fill('1号楼 东梯');
    await page.locator('#entry button[type=submit]').click();
    await page.locator('#entry-status.done').waitFor();
    expect(await lw.get<{ registry: LiftProfile }>('/api/lift-registry/BR-1')).toMatchObject({ registry: { name: '1号楼 东梯', registrationCode: '31103301062012000011', maintenanceUnit: 'mu-1', floors: 12 } });

    await page.locator('#inspection input[name=inspectedOn]').fill('2024-03-01');
    await page.locator('#inspection select[name=result]').selectOption('pass');
    await page.locator('#inspection input[name=nextDue]').fill('2025-03-01');
    await page.locator('#inspection button').click();
    await page.locator('#inspections td.late', { hasText: '2025-03-01' }).waitFor();
    await page.locator('#plan button').click();
    await page.locator('#plan-facts').waitFor();
    await expect(page.locator('#plan-facts dd').nth(1).textContent()).resolves.toBe('曳引与强制驱动电梯'); // the item set from the lift's type
    await readable(page);
    await page.screenshot({ path: `${SCREENSHOTS}/registry-entry-zh.png`, fullPage: true });
  });

  it('a manager opens the overdue lists in English and makes a work order; a technician on a phone checks in, ticks the list, adds a photo and signs off', async () => {
    await put('/api/maintenance-plans/BR-2', { startsAt: Date.now() - 30 * DAY });
    const manager = await as('mgr-1', 'en');
    await manager.goto(`${lw.httpUrl}/#/work-orders`);
    await expect(manager.locator('#nav-work-orders').textContent()).resolves.toBe('Work orders');
    await manager.locator('#overdue-link', { hasText: 'Maintenance overdue (1)' }).click();
    await manager.locator('#overdue tr[data-lift-id="BR-2"]').waitFor();
    await expect(manager.locator('#overdue-inspections h3').textContent()).resolves.toBe('Periodic inspection overdue (1)');
    await expect(manager.locator('#overdue-inspection-list tbody td').allTextContents()).resolves.toEqual(['BR-1', '2024-03-01', 'Pass', '2025-03-01', '']);
    await readable(manager);
    await manager.screenshot({ path: `${SCREENSHOTS}/overdue-lists-en.png`, fullPage: true });
    await manager.locator('#overdue tr[data-lift-id="BR-2"] a', { hasText: 'Work orders' }).click();
    await manager.locator('#new-order input[name=liftId][value="BR-2"]').waitFor();
    await manager.locator('#new-order input[name=assignee]').fill('tech-1');
    await manager.locator('#new-order button').click();
    await manager.locator('#order-start').waitFor();
    const id = Number(new URL(manager.url()).hash.split('/')[2]);

    const tech = await as('tech-1', 'zh-CN', PHONE);
    await tech.goto(`${lw.httpUrl}/#/work-orders`);
    await tech.locator(`#my-orders tr[data-order-id="${id}"] a`).first().click();
    await tech.locator('#order-start').click();
    await tech.locator('#order-complete').waitFor();
    await expect(tech.locator('#order-state').textContent()).resolves.toBe('进行中');
    await tech.locator('#photo-file').setInputFiles({ name: 'brake.png', mimeType: 'image/png', buffer: PNG });
    await tech.locator('#photo-upload').click();
    await tech.locator('.photos img').waitFor();
    await tech.locator('#order-complete').click();
    await expect(tech.locator('#order-status.error').textContent()).resolves.toMatch(/checklist items have no result/);
    await tech.locator('#checklist tbody tr select').first().selectOption('adjusted');
    await tech.locator('#order-all-ok').click();
    await readable(tech);
    await tech.screenshot({ path: `${SCREENSHOTS}/work-order-phone-zh.png`, fullPage: true });
    await tech.locator('#order-complete').click();
    await tech.locator('#order-signed', { hasText: 'tech-1' }).waitFor();
    await expect(tech.locator('#order-state').textContent()).resolves.toBe('已完成');
    const done = await lw.get<WorkOrder>(`/api/work-orders/${id}`);
    expect(done).toMatchObject({ state: 'completed', signedBy: 'tech-1', assignee: 'tech-1', photos: [{ contentType: 'image/png' }], startedAt: expect.any(Number), endedAt: expect.any(Number) });
    expect(done.checklist[0]!.result).toBe('adjusted');
    expect(done.checklist.slice(1).every((e) => e.result === 'ok')).toBe(true);
    expect(await lw.get('/api/maintenance/overdue')).toEqual({ count: 0, lifts: [] });
  });

  it('an alert becomes a repair work order from its page (English, phone); signing it off with the finding resolves the alert', async () => {
    await (await liftTerminals.of('BR-3')).publishAsync(liftTopic('BR-3', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'BR-3', seq: 1, ts: Date.now(), code: 'E09', passengersPresent: false, detail: 'door' }), { qos: 1 });
    const alert = await waitFor('E09 on BR-3', async () => (await lw.get<{ alerts: AlertView[] }>('/api/alerts?liftId=BR-3')).alerts.find((a) => a.code === 'E09'));
    const tech = await as('tech-1', 'en', PHONE);
    await tech.goto(`${lw.httpUrl}/#/alert/${alert.id}`);
    await tech.locator('#make-work-order', { hasText: 'Make a work order' }).click();
    await tech.locator('#order-start').click();
    await tech.locator('#finding-outcome').selectOption('confirmed');
    await tech.locator('#finding-component').selectOption('doorOperator');
    await expect(tech.locator('#finding-component option[value=doorOperator]').textContent()).resolves.toBe('Door operator');
    await readable(tech);
    await tech.screenshot({ path: `${SCREENSHOTS}/repair-order-phone-en.png`, fullPage: true });
    await tech.locator('#order-complete').click();
    await tech.locator('#order-state', { hasText: 'Completed' }).waitFor(); // the sign-off's answer redraws the order
    await expect(tech.locator('#order-state').textContent()).resolves.toBe('Completed');
    expect(await lw.get<AlertDetail>(`/api/alerts/${alert.id}`)).toMatchObject({ state: 'resolved', finding: { outcome: 'confirmed', component: 'doorOperator' } });
    await tech.goto(`${lw.httpUrl}/#/alert/${alert.id}`);
    await tech.locator('#make-work-order').click(); // the alert's work order is opened again, not a second one made
    await tech.locator('#order-state', { hasText: 'Completed' }).waitFor(); // the sign-off's answer redraws the order
    await expect(tech.locator('#order-state').textContent()).resolves.toBe('Completed');
  });
});
