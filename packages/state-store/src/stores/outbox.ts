import { sql, type Selectable } from 'kysely';
import { lwError } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { ExchangeOutboxTable } from '../tables.js';
import { checkTime } from '../check.js';

export type OutboxState = 'pending' | 'delivered' | 'rejected';
const STATES: readonly string[] = ['pending', 'delivered', 'rejected'];

/** A message to add: the key makes it once, whoever feeds it and however often. */
export interface OutboxWrite { idempotencyKey: string; type: string; subject: string; version: number; occurredAt: number; payload: Record<string, unknown> }

export interface OutboxMessage {
  id: number; idempotencyKey: string; type: string; subject: string; version: number; occurredAt: number; createdAt: number;
  state: OutboxState; attempts: number; nextAttemptAt: number; lastError: string | null; lastStatus: number | null; deliveredAt: number | null;
}
export interface OutboxBacklog {
  pending: number; failing: number; rejected: number; delivered: number;
  oldestPendingAt: number | null; nextAttemptAt: number | null; lastDeliveredAt: number | null;
}

const toMessage = (r: Omit<Selectable<ExchangeOutboxTable>, 'payload_json' | 'lease_until'>): OutboxMessage => ({
  id: Number(r.id), idempotencyKey: r.idempotency_key, type: r.type, subject: r.subject, version: Number(r.version), occurredAt: Number(r.occurred_at),
  createdAt: Number(r.created_at), state: r.state as OutboxState, attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at),
  lastError: r.last_error, lastStatus: r.last_status === null ? null : Number(r.last_status), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
});
const COLUMNS = ['id', 'idempotency_key', 'type', 'subject', 'version', 'occurred_at', 'created_at', 'state', 'attempts', 'next_attempt_at', 'last_error', 'last_status', 'delivered_at'] as const;
/** Rows of one insert: 8 parameters a row stays far below both dialects' limits. */
const CHUNK = 500;

/**
 * The outbox of the government exchange, shared by every node: messages are added once (their key is
 * unique) together with the position their feed has read to, claimed by one sender at a time (a
 * lease that a crashed sender's successor takes over), and end delivered or rejected; a rejected one
 * waits for an admin's retry.
 */
export function createOutbox({ db, write }: StateDb) {
  const get = async (id: number) => {
    const r = await db.selectFrom('exchange_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { ...toMessage(r), payload: JSON.parse(r.payload_json) as Record<string, unknown> } : undefined;
  };

  /** Adds the messages not there yet and moves the cursor `name` forward to `position` (never back), in one transaction; returns the ids of those added. */
  async function add(messages: readonly OutboxWrite[], now: number, cursor?: { name: string; position: number }): Promise<number[]> {
    for (const m of messages) {
      if (m.idempotencyKey === '' || m.idempotencyKey.length > 200) throw lwError('LW_ERR_REQUEST_INVALID', `outbox message of ${m.subject}: idempotency key ${JSON.stringify(m.idempotencyKey)} must have 1–200 characters`);
      checkTime(m.occurredAt, `outbox message ${m.idempotencyKey}: occurredAt`);
    }
    return write(async (trx) => {
      const ids: number[] = [];
      for (let i = 0; i < messages.length; i += CHUNK) {
        const rows = messages.slice(i, i + CHUNK).map((m) => ({
          idempotency_key: m.idempotencyKey, type: m.type, subject: m.subject, version: m.version, occurred_at: m.occurredAt, created_at: now,
          payload_json: JSON.stringify(m.payload), state: 'pending', next_attempt_at: now,
        }));
        const added = await trx.insertInto('exchange_outbox').values(rows).onConflict((oc) => oc.column('idempotency_key').doNothing()).returning('id').execute();
        ids.push(...added.map((r) => Number(r.id)));
      }
      if (cursor) {
        await trx.insertInto('exchange_cursors').values({ name: cursor.name, position: cursor.position })
          .onConflict((oc) => oc.column('name').doUpdateSet({ position: sql`CASE WHEN ${sql.ref('excluded.position')} > exchange_cursors.position THEN ${sql.ref('excluded.position')} ELSE exchange_cursors.position END` }))
          .execute();
      }
      return ids;
    });
  }

  /** Where feed `name` has read to; undefined before its first read. */
  async function cursor(name: string): Promise<number | undefined> {
    const r = await db.selectFrom('exchange_cursors').select('position').where('name', '=', name).executeTakeFirst();
    return r ? Number(r.position) : undefined;
  }

  /**
   * Takes up to `limit` pending messages due at `now` whose lease is free, for `leaseMs`, counting an
   * attempt each, oldest first. Of two nodes claiming at once, each message goes to one: the update
   * checks the lease again.
   */
  async function claim(now: number, limit: number, leaseMs: number) {
    const due = await db.selectFrom('exchange_outbox').select('id').where('state', '=', 'pending').where('next_attempt_at', '<=', now)
      .where((e) => e.or([e('lease_until', 'is', null), e('lease_until', '<=', now)])).orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
    const claimed: Array<OutboxMessage & { payload: Record<string, unknown> }> = [];
    for (const { id } of due) {
      const r = await db.updateTable('exchange_outbox').set({ lease_until: now + leaseMs, attempts: sql`attempts + 1` })
        .where('id', '=', id).where('state', '=', 'pending').where((e) => e.or([e('lease_until', 'is', null), e('lease_until', '<=', now)]))
        .returningAll().executeTakeFirst();
      if (r) claimed.push({ ...toMessage(r), payload: JSON.parse(r.payload_json) as Record<string, unknown> });
    }
    return claimed;
  }

  const finish = (id: number, set: Partial<Record<'state' | 'last_error' | 'last_status' | 'delivered_at' | 'next_attempt_at', unknown>>) =>
    db.updateTable('exchange_outbox').set({ ...set, lease_until: null } as never).where('id', '=', id).execute();

  /** Which of these keys the outbox has: a feed that reads its source again from a little before its position skips those. */
  async function known(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK);
      if (part.length === 0) continue;
      for (const r of await db.selectFrom('exchange_outbox').select('idempotency_key').where('idempotency_key', 'in', part).execute()) found.add(r.idempotency_key);
    }
    return found;
  }

  /** Which of these subjects have a message of `type` in the outbox (a lift sent before is an update, not a first upload). */
  async function subjectsWith(type: string, subjects: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < subjects.length; i += CHUNK) {
      const part = subjects.slice(i, i + CHUNK);
      if (part.length === 0) continue;
      const rows = await db.selectFrom('exchange_outbox').select('subject').distinct().where('type', '=', type).where('subject', 'in', part).execute();
      for (const r of rows) found.add(r.subject);
    }
    return found;
  }

  return {
    add, cursor, claim, get, known, subjectsWith,
    /** The platform took the message (a 2xx answer). */
    delivered: (id: number, at: number, status: number) => finish(id, { state: 'delivered', delivered_at: at, last_status: status, last_error: null }),
    /** A transient failure: sent again at `nextAttemptAt`. */
    failed: (id: number, error: string, status: number | null, nextAttemptAt: number) => finish(id, { last_error: error.slice(0, 1000), last_status: status, next_attempt_at: nextAttemptAt }),
    /** Refused for good: kept as rejected until retried. */
    rejected: (id: number, error: string, status: number | null) => finish(id, { state: 'rejected', last_error: error.slice(0, 1000), last_status: status }),

    /** A rejected (or waiting) message is due again now; a delivered one cannot be. */
    async retry(id: number, now: number): Promise<OutboxMessage> {
      const r = await db.updateTable('exchange_outbox').set({ state: 'pending', next_attempt_at: now, lease_until: null })
        .where('id', '=', id).where('state', 'in', ['pending', 'rejected']).returning(COLUMNS).executeTakeFirst();
      if (r) return toMessage(r);
      const m = await get(id);
      if (!m) throw lwError('LW_ERR_NOT_FOUND', `outbox message ${id} does not exist`);
      throw lwError('LW_ERR_REQUEST_INVALID', `outbox message ${id} was delivered at ${new Date(m.deliveredAt ?? 0).toISOString()}: there is nothing to retry`);
    },

    /** Messages newest first, of one state or all, before the id `before` (pages). */
    async list(filter: { state?: OutboxState; subject?: string; before?: number; limit: number }): Promise<OutboxMessage[]> {
      if (filter.state && !STATES.includes(filter.state)) throw lwError('LW_ERR_REQUEST_INVALID', `outbox state ${JSON.stringify(filter.state)} is not one of ${STATES.join(', ')}`);
      let q = db.selectFrom('exchange_outbox').select(COLUMNS);
      if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.subject) q = q.where('subject', '=', filter.subject);
      if (filter.before !== undefined) q = q.where('id', '<', filter.before);
      return (await q.orderBy('id', 'desc').limit(filter.limit).execute()).map(toMessage);
    },

    /** What waits, what fails and what is done: the backlog an operator watches. */
    async backlog(): Promise<OutboxBacklog> {
      const counts = await db.selectFrom('exchange_outbox').select(['state', (e) => e.fn.countAll<number>().as('n')])
        .select((e) => e.fn.sum<number>(sql`CASE WHEN attempts > 0 THEN 1 ELSE 0 END`).as('tried')).groupBy('state').execute();
      const of = (s: OutboxState) => counts.find((c) => c.state === s);
      const pending = await db.selectFrom('exchange_outbox').select((e) => [e.fn.min<number>('created_at').as('oldest'), e.fn.min<number>('next_attempt_at').as('next')])
        .where('state', '=', 'pending').executeTakeFirst();
      const last = await db.selectFrom('exchange_outbox').select((e) => e.fn.max<number>('delivered_at').as('at')).where('state', '=', 'delivered').executeTakeFirst();
      const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      return {
        pending: Number(of('pending')?.n ?? 0), failing: Number(of('pending')?.tried ?? 0), rejected: Number(of('rejected')?.n ?? 0), delivered: Number(of('delivered')?.n ?? 0),
        oldestPendingAt: num(pending?.oldest), nextAttemptAt: num(pending?.next), lastDeliveredAt: num(last?.at),
      };
    },

    /** Deletes messages delivered before `before` (retention); returns how many. */
    async deleteDelivered(before: number): Promise<number> {
      const r = await db.deleteFrom('exchange_outbox').where('state', '=', 'delivered').where('delivered_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
export type Outbox = ReturnType<typeof createOutbox>;
