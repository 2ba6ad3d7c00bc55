import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyRiskView, HealthView, LiftRiskView } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// A lift's predicted risks and health history (src/api/lift-health.ts), and the riskiest list sorted by them (src/api/districts.ts).
let t: TestApp;
const DAY = 86_400_000;
const T0 = 1_790_000_000_000;
const score = (liftId: string, at: number, value: number, grade: HealthView['grade']): HealthView => ({
  liftId, at, score: value, grade, confidence: 0.9, paramsVersion: 'h2', components: { S3: value }, reasons: [], caps: [],
});
const family = (over: Partial<FamilyRiskView>): FamilyRiskView => ({
  family: 'doorSystem', code: 'D01', modelId: 'door-system', version: '2', risk: 0.2, relative: 0.27, raise: 0.75, clear: 0.5, state: 'normal', risingSince: null,
  persistMs: 12 * 3_600_000, heldBy: [], clearingSince: null, clearPersistMs: 48 * 3_600_000, trend: [], topFeatures: [], precursors: [], ...over,
});
const DOOR_RISING: LiftRiskView = {
  liftId: 'LA-1', at: T0,
  families: [
    family({ risk: 0.81, relative: 1.08, state: 'raised', heldBy: ['model'], trend: [{ at: T0 - 2 * DAY, risk: 0.4 }, { at: T0 - DAY, risk: 0.7 }, { at: T0, risk: 0.81 }],
      topFeatures: [{ name: 'doorCloseDrift', value: 0.42, z: 5.1 }],
      precursors: [{ feature: 'doorCloseS', value: 4.3, unit: 's', meaning: 'door closing time', baseline: 3.0, band: { low: 2.7, high: 3.4 }, limit: null, outside: true, features: ['doorCloseDrift'] }] }),
    family({ family: 'brake', code: 'D05', modelId: 'brake', risk: 0.01, relative: 0.11, raise: 0.09, clear: 0.05 }),
  ],
};

beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
  t.ports.lift('LX-1', { areaCode: '330106' });
  t.ports.setHealth(score('LA-1', T0 - 2 * DAY, 88, 'B'));
  t.ports.setHealth(score('LA-1', T0 - DAY, 74, 'C'));
  t.ports.setHealth(score('LA-1', T0, 61, 'D'));
  t.ports.setHealth(score('LB-1', T0, 95, 'A'));
  t.ports.setPrediction(DOOR_RISING);
  t.ports.setPrediction({ liftId: 'LB-1', at: T0, families: [family({ relative: 0.4 })] });
  t.ports.deps.changes.publish({ kind: 'lifts', liftIds: ['LA-1', 'LB-1', 'LX-1'] }); // as ingest does: the fleet index reads them again
});
afterAll(() => t.close());

describe('GET /api/lifts/:liftId/prediction', () => {
  it('is each family\'s risk with its trend, its alert\'s state and the measured quantities behind it against the lift\'s band', async () => {
    const r = await t.call('crewA', 'GET', '/api/lifts/LA-1/prediction');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual(DOOR_RISING);
  });

  it('a lift not scored yet has no families; another unit\'s lift is not shown', async () => {
    expect((await t.call('admin', 'GET', '/api/lifts/LX-1/prediction')).json()).toEqual({ liftId: 'LX-1', at: null, families: [] });
    expect((await t.call('crewB', 'GET', '/api/lifts/LA-1/prediction')).status).toBe(404); // as if it did not exist
  });
});

describe('GET /api/lifts/:liftId/health-history', () => {
  it('gives the stored scores oldest first, the newest `limit` of them', async () => {
    const all = (await t.call('regA', 'GET', '/api/lifts/LA-1/health-history')).json<{ points: HealthView[] }>().points;
    expect(all.map((p) => [p.at, p.score, p.grade])).toEqual([[T0 - 2 * DAY, 88, 'B'], [T0 - DAY, 74, 'C'], [T0, 61, 'D']]);
    const two = (await t.call('admin', 'GET', '/api/lifts/LA-1/health-history?limit=2')).json<{ points: HealthView[] }>().points;
    expect(two.map((p) => p.score)).toEqual([74, 61]);
    expect((await t.call('admin', 'GET', '/api/lifts/LX-1/health-history')).json()).toEqual({ liftId: 'LX-1', points: [] });
  });
});

describe('the riskiest lifts by health and predicted risk', () => {
  const order = async (sort: string) => (await t.call('admin', 'GET', `/api/riskiest?sort=${sort}`)).json<{ lifts: Array<{ liftId: string; predictedRisk: number | null; health: HealthView | null }> }>().lifts;

  it('health: the lowest score first, lifts without one last', async () => {
    expect((await order('health')).map((l) => [l.liftId, l.health?.score ?? null])).toEqual([['LA-1', 61], ['LB-1', 95], ['LX-1', null]]);
  });

  it('predicted: the highest risk relative to its threshold first, lifts not scored last', async () => {
    expect((await order('predicted')).map((l) => [l.liftId, l.predictedRisk])).toEqual([['LA-1', 1.08], ['LB-1', 0.4], ['LX-1', null]]);
  });

  it('risk: an open P1 first, then predicted risk, then health', async () => {
    expect((await order('risk')).map((l) => l.liftId)).toEqual(['LA-1', 'LB-1', 'LX-1']);
    t.ports.raise('LX-1', 'E01');
    expect((await order('risk')).map((l) => l.liftId)).toEqual(['LX-1', 'LA-1', 'LB-1']);
  });
});
