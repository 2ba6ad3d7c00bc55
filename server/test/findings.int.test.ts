import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic, type AlertDetail, type AlertView, type PrecisionReport } from '@liftwatch/contract';
import { simulatedDoorWear } from '@liftwatch/models';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { modelsWithAnEagerDoorModel } from './eager-door-model.js';
import { scoringSettled, startTestLiftwatch, terminalsPerLift } from './helpers.js';

// Crews close the loop, end to end through the running platform: two lifts whose doors wear raise
// predicted D01 alerts from the shipped door model (its raise threshold lowered); one is resolved as a confirmed door fault, the
// other marked a false alarm, and GET /api/models measures the model version's precision from them.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const liftTerminals = terminalsPerLift(() => lw);
const LIFTS = ['FIND-1', 'FIND-2'];
const DAY = 86_400_000;
const HOUR = 3_600_000;
const END = Date.now();
const models = tempDir();

interface ModelsStatus { scheduling: { waiting: number; scored: number }; precision: PrecisionReport }

beforeAll(async () => {
  // the histories end now; a prediction raised from their records opens once it is scored on records of
  // the last 3 days (older raises are held as history and sent only if still raised then)
  lw = await startTestLiftwatch({ modelScoreMinIntervalMin: 0, modelScoreLiftsPerS: 1000, modelHistoryStaleMin: 3 * 24 * 60, modelsDir: modelsWithAnEagerDoorModel(models.path) });
});
afterAll(async () => {
  await liftTerminals.end();
  await lw?.stop();
  models.remove();
});

const histories = LIFTS.map((liftId) => ({ liftId, ...simulatedDoorWear(liftId, { end: END, days: 60, wornFromDay: 40, failDays: 25, trafficScale: 0.15 }) }));
const publish = async (from: number, to: number) => {
  for (const h of histories) {
    const client = await liftTerminals.of(h.liftId);
    for (const stream of ['status', 'door', 'trip', 'env', 'fault'] as const) {
      const of = h.records.filter((r) => r.stream === stream && r.record.ts >= from && r.record.ts < to).map((r) => r.record);
      for (let i = 0; i < of.length; i += 250) await client.publishAsync(liftTopic(h.liftId, stream), JSON.stringify(of.slice(i, i + 250)), { qos: 1 });
    }
  }
};
/** Every scheduled scoring done, and at least one more than before. */
const settled = scoringSettled<ModelsStatus>(() => lw);
const predicted = (liftId: string) => waitFor(`the predicted alert on ${liftId}`, async () =>
  (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=${liftId}&state=active`)).alerts.find((a) => a.code === 'D01'), 20_000);
const openPredictions = async () => (await lw.get<{ alerts: AlertView[] }>('/api/alerts?state=active')).alerts.filter((a) => a.code === 'D01').length;
const post = async (id: number, action: string, body: unknown) => {
  const res = await lw.fetch(`/api/alerts/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const doorModel = async () => (await lw.get<ModelsStatus>('/api/models')).precision.models.filter((r) => r.modelId === 'door-system');

describe('findings in the running platform', () => {
  it('a predicted alert resolved as confirmed and another marked a false alarm change the model\'s measured precision', async () => {
    const healthyUntil = END - 20 * DAY;
    await publish(0, healthyUntil);
    await settled();
    // half a day at a time, each half-day scored, until both doors' predictions are raised
    for (let t = healthyUntil; t < END && (await openPredictions()) < LIFTS.length; t += 12 * HOUR) {
      await publish(t, t + 12 * HOUR);
      await settled();
    }
    const [hit, miss] = [await predicted('FIND-1'), await predicted('FIND-2')];
    const version = ((await lw.get<AlertDetail>(`/api/alerts/${hit.id}`)).evidence.at(-1)!.evidence.values as { version: string }).version;
    expect(await doorModel()).toEqual([]);

    expect(await post(hit.id, 'resolve', { note: 'closing the door took 7 s' })).toMatchObject({ status: 422, body: { error: { code: 'LW_ERR_FINDING_REQUIRED' } } });
    expect(await post(hit.id, 'resolve', { note: 'belt worn', finding: { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door motor belt' } })).toMatchObject({ status: 200, body: { state: 'resolved' } });
    expect(await doorModel()).toMatchObject([{ modelVersion: version, code: 'D01', findings: 1, confirmed: 1, precision: 1 }]);

    expect(await post(miss.id, 'false-alarm', { note: 'door fine, sill cleaned' })).toMatchObject({ status: 200, body: { state: 'falseAlarm' } });
    const [row] = await doorModel();
    expect(row).toMatchObject({ modelVersion: version, findings: 2, confirmed: 1, falseAlarm: 1, precision: 0.5 });
    expect(row!.low).toBeCloseTo(0.0945, 4);
    expect(row!.high).toBeCloseTo(0.9055, 4);

    const labels = (await (await lw.fetch('/api/exports/findings.jsonl')).text()).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(labels.filter((l) => l['modelId'] === 'door-system').map((l) => [l['liftId'], l['family'], l['outcome'], l['label'], l['modelVersion'], l['alertOpenedAt']])).toEqual([
      ['FIND-1', 'door-system', 'confirmed', 1, version, hit.openedAt], ['FIND-2', 'door-system', 'false-alarm', 0, version, miss.openedAt],
    ]);
  }, 180_000); // two lifts' 60 days through ingest and scoring
});
