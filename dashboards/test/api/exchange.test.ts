import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakePorts } from '../fake-ports.js';
import { LINE_TOKEN, withExchange } from '../fake-exchange.js';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// The outbox of the government exchange (src/api/exchange.ts) and the rescue line's calls (src/api/rescue-calls.ts) over fake ports.
let t: TestApp;
let x: ReturnType<typeof withExchange>;
beforeAll(async () => {
  x = withExchange(fakePorts());
  t = await testApp({ ports: x.ports });
  await twoUnits(t);
});
afterAll(() => t.close());

describe('the outbox, for admins', () => {
  it('shows the backlog, the messages of a state newest first in pages, and one with the body it is sent with', async () => {
    const sent = x.message({ subject: 'LA-1', state: 'delivered', deliveredAt: 5 });
    const failing = x.message({ subject: 'LA-1', attempts: 3, lastStatus: 503, lastError: 'the platform answered 503: down' });
    const refused = x.message({ subject: 'LB-1', state: 'rejected', attempts: 1, lastStatus: 422, lastError: 'the platform answered 422: bad area' });
    const status = await t.call('admin', 'GET', '/api/exchange/status');
    expect(status.json()).toMatchObject({ enabled: true, host: 'gov.example:443', types: ['lift', 'fault', 'rescue', 'maintenance'], backlog: { pending: 1, failing: 1, rejected: 1, delivered: 1 } });
    expect((await t.call('admin', 'GET', '/api/exchange/outbox?state=rejected')).json()).toMatchObject({ messages: [{ id: refused.id, lastStatus: 422 }] });
    expect((await t.call('admin', 'GET', `/api/exchange/outbox?before=${refused.id}&limit=1`)).json<{ messages: Array<{ id: number }> }>().messages.map((m) => m.id)).toEqual([failing.id]);
    expect((await t.call('admin', 'GET', '/api/exchange/outbox?subject=LA-1')).json<{ messages: Array<{ id: number }> }>().messages.map((m) => m.id)).toEqual([failing.id, sent.id]);
    expect((await t.call('admin', 'GET', `/api/exchange/outbox/${sent.id}`)).json()).toMatchObject({ id: sent.id, state: 'delivered', body: { schema: 'liftwatch.exchange/1', type: 'lift', data: { areaCode: '330106' } } });
    expect((await t.call('admin', 'GET', '/api/exchange/outbox/999')).status).toBe(404);
    expect((await t.call('admin', 'GET', '/api/exchange/outbox?state=lost')).status).toBe(400);
  });

  it('retries a refused message; a delivered one has nothing to retry; nobody else may', async () => {
    const refused = x.message({ subject: 'LB-1', state: 'rejected', attempts: 1 });
    const done = x.message({ subject: 'LB-1', state: 'delivered' });
    expect((await t.call('admin', 'POST', `/api/exchange/outbox/${refused.id}/retry`)).json()).toMatchObject({ id: refused.id, state: 'pending' });
    const again = await t.call('admin', 'POST', `/api/exchange/outbox/${done.id}/retry`);
    expect(again.status).toBe(400);
    expect(again.json()['error']).toMatchObject({ message: expect.stringMatching(/was delivered: there is nothing to retry/) });
    for (const who of ['mgrA', 'regA', 'crewA']) {
      expect((await t.call(who, 'GET', '/api/exchange/status')).status).toBe(403);
      expect((await t.call(who, 'POST', `/api/exchange/outbox/${refused.id}/retry`)).status).toBe(403);
    }
  });
});

describe('rescue-line calls', () => {
  it('a maintenance unit\'s dispatcher records a call for its lift: it opens the entrapment; the same call id again is the same call', async () => {
    const first = await t.call('crewA', 'POST', '/api/rescue-calls', { liftId: 'LA-1', externalId: 'C-9', note: 'one person, floor 3' });
    expect(first.status).toBe(201);
    expect(first.json()).toMatchObject({ created: true, call: { liftId: 'LA-1', line: '96333', externalId: 'C-9', alertState: 'open' } });
    const again = await t.call('crewA', 'POST', '/api/rescue-calls', { liftId: 'LA-1', externalId: 'C-9', note: '' });
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ created: false, call: { id: first.json<{ call: { id: number } }>().call.id } });
    expect((await t.call('admin', 'GET', '/api/alerts?state=active&liftId=LA-1')).json<{ alerts: Array<{ code: string }> }>().alerts.map((a) => a.code)).toEqual(['E01']);
  });

  it('calls and their stages stay in scope: another unit\'s crew finds no lift, a regulator reads but does not record', async () => {
    expect((await t.call('crewB', 'POST', '/api/rescue-calls', { liftId: 'LA-1', note: '' })).status).toBe(404);
    expect((await t.call('crewB', 'POST', '/api/rescue-calls', { rescueCode: 'R-LA-1', note: '' })).status).toBe(404); // by the rescue code on LA-1's sign: still not B's
    expect((await t.call('crewA', 'POST', '/api/rescue-calls', { rescueCode: 'R-LA-1', note: '' })).json()).toMatchObject({ call: { liftId: 'LA-1' } }); // A's own lift, found by its sign
    expect((await t.call('regA', 'POST', '/api/rescue-calls', { liftId: 'LA-1', note: '' })).status).toBe(403);
    const [call] = (await t.call('regA', 'GET', '/api/rescue-calls?liftId=LA-1')).json<{ calls: Array<{ id: number }> }>().calls;
    expect((await t.call('regA', 'GET', `/api/rescue-calls/${call!.id}`)).status).toBe(200);
    expect((await t.call('crewB', 'GET', `/api/rescue-calls/${call!.id}`)).status).toBe(404);
    expect((await t.call('crewB', 'GET', '/api/rescue-calls')).json()).toEqual({ calls: [] });
    expect((await t.call('crewB', 'POST', `/api/rescue-calls/${call!.id}/stages`, { stage: 'onSite' })).status).toBe(404);
    const onSite = await t.call('crewA', 'POST', `/api/rescue-calls/${call!.id}/stages`, { stage: 'onSite', at: Date.now() - 1000 });
    expect(onSite.json()).toMatchObject({ alertState: 'onSite', stages: { onSiteAt: expect.any(Number) } });
    expect((await t.call('crewA', 'POST', `/api/rescue-calls/${call!.id}/stages`, { stage: 'arrived' })).json()['error']).toMatchObject({ message: expect.stringMatching(/^request body\/stage/) });
  });

  it('the rescue line\'s own system calls in with its token, checked before anything else', async () => {
    const noToken = await t.call(null, 'POST', '/api/rescue-line/calls', { not: 'a call' });
    expect(noToken.status).toBe(401);
    expect(noToken.json()['error']).toMatchObject({ code: 'LW_ERR_RESCUE_LINE_TOKEN', message: expect.stringMatching(/token is missing or wrong/) });
    expect((await t.call(null, 'POST', '/api/rescue-line/calls', { liftId: 'LB-1', note: '' }, { authorization: 'Bearer guess' })).status).toBe(401);
    // A user's session is not the line's token.
    expect((await t.call('admin', 'POST', '/api/rescue-line/calls', { liftId: 'LB-1', note: '' })).status).toBe(401);
    const line = { authorization: `Bearer ${LINE_TOKEN}` };
    const call = await t.call(null, 'POST', '/api/rescue-line/calls', { liftId: 'LB-1', line: '96333', externalId: 'L-1', callerPhone: '+86 138 0000 0000', note: 'two people' }, line);
    expect(call.status).toBe(201);
    const id = call.json<{ call: { id: number } }>().call.id;
    expect((await t.call(null, 'POST', `/api/rescue-line/calls/${id}/stages`, { stage: 'released' }, line)).json()).toMatchObject({ alertState: 'resolved', stages: { releasedAt: expect.any(Number) } });
    expect((await t.call(null, 'POST', '/api/rescue-line/calls', { liftId: 'LB-1', callerPhone: 'call me', note: '' }, line)).status).toBe(400);
  });
});
