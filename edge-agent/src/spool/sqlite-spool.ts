import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { lwError, type RecordStream } from '@liftwatch/contract';
import { dropRank, type RecordDraft, type Spool, type SpoolStats, type SpooledRecord } from './spool.js';

export interface SqliteSpoolOptions {
  /** Spool file; ':memory:' for a spool that does not survive the process (demos only). */
  readonly path: string;
  /** Soft limit on records held, all lifts together. @defaultValue 1_000_000 */
  readonly maxRecords?: number;
  /** Soft limit on the bytes of the records held. @defaultValue 256 MiB */
  readonly maxBytes?: number;
  /**
   * SQLite `synchronous`: 'full' survives a power cut (fsync at every commit); 'normal' in WAL mode
   * survives a crash or kill -9 of the agent but may lose the last commits on a power cut.
   * @defaultValue 'full' (a terminal's power can fail)
   */
  readonly synchronous?: 'full' | 'normal';
}

interface Row { lift_id: string; seq: number; stream: RecordStream; body: string }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS spool (
  lift_id TEXT NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL,
  rank INTEGER, bytes INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (lift_id, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spool_drop ON spool (rank, seq) WHERE rank IS NOT NULL;
CREATE TABLE IF NOT EXISTS terminal (lift_id TEXT PRIMARY KEY, next_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (lift_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (lift_id, key)) WITHOUT ROWID;
`;

/**
 * The store-and-forward spool on SQLite in WAL mode. A record is in the spool once `accept` returned
 * (its transaction committed), so a kill -9 at any later moment loses nothing. The seq counter is
 * written in the same transaction as the records, so it keeps rising across restarts.
 *
 * A fresh spool starts each lift at seq = (ms since the epoch) × 1000, so a terminal whose spool file
 * was lost still sends seqs above the ones the platform has seen (unless it sent more than 1000
 * records per ms of its life), and the platform's dedup by (liftId, seq) does not swallow them.
 */
export function openSqliteSpool(options: SqliteSpoolOptions): Spool {
  const maxRecords = options.maxRecords ?? 1_000_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  let db: Database.Database;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.exec(SCHEMA);
  } catch (err) {
    throw lwError('LW_ERR_SPOOL', `cannot open the spool file ${options.path}: ${String(err)}; check that its directory exists and is writable, or choose another with --spool`, err);
  }

  const st = {
    insert: db.prepare('INSERT INTO spool (lift_id, seq, stream, rank, bytes, body) VALUES (?, ?, ?, ?, ?, ?)'),
    peek: db.prepare<[string, number, number], Row>('SELECT lift_id, seq, stream, body FROM spool WHERE lift_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    del: db.prepare<[string, number], { bytes: number }>('DELETE FROM spool WHERE lift_id = ? AND seq = ? RETURNING bytes'),
    evict: db.prepare<[number], { stream: RecordStream; bytes: number }>(
      'DELETE FROM spool WHERE (lift_id, seq) IN (SELECT lift_id, seq FROM spool WHERE rank IS NOT NULL AND rank <= ? ORDER BY rank, seq LIMIT 1) RETURNING stream, bytes'),
    getSeq: db.prepare<[string], { next_seq: number }>('SELECT next_seq FROM terminal WHERE lift_id = ?'),
    setSeq: db.prepare('INSERT INTO terminal (lift_id, next_seq) VALUES (?, ?) ON CONFLICT (lift_id) DO UPDATE SET next_seq = excluded.next_seq'),
    getMeta: db.prepare<[string, string], { value: string }>('SELECT value FROM meta WHERE lift_id = ? AND key = ?'),
    setMeta: db.prepare('INSERT INTO meta (lift_id, key, value) VALUES (?, ?, ?) ON CONFLICT (lift_id, key) DO UPDATE SET value = excluded.value'),
    backlogOf: db.prepare<[string], { n: number; b: number | null }>('SELECT COUNT(*) AS n, SUM(bytes) AS b FROM spool WHERE lift_id = ?'),
  };
  const totals = db.prepare<[], { n: number; b: number | null }>('SELECT COUNT(*) AS n, SUM(bytes) AS b FROM spool').get()!;
  let count = totals.n;
  let bytes = totals.b ?? 0;
  const counters = { accepted: 0, acked: 0, eventsOverLimit: 0 };
  const dropped: Partial<Record<RecordStream, number>> = {};
  const seqCache = new Map<string, number>();

  function nextSeq(liftId: string): number {
    let next = seqCache.get(liftId);
    if (next === undefined) {
      next = st.getSeq.get(liftId)?.next_seq ?? Date.now() * 1000;
      seqCache.set(liftId, next);
    }
    return next;
  }

  function countDrop(stream: RecordStream): void {
    dropped[stream] = (dropped[stream] ?? 0) + 1;
  }

  /** Makes room for one record of `size` bytes; false when only records that may not go are left. */
  function makeRoom(size: number, rank: number | null): boolean {
    while (count + 1 > maxRecords || bytes + size > maxBytes) {
      const gone = st.evict.get(rank ?? Number.MAX_SAFE_INTEGER);
      if (!gone) return false;
      count--;
      bytes -= gone.bytes;
      countDrop(gone.stream);
    }
    return true;
  }

  const acceptTx = db.transaction((liftId: string, drafts: readonly RecordDraft[]): SpooledRecord[] => {
    const out: SpooledRecord[] = [];
    let seq = nextSeq(liftId);
    for (const d of drafts) {
      const body = JSON.stringify({ ...d.record, seq });
      const size = Buffer.byteLength(body);
      const rank = dropRank(d.stream);
      if (!makeRoom(size, rank)) {
        if (rank !== null) { countDrop(d.stream); continue; } // a periodic record is refused: older events fill the spool
        counters.eventsOverLimit++; // events are never dropped: the spool goes over its soft limit
      }
      st.insert.run(liftId, seq, d.stream, rank, size, body);
      count++;
      bytes += size;
      out.push({ liftId, seq, stream: d.stream, body });
      seq++;
    }
    st.setSeq.run(liftId, seq);
    seqCache.set(liftId, seq); // restored by accept() if the transaction rolls back
    return out;
  });

  const ackTx = db.transaction((liftId: string, seqs: readonly number[]) => {
    for (const seq of seqs) {
      const gone = st.del.get(liftId, seq);
      if (!gone) continue;
      count--;
      bytes -= gone.bytes;
      counters.acked++;
    }
  });

  return {
    accept(liftId, drafts) {
      if (drafts.length === 0) return [];
      const before = seqCache.get(liftId);
      try {
        const out = acceptTx(liftId, drafts);
        counters.accepted += out.length;
        return out;
      } catch (err) {
        if (before === undefined) seqCache.delete(liftId); else seqCache.set(liftId, before);
        const totalsNow = db.prepare<[], { n: number; b: number | null }>('SELECT COUNT(*) AS n, SUM(bytes) AS b FROM spool').get()!;
        count = totalsNow.n;
        bytes = totalsNow.b ?? 0;
        throw lwError('LW_ERR_SPOOL', `the spool could not store ${drafts.length} record(s) of lift ${liftId}: ${String(err)}; check free disk space`, err);
      }
    },
    peek: (liftId, afterSeq, limit) => st.peek.all(liftId, afterSeq, limit).map((r) => ({ liftId: r.lift_id, seq: r.seq, stream: r.stream, body: r.body })),
    ack(liftId, seqs) {
      if (seqs.length === 0) return;
      // An ack lost to a power cut only means a resend with the same seq, so its commit need not
      // wait for fsync; the next accept's fsync makes it durable too (WAL frames are in order).
      if (options.synchronous !== 'normal') db.pragma('synchronous = NORMAL');
      try {
        ackTx(liftId, seqs);
      } finally {
        if (options.synchronous !== 'normal') db.pragma('synchronous = FULL');
      }
    },
    nextSeq,
    seedSeq(liftId, seq) {
      if (st.getSeq.get(liftId) !== undefined) return;
      st.setSeq.run(liftId, seq);
      seqCache.set(liftId, seq);
    },
    getMeta: (liftId, key) => st.getMeta.get(liftId, key)?.value,
    setMeta(liftId, key, value) {
      st.setMeta.run(liftId, key, value);
    },
    stats(liftId?: string): SpoolStats {
      const own = liftId === undefined ? { n: count, b: bytes } : st.backlogOf.get(liftId)!;
      return { backlog: own.n, backlogBytes: own.b ?? 0, ...counters, dropped: { ...dropped } };
    },
    close() {
      if (db.open) db.close();
    },
  };
}
