import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLiftTable } from '../src/lift-table.js';
import { createSqliteLiftSummaries } from '../src/store/sqlite-lift-summaries.js';
import { createSqliteWriter, type WriteBatch } from '../src/store/sqlite-writer.js';
import type { RecordOp } from '../src/store/store-op.js';

const status = (liftId: string, lift: number, seq: number, rx: number, floor: number): RecordOp => {
  const record = { liftId, seq, ts: rx, floor };
  return { kind: 'record', liftId, lift, stream: 'status', seq, ts: rx, rx, record, body: JSON.stringify(record) };
};

/** The summaries and the writer on one database, as the batch writer drives them with another telemetry store (rows written at each checkpoint). */
function setUp(db = new Database(':memory:'), lifts?: ReturnType<typeof createLiftTable>['numbers']) {
  const writer = createSqliteWriter(db, false);
  const summaries = createSqliteLiftSummaries(db, lifts ? { lifts } : {});
  /** A batch of these records, committed: the lifts new in it get their row, and their changes join the pending ones. */
  const commit = (ops: RecordOp[]) => {
    const batch: WriteBatch = { newLifts: [], presence: [], deadLetters: [] };
    for (const op of ops) summaries.noteRecord(op, batch);
    writer.write(batch);
    summaries.committed(summaries.afterWrite(ops, ops.map(() => true)).delta);
  };
  const checkpointBatch = (): WriteBatch => {
    const { rows, seq } = summaries.beginCheckpoint();
    return { newLifts: [], presence: [], deadLetters: [], checkpoint: rows, checkpointSeq: seq };
  };
  const read = (liftId: string) => {
    const s = summaries.get(liftId, 0);
    return s && { records: s.recordsTotal, lastSeenAt: s.lastSeenAt, floor: (s.status as { floor?: number } | null)?.floor };
  };
  return { db, summaries, writer, commit, checkpointBatch, read };
}

describe('a checkpoint of the lift summaries on its way to the database', () => {
  it('is read over the rows until it lands, and counts once after', () => {
    const { summaries, writer, commit, checkpointBatch, read } = setUp();
    commit([status('CK-A', 0, 1, 1_000, 3), status('CK-B', 1, 1, 1_001, 5), status('CK-A', 0, 2, 1_002, 4)]);
    expect(read('CK-A')).toEqual({ records: 2, lastSeenAt: 1_002, floor: 4 });
    const batch = checkpointBatch();
    expect(batch.checkpoint?.map((r) => [r.liftId, r.records])).toEqual([['CK-A', 2], ['CK-B', 1]]); // in the order they first changed
    expect(summaries.pendingLifts()).toBe(0);
    commit([status('CK-B', 1, 2, 1_010, 6)]); // meanwhile: pending again, over the checkpoint on its way
    expect(read('CK-A')).toEqual({ records: 2, lastSeenAt: 1_002, floor: 4 });
    expect(read('CK-B')).toEqual({ records: 2, lastSeenAt: 1_010, floor: 6 });
    writer.write(batch); // landed, flushed() not called yet: the rows hold it, not counted twice
    expect(read('CK-A')).toEqual({ records: 2, lastSeenAt: 1_002, floor: 4 });
    expect(read('CK-B')).toEqual({ records: 2, lastSeenAt: 1_010, floor: 6 });
    summaries.flushed();
    expect(read('CK-B')).toEqual({ records: 2, lastSeenAt: 1_010, floor: 6 });
    expect(summaries.pendingLifts()).toBe(1);
  });

  it('that failed comes back into the pending changes, merged with those made since', () => {
    const { summaries, writer, commit, checkpointBatch, read } = setUp();
    commit([status('CK-C', 0, 5, 2_000, 7), status('CK-D', 1, 1, 2_001, 1)]);
    checkpointBatch(); // never written
    commit([status('CK-C', 0, 4, 2_005, 9)]); // an older status (by seq) received later
    summaries.rolledBack();
    expect(summaries.pendingLifts()).toBe(2);
    expect(read('CK-C')).toEqual({ records: 2, lastSeenAt: 2_005, floor: 7 });
    const again = checkpointBatch();
    expect(again.checkpoint?.map((r) => [r.liftId, r.records, r.rx])).toEqual([['CK-C', 2, 2_005], ['CK-D', 1, 2_001]]);
    writer.write(again);
    summaries.flushed();
    expect(read('CK-C')).toEqual({ records: 2, lastSeenAt: 2_005, floor: 7 });
    expect(read('CK-D')).toEqual({ records: 1, lastSeenAt: 2_001, floor: 1 });
  });
});

describe('lifts with a row from before the start', () => {
  it('are not inserted again when they send, and count once', () => {
    const first = setUp();
    first.commit([status('CK-E', 0, 1, 3_000, 2)]);
    first.writer.write(first.checkpointBatch());
    first.summaries.flushed();
    const again = setUp(first.db); // a restart on the same database: a new lift table, CK-E not met yet
    expect(again.summaries.count()).toBe(1);
    const batch: WriteBatch = { newLifts: [], presence: [], deadLetters: [] };
    again.summaries.noteRecord(status('CK-E', 0, 2, 3_010, 3), batch);
    again.summaries.noteRecord(status('CK-F', 1, 1, 3_011, 1), batch);
    expect(batch.newLifts.map(([id]) => id)).toEqual(['CK-F']);
    again.summaries.rolledBack();
    again.commit([status('CK-E', 0, 2, 3_010, 3), status('CK-F', 1, 1, 3_011, 1)]);
    expect(again.summaries.count()).toBe(2);
    expect(again.read('CK-E')).toEqual({ records: 2, lastSeenAt: 3_010, floor: 3 });
  });
});

describe('record ops numbered by another lift table (an MQTT worker process\'s)', () => {
  it('count for the lift their id names, not for the lift their number has here', () => {
    const table = createLiftTable();
    expect([table.of('CK-G').index, table.of('CK-H').index]).toEqual([0, 1]);
    const { summaries, writer, commit, checkpointBatch, read } = setUp(undefined, table.numbers);
    commit([status('CK-G', 0, 1, 4_000, 2), status('CK-H', 1, 1, 4_001, 5)]); // numbered by this table
    commit([status('CK-H', 0, 2, 4_010, 6), status('CK-G', 1, 2, 4_011, 3), status('CK-I', 0, 1, 4_012, 8)]); // by a worker's
    expect(read('CK-G')).toEqual({ records: 2, lastSeenAt: 4_011, floor: 3 });
    expect(read('CK-H')).toEqual({ records: 2, lastSeenAt: 4_010, floor: 6 });
    expect(read('CK-I')).toEqual({ records: 1, lastSeenAt: 4_012, floor: 8 });
    const batch = checkpointBatch();
    expect(batch.checkpoint?.map((r) => [r.liftId, r.records])).toEqual([['CK-G', 2], ['CK-H', 2], ['CK-I', 1]]);
    writer.write(batch);
    summaries.flushed();
    expect(summaries.count()).toBe(3);
  });

  it('leave the table\'s own numbers alone: a lift asked for after an unknown one is still itself', () => {
    const table = createLiftTable();
    table.of('CK-J');
    expect(table.numbers.find('CK-J')).toBe(0);
    expect(table.numbers.find('CK-K')).toBeUndefined();
    expect(table.numbers.numberOf('CK-K')).toBe(1);
    expect(table.numbers.find('CK-J')).toBe(0);
    expect(table.numbers.is(1, 'CK-K')).toBe(true);
    expect(table.numbers.is(0, 'CK-K')).toBe(false);
    expect(table.numbers.is(7, 'CK-K')).toBe(false);
  });
});
