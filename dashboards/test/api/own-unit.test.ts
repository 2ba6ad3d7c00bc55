import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// A manager runs their own unit: its people, its crew's logins and the unit itself; nothing of another unit (src/api/own-unit.ts).
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery staple';

describe('a manager and the people of their unit', () => {
  it('adds a technician to their own unit with a phone for SMS, and changes them later', async () => {
    const added = await t.call('mgrA', 'PUT', '/api/people/li', { name: 'Li Ming', orgId: 'mu-A', channels: [{ kind: 'sms', to: '+8613800000001' }] });
    expect(added.status).toBe(200);
    expect(added.json()).toMatchObject({ id: 'li', orgId: 'mu-A', channels: [{ kind: 'sms', to: '+8613800000001', secretSet: false }] });
    expect((await t.call('mgrA', 'PUT', '/api/people/li', { name: 'Li Ming (senior)', orgId: 'mu-A', channels: [] })).json()).toMatchObject({ name: 'Li Ming (senior)' });
    expect((await t.call('mgrA', 'GET', '/api/people')).json<{ people: Array<{ id: string }> }>().people.map((p) => p.id)).toContain('li');
  });

  it('cannot add people to another organisation, move theirs out, or take over another unit\'s person', async () => {
    const other = await t.call('mgrA', 'PUT', '/api/people/zhao', { name: 'Zhao', orgId: 'mu-B', channels: [] });
    expect(other.status).toBe(403);
    expect(other.json()['error']).toMatchObject({ code: 'LW_ERR_FORBIDDEN', message: expect.stringMatching(/orgId "mu-B" is not your unit \(mu-A\): a manager adds people to their own unit only/) });
    expect(await t.ports.deps.crews.getPerson('zhao')).toBeUndefined();
    expect((await t.call('mgrA', 'PUT', '/api/people/pb', { name: 'Mine now', orgId: 'mu-A', channels: [] })).json()['error']).toMatchObject({ message: expect.stringMatching(/person "pb" is of mu-B, not of your unit/) });
    expect(await t.ports.deps.crews.getPerson('pb')).toMatchObject({ name: 'Person B', orgId: 'mu-B' });
    expect((await t.call('crewA', 'PUT', '/api/people/li', { name: 'x', orgId: 'mu-A', channels: [] })).status).toBe(403);
  });

  it('keeps their unit (name, roles) but cannot add organisations, change a kind or touch another unit', async () => {
    expect((await t.call('mgrA', 'PUT', '/api/organisations/mu-A', { kind: 'maintenanceUnit', name: 'Unit A', roles: { supervisor: ['li'] } })).json()).toMatchObject({ roles: { supervisor: ['li'] } });
    expect((await t.call('mgrA', 'PUT', '/api/organisations/mu-B', { kind: 'maintenanceUnit', name: 'taken' })).status).toBe(403);
    expect((await t.call('mgrA', 'PUT', '/api/organisations/mu-A', { kind: 'district', name: 'Unit A' })).json()['error']).toMatchObject({ message: expect.stringMatching(/only an admin changes an organisation's kind/) });
    expect((await t.call('mgrA', 'PUT', '/api/organisations/mu-A', { name: 'no kind' })).status).toBe(403);
    const foreign = await t.call('mgrA', 'PUT', '/api/organisations/mu-A', { kind: 'maintenanceUnit', name: 'Unit A', roles: { supervisor: ['li', 'pb'] } });
    expect(foreign.json()['error']).toMatchObject({ code: 'LW_ERR_FORBIDDEN', message: expect.stringMatching(/person "pb" is of mu-B/) });
    expect((await t.ports.deps.crews.getOrg('mu-A'))?.roles).toEqual({ supervisor: ['li'] });
    expect((await t.call('regA', 'PUT', '/api/organisations/d-1', { kind: 'district', name: 'mine' })).status).toBe(403);
  });

  it('gives their crew logins, and no other role, unit or account', async () => {
    const ok = await t.call('mgrA', 'PUT', '/api/users/li', { name: 'Li Ming', role: 'crew', orgId: 'mu-A', password: PASSWORD });
    expect([ok.status, ok.json()]).toEqual([200, expect.objectContaining({ role: 'crew', orgId: 'mu-A' })]);
    expect((await t.call('mgrA', 'GET', '/api/users')).json<{ users: Array<{ id: string }> }>().users.map((u) => u.id).sort()).toEqual(['crewA', 'li', 'mgrA']);
    for (const [id, body] of [['li', { name: 'x', role: 'admin', orgId: null }], ['new-b', { name: 'x', role: 'crew', orgId: 'mu-B' }], ['crewB', { name: 'x', role: 'crew', orgId: 'mu-A' }], ['regA', { name: 'x', role: 'crew', orgId: 'mu-A' }]] as const) {
      const r = await t.call('mgrA', 'PUT', `/api/users/${id}`, body);
      expect({ id, status: r.status }).toEqual({ id, status: 403 });
    }
    expect((await t.call('crewA', 'GET', '/api/users')).status).toBe(403);
  });

  it('lists the lift assignments a user may see (the console\'s lift assignment screen)', async () => {
    const ids = async (who: string) => (await t.call(who, 'GET', '/api/crew-lifts')).json<{ assignments: Array<{ liftId: string; maintenanceUnit: string }> }>().assignments;
    expect(await ids('mgrA')).toEqual([{ liftId: 'LA-1', maintenanceUnit: 'mu-A', useUnit: 'uu-A', district: 'd-1' }]);
    expect((await ids('admin')).map((a) => a.liftId).sort()).toEqual(['LA-1', 'LB-1']);
  });
});
