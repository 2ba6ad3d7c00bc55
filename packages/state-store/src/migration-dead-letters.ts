import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open.js';

/**
 * The dead letters of every ingest node in the shared state, so that any dashboards node shows them
 * all, and per terminal its counts (rejected, not kept past its quota, the newest rejection). The
 * all-in-one's own `dead_letters` table (same columns) is adopted as it is.
 */
export function deadLetters(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('dead_letters').ifNotExists()
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('rx_ts', time, (c) => c.notNull()).addColumn('topic', 'text', (c) => c.notNull()).addColumn('client_id', 'text')
        .addColumn('code', 'text', (c) => c.notNull()).addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('size_bytes', time, (c) => c.notNull()).addColumn('raw', pg ? 'bytea' : 'blob', (c) => c.notNull())
        .execute();
      await s.createIndex('dead_letters_rx').ifNotExists().on('dead_letters').column('rx_ts').execute();
      await s.createTable('dead_letter_counts').ifNotExists()
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('rejected', time, (c) => c.notNull()).addColumn('dropped', time, (c) => c.notNull()).addColumn('dropped_bytes', time, (c) => c.notNull())
        .addColumn('first_at', time, (c) => c.notNull()).addColumn('last_at', time, (c) => c.notNull())
        .addColumn('last_code', 'text', (c) => c.notNull()).addColumn('last_reason', 'text', (c) => c.notNull()).addColumn('last_topic', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
