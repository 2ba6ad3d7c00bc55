import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, type HealthView } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// Lift summaries, a lift's page and its stored records (src/api/lifts.ts).
let t: TestApp;
const HEALTH: HealthView = {
  liftId: 'LA-1', at: 1_700_000_000_000, score: 81.5, grade: 'B', confidence: 0.9, paramsVersion: 'h1', components: { S1: 90, S2: 70 },
  reasons: [{ component: 'S2', pointsLost: 9, detail: 'door close time up 20 %', evidence: ['LA-1/door/7'] }], caps: [],
};
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
  for (let i = 0; i < 5; i++) t.ports.lift(`LX-${i}`);
  t.ports.record('LA-1', 'device', { ...GOLDEN.device }, 1_700_000_000_500);
  t.ports.record('LA-1', 'status', { ...GOLDEN.status, seq: 2 });
  t.ports.record('LA-1', 'status', { ...GOLDEN.status, seq: 3 });
  t.ports.raise('LA-1', 'E07');
  t.ports.setHealth(HEALTH);
});
afterAll(() => t.close());

describe('GET /api/lifts', () => {
  it('pages every lift for admins, and a unit\'s lifts for its crews', async () => {
    expect((await t.call('admin', 'GET', '/api/lifts?limit=2&offset=1')).json()).toMatchObject({ total: 7, lifts: [{ liftId: 'LB-1' }, { liftId: 'LX-0' }] });
    expect((await t.call('crewA', 'GET', '/api/lifts')).json()).toMatchObject({ total: 1, lifts: [{ liftId: 'LA-1' }] });
    expect((await t.call('regA', 'GET', '/api/lifts')).json()).toMatchObject({ total: 1, lifts: [{ liftId: 'LA-1' }] });
    expect((await t.call('admin', 'GET', '/api/lifts?limit=5001')).json()['error']).toEqual({ code: 'LW_ERR_REQUEST_INVALID', message: 'request querystring/limit must be <= 5000' });
  });
});

describe('GET /api/lifts/:liftId', () => {
  it('is the summary with its alerts, health score and the terminal\'s own health', async () => {
    const lift = (await t.call('crewA', 'GET', '/api/lifts/LA-1')).json<Record<string, unknown>>();
    expect(lift).toMatchObject({ liftId: 'LA-1', presence: 'online', registered: { areaCode: '330106' }, alerts: [{ liftId: 'LA-1', code: 'E07' }], health: HEALTH });
    const { schemaVersion: _v, liftId: _l, seq: _s, ...device } = GOLDEN.device;
    expect(lift['terminal']).toEqual({ ...device, receivedAt: 1_700_000_000_500 });
  });

  it('shows only the fields its schema names, whatever the ports hand back', async () => {
    const summary = t.ports.lift('LX-9');
    t.ports.lift('LX-9', { ...summary, ...({ internalNote: 'not for the API' } as object) });
    t.ports.record('LX-9', 'device', { ...GOLDEN.device, ...{ debugKey: 'secret-77' } });
    const r = await t.call('admin', 'GET', '/api/lifts/LX-9');
    expect(r.status).toBe(200);
    expect(r.body).not.toMatch(/internalNote|secret-77/);
    expect(r.json()).toMatchObject({ health: null, terminal: { fwVersion: '1.4.2' } });
  });

  it('an unknown lift is a 404 that says where lift ids come from', async () => {
    expect((await t.call('admin', 'GET', '/api/lifts/NOPE')).json()).toEqual({ error: { code: 'LW_ERR_NOT_FOUND', message: 'lift "NOPE" has sent nothing yet: check the lift id in the terminal\'s topic' } });
  });
});

describe('GET /api/lifts/:liftId/records', () => {
  it('returns the stored records of a stream, newest first, up to the limit', async () => {
    const r = (await t.call('crewA', 'GET', '/api/lifts/LA-1/records?stream=status&limit=1')).json<{ liftId: string; records: Array<{ stream: string; seq: number; record: { seq: number } }> }>();
    expect(r.liftId).toBe('LA-1');
    expect(r.records.map((x) => [x.stream, x.seq, x.record.seq])).toEqual([['status', 3, 3]]);
    expect((await t.call('crewA', 'GET', '/api/lifts/LA-1/records')).json<{ records: unknown[] }>().records).toHaveLength(3);
  });

  it('names a stream that does not exist', async () => {
    const r = await t.call('admin', 'GET', '/api/lifts/LA-1/records?stream=weather');
    expect(r.status).toBe(400);
    expect(r.json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/^request querystring\/stream must be equal to constant/) });
  });
});
