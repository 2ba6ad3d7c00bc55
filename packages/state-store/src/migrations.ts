import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { lwError } from '@liftwatch/contract';
import type { Dialect } from './open.js';
import { deadLetters } from './migration-dead-letters.js';
import { findings } from './migration-findings.js';
import { registryMaintenance } from './migration-registry.js';
import { exchange } from './migration-exchange.js';
import { hazards } from './migration-hazards.js';
import { terminalConfig } from './migration-terminal-config.js';
import { languages } from './migration-languages.js';

/**
 * The schema, as Kysely migrations run at start (Migrator: each applied once, recorded in
 * kysely_migration; on PostgreSQL several nodes starting at once are serialised by an advisory lock).
 * Tables are created `if not exists`, so an all-in-one SQLite database made by the older stores is
 * adopted as it is. Never edit an applied migration: add the next one.
 */
function initial(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'bigint' : 'integer';
  const blob = pg ? 'bytea' : 'blob';
  const real = pg ? 'double precision' : 'real';
  // A generated row id: bigserial on PostgreSQL, INTEGER PRIMARY KEY AUTOINCREMENT on SQLite (ids never reused).
  const idType = pg ? 'bigserial' : 'integer';
  type Col = Parameters<Parameters<ReturnType<Kysely<unknown>['schema']['createTable']>['addColumn']>[2] & object>[0];
  const idCol = (c: Col) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('lifts').ifNotExists()
        .addColumn('lift_id', 'text', (c) => c.primaryKey())
        .addColumn('first_seen_rx', time, (c) => c.notNull()).addColumn('last_seen_rx', time, (c) => c.notNull())
        .addColumn('records_total', time, (c) => c.notNull().defaultTo(0))
        .addColumn('status_json', 'text').addColumn('status_ts', time).addColumn('registry_json', 'text').addColumn('registry_ts', time)
        .addColumn('presence', 'text', (c) => c.notNull().defaultTo('unknown')).addColumn('presence_rx', time)
        .execute();

      await s.createTable('broker_terminals').ifNotExists()
        .addColumn('terminal_id', 'text', (c) => c.primaryKey()).addColumn('lift_id', 'text').addColumn('role', 'text', (c) => c.notNull())
        .addColumn('salt', blob, (c) => c.notNull()).addColumn('token_hash', blob, (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', time, (c) => c.notNull()).addColumn('rotated_at', time, (c) => c.notNull())
        .execute();
      await s.createIndex('broker_terminals_lift').ifNotExists().on('broker_terminals').column('lift_id').execute();

      await s.createTable('crew_orgs').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey()).addColumn('kind', 'text', (c) => c.notNull()).addColumn('name', 'text', (c) => c.notNull())
        .addColumn('roles_json', 'text', (c) => c.notNull())
        .execute();
      await s.createTable('crew_people').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('channels_json', 'text', (c) => c.notNull()).addColumn('severities_json', 'text', (c) => c.notNull()).addColumn('quiet_json', 'text')
        .execute();
      await s.createTable('crew_lifts').ifNotExists()
        .addColumn('lift_id', 'text', (c) => c.primaryKey()).addColumn('maintenance_unit', 'text', (c) => c.notNull())
        .addColumn('use_unit', 'text').addColumn('district', 'text')
        .execute();
      await s.createTable('crew_rota').ifNotExists()
        .addColumn('id', idType, idCol).addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('starts_at', time, (c) => c.notNull()).addColumn('ends_at', time, (c) => c.notNull())
        .addColumn('primary_id', 'text', (c) => c.notNull()).addColumn('backup_id', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('crew_rota_by_unit').ifNotExists().on('crew_rota').columns(['unit_id', 'starts_at']).execute();
      await s.createTable('escalation_policies').ifNotExists()
        .addColumn('org_id', 'text', (c) => c.notNull()).addColumn('severity', 'text', (c) => c.notNull()).addColumn('policy_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('escalation_policies_pk', ['org_id', 'severity'])
        .execute();

      await s.createTable('dash_users').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).addColumn('role', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text').addColumn('area_code', 'text').addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', time, (c) => c.notNull()).addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await s.createTable('dash_sessions').ifNotExists()
        .addColumn('token_sha256', 'text', (c) => c.primaryKey()).addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull()).addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await s.createIndex('dash_sessions_expiry').ifNotExists().on('dash_sessions').column('expires_at').execute();
      await s.createTable('dash_audit').ifNotExists()
        .addColumn('id', idType, idCol).addColumn('at', time, (c) => c.notNull()).addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull()).addColumn('method', 'text', (c) => c.notNull()).addColumn('route', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull()).addColumn('status', 'integer', (c) => c.notNull()).addColumn('ip', 'text', (c) => c.notNull())
        .execute();

      await s.createTable('alerts').ifNotExists()
        .addColumn('id', idType, idCol).addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('code', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull()).addColumn('state', 'text', (c) => c.notNull()).addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('opened_at', time, (c) => c.notNull()).addColumn('updated_at', time, (c) => c.notNull()).addColumn('last_seen_at', time, (c) => c.notNull())
        .addColumn('condition_cleared_at', time).addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1)).addColumn('assignee', 'text')
        .execute();
      if (!pg) {
        // The SQLite alert store once added `assignee` with ALTER TABLE; an older database gets it here.
        const cols = await sql<{ name: string }>`PRAGMA table_info(alerts)`.execute(db);
        if (!cols.rows.some((c) => c.name === 'assignee')) await sql`ALTER TABLE alerts ADD COLUMN assignee TEXT`.execute(db);
      }
      // One alert that is not finished per (lift, code): two nodes raising at once cannot make two (docs/lessons.md#1-duplicate-and-flapping-alarms).
      await s.createIndex('alerts_one_active').ifNotExists().unique().on('alerts').columns(['lift_id', 'code'])
        .where(sql.raw<boolean>(`state IN ('open', 'acknowledged', 'onSite')`)).execute();
      await s.createIndex('alerts_by_state').ifNotExists().on('alerts').columns(['state', 'updated_at']).execute();
      await s.createTable('alert_occurrences').ifNotExists()
        .addColumn('alert_id', time, (c) => c.notNull().references('alerts.id')).addColumn('lift_id', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull()).addColumn('seq', time, (c) => c.notNull()).addColumn('ts', time, (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull()).addColumn('reason', 'text', (c) => c.notNull()).addColumn('values_json', 'text', (c) => c.notNull())
        .addUniqueConstraint('alert_occurrences_once', ['alert_id', 'lift_id', 'seq'])
        .execute();
      await s.createTable('alert_audit').ifNotExists()
        .addColumn('id', idType, idCol).addColumn('alert_id', time, (c) => c.notNull().references('alerts.id'))
        .addColumn('at', time, (c) => c.notNull()).addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull()).addColumn('note', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('alert_audit_by_alert').ifNotExists().on('alert_audit').columns(['alert_id', 'action']).execute();

      await s.createTable('maintenance_visits').ifNotExists()
        .addColumn('id', idType, idCol).addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('technician', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull()).addColumn('started_at', time, (c) => c.notNull()).addColumn('ends_by', time, (c) => c.notNull())
        .addColumn('ended_at', time).addColumn('end_reason', 'text').addColumn('suppressed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await s.createIndex('maintenance_visits_by_lift').ifNotExists().on('maintenance_visits').columns(['lift_id', 'ended_at']).execute();
      // One visit going on per lift, also when a terminal and a technician start one on two nodes at once.
      await s.createIndex('maintenance_visits_one_open').ifNotExists().unique().on('maintenance_visits').column('lift_id')
        .where(sql.raw<boolean>('ended_at IS NULL')).execute();

      await s.createTable('health_history').ifNotExists()
        .addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('at', time, (c) => c.notNull())
        .addColumn('score', real, (c) => c.notNull()).addColumn('grade', 'text', (c) => c.notNull()).addColumn('confidence', real, (c) => c.notNull())
        .addColumn('params_version', 'text', (c) => c.notNull()).addColumn('components_json', 'text', (c) => c.notNull())
        .addColumn('reasons_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('health_history_pk', ['lift_id', 'at'])
        .execute();

      // The audit trails are append-only: the database refuses to change or delete a line.
      for (const table of ['alert_audit', 'dash_audit']) {
        if (pg) {
          await sql.raw(`CREATE OR REPLACE FUNCTION liftwatch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`).execute(db);
          await sql.raw(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION liftwatch_append_only()`).execute(db);
        } else {
          await sql.raw(`CREATE TRIGGER IF NOT EXISTS ${table}_append_only_u BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db);
          await sql.raw(`CREATE TRIGGER IF NOT EXISTS ${table}_append_only_d BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db);
        }
      }
    },
  };
}

/**
 * Alerting on the shared state: the log of every notification attempt (append-only, as
 * the notification log has it), and one plan claim per alert, so that of
 * two alerting nodes planning an alert's escalation at once (a raise and another node's recovery)
 * exactly one adds its timers and deliveries.
 */
function alertingShared(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s.createTable('notification_attempts').ifNotExists()
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('alert_id', time, (c) => c.notNull()).addColumn('job_id', 'text', (c) => c.notNull()).addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull()).addColumn('channel', 'text', (c) => c.notNull()).addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull()).addColumn('outcome', 'text', (c) => c.notNull()).addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('notification_attempts_by_alert').ifNotExists().on('notification_attempts').columns(['alert_id', 'id']).execute();
      if (pg) {
        await sql.raw(`DROP TRIGGER IF EXISTS notification_attempts_append_only ON notification_attempts`).execute(db);
        await sql.raw(`CREATE TRIGGER notification_attempts_append_only BEFORE UPDATE OR DELETE ON notification_attempts FOR EACH ROW EXECUTE FUNCTION liftwatch_append_only()`).execute(db);
      } else {
        await sql.raw(`CREATE TRIGGER IF NOT EXISTS notification_attempts_append_only_u BEFORE UPDATE ON notification_attempts BEGIN SELECT RAISE(ABORT, 'notification_attempts is append-only'); END`).execute(db);
        await sql.raw(`CREATE TRIGGER IF NOT EXISTS notification_attempts_append_only_d BEFORE DELETE ON notification_attempts BEGIN SELECT RAISE(ABORT, 'notification_attempts is append-only'); END`).execute(db);
      }
      await s.createTable('alert_plans').ifNotExists()
        .addColumn('alert_id', time, (c) => c.primaryKey()).addColumn('node', 'text', (c) => c.notNull())
        .addColumn('claimed_at', time, (c) => c.notNull()).addColumn('planned_at', time)
        .execute();
      await s.createIndex('crew_lifts_by_unit').ifNotExists().on('crew_lifts').column('maintenance_unit').execute();
    },
  };
}

/**
 * The caps of a health score (docs/health-score.md#caps: "capped at 69 because of the open P2 alert 412") in the
 * shared history, so a score read on another node still says why it is capped. Scores stored before
 * have none recorded ('[]').
 */
function healthCaps(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('health_history').addColumn('caps_json', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  };
}

/**
 * One-time passwords (the first admin's printed one expires and must be replaced at the first
 * login) and the platform's lift registry, set by admins, which decides a lift's area for scoping
 * instead of what its terminal reports. An all-in-one SQLite database whose stores already added
 * the columns or the table is adopted as it is.
 */
function passwordsAndLiftRegistry(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const have = dialect === 'postgres' ? new Set<string>()
        : new Set((await sql<{ name: string }>`PRAGMA table_info(dash_users)`.execute(db)).rows.map((c) => c.name));
      if (!have.has('must_change_password')) await db.schema.alterTable('dash_users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      if (!have.has('password_expires_at')) await db.schema.alterTable('dash_users').addColumn('password_expires_at', time).execute();
      await db.schema.createTable('lift_registry').ifNotExists()
        .addColumn('lift_id', 'text', (c) => c.primaryKey()).addColumn('area_code', 'text')
        .addColumn('updated_at', time, (c) => c.notNull()).addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('lift_registry_by_area').ifNotExists().on('lift_registry').columns(['area_code', 'lift_id']).execute();
      await db.schema.createIndex('lift_registry_by_update').ifNotExists().on('lift_registry').column('updated_at').execute();
    },
  };
}

/**
 * The seq of the lift's latest status beside its device time: a status with a higher seq is newer
 * even after the terminal's clock was set back (see docs/reliability.md, Clocks). An all-in-one
 * database adopted by the state store may have the column already (ingest adds it to its own table).
 */
function statusSeq(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const tables = await db.introspection.getTables();
      const lifts = tables.find((t) => t.name === 'lifts');
      if (lifts?.columns.some((c) => c.name === 'status_seq')) return;
      await db.schema.alterTable('lifts').addColumn('status_seq', 'bigint').execute();
    },
  };
}

/**
 * One health history for both modes, and what an all-in-one database made before the state store
 * still lacks. A score with too little data has no grade: it is kept too (grade NULL), so a node
 * that starts serves it without computing it again. The all-in-one's models kept the history in a
 * format of their own (columns components, reasons, caps and params_sha256): its rows move to this
 * store's columns. And the index the console's per-lift alert list reads by, which the all-in-one
 * had and the first migration did not make.
 */
function allInOneAdopted(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('alerts_by_lift').ifNotExists().on('alerts').columns(['lift_id', 'state']).execute();
      if (dialect === 'postgres') {
        await sql`ALTER TABLE health_history ALTER COLUMN grade DROP NOT NULL`.execute(db);
        return;
      }
      // SQLite cannot drop a NOT NULL: the table is made again and its rows copied.
      const columns = new Set((await sql<{ name: string }>`PRAGMA table_info(health_history)`.execute(db)).rows.map((c) => c.name));
      const [components, reasons, caps] = columns.has('components') ? ['components', 'reasons', 'caps'] : ['components_json', 'reasons_json', 'caps_json'];
      await sql`ALTER TABLE health_history RENAME TO health_history_before`.execute(db);
      await db.schema.createTable('health_history')
        .addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('score', 'real', (c) => c.notNull()).addColumn('grade', 'text').addColumn('confidence', 'real', (c) => c.notNull())
        .addColumn('params_version', 'text', (c) => c.notNull()).addColumn('components_json', 'text', (c) => c.notNull())
        .addColumn('reasons_json', 'text', (c) => c.notNull()).addColumn('caps_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addPrimaryKeyConstraint('health_history_pk', ['lift_id', 'at'])
        .execute();
      await sql`INSERT INTO health_history (lift_id, at, score, grade, confidence, params_version, components_json, reasons_json, caps_json)
        SELECT lift_id, at, score, grade, confidence, params_version, ${sql.ref(components!)}, ${sql.ref(reasons!)}, ${sql.ref(caps!)} FROM health_history_before`.execute(db);
      await sql`DROP TABLE health_history_before`.execute(db);
    },
  };
}

/** Every migration, in order of name. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect), '0002_alerting_shared': alertingShared(dialect), '0003_health_caps': healthCaps(),
    '0004_passwords_lift_registry': passwordsAndLiftRegistry(dialect), '0005_status_seq': statusSeq(),
    '0006_all_in_one_adopted': allInOneAdopted(dialect),
    '0007_dead_letters': deadLetters(dialect),
    '0008_findings': findings(dialect),
    '0009_registry_maintenance': registryMaintenance(dialect),
    '0010_exchange': exchange(dialect),
    '0011_languages': languages(),
    '0012_hazards': hazards(dialect),
    '0013_terminal_config': terminalConfig(dialect),
  };
}

/** Brings the schema to the latest migration; returns the names applied now (none when it was up to date). */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(dialect)) };
  // Each migration adds its own tables or columns and reads no other's, so one numbered before a
  // migration a database already has (written on a branch at the same time) is applied late, not refused.
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw lwError('LW_ERR_STORAGE', `state-store migration ${failed} failed (${error instanceof Error ? error.message : String(error)}): fix the database or restore the backup taken before the upgrade`, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
