import type Database from 'better-sqlite3';
import type { DeadLetterView } from '@liftwatch/contract';
import type { DeadLetters } from '../dead-letters.js';
import { createDeadLetterQuota, type DeadLetterLimits, type StoredTally } from './dead-letter-quota.js';

/**
 * The dead letters of the all-in-one process in its own SQLite, with their raw bytes: written by the
 * writer thread in the transaction of the batch their message came in (sqlite-writer.ts). The state
 * store's `dead_letters` table has the same columns, so it adopts this one.
 */
export const DEAD_LETTER_SCHEMA = `
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT, rx_ts INTEGER NOT NULL, topic TEXT NOT NULL, client_id TEXT,
  code TEXT NOT NULL, reason TEXT NOT NULL, size_bytes INTEGER NOT NULL, raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_rx ON dead_letters (rx_ts);
`;

export function openDeadLetterSchema(db: Database.Database): void {
  db.exec(DEAD_LETTER_SCHEMA);
}

/** Each terminal's dead letters in the store: counts, bytes and the newest one. */
const STORED_TALLIES = `SELECT d.client_id AS clientId, g.n AS kept, g.bytes AS keptBytes, g.first AS firstAt, d.rx_ts AS lastAt, d.code AS lastCode, d.reason AS lastReason, d.topic AS lastTopic
  FROM (SELECT client_id, COUNT(*) AS n, SUM(length(raw) + length(CAST(reason AS BLOB))) AS bytes, MIN(rx_ts) AS first, MAX(id) AS last_id FROM dead_letters GROUP BY client_id) g
  JOIN dead_letters d ON d.id = g.last_id`;

type DeadLetterRow = { id: number; rx_ts: number; topic: string; client_id: string | null; code: string; reason: string; size_bytes: number; raw: Buffer };

export function createSqliteDeadLetters(db: Database.Database, limits: DeadLetterLimits): DeadLetters {
  openDeadLetterSchema(db);
  const storedTallies = db.prepare<[], StoredTally>(STORED_TALLIES);
  const quota = createDeadLetterQuota(limits, () => storedTallies.all());
  const listStmt = db.prepare<[number, number], DeadLetterRow>(`SELECT * FROM dead_letters ORDER BY id DESC LIMIT ? OFFSET ?`);
  const countStmt = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM dead_letters`);
  /** The batch being written deletes old dead letters: the quota reads the store again once it committed. */
  let retaining = false;

  return {
    admit(op, batch) {
      const raw = quota.admit(op);
      if (raw) batch.deadLetters.push({ rx: op.rx, topic: op.topic, clientId: op.clientId, code: op.code, reason: op.reason, size: op.size, raw });
    },
    retain(before, batch) {
      batch.deadLettersBefore = before;
      retaining = true;
    },
    writeAside: () => undefined,
    committed() {
      quota.commit();
      if (retaining) quota.reload();
      retaining = false;
    },
    rolledBack() {
      quota.rollback();
      retaining = false;
    },
    reader: {
      list: (opts: { limit: number; offset: number }): DeadLetterView[] => listStmt.all(opts.limit, opts.offset).map((r) => ({
        id: r.id, receivedAt: r.rx_ts, topic: r.topic, clientId: r.client_id, code: r.code, reason: r.reason, sizeBytes: r.size_bytes,
        rawBase64: r.raw.toString('base64'), rawText: r.raw.toString('utf8'),
      })),
      count: (): number => countStmt.get()?.n ?? 0,
      terminals: (limit = 100) => quota.terminals(limit),
    },
    dropped: () => quota.totals(),
    limits,
  };
}
