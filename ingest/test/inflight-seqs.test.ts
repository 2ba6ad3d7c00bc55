import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { createIngest, type AlertSink } from '../src/index.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const T = Date.UTC(2026, 10, 2, 8, 0, 0);
const trip = (liftId: string, seq: number) => new TextEncoder().encode(JSON.stringify({ ...GOLDEN.trip, liftId, seq, ts: T + seq }));
const stored = (db: Database.Database) => (db.prepare('SELECT lift_id, seq FROM records ORDER BY lift_id, seq').all() as Array<{ lift_id: string; seq: number }>).map((r) => `${r.lift_id}#${r.seq}`);

describe('records sent again while their first copy is being committed', () => {
  it('among many messages of one commit, a copy waits for the first one, is stored once and counted as a duplicate; once committed, its seq is forgotten', async () => {
    const db = new Database(':memory:');
    const ingest = createIngest({ db, alerts }, { writerThread: false });
    const lifts = ['IF-1', 'IF-2', 'IF-3'];
    // One turn of the event loop: every message goes into the same commit, the copies of IF-2#2 among them.
    const first = lifts.flatMap((id) => [1, 2, 3].map((seq) => ingest.handle(liftTopic(id, 'trip'), trip(id, seq), `T-${id}`)));
    const copies = [1, 2].map(() => ingest.handle(liftTopic('IF-2', 'trip'), trip('IF-2', 2), 'T-IF-2'));
    await Promise.all([...first, ...copies]);
    expect(ingest.stats().duplicates).toBe(2);
    expect(stored(db)).toEqual(lifts.flatMap((id) => [1, 2, 3].map((seq) => `${id}#${seq}`)));
    // Committed: a later copy is no longer in flight; the store's key drops it (a duplicate too), and new records go on.
    await ingest.handle(liftTopic('IF-2', 'trip'), trip('IF-2', 2), 'T-IF-2');
    await ingest.handle(liftTopic('IF-2', 'trip'), trip('IF-2', 4), 'T-IF-2');
    expect(ingest.stats().duplicates).toBe(3);
    expect(stored(db)).toContain('IF-2#4');
    await ingest.close();
  });

  it('a failed commit forgets the seqs of all its messages, so their copies sent again are stored', async () => {
    const db = new Database(':memory:');
    const ingest = createIngest({ db, alerts }, { writerThread: false });
    await ingest.handle(liftTopic('IF-1', 'trip'), trip('IF-1', 1), 'T-IF-1');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    // Fill the last pages: messages of one commit each, until commits fail.
    let failed: PromiseSettledResult<void>[] = [];
    for (let round = 0; round < 200 && failed.every((r) => r.status === 'fulfilled'); round++) {
      failed = await Promise.allSettled(['IF-1', 'IF-2'].flatMap((id) => [0, 1].map((k) => ingest.handle(liftTopic(id, 'trip'), trip(id, 10 + round * 2 + k), `T-${id}`))));
    }
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    db.pragma('max_page_count = 1073741823');
    const before = ingest.stats().duplicates;
    const last = stored(db).length;
    // The same records sent again: stored now, none taken for a copy of one in flight.
    const round = (last - 1) / 4;
    await Promise.all(['IF-1', 'IF-2'].flatMap((id) => [0, 1].map((k) => ingest.handle(liftTopic(id, 'trip'), trip(id, 10 + round * 2 + k), `T-${id}`))));
    expect(ingest.stats().duplicates).toBe(before);
    expect(stored(db)).toHaveLength(last + 4);
    await ingest.close();
  });
});
