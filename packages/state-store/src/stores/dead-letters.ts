import { sql, type Selectable } from 'kysely';
import { lwError, type DeadLetterView } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { DeadLetterCountsTable, DeadLettersTable } from '../tables.js';
import { checkTime } from '../check.js';

/** A message or record ingest could not use, with its reason and the first bytes of its payload (`size`: its true length). */
export interface DeadLetterWrite { rx: number; topic: string; clientId: string | null; code: string; reason: string; size: number; raw: Uint8Array }

/**
 * What one ingest node adds to a terminal's counts (the platform's own publishes: clientId null):
 * dead letters rejected, those not kept because the terminal was past its quota, their bytes, and
 * the newest rejection.
 */
export interface DeadLetterCount {
  clientId: string | null; rejected: number; dropped: number; droppedBytes: number;
  firstAt: number; lastAt: number; lastCode: string; lastReason: string; lastTopic: string;
}

/** One terminal's dead letters in sum: those kept now (`kept`, `keptBytes`) and its counts. */
export interface DeadLetterTally extends DeadLetterCount { kept: number; keptBytes: number }

/** The counts' key: the platform's own publishes have no client id. */
const keyOf = (clientId: string | null): string => clientId ?? '';

const toView = (r: Selectable<DeadLettersTable>): DeadLetterView => {
  const raw = Buffer.from(r.raw);
  return {
    id: Number(r.id), receivedAt: r.rx_ts, topic: r.topic, clientId: r.client_id, code: r.code, reason: r.reason, sizeBytes: r.size_bytes,
    rawBase64: raw.toString('base64'), rawText: raw.toString('utf8'),
  };
};

function checkCount(c: DeadLetterCount): void {
  for (const n of [c.rejected, c.dropped, c.droppedBytes]) {
    if (!Number.isSafeInteger(n) || n < 0) throw lwError('LW_ERR_REQUEST_INVALID', `dead-letter counts of ${JSON.stringify(c.clientId)}: ${JSON.stringify(n)} is not a count ≥ 0`);
  }
  checkTime(c.firstAt, `dead-letter counts of ${JSON.stringify(c.clientId)}: firstAt`);
  checkTime(c.lastAt, `dead-letter counts of ${JSON.stringify(c.clientId)}: lastAt`);
}

/**
 * Dead letters of every ingest node, so that any dashboards node shows them all: the letters
 * themselves (newest first) and per terminal its counts, which say which terminals send garbage
 * and how much of it was not kept (the quota is ingest's, see ingest/src/store/dead-letter-quota.ts).
 * Retention deletes letters and the counts of terminals with no rejection since.
 */
export function createDeadLetters({ db, dialect, write }: StateDb) {
  const bytes = dialect === 'postgres' ? sql<number>`octet_length(raw) + octet_length(reason)` : sql<number>`length(raw) + length(CAST(reason AS BLOB))`;
  const kept = db.selectFrom('dead_letters')
    .select((e) => [sql<string>`coalesce(client_id, '')`.as('key'), e.fn.countAll<number>().as('n'), e.fn.sum<number>(bytes).as('bytes'), e.fn.min('rx_ts').as('first')])
    .groupBy(sql`coalesce(client_id, '')`).as('k');
  const newer = <T>(col: keyof DeadLetterCountsTable) => sql<T>`CASE WHEN excluded.last_at >= dead_letter_counts.last_at THEN excluded.${sql.ref(col)} ELSE dead_letter_counts.${sql.ref(col)} END`;

  return {
    /** Adds dead letters and counts in one transaction. */
    async add(letters: readonly DeadLetterWrite[], counts: readonly DeadLetterCount[]): Promise<void> {
      for (const l of letters) checkTime(l.rx, `dead letter on ${l.topic}: rx`);
      for (const c of counts) checkCount(c);
      if (letters.length === 0 && counts.length === 0) return;
      await write(async (trx) => {
        if (letters.length > 0) {
          await trx.insertInto('dead_letters').values(letters.map((l) => ({
            rx_ts: l.rx, topic: l.topic, client_id: l.clientId, code: l.code, reason: l.reason, size_bytes: l.size, raw: Buffer.from(l.raw.buffer, l.raw.byteOffset, l.raw.byteLength),
          }))).execute();
        }
        for (const c of counts) {
          await trx.insertInto('dead_letter_counts').values({
            client_id: keyOf(c.clientId), rejected: c.rejected, dropped: c.dropped, dropped_bytes: c.droppedBytes,
            first_at: c.firstAt, last_at: c.lastAt, last_code: c.lastCode, last_reason: c.lastReason, last_topic: c.lastTopic,
          }).onConflict((oc) => oc.column('client_id').doUpdateSet({
            rejected: sql`dead_letter_counts.rejected + excluded.rejected`, dropped: sql`dead_letter_counts.dropped + excluded.dropped`,
            dropped_bytes: sql`dead_letter_counts.dropped_bytes + excluded.dropped_bytes`,
            first_at: sql`CASE WHEN excluded.first_at < dead_letter_counts.first_at THEN excluded.first_at ELSE dead_letter_counts.first_at END`,
            // The newest rejection's details before its time: every SET expression reads the row as it was.
            last_code: newer<string>('last_code'), last_reason: newer<string>('last_reason'), last_topic: newer<string>('last_topic'), last_at: newer<number>('last_at'),
          })).execute();
        }
      });
    },
    /** Retention: deletes the dead letters received before `before`, and the counts of terminals with no rejection since. */
    async deleteBefore(before: number): Promise<number> {
      checkTime(before, 'dead-letter retention: before');
      return write(async (trx) => {
        const deleted = await trx.deleteFrom('dead_letters').where('rx_ts', '<', before).executeTakeFirst();
        await trx.deleteFrom('dead_letter_counts').where('last_at', '<', before).execute();
        return Number(deleted.numDeletedRows);
      });
    },
    /** Dead letters, the newest first. */
    list: async (opts: { limit: number; offset: number }): Promise<DeadLetterView[]> =>
      (await db.selectFrom('dead_letters').selectAll().orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).execute()).map(toView),
    count: async (): Promise<number> => Number((await db.selectFrom('dead_letters').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    /** Terminals with dead letters, the one rejected most recently first. */
    async tallies(limit = 1_000_000): Promise<DeadLetterTally[]> {
      const rows = await db.selectFrom('dead_letter_counts as c').leftJoin(kept, 'k.key', 'c.client_id').selectAll('c')
        .select(['k.n', 'k.bytes', 'k.first']).orderBy('c.last_at', 'desc').orderBy('c.client_id').limit(limit).execute();
      return rows.map((r) => ({
        clientId: r.client_id === '' ? null : r.client_id, kept: Number(r.n ?? 0), keptBytes: Number(r.bytes ?? 0),
        rejected: Number(r.rejected), dropped: Number(r.dropped), droppedBytes: Number(r.dropped_bytes),
        firstAt: r.first === null || r.first === undefined ? r.first_at : Math.min(r.first_at, Number(r.first)), lastAt: r.last_at,
        lastCode: r.last_code, lastReason: r.last_reason, lastTopic: r.last_topic,
      }));
    },
  };
}

export type DeadLetterStore = ReturnType<typeof createDeadLetters>;
