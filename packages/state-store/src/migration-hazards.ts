import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open.js';

/**
 * Hazards on lifts (docs/hazards.md): reported by residents from the QR code in the car, or found by
 * crews and inspectors, tracked to closure; the photo of each fix beside them, one per hazard.
 */
export function hazards(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('hazards').ifNotExists()
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('source', 'text', (c) => c.notNull()).addColumn('category', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull()).addColumn('contact', 'text').addColumn('reported_by', 'text')
        .addColumn('state', 'text', (c) => c.notNull()).addColumn('opened_at', time, (c) => c.notNull()).addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('rectified_at', time).addColumn('rectified_by', 'text').addColumn('rectification_note', 'text')
        .addColumn('closed_at', time).addColumn('closed_by', 'text').addColumn('review_note', 'text')
        .execute();
      await s.createIndex('hazards_by_state').ifNotExists().on('hazards').columns(['state', 'opened_at']).execute();
      await s.createIndex('hazards_by_lift').ifNotExists().on('hazards').columns(['lift_id', 'opened_at']).execute();
      await s.createTable('hazard_photos').ifNotExists()
        .addColumn('hazard_id', time, (c) => c.primaryKey()).addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull()).addColumn('bytes', pg ? 'bytea' : 'blob', (c) => c.notNull())
        .execute();
    },
  };
}
