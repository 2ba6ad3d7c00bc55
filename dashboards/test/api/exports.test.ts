import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// CSV exports, scoped like the JSON routes (src/api/exports.ts).
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
  t.ports.lift('LA-1', { areaCode: '330106', reportedAreaCode: '330108' });
  t.ports.raise('LA-1', 'E02', { reason: '=HYPERLINK("http://evil")' });
  t.ports.raise('LB-1', 'E07');
});
afterAll(() => t.close());

describe('CSV exports', () => {
  it('lifts.csv: the platform\'s area beside what the terminal reported, only the user\'s lifts', async () => {
    const r = await t.call('crewA', 'GET', '/api/exports/lifts.csv');
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="lifts.csv"');
    const [header, ...rows] = r.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(header).toBe('liftId,name,address,areaCode,reportedAreaCode,registrationCode,presence,lastSeenAt,openAlerts,recordsTotal');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^LA-1,.*,330106,330108,/);
    expect((await t.call('admin', 'GET', '/api/exports/lifts.csv')).body).toContain('LB-1');
  });

  it('alerts.csv: the user\'s alerts, with formulas disarmed', async () => {
    const body = (await t.call('crewA', 'GET', '/api/exports/alerts.csv?state=active')).body;
    expect(body).toContain(',"\'=HYPERLINK(""http://evil"")",');
    expect(body).not.toContain('LB-1');
    expect((await t.call('crewA', 'GET', '/api/exports/alerts.csv?state=gone')).json()['error']).toMatchObject({ message: expect.stringMatching(/^request querystring\/state /) });
  });

  it('need a session', async () => {
    expect((await t.call(null, 'GET', '/api/exports/alerts.csv')).status).toBe(401);
  });
});
