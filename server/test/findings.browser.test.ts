import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FINDING_COMPONENT_NAMES, GOLDEN, liftTopic, type AlertDetail, type AlertView } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { consoleBrowser, ensureConsoleBuilt, logIn, SCREENSHOTS } from './browser-helpers.js';
import { startTestLiftwatch, terminalsPerLift } from './helpers.js';

// Resolving an alert in the inbox asks what the crew found, in Chinese and in English; a P1 rescue
// closes at once; the regulator console shows the precision the findings measure.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const browser = consoleBrowser();
const liftTerminals = terminalsPerLift(() => lw);
const PASSWORD = 'findings password 1';

async function as(user: string): Promise<Page> {
  const page = await browser.page();
  await logIn(page, lw.httpUrl, user, PASSWORD);
  return page;
}
const put = async (path: string, body: unknown) => {
  const res = await lw.fetch(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
};
const fault = async (liftId: string, code: string, seq: number) => (await liftTerminals.of(liftId)).publishAsync(liftTopic(liftId, 'fault'),
  JSON.stringify({ ...GOLDEN.fault, liftId, seq, ts: Date.now(), code, passengersPresent: false, detail: `test ${code}` }), { qos: 1 });
const alertOf = (liftId: string, code: string) => waitFor(`${code} on ${liftId}`, async () => (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=${liftId}`)).alerts.find((a) => a.code === code));

beforeAll(async () => {
  await ensureConsoleBuilt();
  lw = await startTestLiftwatch({ models: false });
  for (const [id, kind] of [['mu-A', 'maintenanceUnit'], ['d-1', 'district']] as const) await put(`/api/organisations/${id}`, { kind, name: id });
  for (const liftId of ['FA-1', 'FA-2', 'FA-3']) await put(`/api/crew-lifts/${liftId}`, { maintenanceUnit: 'mu-A', district: 'd-1' });
  for (const [id, role, orgId] of [['crewA', 'crew', 'mu-A'], ['regA', 'regulator', 'd-1']]) await put(`/api/users/${id}`, { name: id, role, orgId, password: PASSWORD });
  await fault('FA-1', 'E09', 1); // door fault (P2): resolved with a finding
  await fault('FA-2', 'E01', 1); // entrapment (P1): a rescue closes without one
  await fault('FA-3', 'E09', 1); // a false alarm
  for (const [liftId, code] of [['FA-1', 'E09'], ['FA-2', 'E01'], ['FA-3', 'E09']] as const) await alertOf(liftId, code);
  await browser.launch();
});
afterAll(async () => {
  await browser.close();
  await liftTerminals.end();
  await lw?.stop();
});

describe('the finding dialog and the precision table in a real browser (Debian chromium)', () => {
  it('in Chinese: resolve asks for the outcome and the component, says what is missing, and records the finding', async () => {
    const page = await as('crewA');
    const row = page.locator('#alerts tbody tr', { hasText: 'FA-1' });
    await row.waitFor({ timeout: 10_000 });
    await row.locator('button.resolve').click();
    const dialog = page.locator('#finding-dialog[open]');
    await dialog.waitFor();
    await expect(dialog.locator('h3').textContent()).resolves.toBe('处理结论 · P2 E09 · FA-1');
    await expect(dialog.locator('fieldset').textContent()).resolves.toBe('结论 确认故障 未发现故障 误报');
    await expect(dialog.locator('select[name=component] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).resolves.toEqual(['', ...FINDING_COMPONENT_NAMES]);
    await expect(dialog.locator('select[name=component] option[value=doorOperator]').textContent()).resolves.toBe('门机');
    await expect(dialog.locator('button.skip').count()).resolves.toBe(0); // only a P1 closes without a finding
    await dialog.locator('button.save').click();
    await expect(dialog.locator('#finding-error').textContent()).resolves.toBe('请选择结论。');
    await dialog.locator('input[value=confirmed]').check();
    await dialog.locator('button.save').click();
    await expect(dialog.locator('#finding-error').textContent()).resolves.toBe('确认故障时请选择故障部件。');
    await dialog.locator('select[name=component]').selectOption('doorOperator');
    await dialog.locator('input[name=part]').fill('门机皮带');
    await page.screenshot({ path: `${SCREENSHOTS}/finding-dialog-zh.png`, fullPage: true });
    await dialog.locator('button.save').click();
    await page.locator('#finding-dialog').waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    const id = (await alertOf('FA-1', 'E09')).id;
    expect((await lw.get<AlertDetail>(`/api/alerts/${id}`)).finding).toMatchObject({ outcome: 'confirmed', component: 'doorOperator', partReplaced: '门机皮带', actor: 'crewA', family: 'door-system' });
  });

  it('in English: a P1 rescue closes at once without a finding; a false alarm is recorded as one', async () => {
    const page = await as('crewA');
    await page.locator('#lang').selectOption('en');
    const rescue = page.locator('#alerts tbody tr', { hasText: 'FA-2' });
    await rescue.waitFor({ timeout: 10_000 });
    await rescue.locator('button.resolve').click();
    const dialog = page.locator('#finding-dialog[open]');
    await expect(dialog.locator('h3').textContent()).resolves.toBe('What the crew found · P1 E01 · FA-2');
    await expect(dialog.locator('p.hint').textContent()).resolves.toBe('A P1 alert (a rescue) can be closed now and its finding added later.');
    await expect(dialog.locator('select[name=component] option[value=doorOperator]').textContent()).resolves.toBe('Door operator');
    await page.screenshot({ path: `${SCREENSHOTS}/finding-dialog-en.png`, fullPage: true });
    await dialog.locator('button.skip', { hasText: 'Rescue done: close now, add the finding later' }).click();
    await rescue.waitFor({ state: 'detached' });
    const p1 = await lw.get<AlertDetail>(`/api/alerts/${(await alertOf('FA-2', 'E01')).id}`);
    expect(p1).toMatchObject({ state: 'resolved', finding: null });

    const other = page.locator('#alerts tbody tr', { hasText: 'FA-3' });
    await other.locator('button.resolve').click();
    await dialog.locator('label', { hasText: 'False alarm' }).locator('input').check();
    await dialog.locator('textarea[name=note]').fill('door blocked by a trolley');
    await dialog.locator('button.save', { hasText: 'Save and close the alert' }).click();
    await other.waitFor({ state: 'detached' });
    const fa = await lw.get<AlertDetail>(`/api/alerts/${(await alertOf('FA-3', 'E09')).id}`);
    expect(fa).toMatchObject({ state: 'falseAlarm', finding: { outcome: 'false-alarm', component: null } });
    expect(fa.audit).toContainEqual(expect.objectContaining({ action: 'falseAlarm', actor: 'crewA', note: 'door blocked by a trolley' }));
  });

  it('the regulator console shows the measured precision of each rule, in both languages', async () => {
    const page = await as('regA');
    await page.goto(`${lw.httpUrl}/#/district`);
    const row = page.locator('#precision tbody tr[data-code="E09"]');
    await row.waitFor({ timeout: 10_000 });
    await expect(page.locator('#precision h2').textContent()).resolves.toContain('模型与规则的实测准确率');
    // E09: one confirmed, one false alarm: 50 %, Wilson 95 % interval 9 %–91 %
    await expect(row.locator('td').allTextContents()).resolves.toEqual(['规则 E09', '–', '2', '1', '50 %', '9 % – 91 %']);
    await page.locator('#lang').selectOption('en');
    await page.locator('#precision h2', { hasText: 'Measured precision of models and rules' }).waitFor();
    await expect(page.locator('#precision tbody tr[data-code="E09"] td').first().textContent()).resolves.toBe('rule E09');
    await page.screenshot({ path: `${SCREENSHOTS}/precision-regulator-en.png`, fullPage: true });
  });
});
