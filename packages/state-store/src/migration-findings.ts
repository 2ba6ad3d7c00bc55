import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open.js';

/**
 * What crews found when they closed alerts: one finding per alert, written in the transaction that
 * closes it (or later, for a P1 closed without one), with what the alert was (lift, code, when it
 * opened, the model and version that predicted it) so precision and training labels read one table.
 */
export function findings(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('alert_findings').ifNotExists()
        .addColumn('alert_id', time, (c) => c.primaryKey())
        .addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('code', 'text', (c) => c.notNull()).addColumn('alert_opened_at', time, (c) => c.notNull())
        .addColumn('model_id', 'text').addColumn('model_version', 'text').addColumn('family', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull()).addColumn('component', 'text').addColumn('part_replaced', 'text')
        .addColumn('note', 'text', (c) => c.notNull()).addColumn('actor', 'text', (c) => c.notNull()).addColumn('at', time, (c) => c.notNull())
        .execute();
      await s.createIndex('alert_findings_by_model').ifNotExists().on('alert_findings').columns(['model_id', 'model_version']).execute();
      await s.createIndex('alert_findings_by_time').ifNotExists().on('alert_findings').column('alert_opened_at').execute();
    },
  };
}
