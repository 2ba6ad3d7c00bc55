import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type StatusRecord } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { createIngest, type AlertSink } from '../src/index.js';

const T = Date.UTC(2026, 10, 2, 8, 0, 0);
const HOUR = 3_600_000;
const dirs: Array<{ remove: () => void }> = [];
afterEach(() => { for (const d of dirs.splice(0)) d.remove(); });

/** An ingest whose clocks the test sets: wall = T + s, monotonic from a zero of this process. */
function open(db: Database.Database, clock: { s: number }, monoZero: number, over: { liftStateCheckpointMs?: number } = {}) {
  const raised: Array<{ code: string; reason: string }> = [];
  const alerts: AlertSink = { raise: (r) => { raised.push({ code: r.code, reason: r.reason }); return { created: true, counted: false }; }, conditionCleared: () => {} };
  const ingest = createIngest({ db, alerts, now: () => T + clock.s * 1000, monotonic: () => monoZero + clock.s * 1000 }, { ruleStateSaveMs: 3_600_000, writerThread: false, ...over });
  return { ingest, raised };
}
const status = (seq: number, ts: number, over: Partial<StatusRecord> = {}) =>
  new TextEncoder().encode(JSON.stringify({ ...GOLDEN.status, liftId: 'CK-1', seq, ts, speedMps: 0, direction: 'none', doorZone: true, carDoor: 'closed', passengersPresent: false, ...over }));
const topic = liftTopic('CK-1', 'status');

describe('a record from the future', () => {
  it('stamped 2099: refused as a dead letter with its reason, Q02 raised, never the lift\'s latest status; the next status is', async () => {
    const clock = { s: 0 };
    const { ingest, raised } = open(new Database(':memory:'), clock, 0);
    await ingest.handle(topic, status(1, T, { floor: 3 }), 'T-CK-1');
    clock.s = 5;
    await ingest.handle(topic, status(2, Date.UTC(2099, 0, 1), { floor: 9 }), 'T-CK-1');
    expect(ingest.store.getLift('CK-1', 0)?.status).toMatchObject({ seq: 1, floor: 3 });
    const [dead] = ingest.store.deadLetters({ limit: 1, offset: 0 });
    expect(dead).toMatchObject({ code: 'LW_ERR_CLOCK_AHEAD', clientId: 'T-CK-1' });
    expect(dead?.reason).toMatch(/status seq 2 has device time 2099-01-01T00:00:00.000Z, \d+ s ahead of the server's clock \(limit 300 s\): not stored/);
    expect(raised.map((r) => r.code)).toEqual(['Q02']);
    expect(await ingest.telemetry.latest('CK-1', 'status')).toMatchObject({ seq: 1 });
    clock.s = 10;
    await ingest.handle(topic, status(3, T + 10_000, { floor: 5 }), 'T-CK-1');
    expect(ingest.store.getLift('CK-1', 0)?.status).toMatchObject({ seq: 3, floor: 5 });
    await ingest.close();
  });

  it('a record 4 min ahead (within the bound) is stored as usual', async () => {
    const clock = { s: 0 };
    const { ingest } = open(new Database(':memory:'), clock, 0);
    await ingest.handle(topic, status(1, T + 240_000), 'T-CK-1');
    expect(ingest.store.getLift('CK-1', 0)?.status?.seq).toBe(1);
    expect(ingest.store.deadLetterCount()).toBe(0);
    await ingest.close();
  });
});

describe('a device clock set back 1 h', () => {
  for (const checkpointMs of [0, 3_600_000]) {
    it(`the newer status (higher seq) becomes the lift's latest although its device time is older (lift rows written ${checkpointMs === 0 ? 'every batch' : 'at checkpoints'})`, async () => {
      const dir = tempDir(); dirs.push(dir);
      const path = join(dir.path, 'c.db');
      const clock = { s: 0 };
      const first = open(new Database(path), clock, 0, { liftStateCheckpointMs: checkpointMs });
      await first.ingest.handle(topic, status(1, T, { floor: 3 }), 'T-CK-1');
      clock.s = 5;
      await first.ingest.handle(topic, status(2, T + 5_000 - HOUR, { floor: 4 }), 'T-CK-1');
      expect(first.ingest.store.getLift('CK-1', 0)?.status).toMatchObject({ seq: 2, floor: 4 });
      await first.ingest.close();
      const second = open(new Database(path), clock, 0);
      expect(second.ingest.store.getLift('CK-1', 0)?.status).toMatchObject({ seq: 2, floor: 4 });
      await second.ingest.close();
    });
  }
});

describe('a restart in the middle of an entrapment', () => {
  it('E01 comes 60 s after the car stopped: the timer is saved as time elapsed and the downtime counts once the terminal confirms', async () => {
    const dir = tempDir(); dirs.push(dir);
    const path = join(dir.path, 'r.db');
    const trapped = { carDoor: 'locked' as const, passengersPresent: true, doorZone: false, floor: 6 };
    const clock = { s: 0 };
    const first = open(new Database(path), clock, 5_000_000);
    for (let s = 0; s <= 30; s += 5) {
      clock.s = s;
      await first.ingest.handle(topic, status(100 + s, T + s * 1000, trapped), 'T-CK-1');
    }
    await first.ingest.close(); // saves the rule state
    expect(first.raised).toEqual([]);

    clock.s = 38; // back 8 s later, with a monotonic clock that starts anew
    const second = open(new Database(path), clock, 0);
    for (const s of [40, 45, 50, 55]) {
      clock.s = s;
      await second.ingest.handle(topic, status(100 + s, T + s * 1000, trapped), 'T-CK-1');
    }
    expect(second.raised).toEqual([]);
    clock.s = 60;
    await second.ingest.handle(topic, status(160, T + 60_000, trapped), 'T-CK-1');
    expect(second.raised.map((r) => r.code)).toEqual(['E01']);
    expect(second.raised[0]?.reason).toMatch(/for 60 s since/);
    await second.ingest.close();
  });
});
