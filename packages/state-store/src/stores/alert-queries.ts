import type Database from 'better-sqlite3';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { NotificationAttempt } from '@liftwatch/contract';
import { prepared, type PreparedQuery } from '../prepared.js';
import type { AlertsTable, StateTables } from '../tables.js';
import { attemptRow } from './notifications.js';

type Db = Kysely<StateTables>;
const ACTIVE = ['open', 'acknowledged', 'onSite'];
// Literal, not bound: PostgreSQL infers the partial unique index of ON CONFLICT only from a constant predicate.
const ACTIVE_SQL = sql.raw<boolean>(`state IN ('open', 'acknowledged', 'onSite')`);

/** The values of a raise as its statements bind them. */
export interface RaiseValues {
  liftId: string; code: string; severity: string; reason: string; at: number; reasonKey: string | null; reasonParamsJson: string | null;
  stream: string; evidenceLiftId: string; seq: number; ts: number; valuesJson: string;
}
export interface AuditValues { alertId: number; at: number; action: string; actor: string; note: string }

/**
 * The statements of an alert's way from its raise to its escalation plan, written once: the Kysely
 * path runs them with their values (on PostgreSQL, or a transaction), the SQLite path compiles them
 * once with slots and runs them prepared (hotAlertStatements).
 */
export const alertQueries = {
  insertAlert: (q: Db, v: RaiseValues) => q.insertInto('alerts')
    .values({
      lift_id: v.liftId, code: v.code, severity: v.severity, state: 'open', reason: v.reason, opened_at: v.at, updated_at: v.at, last_seen_at: v.at,
      reason_key: v.reasonKey, reason_params_json: v.reasonParamsJson,
    })
    .onConflict((oc) => oc.columns(['lift_id', 'code']).where(ACTIVE_SQL).doNothing())
    .returning('id'),
  activeId: (q: Db, v: { liftId: string; code: string }) => q.selectFrom('alerts').select('id').where('lift_id', '=', v.liftId).where('code', '=', v.code).where('state', 'in', ACTIVE),
  insertAudit: (q: Db, v: AuditValues) => q.insertInto('alert_audit').values({ alert_id: v.alertId, at: v.at, action: v.action, actor: v.actor, note: v.note }),
  insertOccurrence: (q: Db, v: RaiseValues & { alertId: number }) => q.insertInto('alert_occurrences')
    .values({ alert_id: v.alertId, lift_id: v.evidenceLiftId, stream: v.stream, seq: v.seq, ts: v.ts, at: v.at, reason: v.reason, values_json: v.valuesJson })
    .onConflict((oc) => oc.columns(['alert_id', 'lift_id', 'seq']).doNothing()).returning('alert_id'),
  countOccurrence: (q: Db, v: { alertId: number; at: number; severity: string }) => {
    const sev = sql<string>`CAST(${v.severity} AS TEXT)`;
    // 'P1' < 'P2' as text: the lower string is the more severe level.
    return q.updateTable('alerts').set({
      occurrences: sql`occurrences + 1`, last_seen_at: v.at, updated_at: v.at, condition_cleared_at: null,
      severity: sql`CASE WHEN ${sev} < severity THEN ${sev} ELSE severity END`,
    }).where('id', '=', v.alertId);
  },
  get: (q: Db, v: { id: number }) => q.selectFrom('alerts').selectAll().where('id', '=', v.id),
  insertAttempt: (q: Db, v: Omit<NotificationAttempt, 'id'>) => q.insertInto('notification_attempts').values(attemptRow(v)),
  markPlanned: (q: Db, v: { alertId: number; at: number }) => q.insertInto('alert_plans').values({ alert_id: v.alertId, node: 'unknown', claimed_at: v.at, planned_at: v.at })
    .onConflict((oc) => oc.column('alert_id').doUpdateSet({ planned_at: v.at })),
};

export interface HotAlertStatements {
  readonly sqlite: Database.Database;
  readonly insertAlert: PreparedQuery<RaiseValues, { id: number }>;
  readonly activeId: PreparedQuery<{ liftId: string; code: string }, { id: number }>;
  readonly insertAudit: PreparedQuery<AuditValues, never>;
  readonly insertOccurrence: PreparedQuery<RaiseValues & { alertId: number }, { alert_id: number }>;
  readonly countOccurrence: PreparedQuery<{ alertId: number; at: number; severity: string }, never>;
  readonly get: PreparedQuery<{ id: number }, Selectable<AlertsTable>>;
  readonly insertAttempt: PreparedQuery<Omit<NotificationAttempt, 'id'>, never>;
  readonly markPlanned: PreparedQuery<{ alertId: number; at: number }, never>;
}

/** The same statements prepared on the SQLite connection (prepared.ts). */
export function hotAlertStatements(sqlite: Database.Database, db: Db): HotAlertStatements {
  return {
    sqlite,
    insertAlert: prepared<RaiseValues, { id: number }>(sqlite, (s) => alertQueries.insertAlert(db, s)),
    activeId: prepared<{ liftId: string; code: string }, { id: number }>(sqlite, (s) => alertQueries.activeId(db, s)),
    insertAudit: prepared<AuditValues, never>(sqlite, (s) => alertQueries.insertAudit(db, s)),
    insertOccurrence: prepared<RaiseValues & { alertId: number }, { alert_id: number }>(sqlite, (s) => alertQueries.insertOccurrence(db, s)),
    countOccurrence: prepared<{ alertId: number; at: number; severity: string }, never>(sqlite, (s) => alertQueries.countOccurrence(db, s)),
    get: prepared<{ id: number }, Selectable<AlertsTable>>(sqlite, (s) => alertQueries.get(db, s)),
    insertAttempt: prepared<Omit<NotificationAttempt, 'id'>, never>(sqlite, (s) => alertQueries.insertAttempt(db, s)),
    markPlanned: prepared<{ alertId: number; at: number }, never>(sqlite, (s) => alertQueries.markPlanned(db, s)),
  };
}
