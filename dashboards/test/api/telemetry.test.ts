import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// Time series, daily counts and a district's latest status (src/api/telemetry.ts).
let t: TestApp;
const DAY = 86_400_000;
/** 08:00 UTC two days ago. */
const T0 = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 8 * 3_600_000;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
  for (const [i, speedMps] of [1, 1.5, 2, 0.5].entries()) t.ports.record('LA-1', 'status', { ...GOLDEN.status, seq: i, ts: T0 + i * 4000, speedMps });
  t.ports.record('LB-1', 'status', { ...GOLDEN.status, seq: 9, ts: T0 });
});
afterAll(() => t.close());

describe('GET /api/lifts/:liftId/series', () => {
  it('answers min, max, mean and count per bucket', async () => {
    const r = await t.call('crewA', 'GET', `/api/lifts/LA-1/series?stream=status&field=speedMps&from=${T0}&to=${T0 + 16_000}&bucketMs=8000`);
    expect(r.json()).toEqual({ liftId: 'LA-1', stream: 'status', field: 'speedMps', bucketMs: 8000, buckets: [
      { t: T0, min: 1, max: 1.5, mean: 1.25, count: 2 }, { t: T0 + 8000, min: 0.5, max: 2, mean: 1.25, count: 2 },
    ] });
  });

  it.each([
    [`from=${T0}&to=${T0}&bucketMs=1000`, 'to (' + T0 + ') must be after from (' + T0 + ')'],
    [`from=0&to=${T0}&bucketMs=1000`, /buckets asked for; at most 5000: widen bucketMs/],
    [`from=${T0}&to=${T0 + 1}&bucketMs=10`, 'request querystring/bucketMs must be >= 1000'],
  ])('refuses %s, saying why', async (q, why) => {
    const r = await t.call('admin', 'GET', `/api/lifts/LA-1/series?stream=status&field=speedMps&${q}`);
    expect(r.status).toBe(400);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(why);
  });

  it('names a field that is not a field name', async () => {
    const r = await t.call('admin', 'GET', `/api/lifts/LA-1/series?stream=status&field=speedMps;drop&from=${T0}&to=${T0 + 1000}&bucketMs=1000`);
    expect(r.json()['error']).toMatchObject({ message: expect.stringMatching(/^request querystring\/field must match pattern/) });
  });
});

describe('GET /api/lifts/:liftId/daily-counts and /api/districts/:areaCode/status', () => {
  it('counts records per day', async () => {
    const r = await t.call('crewA', 'GET', '/api/lifts/LA-1/daily-counts?stream=status&days=7');
    expect(r.json()).toEqual({ liftId: 'LA-1', stream: 'status', counts: [{ liftId: 'LA-1', day: new Date(T0).toISOString().slice(0, 10), count: 4 }] });
    expect((await t.call('crewA', 'GET', '/api/lifts/LA-1/daily-counts?stream=status&days=1')).json()).toMatchObject({ counts: [] });
  });

  it('gives the latest status of each lift of the area that the user may see', async () => {
    const r = await t.call('admin', 'GET', '/api/districts/330106/status');
    expect(r.json()).toEqual({ areaCode: '330106', lifts: [{ liftId: 'LA-1', status: expect.objectContaining({ seq: 3, speedMps: 0.5 }) }] });
    expect((await t.call('crewB', 'GET', '/api/districts/330106/status')).json()).toEqual({ areaCode: '330106', lifts: [] });
    expect((await t.call('admin', 'GET', '/api/districts/3301/status')).json()['error']).toMatchObject({ message: expect.stringMatching(/^request params\/areaCode must match pattern/) });
  });
});
