import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open.js';

/**
 * The exchange with a government or provincial platform and the rescue line: the outbox (one row per
 * message, kept until delivered and then for the retention days; the idempotency key is unique, so a
 * message fed twice, by two nodes or after a crash, is one row), where each feed has read up to, and
 * the calls a rescue line (96333) handed over, each attached to an entrapment alert.
 */
export function exchange(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'bigint' : 'integer';
  const id = pg ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('exchange_outbox')
        .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull()).addColumn('subject', 'text', (c) => c.notNull()).addColumn('version', time, (c) => c.notNull())
        .addColumn('occurred_at', time, (c) => c.notNull()).addColumn('created_at', time, (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull()).addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time, (c) => c.notNull()).addColumn('lease_until', time)
        .addColumn('last_error', 'text').addColumn('last_status', 'integer').addColumn('delivered_at', time)
        .execute();
      await s.createIndex('exchange_outbox_due').on('exchange_outbox').columns(['state', 'next_attempt_at']).execute();
      await s.createIndex('exchange_outbox_by_subject').on('exchange_outbox').columns(['subject', 'id']).execute();
      await s.createTable('exchange_cursors')
        .addColumn('name', 'text', (c) => c.primaryKey()).addColumn('position', time, (c) => c.notNull())
        .execute();
      await s.createTable('rescue_calls')
        .addColumn('id', id, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('line', 'text', (c) => c.notNull()).addColumn('external_id', 'text')
        .addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('alert_id', time)
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('caller_name', 'text').addColumn('caller_phone', 'text').addColumn('rescue_code', 'text').addColumn('note', 'text', (c) => c.notNull())
        .addColumn('dispatched_at', time).addColumn('on_site_at', time).addColumn('released_at', time).addColumn('false_alarm_at', time)
        .addColumn('created_at', time, (c) => c.notNull()).addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('rescue_calls_once', ['line', 'external_id'])
        .execute();
      await s.createIndex('rescue_calls_by_alert').on('rescue_calls').column('alert_id').execute();
      await s.createIndex('rescue_calls_by_received').on('rescue_calls').columns(['received_at', 'id']).execute();
    },
  };
}
