import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatAlert, StatisticsPort, StatLift } from '../../src/statistics/ports.js';
import { fakePorts } from '../fake-ports.js';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// The statistics routes (src/api/statistics.ts) over a port of a few rows: views, scope, CSV, lists and the printable report.
const sh = (d: number, h = 0) => Date.UTC(2026, 2, d, h - 8);
const lift = (liftId: string, over: Partial<StatLift>): StatLift => ({ liftId, since: Date.UTC(2025, 0, 1), areaCode: null, district: null, maintenanceUnit: null, useUnit: null, lastSeenAt: null, ...over });
const LIFTS = [
  lift('LA-1', { areaCode: '330106', district: 'd-1', maintenanceUnit: 'mu-A' }),
  lift('LA-2', { district: 'd-1', maintenanceUnit: 'mu-A' }), // no area code: in d-1 by assignment only
  lift('LB-1', { areaCode: '330108', district: 'd-2', maintenanceUnit: 'mu-B' }),
];
const alert = (id: number, liftId: string, code: string, openedAt: number, over: Partial<StatAlert> = {}): StatAlert => ({
  id, liftId, code, severity: 'P2', state: 'resolved', openedAt, acknowledgedAt: null, onSiteAt: null, resolvedAt: null, call: null, finding: null, ...over,
});
const ALERTS = [
  alert(1, 'LA-1', 'E09', sh(2, 9)), alert(2, 'LA-2', 'E07', sh(3, 9)), alert(3, 'LB-1', 'E09', sh(4, 9)),
  alert(4, 'LA-1', 'E01', sh(5, 9), { severity: 'P1', onSiteAt: sh(5, 9) + 40 * 60_000, resolvedAt: sh(5, 10) }),
];
const statistics: StatisticsPort = {
  settings: { timeZone: 'Asia/Shanghai', arrivalLimitMin: 30, maintenanceDays: 15 },
  lifts: () => LIFTS,
  alerts: (from, to, codes) => ALERTS.filter((a) => a.openedAt >= from && a.openedAt < to && codes.includes(a.code)),
  overdueMaintenance: () => [],
  overdueInspections: () => [],
};

let t: TestApp;
beforeAll(async () => {
  const ports = fakePorts();
  t = await testApp({ ports: { ...ports, deps: { ...ports.deps, statistics } } });
  await twoUnits(t);
  t.ports.lift('LA-2', {});
  const r = await t.call('admin', 'PUT', '/api/crew-lifts/LA-2', { maintenanceUnit: 'mu-A', useUnit: 'uu-A', district: 'd-1' });
  if (r.status !== 200) throw new Error(r.body);
});
afterAll(() => t.close());

const march = async (who: string, query = '') => (await t.call(who, 'GET', `/api/statistics/monthly?from=2026-03&to=2026-03${query}`)).json<{ months: Array<Record<string, unknown>> }>().months[0];

describe('statistics routes', () => {
  it('a regulator\'s default view has the district\'s lifts by assignment and by area; a view narrows it', async () => {
    expect(await march('admin')).toMatchObject({ lifts: 3, failures: 4 });
    // regA: district d-1, area 330106: LA-1 (both) and LA-2 (assigned, no area code); not LB-1.
    expect(await march('regA')).toMatchObject({ lifts: 2, failures: 3, per1000Lifts: 1500, entrapments: 1, rescue: { overArrivalLimit: 1, arrival: { median: 40 } } });
    expect(await march('regA', '&areaCode=330106')).toMatchObject({ lifts: 1, failures: 2 });
    expect(await march('regA', '&district=d-1')).toMatchObject({ lifts: 2, failures: 3 });
    expect(await march('regA', '&areaCode=330108')).toMatchObject({ lifts: 0, failures: 0, per1000Lifts: null });
    expect(await march('crewB')).toMatchObject({ lifts: 1, failures: 1 });
  });

  it('every count opens its list, in the same scope', async () => {
    const failures = (await t.call('regA', 'GET', '/api/statistics/months/2026-03/failures')).json<{ total: number; items: Array<{ id: number }> }>();
    expect(failures.total).toBe(3);
    expect(failures.items.map((a) => a.id)).toEqual([1, 2, 4]);
    expect((await t.call('regA', 'GET', '/api/statistics/months/2026-03/overArrivalLimit')).json()).toMatchObject({ total: 1, items: [{ id: 4, liftId: 'LA-1' }] });
    expect((await t.call('regA', 'GET', '/api/statistics/months/2026-03/lifts')).json()).toMatchObject({ items: ['LA-1', 'LA-2'] });
    expect((await t.call('regA', 'GET', '/api/statistics/months/2026-03/nonsense')).status).toBe(400);
  });

  it('a CSV of the months, and a printable report in Chinese or English with a policy that allows only its own style', async () => {
    const csv = await t.call('regA', 'GET', '/api/statistics/monthly.csv?from=2026-02&to=2026-03');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^month,lifts,failures,failuresPer1000Lifts,lastYearPer1000Lifts,yearOnYearPct,falseAlarms/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['2026-02,2,0,0', '2026-03,2,3,1500']);
    const zh = await t.call('regA', 'GET', '/api/reports/2026-03');
    expect(zh.headers['content-type']).toMatch(/^text\/html/);
    expect(zh.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(zh.body).toContain('电梯安全运行月报 2026-03');
    expect(zh.body).toContain('超过 30 分钟到场');
    expect((await t.call('regA', 'GET', '/api/reports/2026-03?lang=en&areaCode=330106')).body).toMatch(/Monthly lift safety report 2026-03[\s\S]*Scope: area 330106/);
  });

  it('names a wrong month or range', async () => {
    expect((await t.call('regA', 'GET', '/api/statistics/monthly?from=2026-13')).json()['error']).toMatchObject({ message: expect.stringMatching(/^request querystring\/from must match pattern/) });
    expect((await t.call('regA', 'GET', '/api/statistics/monthly?from=2020-01&to=2026-03')).json()['error']).toMatchObject({ message: 'months 2020-01 to 2026-03: give from ≤ to and at most 36 months' });
    expect((await t.call('regA', 'GET', '/api/statistics/monthly?from=2026-03&to=2026-01')).status).toBe(400);
    expect((await t.call(null, 'GET', '/api/statistics/monthly')).status).toBe(401);
  });
});
