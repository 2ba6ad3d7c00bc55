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
    expect(set.json()).toEqual({ liftId: 'RS-A', registry: { areaCode: HOME, updatedAt: expect.any(Number), updatedBy: 'admin' }, reported: { areaCode: OTHER } });
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
