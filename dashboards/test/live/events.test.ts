import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiftSummary } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// GET /api/events through inject: the answer is complete when the stream ends, so each test ends it.
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ sessionCheckMs: 20 });
  await twoUnits(t);
});
afterAll(() => t.close());

/** Opens the live stream of `who` and resolves once it listens to the change feed; `ended` resolves with all it sent, when it ends. */
async function open(who: string) {
  const listening = t.ports.subscribers();
  const ended = t.app.inject({ method: 'GET', url: '/api/events', headers: { cookie: `lw_session=${t.token(who)}` } }).then((res) => {
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    return res.body;
  });
  await vi.waitFor(() => expect(t.ports.subscribers()).toBe(listening + 1));
  return { ended };
}
const crew = (id: string, extra: Record<string, unknown> = {}) => ({ name: id, role: 'crew', orgId: 'mu-A', ...extra });

describe('the live stream', () => {
  it('sends a user the alert changes of their lifts at once, never another unit\'s', async () => {
    t.user('crew-live', 'crew', 'mu-A');
    const stream = await open('crew-live');
    t.ports.raise('LB-1', 'E07');
    const mine = t.ports.raise('LA-1', 'E07');
    expect((await t.call('admin', 'POST', `/api/alerts/${mine.id}/acknowledge`, { note: 'on my way' })).status).toBe(200);
    expect((await t.call('admin', 'PUT', '/api/users/crew-live', crew('crew-live', { disabled: true }))).status).toBe(200);
    const text = await stream.ended;
    expect(text).toMatch(/^retry: 2000\nevent: hello\n/);
    expect(text).toMatch(/event: alerts\ndata: \[\{"id":\d+,"liftId":"LA-1","code":"E07".*"state":"open"/);
    expect(text).toMatch(/event: alerts\ndata: .*"LA-1".*"state":"acknowledged"/);
    expect(text).not.toContain('LB-1');
  });

  it('sends changed lift summaries of the user\'s lifts, gathered per interval', async () => {
    t.user('crew-lifts', 'crew', 'mu-A');
    const reads: string[][] = [];
    const lifts = t.ports.deps.lifts as { getMany: (ids: readonly string[]) => LiftSummary[] };
    const getMany = lifts.getMany;
    lifts.getMany = (ids) => (reads.push([...ids]), getMany(ids));
    try {
      const stream = await open('crew-lifts');
      t.ports.deps.changes.publish({ kind: 'lifts', liftIds: ['LA-1', 'LB-1'] });
      t.ports.deps.changes.publish({ kind: 'lifts', liftIds: ['LA-1'] });
      // Two changes in one interval make one read of this user's lifts (another user's stream still closing may read its own).
      await vi.waitFor(() => expect(reads).toContainEqual(['LA-1']));
      expect(reads.filter((r) => r.length === 1 && r[0] === 'LA-1')).toHaveLength(1);
      await new Promise((r) => setImmediate(r)); // the summaries are written once read
      expect((await t.call('admin', 'PUT', '/api/users/crew-lifts', crew('crew-lifts', { disabled: true }))).status).toBe(200);
      const text = await stream.ended;
      expect(text).toMatch(/event: lifts\ndata: \[\{"liftId":"LA-1"/);
      expect(text).not.toContain('LB-1');
    } finally {
      lifts.getMany = getMany;
    }
  });

  it('ends at once, saying why, when an admin disables the user or changes their password', async () => {
    for (const [id, change] of [['crew-off', { disabled: true }], ['crew-pw', { password: 'violet canyon teapot' }]] as const) {
      t.user(id, 'crew', 'mu-A');
      const stream = await open(id);
      expect((await t.call('admin', 'PUT', `/api/users/${id}`, crew(id, change))).status).toBe(200);
      expect(await stream.ended).toMatch(/event: closed\ndata: \{"reason":"the session was closed \(user changed or disabled\): log in again"\}\n\n$/);
      expect((await t.call(id, 'GET', '/api/events')).status).toBe(401);
    }
  });

  it('ends when its session expires, found by the periodic check', async () => {
    const token = t.ports.deps.users.session('crewA', 100);
    const listening = t.ports.subscribers();
    const res = t.app.inject({ method: 'GET', url: '/api/events', headers: { authorization: `Bearer ${token}` } });
    await vi.waitFor(() => expect(t.ports.subscribers()).toBe(listening + 1));
    expect((await res).body).toMatch(/event: closed\ndata: \{"reason":"the session has expired or was closed: log in again"\}/);
  });

  it('needs a session', async () => {
    expect((await t.call(null, 'GET', '/api/events')).status).toBe(401);
  });
});
