import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoorRecord, TripRecord } from '@liftwatch/contract';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { openStateStore } from '@liftwatch/state-store';
import { DEFAULT_ARTIFACTS_DIR } from '../src/index.js';
import { doorWearHistory } from '../src/health/door-wear-example.js';
import { stateHealthHistory } from '../src/health/health-history.js';
import { createHealthService } from '../src/health/health-service.js';
import { createModelServing, type PredictedAlertSink } from '../src/serving/serving.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-serving-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const END = Date.UTC(2026, 5, 1);

type Rec = TripRecord | DoorRecord;
const rowsOf = (trips: readonly Rec[], doors: readonly Rec[]) => [
  ...trips.map((r) => ({ liftId: r.liftId, stream: 'trip' as const, seq: r.seq, ts: r.ts, rx: r.ts, record: r as unknown as Record<string, unknown> })),
  ...doors.map((r) => ({ liftId: r.liftId, stream: 'door' as const, seq: r.seq, ts: r.ts, rx: r.ts, record: r as unknown as Record<string, unknown> })),
];

/** What alerting receives: raise and conditionCleared calls, in order (alerting itself is tested through the all-in-one). */
function recordingSink() {
  const calls: Array<{ op: 'raise' | 'cleared'; liftId: string; code: string; reason: string; evidence?: { stream: string; seq: number; values: Record<string, unknown> } }> = [];
  const sink: PredictedAlertSink = {
    raise: (req) => { calls.push({ op: 'raise', liftId: req.liftId, code: req.code, reason: req.reason, evidence: req.evidence }); return {}; },
    conditionCleared: (liftId, code, note) => { calls.push({ op: 'cleared', liftId, code, reason: note }); },
  };
  return { calls, sink };
}

describe('model serving in the platform', () => {
  it('stored door summaries of a wearing door raise D01 with the model, score, top features and evidence; healthy ones clear it; shadow is recorded only', async () => {
    const db = new Database(join(dir, 'a.db'));
    const store = createSqliteTelemetry(db);
    let now = END;
    const state = await openStateStore({ url: `sqlite:${join(dir, 'a.db')}`, connection: db });
    const health = createHealthService({ history: stateHealthHistory(state.health), store, now: () => now });
    const { calls, sink } = recordingSink();
    const serving = await createModelServing({ registryDir: DEFAULT_ARTIFACTS_DIR, minIntervalMs: 0, maxDelayMs: 10_000, shadow: { 'door-system': '1' } }, { store, alerts: sink, health, now: () => now });
    const worn = doorWearHistory('SV-1', { end: END, days: 35, wornFrom: END - 4 * DAY });
    const healthy = doorWearHistory('SV-1', { end: END + 2 * DAY, days: 2, wornFrom: Infinity, firstSeq: 100_000 });
    const phases = [
      rowsOf(worn.trips.filter((r) => r.ts < END - 13 * HOUR), worn.doors.filter((r) => r.ts < END - 13 * HOUR)),
      rowsOf(worn.trips.filter((r) => r.ts >= END - 13 * HOUR), worn.doors.filter((r) => r.ts >= END - 13 * HOUR)),
      rowsOf(healthy.trips.filter((r) => r.ts < END + 26 * HOUR), healthy.doors.filter((r) => r.ts < END + 26 * HOUR)),
      rowsOf(healthy.trips.filter((r) => r.ts >= END + 26 * HOUR), healthy.doors.filter((r) => r.ts >= END + 26 * HOUR)),
    ];
    const results: Array<typeof calls> = [];
    for (const rows of phases) {
      await store.write(rows);
      serving.onStored(rows);
      serving.onStored([{ liftId: 'SV-1', stream: 'status', ts: END }]); // status never schedules
      await serving.flush();
      results.push(calls.splice(0));
    }
    expect(results[0]).toEqual([]); // above the raise threshold, but not yet for 12 h
    expect(results[1]).toHaveLength(1);
    const raised = results[1]![0]!;
    expect(raised).toMatchObject({ op: 'raise', liftId: 'SV-1', code: 'D01' });
    expect(raised.reason).toMatch(/^model door-system v1 predicts a doorSystem failure: score 0\.\d{3}; top features \w+/);
    expect(raised.reason).toMatch(/evidence SV-1\/door\/\d+/);
    expect(raised.evidence).toMatchObject({ stream: 'door', values: { modelId: 'door-system', version: '1' } });
    expect((raised.evidence!.values['evidenceIds'] as string[]).every((e) => /^SV-1\/door\/\d+$/.test(e))).toBe(true);
    expect(results[2]).toEqual([]); // below the clear threshold, not yet for 12 h
    expect(results[3]).toEqual([expect.objectContaining({ op: 'cleared', liftId: 'SV-1', code: 'D01' })]);

    const status = serving.status();
    expect(status.models.find((m) => m.id === 'door-system')).toMatchObject({ code: 'D01', live: { version: '1', family: 'doorSystem' }, shadow: { version: '1' } });
    expect(status.shadowAlerts.map((a) => [a.state, a.shadow])).toEqual([['cleared', true], ['raised', true]]);
    expect(status.comparison).toMatchObject({ rows: 4, liveOnly: 0, shadowOnly: 0, meanAbsDiff: 0 });
    expect(status.recentAlerts.map((a) => [a.code, a.state])).toEqual([['D01', 'cleared'], ['D01', 'raised']]);
    expect(status.runs.runs).toBe(4 * 5); // one Run per live model per batch (shadow Runs are not counted)
    expect(health.score('SV-1')).toMatchObject({ at: END, reasons: expect.arrayContaining([expect.objectContaining({ component: 'S3' })]) }); // health recomputed at each scoring
    now = END + DAY;
    await serving.close();
    serving.onStored(phases[0]!); // after close: ignored, no error
    await health.close();
    await state.close();
    db.close();
  });

  it('scores a lift at most once per minimum interval; a deferred lift is scored once the interval has passed', async () => {
    const db = new Database(join(dir, 'b.db'));
    const store = createSqliteTelemetry(db);
    let now = END;
    const serving = await createModelServing({ registryDir: DEFAULT_ARTIFACTS_DIR, modelIds: ['door-system'], minIntervalMs: 10 * 60_000, maxDelayMs: 10_000 }, { store, alerts: recordingSink().sink, now: () => now });
    const row = (liftId: string, ts: number) => ({ liftId, stream: 'door', ts });
    serving.onStored([row('M-1', END), row('M-2', END)]);
    serving.onStored([row('M-1', END + 1000)]);
    serving.onStored([row('M-1', END + 2000)]);
    expect(serving.status().scheduling).toMatchObject({ scheduled: 2, deferred: 1, waiting: 1, queued: 2 });
    await serving.flush();
    expect(serving.status().scheduling).toMatchObject({ queued: 0 });
    expect(serving.status().runs).toEqual({ runs: 1, rows: 2 });
    now += 5 * 60_000;
    serving.sweep();
    expect(serving.status().scheduling).toMatchObject({ scheduled: 2, waiting: 1 });
    now += 5 * 60_000;
    serving.sweep();
    expect(serving.status().scheduling).toMatchObject({ scheduled: 3, waiting: 0 });
    await serving.flush();
    expect(serving.status().runs).toEqual({ runs: 2, rows: 3 });
    await serving.close();
    db.close();
  });
});
