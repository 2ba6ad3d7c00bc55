import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import { openStateStore } from '@liftwatch/state-store';
import { stateHealthHistory } from '../src/health/health-history.js';
import { createHealthService } from '../src/health/health-service.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';
import { createModelServing, type ModelServingOptions, type PredictedAlertSink } from '../src/serving/serving.js';
import { createThreadedServing } from '../src/serving/threaded-serving.js';
import { fixtureRegistry } from './fixtures.js';
import { expectCloseStats, FLOAT_SUMS_TOLERANCE } from './close-stats.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'lw-threaded-'));
let fx: ReturnType<typeof fixtureRegistry>;
beforeAll(() => { fx = fixtureRegistry(); }, 60_000);
afterAll(() => { fx.remove(); rmSync(dir, { recursive: true, force: true }); });

function sink() {
  const calls: string[] = [];
  const s: PredictedAlertSink = {
    raise: (r) => { calls.push(`raise ${r.liftId} ${r.code}: ${r.reason}`); return {}; },
    conditionCleared: (liftId, code, note) => { calls.push(`cleared ${liftId} ${code}: ${note}`); },
  };
  return { calls, s };
}

/** A health service over a state store of its own file. */
async function healthIn(name: string) {
  const file = join(dir, `${name}-state.db`);
  const sdb = new Database(file);
  const state = await openStateStore({ url: `sqlite:${file}`, connection: sdb });
  const health = createHealthService({ history: stateHealthHistory(state.health) });
  return { health, close: async () => { await health.close(); await state.close(); sdb.close(); } };
}

// A door wearing from day 16 of 22 whose records end now: the fixture door model raises D01 on it
// (persistence 0), at the wall clock's present, so nothing is held back as history.
const end = Math.floor(Date.now() / 60_000) * 60_000;
const history = (liftId: string) => simulatedDoorWear(liftId, { end, days: 22, wornFromDay: 16, visitEveryDays: 0 }).records
  .map((r) => ({ liftId, stream: r.stream, ts: r.record.ts, seq: r.record.seq, rx: r.record.ts, record: r.record as unknown as Record<string, unknown> }));
const OPTIONS: ModelServingOptions = { registryDir: '', modelIds: ['door-system'], minIntervalMs: 0, persistMs: { 'door-system': 0 } };

describe('the model serving on a thread of its own', () => {
  it('gives the risks, alerts and health scores it gives on the event loop', async () => {
    const rows = history('TH-1');
    const o = { ...OPTIONS, registryDir: fx.dir };
    // on the event loop
    const a = sink();
    const ha = await healthIn('a');
    const inline = await createModelServing(o, { store: createSqliteTelemetry(new Database(':memory:')), alerts: a.s, health: ha.health });
    inline.onStored(rows);
    await inline.flush();
    // on its thread, over a database file
    const db = new Database(join(dir, 'b.db'));
    createSqliteTelemetry(db);
    const b = sink();
    const hb = await healthIn('b');
    const threaded = await createThreadedServing(o, { db, alerts: b.s, health: hb.health, eventsDays: 120 });
    threaded.onStored(rows);
    await threaded.flush();

    expect(a.calls).toHaveLength(1);
    expect(a.calls[0]).toMatch(/^raise TH-1 D01: /);
    expect(b.calls).toEqual(a.calls);
    const risk = await threaded.lift('TH-1');
    expect(risk).toEqual(await inline.lift('TH-1'));
    expect(risk!.families[0]).toMatchObject({ state: 'raised' });
    expect(threaded.risk('TH-1')).toBe(inline.risk('TH-1'));
    expect(threaded.risk('TH-1')).toBeGreaterThanOrEqual(1);
    expect(hb.health.score('TH-1')).toEqual(ha.health.score('TH-1'));
    expect(hb.health.score('TH-1')!.grade).toBeDefined();
    // the lift page's score, computed afresh on the thread
    expect((await hb.health.ensure('TH-1'))!.score).toBe((await ha.health.ensure('TH-1'))!.score);
    const status = await threaded.status();
    expect(status.models.map((m) => m.id)).toEqual(['door-system']);
    expect(status.featureStates).toMatchObject({ resident: 1, replayed: inline.status().featureStates.replayed });
    expect(status.health).toEqual(hb.health.distribution());

    await threaded.close();
    await inline.close();
    await ha.close();
    await hb.close();
    db.close();
  });

  it('a lift with stored records catches up from them on the thread, and a thread that stops is started again without losing a record', async () => {
    const rows = history('TH-2');
    const o = { ...OPTIONS, registryDir: fx.dir };
    const inline = await createModelServing(o, { store: createSqliteTelemetry(new Database(':memory:')), alerts: sink().s });
    inline.onStored(rows);
    await inline.flush();
    const expected = await inline.lift('TH-2');

    // Ingest stores every record; the thread is told of the first half only, then stops as in a crash.
    const db = new Database(join(dir, 'c.db'));
    const store = createSqliteTelemetry(db);
    const half = rows.findIndex((r) => r.ts >= end - 5 * DAY);
    await store.write(rows.slice(0, half));
    const b = sink();
    const threaded = await createThreadedServing(o, { db, alerts: b.s, eventsDays: 120, storedBefore: ['TH-2'] });
    threaded.onStored(rows.slice(half, half + 10));
    await threaded.flush();
    expect((await threaded.lift('TH-2'))!.families[0]!.state).not.toBe('raised');
    await store.write(rows.slice(half));
    await threaded.stopThread();
    // Records stored while no thread serves are not posted; the new thread reads them from the store.
    threaded.onStored(rows.slice(half + 10, -5));
    await threaded.ready();
    threaded.onStored(rows.slice(-5));
    await threaded.flush();
    // the same view as the inline serving's: times and counts exactly, the levels within the float sums'
    // rounding, which differs with the order the records reached the state in
    expectCloseStats(await threaded.lift('TH-2'), expected, 'lift view', FLOAT_SUMS_TOLERANCE, true);
    expect(b.calls).toEqual([expect.stringMatching(/^raise TH-2 D01: /)]);
    await threaded.close();
    await inline.close();
    db.close();
  });
});
