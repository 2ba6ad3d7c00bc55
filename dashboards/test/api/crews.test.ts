import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// Organisations, people, assignments, rotas, policies, visits and the notification audit (src/api/crews.ts).
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
});
afterAll(() => t.close());

const DING = 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-77';
const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-77';
const SECRETS = /ding-token-77|wecom-key-77|SEC-ding-77|hmac-key-77/;

describe('channel secrets are write-only', () => {
  it('no route shows them, to crews or admins, and a PUT of what a GET showed keeps them', async () => {
    const channels = [{ kind: 'dingtalk', to: DING, secret: 'SEC-ding-77' }, { kind: 'wecom', to: WECOM }, { kind: 'webhook', to: 'http://127.0.0.1:9/hook', secret: 'hmac-key-77' }];
    const created = await t.call('admin', 'PUT', '/api/people/wang', { name: 'Wang', orgId: 'mu-A', channels });
    expect(created.status).toBe(200);
    expect(created.body).not.toMatch(SECRETS);
    expect(created.json<{ channels: unknown[] }>().channels[0]).toEqual({ kind: 'dingtalk', to: 'https://oapi.dingtalk.com/robot/send?access_token=***', secretSet: true });
    const now = Date.now();
    expect((await t.call('admin', 'POST', '/api/rota', { unitId: 'mu-A', startsAt: now - 60_000, endsAt: now + 3_600_000, primary: 'wang', backup: 'pa' })).status).toBe(200);
    for (const who of ['crewA', 'admin']) {
      for (const url of ['/api/people', '/api/on-call/LA-1']) {
        const r = await t.call(who, 'GET', url);
        expect({ who, url, status: r.status }).toEqual({ who, url, status: 200 });
        expect(r.body).toContain('"secretSet":true');
        expect(r.body).not.toMatch(SECRETS);
      }
    }
    const shown = (await t.call('admin', 'GET', '/api/people')).json<{ people: Array<Record<string, unknown>> }>().people.find((p) => p['id'] === 'wang')!;
    expect((await t.call('admin', 'PUT', '/api/people/wang', { ...shown, id: undefined, name: 'Wang Wei' })).status).toBe(200);
    expect(await t.ports.deps.crews.getPerson('wang')).toMatchObject({ name: 'Wang Wei', channels });
  });

  it('on-call answers carry the fields of PersonView and the role, nothing else', async () => {
    const r = await t.call('admin', 'GET', '/api/on-call/LA-1');
    expect(r.json<{ people: Array<Record<string, unknown>> }>().people.map((p) => Object.keys(p).sort())).toEqual([
      ['channels', 'id', 'language', 'name', 'orgId', 'quietHours', 'role', 'severities'], ['channels', 'id', 'language', 'name', 'orgId', 'quietHours', 'role', 'severities'],
    ]);
  });
});

describe('scope and validation', () => {
  it('lists show a crew their own unit\'s organisations, people, policies and visits only', async () => {
    await t.call('admin', 'PUT', '/api/escalation-policies/mu-B/P1', { preset: '1-3-5' });
    await t.call('admin', 'POST', '/api/lifts/LB-1/check-in', { technician: 'tech-b' });
    await t.call('crewA', 'POST', '/api/lifts/LA-1/check-in', {});
    for (const url of ['/api/organisations', '/api/people', '/api/escalation-policies', '/api/maintenance-visits']) {
      const r = await t.call('crewA', 'GET', url);
      expect({ url, status: r.status }).toEqual({ url, status: 200 });
      expect(r.body).not.toMatch(/LB-1|mu-B|"pb"/);
    }
    expect((await t.call('crewA', 'GET', '/api/maintenance-visits')).json()).toMatchObject({ visits: [{ liftId: 'LA-1', technician: 'crewA', endedAt: null }] });
    expect((await t.call('admin', 'GET', '/api/maintenance-visits?limit=5')).json<{ visits: unknown[] }>().visits).toHaveLength(2);
  });

  it('check-in and check-out record the logged-in technician; an admin may name one', async () => {
    expect((await t.call('crewA', 'POST', '/api/lifts/LA-1/check-out', { technician: 'someone-else' })).json()).toMatchObject({ liftId: 'LA-1', endReason: 'checked out by crewA' });
    const r = await t.call('crewA', 'POST', '/api/lifts/LA-1/check-out', {});
    expect(r.status).toBe(404);
    expect(r.json()['error']).toMatchObject({ message: expect.stringMatching(/no maintenance visit going on to check out of; check in first/) });
    expect((await t.call('admin', 'POST', '/api/lifts/LA-1/check-in', { technician: 'tech-a', limitMin: 30 })).json()).toMatchObject({ technician: 'tech-a' });
    expect((await t.call('admin', 'POST', '/api/lifts/LA-1/check-in', { limitMin: 0 })).json()['error']).toMatchObject({ message: 'request body/limitMin must be >= 1' });
  });

  it('a manager writes only their own unit\'s rota', async () => {
    const now = Date.now();
    const shift = { startsAt: now, endsAt: now + 1000, primary: 'pa', backup: 'pa' };
    const r = await t.call('mgrA', 'POST', '/api/rota', { ...shift, unitId: 'mu-B' });
    expect(r.status).toBe(403);
    expect(r.json()['error']).toMatchObject({ message: 'unit "mu-B" is not yours (mu-A): a manager writes the rota of their own unit' });
    expect((await t.call('mgrA', 'POST', '/api/rota', { ...shift, unitId: 'mu-A' })).json()).toMatchObject({ unitId: 'mu-A', id: expect.any(Number) });
    expect((await t.call('mgrA', 'GET', '/api/rota/mu-A')).json<{ shifts: unknown[] }>().shifts.length).toBeGreaterThan(0);
  });

  it('a wrong body is a 400 that names the field', async () => {
    const r = await t.call('admin', 'PUT', '/api/organisations/o-1', { kind: 'factory', name: 'x' });
    expect(r.status).toBe(400);
    expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/^organisation: \/kind /) });
    expect((await t.call('admin', 'PUT', '/api/escalation-policies/mu-A/P9', { preset: '1-3-5' })).json()['error']).toMatchObject({ message: expect.stringMatching(/^request params\/severity /) });
    expect((await t.call('admin', 'PUT', '/api/crew-lifts/LA-1', { maintenanceUnit: 'uu-A' })).json()['error']).toMatchObject({ message: 'lift LA-1: "uu-A" is not a maintenance unit' });
  });

  it('alert actions of crews: assign, notes, notifications and the escalation view', async () => {
    const alert = t.ports.raise('LA-1', 'E02');
    expect((await t.call('crewA', 'POST', `/api/alerts/${alert.id}/assign`, { assignee: 'pa', actor: 'ignored' })).json()).toMatchObject({ id: alert.id, assignee: 'pa' });
    expect((await t.call('crewA', 'POST', `/api/alerts/${alert.id}/notes`, { note: 'door operator replaced' })).status).toBe(200);
    expect((await t.ports.deps.alerts.get(alert.id))!.audit).toEqual([
      expect.objectContaining({ action: 'assigned', actor: 'crewA', note: 'pa' }), expect.objectContaining({ action: 'note', actor: 'crewA', note: 'door operator replaced' }),
    ]);
    expect((await t.call('crewA', 'GET', `/api/alerts/${alert.id}/notifications`)).json()).toEqual({ attempts: [] });
    expect((await t.call('crewA', 'GET', `/api/alerts/${alert.id}/escalation`)).json()).toEqual({ alertId: alert.id, policy: 'default', notified: [], next: null, reminder: null });
    expect((await t.call('admin', 'GET', '/api/alerts/999/escalation')).json()).toEqual({ error: { code: 'LW_ERR_NOT_FOUND', message: 'alert 999 does not exist' } });
    expect((await t.call('crewA', 'GET', '/api/audit/notifications')).status).toBe(403);
    expect((await t.call('admin', 'GET', '/api/audit/notifications')).json()).toEqual({ attempts: [] });
  });

  it('a lift without a unit says how to assign one', async () => {
    t.ports.lift('LC-1');
    expect((await t.call('admin', 'GET', '/api/crew-lifts/LC-1')).json()).toEqual({ error: { code: 'LW_ERR_NOT_FOUND', message: 'lift LC-1 belongs to no maintenance unit yet; assign it with PUT /api/crew-lifts/LC-1' } });
  });
});
