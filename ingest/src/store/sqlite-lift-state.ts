import type Database from 'better-sqlite3';
import type { DeadLetterView, LiftSummary, RecordStream, RegistryRecord, StatusRecord } from '@liftwatch/contract';

/** One write of the ingest, applied inside a group-commit transaction. */
export type StoreOp =
  | { kind: 'record'; liftId: string; stream: RecordStream; seq: number; ts: number; rx: number; record: Record<string, unknown> }
  | { kind: 'deadLetter'; rx: number; topic: string; clientId: string | null; code: string; reason: string; raw: Uint8Array; size: number }
  | { kind: 'presence'; liftId: string; state: 'online' | 'offline'; rx: number };

/** Raw bytes kept for a dead letter; a larger payload keeps its first 64 KiB and its true size. */
export const DEAD_LETTER_RAW_LIMIT = 64 * 1024;

/**
 * Lift state of the all-in-one process in SQLite: each lift's latest status, registry profile and
 * presence, and the dead letters with their raw bytes. The records themselves are in the telemetry
 * store (store/telemetry-store.ts); with the SQLite adapter both are written in one transaction.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT, rx_ts INTEGER NOT NULL, topic TEXT NOT NULL, client_id TEXT,
  code TEXT NOT NULL, reason TEXT NOT NULL, size_bytes INTEGER NOT NULL, raw BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lifts (
  lift_id TEXT PRIMARY KEY, first_seen_rx INTEGER NOT NULL, last_seen_rx INTEGER NOT NULL, records_total INTEGER NOT NULL DEFAULT 0,
  status_json TEXT, status_ts INTEGER, registry_json TEXT, registry_ts INTEGER, presence TEXT NOT NULL DEFAULT 'unknown', presence_rx INTEGER
);
`;

interface LiftRow {
  lift_id: string; first_seen_rx: number; last_seen_rx: number; records_total: number;
  status_json: string | null; registry_json: string | null; presence: 'online' | 'offline' | 'unknown';
}

export function createSqliteLiftState(db: Database.Database) {
  db.exec(SCHEMA);
  const touchLift = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total) VALUES (@liftId, @rx, @rx, 1)
    ON CONFLICT (lift_id) DO UPDATE SET last_seen_rx = max(last_seen_rx, @rx), records_total = records_total + 1`);
  // A status record touches its lift and, unless it is older than the one shown, replaces the lift's status: one statement.
  const touchWithStatus = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total, status_json, status_ts) VALUES (@liftId, @rx, @rx, 1, @body, @ts)
    ON CONFLICT (lift_id) DO UPDATE SET last_seen_rx = max(last_seen_rx, @rx), records_total = records_total + 1,
      status_json = CASE WHEN status_ts IS NULL OR status_ts <= @ts THEN @body ELSE status_json END,
      status_ts = CASE WHEN status_ts IS NULL OR status_ts <= @ts THEN @ts ELSE status_ts END`);
  const setRegistry = db.prepare(`UPDATE lifts SET registry_json = @body, registry_ts = @ts WHERE lift_id = @liftId AND (registry_ts IS NULL OR registry_ts <= @ts)`);
  const setPresence = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, presence, presence_rx) VALUES (@liftId, @rx, @rx, @state, @rx)
    ON CONFLICT (lift_id) DO UPDATE SET presence = @state, presence_rx = @rx`);
  const insertDead = db.prepare(`INSERT INTO dead_letters (rx_ts, topic, client_id, code, reason, size_bytes, raw) VALUES (?, ?, ?, ?, ?, ?, ?)`);

  /** Applies the state part of a batch; `fresh[i]` says whether the i-th record op was new to the telemetry store. Call inside a transaction. */
  function apply(ops: StoreOp[], fresh: readonly boolean[]): { changed: Set<string>; duplicates: number } {
    const changed = new Set<string>();
    let duplicates = 0;
    let i = 0;
    for (const op of ops) {
      if (op.kind === 'record') {
        if (fresh[i++] === false) {
          duplicates++;
          continue;
        }
        if (op.stream === 'status') {
          touchWithStatus.run({ liftId: op.liftId, rx: op.rx, body: JSON.stringify(op.record), ts: op.ts });
        } else {
          touchLift.run({ liftId: op.liftId, rx: op.rx });
          if (op.stream === 'registry') setRegistry.run({ body: JSON.stringify(op.record), ts: op.ts, liftId: op.liftId });
        }
        changed.add(op.liftId);
      } else if (op.kind === 'deadLetter') {
        const raw = op.raw.byteLength > DEAD_LETTER_RAW_LIMIT ? op.raw.subarray(0, DEAD_LETTER_RAW_LIMIT) : op.raw;
        insertDead.run(op.rx, op.topic, op.clientId, op.code, op.reason, op.size, Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
      } else {
        setPresence.run({ liftId: op.liftId, state: op.state, rx: op.rx });
        changed.add(op.liftId);
      }
    }
    return { changed, duplicates };
  }

  function toSummary(row: LiftRow, openAlerts: number): LiftSummary {
    return {
      liftId: row.lift_id, firstSeenAt: row.first_seen_rx, lastSeenAt: row.last_seen_rx, presence: row.presence,
      status: row.status_json ? (JSON.parse(row.status_json) as StatusRecord) : null,
      registry: row.registry_json ? (JSON.parse(row.registry_json) as RegistryRecord) : null,
      recordsTotal: row.records_total, openAlerts,
    };
  }

  const listLiftsStmt = db.prepare<[number, number], LiftRow>(`SELECT * FROM lifts ORDER BY lift_id LIMIT ? OFFSET ?`);
  const getLiftStmt = db.prepare<[string], LiftRow>(`SELECT * FROM lifts WHERE lift_id = ?`);
  const countLifts = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM lifts`);
  const deadStmt = db.prepare<[number, number], { id: number; rx_ts: number; topic: string; client_id: string | null; code: string; reason: string; size_bytes: number; raw: Buffer }>(
    `SELECT * FROM dead_letters ORDER BY id DESC LIMIT ? OFFSET ?`);
  const liftsInAreaStmt = db.prepare<[string], { lift_id: string }>(`SELECT lift_id FROM lifts WHERE json_extract(registry_json, '$.areaCode') = ? ORDER BY lift_id`);
  const countDead = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM dead_letters`);

  return {
    apply,
    listLifts(opts: { limit: number; offset: number }, openAlerts: Map<string, number>): LiftSummary[] {
      return listLiftsStmt.all(opts.limit, opts.offset).map((r) => toSummary(r, openAlerts.get(r.lift_id) ?? 0));
    },
    getLift(liftId: string, openAlerts: number): LiftSummary | undefined {
      const row = getLiftStmt.get(liftId);
      return row ? toSummary(row, openAlerts) : undefined;
    },
    liftCount: (): number => countLifts.get()?.n ?? 0,
    /** Lift ids whose registry gives this GB/T 2260 area code (a district). */
    liftsInArea: (areaCode: string): string[] => liftsInAreaStmt.all(areaCode).map((r) => r.lift_id),
    deadLetters(opts: { limit: number; offset: number }): DeadLetterView[] {
      return deadStmt.all(opts.limit, opts.offset).map((r) => ({
        id: r.id, receivedAt: r.rx_ts, topic: r.topic, clientId: r.client_id, code: r.code, reason: r.reason, sizeBytes: r.size_bytes,
        rawBase64: r.raw.toString('base64'), rawText: r.raw.toString('utf8'),
      }));
    },
    deadLetterCount: (): number => countDead.get()?.n ?? 0,
  };
}

export type SqliteLiftState = ReturnType<typeof createSqliteLiftState>;
