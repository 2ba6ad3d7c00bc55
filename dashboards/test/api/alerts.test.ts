import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// The alert list, an alert's detail and its lifecycle (src/api/alerts.ts).
let t: TestApp;
let a = 0;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
  a = t.ports.raise('LA-1', 'E02').id;
  t.ports.raise('LA-1', 'D01', { state: 'resolved' });
  t.ports.raise('LB-1', 'E07');
});
afterAll(() => t.close());

const ids = (r: { json: <T>() => T }) => r.json<{ alerts: AlertView[] }>().alerts.map((x) => `${x.liftId}/${x.code}`);

describe('GET /api/alerts', () => {
  it('lists by state and lift, severity first; scoped users see their lifts\' alerts only', async () => {
    expect(ids(await t.call('admin', 'GET', '/api/alerts'))).toEqual(['LA-1/E02', 'LB-1/E07', 'LA-1/D01']);
    expect(ids(await t.call('admin', 'GET', '/api/alerts?state=active'))).toEqual(['LA-1/E02', 'LB-1/E07']);
    expect(ids(await t.call('admin', 'GET', '/api/alerts?state=resolved&liftId=LA-1'))).toEqual(['LA-1/D01']);
    expect(ids(await t.call('crewA', 'GET', '/api/alerts'))).toEqual(['LA-1/E02', 'LA-1/D01']);
    expect(ids(await t.call('crewA', 'GET', '/api/alerts?liftId=LB-1'))).toEqual([]);
    expect(ids(await t.call('crewA', 'GET', '/api/alerts?limit=1'))).toEqual(['LA-1/E02']);
  });

  it('names a wrong state', async () => {
    const r = await t.call('admin', 'GET', '/api/alerts?state=closed');
    expect(r.status).toBe(400);
    expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/^request querystring\/state must be equal to constant/) });
  });
});

describe('GET /api/alerts/:id and the lifecycle', () => {
  it('shows an alert with its evidence and audit', async () => {
    expect((await t.call('crewA', 'GET', `/api/alerts/${a}`)).json()).toMatchObject({ id: a, liftId: 'LA-1', state: 'open', evidence: [], audit: [] });
    expect((await t.call('admin', 'GET', '/api/alerts/0')).json()['error']).toMatchObject({ message: 'request params/id must be >= 1' });
  });

  it('a crew acts as themselves; an admin may record an action for someone', async () => {
    expect((await t.call('crewA', 'POST', `/api/alerts/${a}/acknowledge`, { actor: 'someone-else', note: 'on my way' })).json()).toMatchObject({ state: 'acknowledged', assignee: 'crewA' });
    expect((await t.call('admin', 'POST', `/api/alerts/${a}/on-site`, { actor: 'tech-7' })).json()).toMatchObject({ state: 'onSite' });
    expect((await t.ports.deps.alerts.get(a))!.audit.map((e) => [e.action, e.actor, e.note])).toEqual([['acknowledged', 'crewA', 'on my way'], ['onSite', 'tech-7', '']]);
  });

  it('a move the lifecycle does not allow is a 400 that says where the alert can go', async () => {
    expect((await t.call('admin', 'POST', `/api/alerts/${a}/acknowledge`, {})).json()).toEqual({ error: { code: 'LW_ERR_REQUEST_INVALID', message: `alert ${a} is onSite; it can move to resolved, falseAlarm, not to acknowledged` } });
    expect((await t.call('admin', 'POST', `/api/alerts/${a}/close`, {})).json()['error']).toMatchObject({ message: expect.stringMatching(/^request params\/action must be equal to constant/) });
    expect((await t.call('admin', 'POST', `/api/alerts/${a}/resolve`, { note: 'x'.repeat(2001) })).json()['error']).toMatchObject({ message: 'request body/note must NOT have more than 2000 characters' });
  });

  it('a regulator reads alerts but cannot act on them', async () => {
    expect((await t.call('regA', 'GET', `/api/alerts/${a}`)).status).toBe(200);
    expect((await t.call('regA', 'POST', `/api/alerts/${a}/resolve`, {})).json()['error']).toEqual({ code: 'LW_ERR_FORBIDDEN', message: 'a regulator user may not POST /api/alerts/:id/:action (needs act rights)' });
  });
});
