import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticsPort } from '../../src/statistics/ports.js';
import { fakePorts } from '../fake-ports.js';
import { withHazards } from '../fake-hazards.js';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// The public page of a lift, residents' reports and hazards to closure (src/api/hazards.ts), over fake ports and a real SQLite state store.
const statLift = (liftId: string, areaCode: string, district: string, maintenanceUnit: string) => ({ liftId, since: 0, areaCode, district, maintenanceUnit, useUnit: null, lastSeenAt: null });
const statistics: StatisticsPort = {
  settings: { timeZone: 'Asia/Shanghai', arrivalLimitMin: 30, maintenanceDays: 15 },
  lifts: () => [statLift('LA-1', '330106', 'd-1', 'mu-A'), statLift('LB-1', '330108', 'd-2', 'mu-B')],
  alerts: () => [],
  overdueMaintenance: () => [],
  overdueInspections: () => [],
};
let t: TestApp;
let h: Awaited<ReturnType<typeof withHazards>>;
beforeAll(async () => {
  h = await withHazards(fakePorts());
  t = await testApp({ ports: { ...h.ports, deps: { ...h.ports.deps, statistics } }, residentReportsPerHour: 3 });
  await twoUnits(t);
  t.ports.lift('LA-1', { areaCode: '330106', registry: { liftId: 'LA-1', seq: 1, ts: 1, registrationCode: '31103301062019120001', name: 'Block 3 east', address: '88 Wensan Rd', ratedSpeedMps: 1.5 } as never });
});
afterAll(async () => {
  await t.close();
  await h.close();
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');
const fromAddress = (ip: string) => ({ 'x-forwarded-for': ip });
const report = (liftId: string, body: unknown, ip = '127.0.0.9') => t.app.inject({ method: 'POST', url: `/api/public/lifts/${liftId}/reports`, payload: body as object, remoteAddress: ip, headers: fromAddress(ip) });

describe('the public page of a lift (no login)', () => {
  it('shows the registration, name and address and the open hazards; an unknown lift is a 404 that says what to do', async () => {
    const page = await t.call(null, 'GET', '/api/public/lifts/LA-1');
    expect(page.status).toBe(200);
    expect(page.json()).toMatchObject({ liftId: 'LA-1', registrationCode: '31103301062019120001', name: 'Block 3 east', address: '88 Wensan Rd', rescuePhone: '96333' });
    const none = await t.call(null, 'GET', '/api/public/lifts/NOPE-1');
    expect(none.status).toBe(404);
    expect(none.json()['error']).toMatchObject({ code: 'LW_ERR_NOT_FOUND', message: expect.stringMatching(/not known to this platform: check the code you scanned/) });
  });

  it('a resident\'s report opens a hazard; bad input is refused with the field named, nothing stored', async () => {
    const ok = await report('LA-1', { category: 'doors', description: 'The door closes on people', contact: '138 0000 0000' });
    expect(ok.statusCode).toBe(201);
    const id = ok.json<{ id: number }>().id;
    expect(await h.state.hazards.get(id)).toMatchObject({ liftId: 'LA-1', source: 'resident', state: 'open', contact: '138 0000 0000', reportedBy: null });
    expect((await t.call(null, 'GET', '/api/public/lifts/LA-1')).json()).toMatchObject({ openHazards: 1 });

    const bad = [
      [{ category: 'fire', description: 'x' }, /category/],
      [{ category: 'doors', description: '' }, /description/],
      [{ category: 'doors', description: 'x'.repeat(1001) }, /description/],
      [{ category: 'doors', description: 'x', contact: '<script>' }, /contact/],
    ] as const;
    for (const [body, field] of bad) {
      const r = await report('LA-1', body, '127.0.0.10');
      expect({ body, status: r.statusCode }).toEqual({ body, status: 400 });
      expect(r.json().error.message).toMatch(field);
    }
    const huge = await report('LA-1', { category: 'doors', description: 'x'.repeat(20_000) }, '127.0.0.10');
    expect(huge.statusCode).toBe(413);
    expect((await report('NOPE-1', { category: 'doors', description: 'x' }, '127.0.0.10')).statusCode).toBe(404);
    expect(await h.state.hazards.list({ liftId: 'LA-1', limit: 10 })).toHaveLength(1);
  });

  it('takes a few reports an hour from one address, then 429 with Retry-After; another address still may', async () => {
    for (let i = 0; i < 3; i++) expect((await report('LB-1', { category: 'noise', description: `noise ${i}` }, '127.0.0.20')).statusCode).toBe(201);
    const refused = await report('LB-1', { category: 'noise', description: 'again' }, '127.0.0.20');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(refused.json().error).toMatchObject({ code: 'LW_ERR_RATE_LIMITED', message: expect.stringMatching(/too many reports .* call the rescue line if someone is trapped/) });
    expect((await report('LB-1', { category: 'noise', description: 'neighbour' }, '127.0.0.21')).statusCode).toBe(201);
  });
});

describe('hazards to closure', () => {
  it('a crew records one on its lift, rectifies it with a photo; a manager closes it; the regulator counts it until then', async () => {
    const created = await t.call('crewA', 'POST', '/api/hazards', { liftId: 'LA-1', category: 'damage', description: 'cracked sill' });
    expect(created.status).toBe(201);
    const id = created.json<{ id: number }>().id;
    expect(created.json()).toMatchObject({ source: 'crew', reportedBy: 'crewA', state: 'open' });
    expect((await t.call('crewB', 'POST', '/api/hazards', { liftId: 'LA-1', category: 'damage', description: 'x' })).status).toBe(404);
    expect((await t.call('regA', 'POST', '/api/hazards', { liftId: 'LA-1', category: 'alarm', description: 'intercom dead' })).json()).toMatchObject({ source: 'inspector' });

    const noPhoto = await t.call('crewA', 'POST', `/api/hazards/${id}/rectify`, { note: 'sill replaced', photo: { contentType: 'image/jpeg', dataBase64: PNG } });
    expect(noPhoto.status).toBe(400);
    expect(noPhoto.json()['error']).toMatchObject({ message: expect.stringMatching(/photo: its bytes are not a image\/jpeg image/) });
    expect((await t.call('crewB', 'POST', `/api/hazards/${id}/rectify`, { note: 'x', photo: { contentType: 'image/png', dataBase64: PNG } })).status).toBe(404);
    const fixed = await t.call('crewA', 'POST', `/api/hazards/${id}/rectify`, { note: 'sill replaced', photo: { contentType: 'image/png', dataBase64: PNG } });
    expect(fixed.json()).toMatchObject({ state: 'rectified', rectifiedBy: 'crewA', photo: { contentType: 'image/png', bytes: 12 } });
    const photo = await t.call('mgrA', 'GET', `/api/hazards/${id}/photo`);
    expect([photo.status, photo.headers['content-type']]).toEqual([200, 'image/png']);

    // The regulator of d-1 counts it (and the resident's report) until it is closed; unit B's lift is not in the view.
    const counted = async () => (await t.call('regA', 'GET', '/api/statistics/now')).json<{ hazards: { active: number; rectified: number; list: Array<{ id: number; liftId: string; state: string }> } }>().hazards;
    expect((await counted()).list).toContainEqual({ id, liftId: 'LA-1', state: 'rectified', source: 'crew', category: 'damage', openedAt: expect.any(Number) });
    expect((await counted()).list.map((x) => x.liftId)).not.toContain('LB-1');
    const before = await counted();
    expect([before.active, before.rectified]).toEqual([before.list.length, 1]);

    expect((await t.call('crewA', 'POST', `/api/hazards/${id}/review`, { accept: true })).status).toBe(403);
    expect((await t.call('mgrA', 'POST', `/api/hazards/${id}/review`, { accept: true, note: 'checked' })).json()).toMatchObject({ state: 'closed', closedBy: 'mgrA', reviewNote: 'checked' });
    expect((await counted()).list.map((x) => x.id)).not.toContain(id);
    expect((await counted()).active).toBe(before.active - 1);
    const again = await t.call('mgrA', 'POST', `/api/hazards/${id}/review`, { accept: false });
    expect([again.status, again.json()['error']]).toEqual([409, expect.objectContaining({ code: 'LW_ERR_CONFLICT', message: expect.stringMatching(/is closed, not rectified/) })]);
  });

  it('lists show each user the hazards of their lifts only', async () => {
    const ids = (who: string, q = '') => t.call(who, 'GET', `/api/hazards${q}`).then((r) => r.json<{ hazards: Array<{ liftId: string }> }>().hazards.map((x) => x.liftId));
    expect(new Set(await ids('crewA'))).toEqual(new Set(['LA-1']));
    expect(new Set(await ids('crewB'))).toEqual(new Set(['LB-1']));
    expect(new Set(await ids('admin', '?state=active'))).toEqual(new Set(['LA-1', 'LB-1']));
    const someB = (await t.call('admin', 'GET', '/api/hazards?liftId=LB-1')).json<{ hazards: Array<{ id: number }> }>().hazards[0]!.id;
    expect((await t.call('crewA', 'GET', `/api/hazards/${someB}`)).status).toBe(404);
    expect((await t.call('useA', 'GET', '/api/hazards?state=lost')).status).toBe(400);
  });
});
