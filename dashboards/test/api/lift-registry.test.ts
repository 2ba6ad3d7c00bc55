import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../test-app.js';

// The platform's lift registry (src/api/lift-registry.ts): an admin's area code decides which district sees a lift; what its terminal reports does not.
const HOME = '330106';
const OTHER = '330108';
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  t.ports.lift('RS-A', { reportedAreaCode: OTHER });
  t.user('reg-home', 'regulator', 'd-home', { areaCode: HOME });
  t.user('reg-other', 'regulator', 'd-other', { areaCode: OTHER });
});
afterAll(() => t.close());

const sees = async (who: string) => ({
  lift: (await t.call(who, 'GET', '/api/lifts/RS-A')).status,
  lifts: (await t.call(who, 'GET', '/api/lifts')).json<{ lifts: Array<{ liftId: string }> }>().lifts.map((l) => l.liftId),
  district: (await t.call(who, 'GET', `/api/overview?areaCode=${who === 'reg-home' ? HOME : OTHER}`)).json<{ lifts: number }>().lifts,
});

describe('lift scope comes from the platform\'s registry, not from the terminal', () => {
  it('what the terminal reports gives no district the lift; an admin\'s entry gives it to that district only', async () => {
    expect(await sees('reg-other')).toEqual({ lift: 404, lifts: [], district: 0 });
    expect(await sees('reg-home')).toEqual({ lift: 404, lifts: [], district: 0 });
    const set = await t.call('admin', 'PUT', '/api/lift-registry/RS-A', { areaCode: HOME });
    expect(set.json()).toMatchObject({ liftId: 'RS-A', registry: { areaCode: HOME, updatedAt: expect.any(Number), updatedBy: 'admin', registrationCode: null }, reported: { areaCode: OTHER }, differs: ['areaCode'] });
    expect(t.ports.published.at(-1)).toEqual({ kind: 'lifts', liftIds: ['RS-A'] }); // every node's fleet index and live pages hear of it
    expect(await sees('reg-home')).toEqual({ lift: 200, lifts: ['RS-A'], district: 1 });
    expect(await sees('reg-other')).toEqual({ lift: 404, lifts: [], district: 0 });
    expect((await t.call('reg-home', 'GET', '/api/lift-registry/RS-A')).json()).toMatchObject({ registry: { areaCode: HOME }, reported: { areaCode: OTHER } });
  });

  it('only admins set it; a wrong area code names the field', async () => {
    expect((await t.call('reg-home', 'PUT', '/api/lift-registry/RS-A', { areaCode: OTHER })).status).toBe(403);
    const bad = await t.call('admin', 'PUT', '/api/lift-registry/RS-A', { areaCode: '3301' });
    expect(bad.status).toBe(400);
    expect(bad.json()['error']).toMatchObject({ message: expect.stringMatching(/^request body\/areaCode must match pattern/) });
    expect((await t.call('admin', 'PUT', '/api/lift-registry/RS%2FA', { areaCode: HOME })).json()['error']).toMatchObject({ message: expect.stringMatching(/^request params\/liftId must match pattern/) });
  });

  it('sets many lifts at once, and they move', async () => {
    const bulk = await t.call('admin', 'POST', '/api/lift-registry', { entries: [{ liftId: 'RS-A', areaCode: OTHER }, { liftId: 'RS-B', areaCode: HOME }] });
    expect(bulk.json()).toEqual({ updated: 2 });
    expect(await sees('reg-other')).toEqual({ lift: 200, lifts: ['RS-A'], district: 1 });
    expect(await sees('reg-home')).toEqual({ lift: 404, lifts: [], district: 0 });
    expect((await t.call('admin', 'POST', '/api/lift-registry', { entries: [] })).json()['error']).toMatchObject({ message: 'request body/entries must NOT have fewer than 1 items' });
  });
});

describe('the registry as master data', () => {
  const CODE = '31103301062012000123';
  beforeAll(async () => {
    await t.ports.deps.crews.upsertOrg({ id: 'mu-R', kind: 'maintenanceUnit', name: 'Unit R' });
    await t.ports.deps.crews.upsertOrg({ id: 'uu-R', kind: 'useUnit', name: 'Estate R' });
    t.ports.lift('RS-C', { reportedAreaCode: HOME });
  });

  it('keeps the profile an admin sets, field by field, beside what the terminal reports', async () => {
    const put = await t.call('admin', 'PUT', '/api/lift-registry/RS-C', {
      registrationCode: CODE, name: 'Block 3 lift 2', address: '1 West Lake Rd', latitude: 30.26, longitude: 120.14, areaCode: HOME,
      type: 'traction', ratedSpeedMps: 1.75, ratedLoadKg: 1000, floors: 18, installDate: '2012-05-01', maintenanceUnit: 'mu-R', useUnit: 'uu-R',
    });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ registry: { registrationCode: CODE, maintenanceUnit: 'mu-R', floors: 18 }, reported: { areaCode: HOME, name: expect.any(String) }, differs: expect.arrayContaining(['name']) });
    await t.call('admin', 'PUT', '/api/lift-registry/RS-C', { name: null });
    const after = (await t.call('admin', 'GET', '/api/lift-registry/RS-C')).json<{ registry: Record<string, unknown> }>();
    expect(after.registry).toMatchObject({ name: null, registrationCode: CODE, address: '1 West Lake Rd' }); // the other fields kept
    expect(await t.ports.deps.crews.getLift('RS-C')).toMatchObject({ maintenanceUnit: 'mu-R', useUnit: 'uu-R' }); // the units are the crew assignment
    t.user('crew-R', 'crew', 'mu-R');
    expect((await t.call('crew-R', 'GET', '/api/lift-registry')).json<{ entries: Array<{ liftId: string }> }>().entries.map((e) => e.liftId)).toEqual(['RS-C']);
  });

  it('the registry\'s name and address are what lists and exports show, not the terminal\'s', async () => {
    await t.call('admin', 'PUT', '/api/lift-registry/RS-C', { name: '3号楼 2号梯', address: '西湖路 1 号' });
    const row = (await t.call('admin', 'GET', '/api/riskiest?limit=100')).json<{ lifts: Array<{ liftId: string; name: string | null }> }>().lifts.find((l) => l.liftId === 'RS-C');
    expect(row?.name).toBe('3号楼 2号梯');
    expect((await t.call('admin', 'GET', '/api/exports/lifts.csv')).body).toContain('RS-C,3号楼 2号梯,西湖路 1 号,');
  });

  it('refuses what is not master data, naming the field and what to do', async () => {
    const wrong = async (body: object) => (await t.call('admin', 'PUT', '/api/lift-registry/RS-D', body)).json<{ error: { message: string } }>().error.message;
    expect(await wrong({ registrationCode: 'ABC' })).toMatch(/lift RS-D, registrationCode: registration code "ABC" is not 20 digits/);
    expect(await wrong({ maintenanceUnit: 'uu-R' })).toMatch(/"uu-R" is an organisation of kind useUnit, not a maintenanceUnit/);
    expect(await wrong({ latitude: 30.2 })).toMatch(/coordinates come in pairs/);
    expect(await wrong({ type: 'escalator', floors: 3 })).toMatch(/an escalator has no floors/);
    expect(await wrong({ type: 'paternoster' })).toMatch(/^request body\/type/);
    expect(await wrong({ registrationCode: CODE })).toMatch(/already lift RS-C's/);
  });

  it('finds entries by a part of their lift id, registration code, name or address', async () => {
    const found = async (search: string) => (await t.call('admin', 'GET', `/api/lift-registry?search=${encodeURIComponent(search)}`)).json<{ entries: Array<{ liftId: string }> }>().entries.map((e) => e.liftId);
    expect(await found('rs-c')).toEqual(['RS-C']);
    expect(await found('2012000123')).toEqual(['RS-C']);
    expect(await found('西湖路')).toEqual(['RS-C']);
    expect(await found('nowhere')).toEqual([]);
    expect((await found(' ')).length).toBeGreaterThan(1); // blank: every entry
  });

  it('checks a registration code as an admin types it: its format, and whether another lift holds it', async () => {
    const check = async (code: string, liftId = '') => (await t.call('admin', 'GET', `/api/lift-registry/registration-code-check?code=${code}${liftId ? `&liftId=${liftId}` : ''}`)).json<{ problem: string | null }>().problem;
    expect(await check('3110330106')).toMatch(/^registration code "3110330106" is not 20 digits \(10 characters\)/);
    expect(await check('21103301062012000123')).toMatch(/starts with 2, not 3/);
    expect(await check(CODE)).toBe(`registration code ${CODE} is already lift RS-C's: check the code on the usage sign`);
    expect(await check(CODE, 'RS-C')).toBeNull(); // the lift's own code
    expect(await check('31103301062012000124', 'RS-D')).toBeNull();
    expect((await t.call('crew-R', 'GET', `/api/lift-registry/registration-code-check?code=${CODE}`)).status).toBe(403); // who holds a code is the admins' to know
  });

  it('keeps periodic inspections; the newest shows in the view, the overdue are listed', async () => {
    const rec = await t.call('admin', 'POST', '/api/lift-registry/RS-C/inspections', { inspectedOn: '2020-03-01', result: 'pass', nextDue: '2021-03-01', reportNo: 'R-7' });
    expect(rec.json()).toMatchObject({ inspections: [{ inspectedOn: '2020-03-01', result: 'pass', reportNo: 'R-7' }] });
    expect((await t.call('admin', 'GET', '/api/lift-registry/RS-C')).json()).toMatchObject({ lastInspection: { nextDue: '2021-03-01' } });
    expect((await t.call('admin', 'GET', '/api/inspections/overdue')).json()).toMatchObject({ count: 1, lifts: [{ liftId: 'RS-C' }] });
    expect((await t.call('crew-R', 'POST', '/api/lift-registry/RS-C/inspections', { inspectedOn: '2021-03-01', result: 'pass', nextDue: '2022-03-01' })).status).toBe(403);
    expect((await t.call('admin', 'POST', '/api/lift-registry/RS-C/inspections', { inspectedOn: '2021-03-01', result: 'ok', nextDue: '2022-03-01' })).status).toBe(400);
  });
});
