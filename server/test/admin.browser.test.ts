import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { GOLDEN, liftTopic, type AlertView, type Hazard, type Organisation, type Person } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { consoleBrowser, ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, terminalsPerLift } from './helpers.js';

// The admin and manager screens, the crew's inbox on a phone, a lift's public page and its QR sign,
// and hazards to closure, in a real browser (Debian chromium), in Chinese and English.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const browser = consoleBrowser();
const liftTerminals = terminalsPerLift(() => lw);
const PASSWORD = 'admin screens password 1';
const PHONE = { width: 390, height: 844 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function as(user: string | null, lang: 'zh-CN' | 'en', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.page({ viewport, lang, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
  if (user) await logIn(page, lw.httpUrl, user, PASSWORD);
  return page;
}
const send = async (method: string, path: string, body: unknown) => {
  const res = await lw.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
};
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch({ models: false });
  for (const [id, kind, name] of [['mu-A', 'maintenanceUnit', '西湖电梯维保'], ['mu-B', 'maintenanceUnit', 'B Lift Service'], ['uu-A', 'useUnit', '翠苑小区物业'], ['d-1', 'district', '西湖区']] as const) {
    await send('PUT', `/api/organisations/${id}`, { kind, name });
  }
  await send('PUT', '/api/people/pa', { name: '王师傅', orgId: 'mu-A', channels: [{ kind: 'sms', to: '+86 138 0000 0001' }] });
  await send('PUT', '/api/people/pa2', { name: '赵师傅', orgId: 'mu-A', channels: [] });
  for (const liftId of ['AD-1', 'AD-2']) await send('PUT', `/api/crew-lifts/${liftId}`, { maintenanceUnit: 'mu-A', useUnit: 'uu-A', district: 'd-1' });
  await send('POST', '/api/rota', { unitId: 'mu-A', startsAt: Date.now() - 3_600_000, endsAt: Date.now() + 12 * 3_600_000, primary: 'pa', backup: 'pa2' });
  for (const [id, role, orgId] of [['boss', 'admin', null], ['mgrA', 'manager', 'mu-A'], ['crewA', 'crew', 'mu-A'], ['regA', 'regulator', 'd-1']] as const) {
    await send('PUT', `/api/users/${id}`, { name: id, role, orgId, password: PASSWORD });
  }
  const ts = Date.now();
  for (const [liftId, name] of [['AD-1', '翠苑一区 3 幢 1 号梯'], ['AD-2', '翠苑一区 3 幢 2 号梯']] as const) {
    const client = await liftTerminals.of(liftId);
    await client.publishAsync(liftTopic(liftId, 'registry'), JSON.stringify({ ...GOLDEN.registry, liftId, seq: 1, ts, name, address: '杭州市西湖区文三路 88 号' }), { qos: 1 });
  }
  await (await liftTerminals.of('AD-1')).publishAsync(liftTopic('AD-1', 'fault'), JSON.stringify({ ...GOLDEN.fault, liftId: 'AD-1', seq: 2, ts, code: 'E09', passengersPresent: false, detail: 'door' }), { qos: 1 });
  await waitFor('the alert on AD-1', async () => (await lw.get<{ alerts: AlertView[] }>('/api/alerts?liftId=AD-1')).alerts[0]);
  await browser.launch();
});
afterAll(async () => {
  await browser.close();
  await liftTerminals.end();
  await lw?.stop();
});

describe('admin and manager screens', () => {
  it('in Chinese: a manager adds a technician of their own unit with role, phone and a login, and a shift; other units are not offered', async () => {
    const page = await as('mgrA', 'zh-CN');
    await page.locator('#nav-admin').click();
    await page.locator('#person-form').waitFor();
    await expect(page.locator('h2').first().textContent()).resolves.toBe('组织、人员、值班与升级策略');
    await expect(page.locator('#person-form select[name=orgId] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).resolves.toEqual(['mu-A']);
    const form = page.locator('#person-form');
    await form.locator('[name=id]').fill('li');
    await form.locator('[name=name]').fill('李明');
    await form.locator('[name=role]').selectOption('supervisor');
    await form.locator('[name=phone]').fill('+86 139 0000 0002');
    await form.locator('[name=password]').fill(PASSWORD);
    await form.locator('button[type=submit]').click();
    await page.locator('#people tr[data-person-id="li"]').waitFor();
    await expect(page.locator('#people tr[data-person-id="li"]').textContent()).resolves.toBe('li李明mu-A主管+86 139 0000 0002中文修改'); // the language of his notifications: Chinese unless chosen
    // Changed later from the row: the form is filled with what is stored.
    await page.locator('#people tr[data-person-id="pa2"] button.edit').click();
    await expect(form.locator('[name=name]').inputValue()).resolves.toBe('赵师傅');
    await form.locator('[name=phone]').fill('13900000004');
    await form.locator('button[type=submit]').click();
    await expect(page.locator('#people tr[data-person-id="pa2"] a[href="tel:13900000004"]').textContent()).resolves.toBe('13900000004');
    await expect(page.locator('#view').textContent()).resolves.not.toMatch(/null|undefined|NaN/);
    await shot(page, 'admin-people-zh');
    expect((await lw.get<{ people: Person[] }>('/api/people')).people.find((p) => p.id === 'li')).toMatchObject({ orgId: 'mu-A', channels: [{ kind: 'sms', to: '+86 139 0000 0002' }] });
    expect((await lw.get<{ organisations: Organisation[] }>('/api/organisations')).organisations.find((o) => o.id === 'mu-A')?.roles).toMatchObject({ supervisor: ['li'] });
    expect((await lw.get<{ users: Array<{ id: string; role: string }> }>('/api/users')).users.find((u) => u.id === 'li')).toMatchObject({ role: 'crew' });

    await page.locator('.tabs a[data-tab=rota]').click();
    const shift = page.locator('#shift-form');
    await shift.waitFor();
    // A shift two days ahead (08:00-20:00 where the lifts are, UTC+8): the form's own default is today's day
    // shift, which would put li on call now between 00:00 and 12:00 UTC and change whom the crew's inbox calls.
    const day = new Date(Date.now() + 2 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    await shift.locator('[name=startsAt]').fill(`${day}T08:00`);
    await shift.locator('[name=endsAt]').fill(`${day}T20:00`);
    await shift.locator('[name=primary]').selectOption('li');
    await shift.locator('button[type=submit]').click();
    await waitFor('the new shift', async () => ((await page.locator('#rota tbody tr').count()) === 2 ? true : undefined));
    await expect(page.locator('#view').textContent()).resolves.not.toMatch(/null|undefined/);
    await shot(page, 'admin-rota-zh');
    await page.locator('.tabs a[data-tab=policies]').click();
    await page.locator('#policy-form button[type=submit]').click();
    await page.locator('#policies tr[data-severity="P1"]').waitFor();
    await expect(page.locator('#policies tr[data-severity="P1"]').textContent()).resolves.toMatch(/^mu-AP11-3-50 min → 主值班, 副值班 · 1 min/);
  });

  it('in English: an admin sees every organisation, assigns a lift and prints its QR sign', async () => {
    const page = await as('boss', 'en');
    await page.goto(`${lw.httpUrl}/#/admin/orgs`);
    await page.locator('#orgs tr[data-org-id="mu-B"]').waitFor();
    await expect(page.locator('#orgs tr[data-org-id="mu-A"]').textContent()).resolves.toBe('mu-AMaintenance unit西湖电梯维保Supervisor: li');
    await shot(page, 'admin-orgs-en');
    await page.locator('.tabs a[data-tab=lifts]').click();
    const row = page.locator('#assignments tr[data-lift-id="AD-2"]');
    await row.waitFor();
    await row.locator('select[name=maintenanceUnit]').selectOption('mu-B');
    await row.locator('button.assign').click();
    await waitFor('AD-2 assigned to mu-B', async () => ((await lw.get<{ maintenanceUnit: string }>('/api/crew-lifts/AD-2')).maintenanceUnit === 'mu-B' ? true : undefined));
    await shot(page, 'admin-lifts-en');
    await page.locator('#assignments tr[data-lift-id="AD-1"] a.qr-link').click();
    await page.locator('#qr-sign').waitFor();
    await expect(page.locator('#qr-image').getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
    await expect(page.locator('#qr-sign .url').textContent()).resolves.toBe(`${lw.httpUrl}/#/r/AD-1`);
    await expect(page.locator('#view').textContent()).resolves.not.toMatch(/null|undefined|NaN/);
    await shot(page, 'qr-sign-en');
  });
});

describe('the crew\'s inbox on a phone (390×844)', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: a card per alert with the lift's name and address, call and navigate; no lift table`, async () => {
      const page = await as('crewA', lang, PHONE);
      const card = page.locator('#alert-cards li[data-alert-id]').first();
      await card.waitFor();
      await expect(page.locator('#lifts').count()).resolves.toBe(0);
      await expect(card.locator('.where').first().textContent()).resolves.toBe('翠苑一区 3 幢 1 号梯 (AD-1)');
      await expect(card.locator('.address').textContent()).resolves.toBe('杭州市西湖区文三路 88 号');
      await page.locator('#alert-cards a.call[href^="tel:"]').waitFor();
      await expect(card.locator('a.call').getAttribute('href')).resolves.toBe('tel:+8613800000001');
      await expect(card.locator('a.navigate').getAttribute('href')).resolves.toBe(`https://uri.amap.com/search?keyword=${encodeURIComponent('杭州市西湖区文三路 88 号')}&callnative=1`);
      await expect(card.locator('a.call').textContent()).resolves.toBe(lang === 'en' ? 'Call 王师傅' : '拨打电话 王师傅');
      const box = await card.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(PHONE.width);
      await expect(page.locator('#view').textContent()).resolves.not.toMatch(/null|undefined|NaN/);
    await shot(page, `phone-inbox-${lang}`);
    });
  }
});

describe('a lift\'s public page and hazards to closure', () => {
  it('in Chinese, on a phone, with no login: the lift\'s facts; a bad report says what is wrong; a good one gets its number', async () => {
    const page = await as(null, 'zh-CN', PHONE);
    await page.goto(`${lw.httpUrl}/#/r/AD-1`);
    await page.locator('#report').waitFor();
    await expect(page.locator('#r-reg').textContent()).resolves.toBe(GOLDEN.registry.registrationCode);
    await expect(page.locator('#r-address').textContent()).resolves.toBe('杭州市西湖区文三路 88 号');
    await expect(page.locator('#r-maint').textContent()).resolves.toBe('暂无记录');
    await expect(page.locator('#login').count()).resolves.toBe(0);
    await page.locator('#report [name=category]').selectOption('doors');
    await page.locator('#report [name=description]').fill('3 楼关门时夹到老人');
    await page.locator('#report [name=contact]').fill('call me');
    await page.locator('#report button[type=submit]').click();
    await expect(page.locator('#report-result.error').textContent()).resolves.toBe('联系电话只能填数字、空格和 + ( ) -，最多 40 个字符。');
    await page.locator('#report [name=contact]').fill('13900000003');
    await page.locator('#report button[type=submit]').click();
    await expect(page.locator('#report-result.done').textContent()).resolves.toMatch(/^已收到您的报告，编号 \d+。/);
    await expect(page.locator('#r-open').textContent()).resolves.toBe('1');
    await expect(page.locator('#view').textContent()).resolves.not.toMatch(/null|undefined|NaN/);
    await shot(page, 'resident-zh');
    await page.goto(`${lw.httpUrl}/#/r/NOPE-9`);
    await page.reload();
    await expect(page.locator('#resident-unknown').textContent()).resolves.toMatch(/找不到这部电梯/);
  });

  it('in English: a crew fixes the resident\'s hazard with a photo, the manager checks and closes it', async () => {
    const resident = await as(null, 'en', PHONE);
    await resident.goto(`${lw.httpUrl}/#/r/AD-1`);
    await resident.locator('#r-open').waitFor();
    await expect(resident.locator('#r-open').textContent()).resolves.toBe('1');
    await shot(resident, 'resident-en');

    const crew = await as('crewA', 'en');
    await crew.locator('#nav-hazards').click();
    const row = crew.locator('#hazards tr[data-state="open"]').first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Doors hit people.*3 楼关门时夹到老人 · ☎ 13900000003resident/);
    await row.locator('[name=note]').fill('Door sensor replaced');
    await row.locator('button.rectify').click();
    await expect(row.locator('.error').textContent()).resolves.toBe('Attach a photo of the fix.');
    await row.locator('[name=photo]').setInputFiles({ name: 'fix.png', mimeType: 'image/png', buffer: PNG });
    await row.locator('button.rectify').click();
    await crew.locator('#hazards tr[data-state="rectified"] img').waitFor();
    await expect(crew.locator('#view').textContent()).resolves.not.toMatch(/null|undefined|NaN/);
    await shot(crew, 'hazards-en');

    const manager = await as('mgrA', 'en');
    await manager.goto(`${lw.httpUrl}/#/hazards`);
    await manager.locator('#hazards tr[data-state="rectified"] button.accept').click();
    await manager.locator('#no-hazards').waitFor();
    const [closed] = (await lw.get<{ hazards: Hazard[] }>('/api/hazards?state=closed')).hazards;
    expect(closed).toMatchObject({ liftId: 'AD-1', source: 'resident', rectifiedBy: 'crewA', rectificationNote: 'Door sensor replaced', closedBy: 'mgrA', photo: { contentType: 'image/png' } });
  });
});
