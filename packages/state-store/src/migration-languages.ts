import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Reasons and notifications in the reader's language: an alert keeps its reason as a key of the
 * reason catalogue with its parameters beside the English text (packages/contract/src/reasons.ts),
 * and a person the language of their notifications (zh-CN unless set).
 */
export function languages(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('alerts').addColumn('reason_key', 'text').execute();
      await db.schema.alterTable('alerts').addColumn('reason_params_json', 'text').execute();
      await db.schema.alterTable('crew_people').addColumn('language', 'text', (c) => c.notNull().defaultTo(sql.lit('zh-CN'))).execute();
    },
  };
}
