import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open.js';

/**
 * Remote configuration that an operator can see: per lift, the desired config (its version, the
 * settings, who pushed it when) beside the version its terminal acknowledged or refused; and the
 * commands sent to terminals with the result each reported.
 */
export function terminalConfig(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('terminal_configs')
        .addColumn('lift_id', 'text', (c) => c.primaryKey())
        .addColumn('desired_version', time, (c) => c.notNull()).addColumn('settings_json', 'text', (c) => c.notNull())
        .addColumn('desired_at', time, (c) => c.notNull()).addColumn('desired_by', 'text', (c) => c.notNull())
        .addColumn('acked_version', time).addColumn('acked_at', time)
        .addColumn('rejected_version', time).addColumn('rejected_reason', 'text').addColumn('rejected_at', time)
        .execute();
      await s.createTable('terminal_commands')
        .addColumn('cmd_id', 'text', (c) => c.primaryKey()).addColumn('lift_id', 'text', (c) => c.notNull())
        .addColumn('cmd', 'text', (c) => c.notNull()).addColumn('sent_at', time, (c) => c.notNull()).addColumn('sent_by', 'text', (c) => c.notNull())
        .addColumn('result_at', time).addColumn('ok', 'integer').addColumn('detail', 'text')
        .execute();
      await s.createIndex('terminal_commands_by_lift').on('terminal_commands').columns(['lift_id', 'sent_at']).execute();
    },
  };
}
