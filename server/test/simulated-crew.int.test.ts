import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertEscalation, type AlertView, type LiftAssignment, type Organisation, type Person, type RotaShift } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';
import { authed, login, TEST_ADMIN_PASSWORD, terminal } from './helpers.js';
import { demoSite } from '@liftwatch/simulator';

/**
 * `npm start -- --simulate N` comes with crews: two maintenance units with people on a 24/7 rota,
 * notified in the console, and the simulated lifts assigned to them, so that a newcomer sees a
 * simulated entrapment reach the on-call crew at once and who is next.
 */
const dir = tempDir();
const lines: string[] = [];
let lw: Running | undefined;
const start = async (over: Record<string, unknown> = {}) => {
  lw = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword: TEST_ADMIN_PASSWORD, simulate: 2, simulateP1PerMinute: 0, models: false, ...over }), (l) => lines.push(l));
  return { lw, api: authed(lw.httpUrl, await login(lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD)) };
};
afterAll(async () => {
  await lw?.close();
  dir.remove();
});

describe('the simulated fleet\'s crews', () => {
  it('are made at first start: units, people with the console channel, a rota around the clock, the lifts assigned', async () => {
    const { api } = await start();
    const { organisations } = await api.get<{ organisations: Organisation[] }>('/api/organisations');
    expect(organisations.map((o) => o.id).sort()).toEqual(['sim-district', 'sim-unit-east', 'sim-unit-west']);
    const { people } = await api.get<{ people: Person[] }>('/api/people');
    expect(people.length).toBeGreaterThanOrEqual(14);
    expect(people.every((p) => p.channels.length === 1 && p.channels[0]!.kind === 'console')).toBe(true);
    expect(await api.get<LiftAssignment>('/api/crew-lifts/SIM-0001')).toMatchObject({ maintenanceUnit: 'sim-unit-east', district: 'sim-district' });
    expect(await api.get<LiftAssignment>('/api/crew-lifts/SIM-0002')).toMatchObject({ maintenanceUnit: 'sim-unit-west', district: 'sim-district' });
    const now = Date.now();
    for (const unit of ['sim-unit-east', 'sim-unit-west']) {
      const { shifts } = await api.get<{ shifts: RotaShift[] }>(`/api/rota/${unit}?from=${now}`);
      expect(shifts[0]!.startsAt).toBeLessThanOrEqual(now);
      for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.startsAt).toBe(shifts[i - 1]!.endsAt); // no hole
      expect(shifts.at(-1)!.endsAt).toBeGreaterThanOrEqual(now + 7 * 86_400_000);
    }
    expect(lines.some((l) => /simulated crews: sim-unit-east and sim-unit-west/.test(l))).toBe(true);
  });

  it('a simulated lift\'s entrapment reaches its on-call crew in the console at once, and names who is next', async () => {
    const api = authed(lw!.httpUrl, await login(lw!.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
    const onCall = await api.get<{ people: Array<Person & { role: string }> }>('/api/on-call/SIM-0001');
    const primary = onCall.people.find((p) => p.role === 'primary')!;
    // A second terminal of SIM-0001 (the simulated one keeps its own connection) presses the alarm button.
    const extra = await terminal(lw!, 'SIM-0001', 'T-SIM-0001-test');
    await extra.publishAsync(liftTopic('SIM-0001', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'SIM-0001', seq: 1, ts: Date.now() }), { qos: 1 });
    await extra.endAsync();
    const alert = await waitFor('the P1 alert', async () => (await api.get<{ alerts: AlertView[] }>('/api/alerts?liftId=SIM-0001&state=active')).alerts[0]);
    const view = await waitFor('the on-call crew notified', async () => {
      const v = await api.get<AlertEscalation>(`/api/alerts/${alert.id}/escalation`);
      return v.notified.some((d) => d.outcome === 'sent') ? v : undefined;
    });
    expect(view.notified).toEqual([expect.objectContaining({ recipientId: primary.id, recipientName: primary.name, channel: 'console', outcome: 'sent', fallback: false })]);
    expect(view.next).toMatchObject({ at: alert.openedAt + 60_000, roles: ['backup', 'supervisor'], fallback: null });
    expect(view.next!.people.map((p) => p.role)).toEqual(['backup', 'supervisor']);
    expect(lines.some((l) => l.includes(`notification for ${primary.name} (${primary.id}) in the console: P1 E01`))).toBe(true);
    // in the crew's language (Chinese), naming the demo lift by its name and address
    const { name, address } = demoSite('SIM-0001');
    expect(lines.some((l) => l.includes(`on lift SIM-0001 (${name}，${address})`) && l.includes('轿厢内按下报警按钮'))).toBe(true);
  });

  it('are not made twice: a restart keeps what is there and extends nothing it does not need', async () => {
    const before = await lw!.inject({ method: 'GET', url: '/api/rota/sim-unit-east?from=0', headers: { authorization: `Bearer ${await login(lw!.httpUrl, 'admin', TEST_ADMIN_PASSWORD)}` } });
    await lw!.close();
    lines.length = 0;
    const { api } = await start();
    const { shifts } = await api.get<{ shifts: RotaShift[] }>('/api/rota/sim-unit-east?from=0');
    expect(shifts.length).toBe((before.json() as { shifts: RotaShift[] }).shifts.length);
    expect((await api.get<{ organisations: Organisation[] }>('/api/organisations')).organisations).toHaveLength(3);
    expect(lines.some((l) => /simulated crews/.test(l))).toBe(false);
  });

  it('are not made with --simulate-crew false', async () => {
    await lw!.close();
    const other = tempDir();
    lw = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: other.path, adminPassword: TEST_ADMIN_PASSWORD, simulate: 1, simulateP1PerMinute: 0, simulateCrew: false, models: false }));
    const api = authed(lw.httpUrl, await login(lw.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
    expect((await api.get<{ organisations: Organisation[] }>('/api/organisations')).organisations).toEqual([]);
    await lw.close();
    lw = undefined;
    other.remove();
  });
});
