import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiftRecord } from '@liftwatch/contract';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { openStateStore } from '@liftwatch/state-store';
import { stateHealthHistory } from '../src/health/health-history.js';
import { createHealthService } from '../src/health/health-service.js';
import { recomputeHealth, replayStored } from '../src/health/recompute.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';
import { memoryAlertStates, sqliteAlertStates } from '../src/serving/alert-states.js';
import { sqliteFeatureStates } from '../src/serving/feature-states.js';
import { createModelServing, type PredictedAlertSink } from '../src/serving/serving.js';
import { fixtureRegistry } from './fixtures.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-restart-'));
let fx: ReturnType<typeof fixtureRegistry>;
beforeAll(() => { fx = fixtureRegistry(); }, 60_000);
afterAll(() => { fx.remove(); rmSync(dir, { recursive: true, force: true }); });
const START = Date.UTC(2026, 5, 1);

function sink() {
  const raised: Array<{ liftId: string; code: string }> = [];
  const s: PredictedAlertSink = { raise: (r) => { raised.push({ liftId: r.liftId, code: r.code }); return {}; }, conditionCleared: () => {} };
  return { raised, s };
}

describe('model serving across a restart, and the health score against its recompute', () => {
  // the door wears from day 16: by day 22 the fixture model scores it above its raise threshold (12 h persistence)
  const history = simulatedDoorWear('RS-1', { end: START + 22 * DAY, days: 22, wornFromDay: 16, visitEveryDays: 0 });
  const rows = history.records.map((r) => ({ liftId: r.record.liftId, stream: r.stream, ts: r.record.ts, rx: r.record.ts, record: r.record as unknown as Record<string, unknown> }));

  it('a restart keeps a predicted alert\'s hysteresis: the persistence time started before it counts after it', async () => {
    const db = new Database(join(dir, 'h.db'));
    const store = createSqliteTelemetry(db);
    let now = START + 22 * DAY;
    const open = (alertStates = sqliteAlertStates(db)) => createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 0 },
      { store, alerts: a.s, featureStates: sqliteFeatureStates(db), alertStates, now: () => now });
    const a = sink();
    const first = await open();
    first.onStored(rows);
    await first.flush();
    const risk = (await first.lift('RS-1'))!.families[0]!;
    // scored at the time of the newest record, not the wall clock
    expect(risk).toMatchObject({ state: 'rising', risingSince: Math.max(...rows.map((r) => r.ts)), persistMs: 12 * HOUR });
    expect(a.raised).toEqual([]);
    await first.close();
    // 13 h later, after a restart: the score has held above the threshold for 13 h, so the alert is raised
    now += 13 * HOUR;
    const second = await open();
    await second.scoreAt(['RS-1'], now);
    expect(a.raised).toEqual([{ liftId: 'RS-1', code: 'D01' }]);
    expect((await second.lift('RS-1'))!.families[0]).toMatchObject({ state: 'raised', risingSince: null });
    await second.close();
    // without the kept state the persistence time would start again at the restart
    const forgetful = await open(memoryAlertStates());
    await forgetful.scoreAt(['RS-1'], now + HOUR);
    expect((await forgetful.lift('RS-1'))!.families[0]).toMatchObject({ state: 'rising', risingSince: now + HOUR });
    await forgetful.close();
    db.close();
  });

  it('the persistence time is a setting per family', async () => {
    const db = new Database(join(dir, 'p.db'));
    const a = sink();
    const serving = await createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 0, persistMs: { 'door-system': 0 } },
      { store: createSqliteTelemetry(db), alerts: a.s, now: () => START + 22 * DAY });
    serving.onStored(rows);
    await serving.flush();
    expect(a.raised).toEqual([{ liftId: 'RS-1', code: 'D01' }]);
    expect(serving.status().models[0]).toMatchObject({ id: 'door-system', persistMs: 0 });
    await serving.close();
    db.close();
  });

  /** A serving with a health service whose history is in a state store, the door history replayed into it (nothing scored); `close` ends all. */
  async function servingWithHealth(name: string, now: number) {
    const db = new Database(join(dir, `${name}.db`));
    const file = join(dir, `${name}-state.db`);
    const sdb = new Database(file);
    const state = await openStateStore({ url: `sqlite:${file}`, connection: sdb });
    const health = createHealthService({ history: stateHealthHistory(state.health), now: () => now });
    const serving = await createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 0 }, { store: createSqliteTelemetry(db), alerts: sink().s, health, now: () => now });
    serving.replay('RS-1', rows);
    await serving.flush(); // the state is loaded; nothing is scored (replayed records mark nothing)
    const close = async () => { await serving.close(); await state.close(); sdb.close(); db.close(); };
    return { serving, health, close };
  }

  it('visits read together move the health once, from the newest: the history keeps no score taken with the first alone', async () => {
    const end = START + 22 * DAY;
    const now = end + HOUR;
    const { serving, health, close } = await servingWithHealth('v', now);
    // a minute's read of the visits, in one instant: three of the 15-day cycle, the newest two days ago (the first
    // alone, 32 days ago, would make the lift overdue; a second score at the same instant would not be stored)
    serving.onVisits([-32, -17, -2].map((d) => ({ liftId: 'RS-1', startedAt: end + d * DAY })));
    await health.close();
    const stored = await health.history('RS-1', 10);
    expect(stored.map((p) => p.at)).toEqual([now]);
    expect(stored[0]!.components['S6']).toBe(100);
    expect(stored[0]!.caps).toEqual([]);
    await close();
  });

  it('a replayed history\'s visits count in the scores taken after them and score nothing by themselves', async () => {
    const end = START + 22 * DAY;
    const { serving, health, close } = await servingWithHealth('rv', end + 30 * DAY);
    serving.replayVisit('RS-1', end - 40 * DAY);
    await health.close();
    expect(await health.history('RS-1', 10)).toEqual([]);
    await serving.scoreAt(['RS-1'], end);
    await health.close();
    const [point] = await health.history('RS-1', 10);
    expect(point!.at).toBe(end);
    expect(point!.components['S6']).toBeLessThan(100); // 40 days since the visit of a 15-day cycle
    expect(point!.caps.map((c) => c.reason)).toContain('maintenance 25 days past its 15-day cycle');
    await close();
  });

  it('the recompute command equals the served score after records arrived out of order, with the platform\'s alerts', async () => {
    const file = join(dir, 'r.db');
    const db = new Database(file);
    const state = await openStateStore({ url: `sqlite:${file}`, connection: db });
    const store = createSqliteTelemetry(db);
    const end = START + 22 * DAY;
    const now = end + 3 * HOUR;
    const health = createHealthService({ history: stateHealthHistory(state.health), now: () => now });
    const serving = await createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 0 }, { store, alerts: sink().s, health, now: () => now });
    // a terminal whose link drops: every 50th record arrives two hours late, after newer ones
    const late = (r: LiftRecord, i: number) => i % 50 === 7;
    const arrivals = history.records.map((r, i) => ({ liftId: r.record.liftId, stream: r.stream, ts: r.record.ts, rx: r.record.ts + (late(r, i) ? 2 * HOUR : 0), record: r.record as unknown as Record<string, unknown> }))
      .sort((x, y) => x.rx - y.rx);
    for (let i = 0; i < arrivals.length; i += 500) {
      const batch = arrivals.slice(i, i + 500);
      await store.write(batch.map((r) => ({ ...r, seq: (r.record as { seq: number }).seq })) as never);
      serving.onStored(batch);
    }
    // the platform's own events: an entrapment released, a visit
    const raised = await state.alerts.raise({ liftId: 'RS-1', code: 'E01', severity: 'P1', reason: 'trapped', at: end - 2 * DAY, evidence: { liftId: 'RS-1', stream: 'alarm', seq: 1, ts: end - 2 * DAY, values: {} } });
    await state.alerts.clearCondition('RS-1', 'E01', end - 2 * DAY + HOUR, 'released');
    serving.onAlertChange((await state.alerts.get(raised.alertId))!);
    const visit = await state.visits.start({ liftId: 'RS-1', technician: 't', source: 'checkIn', at: end - 20 * DAY, endsBy: end - 20 * DAY + HOUR });
    serving.onVisit('RS-1', visit.startedAt);
    await serving.flush();
    const served = (await health.ensure('RS-1'))!;
    expect(served.components['S2']).toBeLessThan(100);
    expect(served.caps.map((c) => c.key)).toContain('cap.maintenanceOverdue');
    const again = await recomputeHealth(store, state, 'RS-1', served.at);
    expect(again.score).toBe(served.score);
    expect(again.grade ?? null).toBe(served.grade);
    expect(again.confidence).toBe(served.confidence);
    expect(Object.fromEntries(again.components.map((c) => [c.id, c.score]))).toEqual(served.components);
    // the late records were taken as the served state took them: after newer ones of their stream, skipped
    expect((await replayStored(store, 'RS-1', served.at)).skipped).toBeGreaterThan(100);
    await serving.close();
    await health.close();
    await state.close();
    db.close();
  }, 60_000);
});
