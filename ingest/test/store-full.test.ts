import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { createIngest, type AlertSink } from '../src/index.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const T = Date.UTC(2026, 10, 2, 8, 0, 0);
const trip = (seq: number) => new TextEncoder().encode(JSON.stringify({ ...GOLDEN.trip, liftId: 'FD-1', seq, ts: T + seq }));

/**
 * A database that cannot grow: SQLite's max_page_count makes a write that needs a new page fail with
 * SQLITE_FULL, the error a full disk gives, without root, a mount or a real disk to fill
 * (server/test/full-disk.int.test.ts fills a real file system). Records go in until ten in a row
 * find no room left in the pages there are. Returns the number refused on the way and how to free space.
 */
async function fillUp(db: Database.Database, ingest: ReturnType<typeof createIngest>): Promise<{ refused: number; freeSpace: () => void }> {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  let refused = 0;
  let inARow = 0;
  for (let seq = 10_000; seq < 20_000 && inARow < 10; seq++) {
    const stored = await ingest.handle(liftTopic('FD-1', 'trip'), trip(seq), 'T-FD-1').then(() => true, () => false);
    inARow = stored ? 0 : inARow + 1;
    if (!stored) refused++;
  }
  if (inARow < 10) throw new Error('10,000 records fitted in a database that should be full');
  return { refused, freeSpace: () => db.pragma('max_page_count = 1073741823') };
}

describe('a store that cannot write (full disk)', () => {
  it('refuses each message without acknowledgement, counts every one, logs one line per 10 s, and says so until a write succeeds', async () => {
    const db = new Database(':memory:');
    const lines: string[] = [];
    const clock = { now: T };
    const ingest = createIngest({ db, alerts, now: () => clock.now, log: (l) => lines.push(l) }, { writerThread: false });
    await ingest.handle(liftTopic('FD-1', 'trip'), trip(1), 'T-FD-1');
    expect(ingest.storeHealth()).toEqual({ writable: true });
    const { refused: onTheWay, freeSpace } = await fillUp(db, ingest);
    expect(ingest.stats().refusedStoreFailed).toBe(onTheWay);

    const refused = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => ingest.handle(liftTopic('FD-1', 'trip'), trip(20_000 + i), 'T-FD-1')));
    expect(refused.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'LW_ERR_STORAGE')).toBe(true);
    expect(ingest.stats().refusedStoreFailed).toBe(onTheWay + 200);
    expect(ingest.storeHealth()).toMatchObject({ writable: false, failingSince: T, error: expect.stringMatching(/full/) });
    expect(lines.filter((l) => l.includes('store failed'))).toHaveLength(1);

    clock.now = T + 11_000;
    await expect(ingest.handle(liftTopic('FD-1', 'trip'), trip(30_000), 'T-FD-1')).rejects.toThrow(/could not store/);
    expect(lines.filter((l) => l.includes('store failed')).at(-1)).toContain(`and ${onTheWay + 199} more like it in the last 11 s, not logged`);

    freeSpace();
    await ingest.handle(liftTopic('FD-1', 'trip'), trip(20_000), 'T-FD-1'); // the terminal sends it again: stored
    expect(ingest.storeHealth()).toEqual({ writable: true });
    expect(lines.at(-1)).toMatch(/the store takes writes again after 11 s/);
    expect((await ingest.telemetry.recent('FD-1', { limit: 1 })).map((r) => r.seq)).toEqual([20_000]);
    await ingest.close();
  });

  it('counts each QoS 0 message of a refused commit as dropped, though they were refused together', async () => {
    const db = new Database(':memory:');
    const ingest = createIngest({ db, alerts, now: () => T }, { writerThread: false });
    await ingest.handle(liftTopic('FD-1', 'trip'), trip(1), 'T-FD-1');
    const { refused: onTheWay } = await fillUp(db, ingest);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ingest.handle(liftTopic('FD-1', 'trip'), trip(40_000 + i), 'T-FD-1', 0)));
    expect(answers).toHaveLength(50); // QoS 0 is answered at once: nothing to hold back
    await new Promise((resolve) => setImmediate(resolve));
    expect(ingest.stats().droppedQos0).toBe(50);
    expect(ingest.stats().refusedStoreFailed).toBe(onTheWay + 50);
    await ingest.close();
  });
});
