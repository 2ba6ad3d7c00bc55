import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetail, Finding, PrecisionReport } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// Closing an alert with the crew's finding, precision from the findings and the findings as training
// labels (src/api/alerts.ts, src/api/findings.ts).
let t: TestApp;
const T0 = Date.UTC(2026, 0, 5);
const predicted = (liftId: string, version: string) => t.ports.raise(liftId, 'D01', {
  severity: 'P3', evidence: [{ at: T0, reason: 'model', evidence: { liftId, stream: 'door', seq: 1, ts: T0, values: { modelId: 'door-system', version, score: 0.93 } } }],
});
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
});
afterAll(() => t.close());

const post = (who: string, id: number, action: string, body: unknown) => t.call(who, 'POST', `/api/alerts/${id}/${action}`, body);

describe('POST /api/alerts/:id/resolve|false-alarm with a finding', () => {
  it('a predicted alert is resolved only with the crew\'s finding, which its detail then shows', async () => {
    const a = predicted('LA-1', '2');
    const refused = await post('crewA', a.id, 'resolve', { note: 'done' });
    expect(refused.status).toBe(422);
    expect(refused.json()['error']).toEqual({ code: 'LW_ERR_FINDING_REQUIRED', message: expect.stringMatching(new RegExp(`^alert ${a.id} \\(D01, P3\\) is resolved with the crew's finding`)) });
    expect((await post('crewA', a.id, 'resolve', { finding: { outcome: 'confirmed', component: 'wheel' } })).json()['error']).toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/^request body\/finding\/component /) });
    expect((await post('crewA', a.id, 'resolve', { finding: { outcome: 'confirmed' } })).json()['error']).toMatchObject({ message: expect.stringMatching(/a confirmed fault names its component: one of doorOperator/) });
    const ok = await post('crewA', a.id, 'resolve', { note: 'belt', finding: { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt' } });
    expect(ok.json()).toMatchObject({ state: 'resolved' });
    expect((await t.call('crewA', 'GET', `/api/alerts/${a.id}`)).json<AlertDetail>().finding).toMatchObject({
      liftId: 'LA-1', modelId: 'door-system', modelVersion: '2', family: 'door-system', outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt', actor: 'crewA',
    });
  });

  it('a false alarm records itself; a P1 rescue closes without a finding and gets one later, by its own crew only', async () => {
    const miss = predicted('LA-1', '2');
    expect((await post('crewA', miss.id, 'false-alarm', {})).json()).toMatchObject({ state: 'falseAlarm' });
    expect((await t.call('admin', 'GET', `/api/alerts/${miss.id}`)).json<AlertDetail>().finding).toMatchObject({ outcome: 'false-alarm', component: null });

    const rescue = t.ports.raise('LA-1', 'E01');
    expect((await t.call('crewA', 'PUT', `/api/alerts/${rescue.id}/finding`, { outcome: 'confirmed', component: 'doorLock' })).json()['error']).toMatchObject({ message: `alert ${rescue.id} is open: its finding is sent with the move that closes it (resolve or false-alarm)` });
    expect((await post('crewA', rescue.id, 'resolve', { note: 'passengers out' })).json()).toMatchObject({ state: 'resolved' });
    expect((await t.call('crewB', 'PUT', `/api/alerts/${rescue.id}/finding`, { outcome: 'confirmed', component: 'doorLock' })).status).toBe(404);
    expect((await t.call('regA', 'PUT', `/api/alerts/${rescue.id}/finding`, { outcome: 'confirmed', component: 'doorLock' })).status).toBe(403);
    const later = await t.call('crewA', 'PUT', `/api/alerts/${rescue.id}/finding`, { outcome: 'confirmed', component: 'doorLock', partReplaced: 'lock contact' });
    expect(later.json<Finding>()).toMatchObject({ alertId: rescue.id, code: 'E01', modelId: null, family: 'door-system', actor: 'crewA' });
  });
});

describe('precision and labels', () => {
  it('GET /api/findings/precision (any reader) and GET /api/models (admins) show precision per model version and rule', async () => {
    const report = (await t.call('regA', 'GET', '/api/findings/precision')).json<PrecisionReport>();
    expect(report.models).toMatchObject([{ modelId: 'door-system', modelVersion: '2', code: 'D01', findings: 2, confirmed: 1, falseAlarm: 1, precision: 0.5 }]);
    expect(report.rules).toMatchObject([{ code: 'E01', findings: 1, confirmed: 1, precision: 1 }]);
    expect(report.models[0]!.low).toBeCloseTo(0.0945, 4);
    expect((await t.call('admin', 'GET', '/api/models')).json()['precision']).toEqual(report);
  });

  it('exports the findings as training labels, CSV and JSON lines, only of the user\'s lifts', async () => {
    const b = predicted('LB-1', '3');
    await post('crewB', b.id, 'resolve', { finding: { outcome: 'confirmed', component: 'brake' } }); // a fault, but not of the door family
    const csv = await t.call('crewA', 'GET', '/api/exports/findings.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(header).toBe('alertId,liftId,code,family,modelId,modelVersion,alertOpenedAt,outcome,label,component,partReplaced,foundAt');
    // alertId, alertOpenedAt and foundAt left out: the times are the clock's
    expect(rows.map((r) => r.split(',').filter((_, i) => ![0, 6, 11].includes(i)).join(','))).toEqual([
      'LA-1,D01,door-system,door-system,2,confirmed,1,doorOperator,door belt',
      'LA-1,D01,door-system,door-system,2,false-alarm,0,,',
      'LA-1,E01,door-system,,,confirmed,1,doorLock,lock contact',
    ]);
    const jsonl = await t.call('admin', 'GET', '/api/exports/findings.jsonl');
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const labels = jsonl.body.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(labels.map((l) => [l['liftId'], l['family'], l['outcome'], l['label'], l['modelVersion']])).toEqual([
      ['LA-1', 'door-system', 'confirmed', 1, '2'], ['LA-1', 'door-system', 'false-alarm', 0, '2'], ['LA-1', 'door-system', 'confirmed', 1, null], ['LB-1', 'door-system', 'confirmed', 0, '3'],
    ]);
    expect(typeof labels[0]!['alertOpenedAt']).toBe('number');
    expect((await t.call('admin', 'GET', '/api/exports/findings.jsonl?limit=1')).body.trimEnd().split('\n')).toHaveLength(1);
    const future = Date.now() + 86_400_000;
    expect((await t.call('admin', 'GET', `/api/exports/findings.jsonl?since=${future}`)).body).toBe('');
    expect((await t.call(null, 'GET', '/api/exports/findings.csv')).status).toBe(401);
  });
});
