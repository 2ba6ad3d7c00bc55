import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiftRecord } from '@liftwatch/contract';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { openStateStore } from '@liftwatch/state-store';
import { featuresAt } from '../src/features/definition.js';
import { LiftFeatureState } from '../src/features/lift-state.js';
import { stateHealthHistory } from '../src/health/health-history.js';
import { createHealthService } from '../src/health/health-service.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';
import type { SavedFeatureState } from '../src/features/state-codec.js';
import { threadedFeatureStates } from '../src/serving/feature-state-writer.js';
import { sqliteFeatureStates } from '../src/serving/feature-states.js';
import { createModelServing, type PredictedAlertSink } from '../src/serving/serving.js';
import { fixtureRegistry } from './fixtures.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-serving-'));
let fx: ReturnType<typeof fixtureRegistry>;
beforeAll(() => { fx = fixtureRegistry(); }, 60_000);
afterAll(() => { fx.remove(); rmSync(dir, { recursive: true, force: true }); });
const START = Date.UTC(2026, 5, 1);

// 30 simulated days: the door operator wears from day 16, a visit on day 25 repairs it.
const history = simulatedDoorWear('SV-1', { end: START + 30 * DAY, days: 30, wornFromDay: 16, visitEveryDays: 25, visitRepairsDoor: 1 });
const rowOf = (r: LiftRecord) => ({ liftId: r.record.liftId, stream: r.stream, seq: r.record.seq, ts: r.record.ts, rx: r.record.ts, record: r.record as unknown as Record<string, unknown> });
/** The history in chunks of `hours`, as ingest would hand them over. */
const chunks = (from: number, to: number, hours = 6) => {
  const out: Array<{ at: number; rows: ReturnType<typeof rowOf>[] }> = [];
  for (let t = from; t < to; t += hours * HOUR) out.push({ at: t + hours * HOUR, rows: history.records.filter((r) => r.record.ts >= t && r.record.ts < t + hours * HOUR).map(rowOf) });
  return out;
};

function recordingSink() {
  const calls: Array<{ op: 'raise' | 'cleared'; at: number; liftId: string; code: string; reason: string; evidence?: { stream: string; seq: number; values: Record<string, unknown> } }> = [];
  let at = 0;
  const sink: PredictedAlertSink = {
    raise: (req) => { calls.push({ op: 'raise', at, liftId: req.liftId, code: req.code, reason: req.reason, evidence: req.evidence }); return {}; },
    conditionCleared: (liftId, code, note) => { calls.push({ op: 'cleared', at, liftId, code, reason: note }); },
  };
  return { calls, sink, setTime: (t: number) => { at = t; } };
}

describe('model serving on the streaming features', () => {
  it('a wearing door (simulated) raises D01 while it wears, with the model, score, top features and evidence; the repair clears it; shadow is recorded only', async () => {
    const db = new Database(join(dir, 'a.db'));
    const store = createSqliteTelemetry(db);
    let now = START;
    const state = await openStateStore({ url: `sqlite:${join(dir, 'a.db')}`, connection: db });
    const health = createHealthService({ history: stateHealthHistory(state.health), now: () => now });
    const rec = recordingSink();
    const serving = await createModelServing({ registryDir: fx.dir, minIntervalMs: 0, maxLiftsPerS: 1000, shadow: { 'door-system': '1' } },
      { store, alerts: rec.sink, health, featureStates: sqliteFeatureStates(db), now: () => now });
    for (const c of chunks(START, START + 30 * DAY, 12)) {
      await store.write(c.rows);
      now = c.at;
      rec.setTime(c.at);
      serving.onStored(c.rows);
      serving.onStored([{ liftId: 'SV-1', stream: 'status', ts: c.at }]); // status never schedules
      await serving.flush();
    }
    const door = rec.calls.filter((c) => c.code === 'D01');
    expect(door.map((c) => c.op)).toEqual(['raise', 'cleared']);
    const [raised, cleared] = door as [typeof door[0], typeof door[0]];
    // the fixture model fires at +20 % door-motor current against the lift's own baseline: about 4 days into the wear
    expect(raised.at).toBeGreaterThan(START + 18 * DAY);
    expect(raised.at).toBeLessThan(START + 23 * DAY);
    expect(cleared.at).toBeGreaterThan(START + 25 * DAY);
    expect(raised.reason).toMatch(/^model door-system v1 predicts a doorSystem failure: score 0\.\d{3}; top features doorMotorIDrift/);
    expect(raised.reason).toMatch(/outside the lift's normal band: .*doorMotorIA [\d.]+ A \(normal [\d.]+–[\d.]+\)/);
    expect(raised.reason).toMatch(/evidence SV-1\/door\/\d+/);
    expect(raised.evidence).toMatchObject({ stream: 'door', values: { modelId: 'door-system', version: '1', family: 'doorSystem' } });
    const precursors = raised.evidence!.values['precursors'] as Array<{ feature: string; outside: boolean; band: { low: number; high: number } | null }>;
    expect(precursors.find((p) => p.feature === 'doorMotorIA')).toMatchObject({ outside: true, band: { low: expect.any(Number), high: expect.any(Number) } });
    expect(rec.calls.filter((c) => c.code !== 'D01')).toEqual([]); // nothing else wears
    const status = serving.status();
    expect(status.models.find((m) => m.id === 'door-system')).toMatchObject({ code: 'D01', live: { version: '1', family: 'doorSystem' }, shadow: { version: '1' } });
    expect(status.shadowAlerts.map((a) => [a.state, a.shadow])).toEqual([['cleared', true], ['raised', true]]);
    expect(status.featureStates).toMatchObject({ fresh: 1, resident: 1, bytesPerState: expect.any(Number) });
    expect(status.alertsRaised).toEqual({ 'door-system@1': 1 });
    expect(health.score('SV-1')).toMatchObject({ at: Math.max(...history.records.map((r) => r.record.ts)), grade: expect.stringMatching(/[A-E]/) }); // health computed at each scoring, at its newest record
    expect((await health.history('SV-1')).length).toBeGreaterThan(1);
    // the lift page: each family's risk now, its daily trend and the precursors against the lift's band
    const risk = (await serving.lift('SV-1'))!;
    expect(risk.families.map((f) => f.family)).toEqual(['doorSystem', 'guidesRide', 'brake', 'tractionRopes', 'driveThermal']);
    const doorRisk = risk.families[0]!;
    expect(doorRisk).toMatchObject({ code: 'D01', modelId: 'door-system', version: '1', state: 'normal', raise: 0.7, persistMs: 12 * HOUR });
    expect(doorRisk.trend.length).toBeGreaterThanOrEqual(29);
    expect(Math.max(...doorRisk.trend.map((t) => t.risk))).toBeGreaterThan(0.7);
    expect(doorRisk.precursors.map((p) => p.feature)).toContain('doorMotorIA');
    expect(serving.risk('SV-1')).toBeLessThan(1);
    expect(await serving.lift('NOT-SCORED')).toBeNull();
    await serving.close();
    serving.onStored(chunks(START, START + 6 * HOUR)[0]!.rows); // after close: ignored, no error
    await health.close();
    await state.close();
    db.close();
  });

  it('checkpoints feature states: a restart goes on from the saved state and replays only the records stored after it', async () => {
    const db = new Database(join(dir, 'b.db'));
    const store = createSqliteTelemetry(db);
    const open = () => createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 0, checkpointMs: 3_600_000 },
      { store, alerts: recordingSink().sink, featureStates: sqliteFeatureStates(db) });
    const a = await open();
    const all = chunks(START, START + 20 * DAY);
    for (const c of all.slice(0, 60)) { await store.write(c.rows); a.onStored(c.rows); }
    await a.flush();
    expect(a.checkpoint()).toBe(1);
    const after = all.slice(60, 64).flatMap((c) => c.rows);
    await store.write(after);
    a.onStored(after);
    await a.flush();
    // a crash: the last rows are stored but not checkpointed
    const b = await open();
    const rest = all.slice(64).flatMap((c) => c.rows);
    await store.write(rest);
    b.onStored(rest);
    await b.flush();
    expect(b.status().featureStates).toMatchObject({ loaded: 1, fresh: 0, replayed: after.length + rest.length });
    b.checkpoint();
    // the restored state is the state of an uninterrupted replay of the same records
    const direct = new LiftFeatureState('SV-1');
    for (const r of history.records) if (r.record.ts < START + 20 * DAY) direct.add(r.stream, r.record as never);
    const { loadState } = await import('../src/features/state-codec.js');
    const saved = loadState('SV-1', sqliteFeatureStates(db).load('SV-1') as never);
    expect(featuresAt(saved, START + 20 * DAY)).toEqual(featuresAt(direct, START + 20 * DAY));
    await a.close();
    await b.close();
    db.close();
  });

  it('checkpoints every changed state by itself, in slices a thread writes, and the rest at close', async () => {
    const db = new Database(join(dir, 'periodic.db'));
    db.pragma('journal_mode = WAL');
    const port = threadedFeatureStates(db);
    const serving = await createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 3_600_000, checkpointMs: 100 },
      { store: createSqliteTelemetry(db), alerts: recordingSink().sink, featureStates: port, storedBefore: () => false });
    const door = (liftId: string, seq: number) => ({ liftId, stream: 'door', seq, ts: START + seq, rx: START + seq, record: { liftId, seq, ts: START + seq, closeS: 3, openS: 2.5, reopens: 0 } });
    const lifts = Array.from({ length: 1_200 }, (_, i) => `P-${i}`);
    serving.onStored(lifts.map((id) => door(id, 1)));
    const rows = () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM model_feature_states').get()!.n;
    for (let i = 0; i < 600 && rows() < lifts.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(rows()).toBe(lifts.length); // more than one slice, written without checkpoint() being called
    serving.onStored([door('P-7', 2)]);
    await serving.close();
    await port.close();
    const saved = sqliteFeatureStates(db).load('P-7') as SavedFeatureState;
    const { loadState } = await import('../src/features/state-codec.js');
    expect(loadState('P-7', saved).newest('door')).toEqual([START + 2, 2]); // the change after the last round, saved at close
    db.close();
  });

  it('rescores a lift with new records once its minimum interval has passed, and every lift once a round, records or not', async () => {
    const db = new Database(join(dir, 'c.db'));
    const store = createSqliteTelemetry(db);
    let now = START;
    const serving = await createModelServing({ registryDir: fx.dir, modelIds: ['door-system'], minIntervalMs: 10 * 60_000, roundMs: 60 * 60_000, tickMs: 60_000 },
      { store, alerts: recordingSink().sink, now: () => now });
    const door = history.doors[0]!;
    const row = (liftId: string, ts: number) => ({ liftId, stream: 'door', ts, record: { ...door, liftId, ts, seq: ts } });
    serving.onStored([row('M-1', START), row('M-2', START)]);
    await serving.tick(); // the first tick starts a round over both lifts and scores the marked ones
    expect(serving.status().runs).toEqual({ runs: 1, rows: 2 });
    serving.onStored([row('M-1', START + 1000)]);
    now += 5 * 60_000;
    await serving.tick(); // M-1 waits for its interval; the round has nothing due either
    expect(serving.status().scheduling).toMatchObject({ waiting: 1, lagS: 0 });
    expect(serving.status().runs.rows).toBe(2);
    now += 6 * 60_000;
    await serving.tick();
    expect(serving.status().scheduling).toMatchObject({ waiting: 0, fromRecords: 3 });
    expect(serving.status().runs.rows).toBe(3);
    // no more records: M-2 is rescored by the next round all the same
    now += 61 * 60_000;
    for (let i = 0; i < 3; i++) await serving.tick();
    expect(serving.status().scheduling).toMatchObject({ rounds: expect.any(Number), fromRound: expect.any(Number) });
    expect(serving.status().scheduling.fromRound).toBe(2);
    expect(serving.status().runs.rows).toBe(5);
    await serving.close();
    db.close();
  });
});
