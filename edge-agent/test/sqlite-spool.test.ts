import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { openSqliteSpool, type RecordDraft } from '../src/index.js';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function spoolFile(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d.path, 'spool.db');
}
const draft = (stream: 'status' | 'door' | 'env' | 'fault', i: number): RecordDraft => {
  const { seq: _seq, ...record } = GOLDEN[stream];
  return { stream, record: { ...record, ts: record.ts + i } };
};

describe('the SQLite spool', () => {
  it('numbers records in order, keeps the seq rising across a reopen, and removes only what was acknowledged', () => {
    const path = spoolFile();
    let spool = openSqliteSpool({ path, synchronous: 'normal' });
    spool.seedSeq('L1', 10);
    const a = spool.accept('L1', [draft('door', 0), draft('status', 1), draft('fault', 2)]);
    expect(a.map((r) => r.seq)).toEqual([10, 11, 12]);
    expect(JSON.parse(a[0]!.body)).toMatchObject({ seq: 10, liftId: GOLDEN.door.liftId });
    spool.ack('L1', [10, 12, 999]);
    expect(spool.peek('L1', -1, 10).map((r) => r.seq)).toEqual([11]);
    spool.close();

    spool = openSqliteSpool({ path });
    spool.seedSeq('L1', 10); // seeding again after a restart changes nothing
    expect(spool.peek('L1', -1, 10).map((r) => r.seq)).toEqual([11]);
    expect(spool.accept('L1', [draft('door', 3)])[0]!.seq).toBe(13);
    expect(spool.stats('L1')).toMatchObject({ backlog: 2 });
    spool.ack('L1', [11, 13]);
    expect(spool.stats('L1').backlog).toBe(0);
    expect(spool.nextSeq('L1')).toBe(14); // rises even when the spool is empty
    spool.close();
  });

  it('a new lift starts at ms since the epoch × 1000, so a terminal whose spool was lost is not taken for a replay', () => {
    const spool = openSqliteSpool({ path: spoolFile() });
    const before = Date.now() * 1000;
    const seq = spool.accept('L2', [draft('door', 0)])[0]!.seq;
    expect(seq).toBeGreaterThanOrEqual(before);
    expect(seq).toBeLessThanOrEqual(Date.now() * 1000);
    spool.close();
  });

  it('when full, drops the oldest status records first, then other periodic ones, and never an event', () => {
    const spool = openSqliteSpool({ path: spoolFile(), maxRecords: 10 });
    spool.seedSeq('L3', 0);
    spool.accept('L3', [draft('env', 0), draft('status', 1), draft('status', 2), ...Array.from({ length: 7 }, (_, i) => draft('door', 3 + i))]);
    expect(spool.stats().backlog).toBe(10);
    // One more door: the oldest status goes.
    spool.accept('L3', [draft('door', 10)]);
    expect(spool.peek('L3', -1, 100).map((r) => r.stream).filter((s) => s === 'status')).toHaveLength(1);
    // A status record may push out an older status, but never an env record or an event.
    spool.accept('L3', [draft('status', 11)]);
    let held = spool.peek('L3', -1, 100);
    expect(held.filter((r) => r.stream === 'status').map((r) => r.seq)).toEqual([11]);
    expect(spool.stats().dropped).toEqual({ status: 2 });
    // Two doors: the status, then the env record go; the doors stay.
    spool.accept('L3', [draft('door', 12), draft('door', 13)]);
    held = spool.peek('L3', -1, 100);
    expect(held.every((r) => r.stream === 'door')).toBe(true);
    expect(spool.stats().dropped).toEqual({ status: 3, env: 1 });
    // Only events left: a new event is kept over the limit, a new status record is refused.
    spool.accept('L3', [draft('fault', 14), draft('status', 15)]);
    held = spool.peek('L3', -1, 100);
    expect(held).toHaveLength(11);
    expect(held.at(-1)!.stream).toBe('fault');
    expect(spool.stats()).toMatchObject({ eventsOverLimit: 1, dropped: { status: 4, env: 1 } });
    spool.close();
  });
});
