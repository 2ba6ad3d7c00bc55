import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN } from '@liftwatch/contract';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { memoryAlertStates } from '../src/serving/alert-states.js';
import { createModelServing, type PredictedAlertSink } from '../src/serving/serving.js';
import { fixtureRegistry, serveBrakeRule } from './fixtures.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 5, 1);
let fx: ReturnType<typeof fixtureRegistry>;

beforeAll(() => {
  fx = fixtureRegistry();
  serveBrakeRule(fx.dir); // brake serves model-or-rule: its rule (brake drop over 280 ms) raised after 12 h, cleared after 24 h under
}, 60_000);
afterAll(() => fx.remove());

/** Trips every 30 minutes with this brake drop time, as ingest hands them over. */
function trips(liftId: string, from: number, hours: number, brakeDropMs: number, seq0: number) {
  return Array.from({ length: hours * 2 }, (_, i) => {
    const ts = from + i * 30 * 60_000;
    const record = { ...GOLDEN.trip, liftId, seq: seq0 + i, ts, startTs: ts - 21_400, brakeDropMs };
    return { liftId, stream: 'trip', ts, rx: ts, record: record as unknown as Record<string, unknown> };
  });
}

describe('the served predictor', () => {
  it('a brake drop time over the rule\'s limit raises D05 through model-or-rule with the rule, its limit and the measured value in the evidence; it clears when the brake recovers', async () => {
    const calls: Array<{ op: string; code: string; reason: string; values?: Record<string, unknown> }> = [];
    const sink: PredictedAlertSink = {
      raise: (r) => { calls.push({ op: 'raise', code: r.code, reason: r.reason, values: r.evidence.values }); return {}; },
      conditionCleared: (_lift, code, note) => { calls.push({ op: 'cleared', code, reason: note }); },
    };
    const alertStates = memoryAlertStates();
    const serving = await createModelServing({ registryDir: fx.dir, minIntervalMs: 0 }, {
      store: createSqliteTelemetry(new Database(':memory:')), alerts: sink, alertStates, storedBefore: () => false, now: () => START,
    });
    // a lift whose brake has always dropped slowly (320 ms): nothing drifts against its own baseline, so the model stays quiet
    let seq = 1;
    const feed = async (hours: number, dropMs: number, from: number) => {
      for (let h = 0; h < hours; h += 6) {
        const rows = trips('BR-1', from + h * HOUR, 6, dropMs, seq);
        seq += rows.length;
        serving.onStored(rows);
        await serving.scoreAt(['BR-1'], from + (h + 6) * HOUR);
      }
    };
    await feed(48, 320, START);
    const brake = calls.filter((c) => c.code === 'D05');
    expect(brake.map((c) => c.op)).toEqual(['raise']);
    expect(brake[0]!.reason).toMatch(/^rule \(served by brake v1 as model-or-rule\) predicts a brake failure: mean brake drop time, ms 320 > limit 280/);
    expect(brake[0]!.values).toMatchObject({
      modelId: 'brake', predictor: 'model-or-rule', firedBy: 'rule',
      rule: { scale: 1, readings: expect.arrayContaining([{ what: 'mean brake drop time, ms', value: 320, limit: 280, over: true }]) },
    });
    expect((brake[0]!.values!['score'] as number)).toBeLessThan(0.7); // the model alone would not have raised it
    expect([...alertStates.load('brake#rule')].map(([lift, s]) => [lift, s.active])).toEqual([['BR-1', true]]);
    expect((await serving.lift('BR-1'))!.families.find((f) => f.family === 'brake')).toMatchObject({ state: 'raised', predictor: 'model-or-rule', heldBy: ['rule'], clearingSince: null }); // the lift page says the rule holds it
    // the brake is adjusted: 200 ms from now on; the rule clears once its level has been under the limit for a day
    await feed(72, 200, START + 48 * HOUR);
    expect(calls.filter((c) => c.code === 'D05').map((c) => c.op)).toEqual(['raise', 'cleared']);
    expect((await serving.lift('BR-1'))!.families.find((f) => f.family === 'brake')).toMatchObject({ state: 'normal', heldBy: [], clearingSince: null });
    expect(calls.at(-1)!.reason).toMatch(/the model \(score 0\.\d+\) and the rule both stayed below their clear thresholds/);
    expect(calls.filter((c) => c.code !== 'D05')).toEqual([]); // the other families serve their model, which sees no drift
    await serving.close();
  });
});
