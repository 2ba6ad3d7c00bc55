import type Database from 'better-sqlite3';
import type { AlertDetail, AlertState, AlertView, EvidenceRef, Severity } from '@liftwatch/contract';

/**
 * SQLite tables of the alert lifecycle. One row per alert; at most one alert that is not
 * finished per (lift, code), enforced by a partial unique index so two concurrent raises cannot
 * create two alerts (LESSONS.md 1). Occurrences keep every sighting as evidence (LESSONS.md 4),
 * unique per source record so a replayed record is not counted twice. The audit trail is append-only.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  lift_id TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  condition_cleared_at INTEGER,
  occurrences INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_active ON alerts (lift_id, code) WHERE state IN ('open', 'acknowledged', 'onSite');
CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, updated_at);
CREATE INDEX IF NOT EXISTS alerts_by_lift ON alerts (lift_id, state);
CREATE TABLE IF NOT EXISTS alert_occurrences (
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  lift_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  values_json TEXT NOT NULL,
  UNIQUE (alert_id, lift_id, seq)
);
CREATE TABLE IF NOT EXISTS alert_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_audit_by_alert ON alert_audit (alert_id, action);
CREATE TRIGGER IF NOT EXISTS alert_audit_append_only_u BEFORE UPDATE ON alert_audit BEGIN SELECT RAISE(ABORT, 'alert_audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS alert_audit_append_only_d BEFORE DELETE ON alert_audit BEGIN SELECT RAISE(ABORT, 'alert_audit is append-only'); END;
`;

interface AlertRow {
  id: number; lift_id: string; code: string; severity: Severity; state: AlertState; reason: string;
  opened_at: number; updated_at: number; last_seen_at: number; condition_cleared_at: number | null; occurrences: number;
  assignee: string | null;
}

export interface RaiseInput {
  liftId: string;
  code: string;
  severity: Severity;
  reason: string;
  evidence: EvidenceRef;
  at: number;
}

export interface NewOccurrence { alertId: number; created: boolean; counted: boolean }

export function createSqliteAlertStore(db: Database.Database) {
  db.exec(SCHEMA);
  // Issue 7 added the assignee; databases created before get the column here.
  if (!db.prepare<[], { name: string }>(`PRAGMA table_info(alerts)`).all().some((c) => c.name === 'assignee')) db.exec(`ALTER TABLE alerts ADD COLUMN assignee TEXT`);
  const findActive = db.prepare<[string, string], AlertRow>(`SELECT * FROM alerts WHERE lift_id = ? AND code = ? AND state IN ('open', 'acknowledged', 'onSite')`);
  const insertAlert = db.prepare(`INSERT INTO alerts (lift_id, code, severity, state, reason, opened_at, updated_at, last_seen_at) VALUES (@liftId, @code, @severity, 'open', @reason, @at, @at, @at)`);
  const insertOccurrence = db.prepare(`INSERT OR IGNORE INTO alert_occurrences (alert_id, lift_id, stream, seq, ts, at, reason, values_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const bumpAlert = db.prepare(`UPDATE alerts SET occurrences = occurrences + 1, last_seen_at = ?, updated_at = ?, condition_cleared_at = NULL,
      severity = CASE WHEN ? < severity THEN ? ELSE severity END WHERE id = ?`);
  const insertAudit = db.prepare(`INSERT INTO alert_audit (alert_id, at, action, actor, note) VALUES (?, ?, ?, ?, ?)`);
  const getRow = db.prepare<[number], AlertRow>(`SELECT * FROM alerts WHERE id = ?`);
  const setState = db.prepare(`UPDATE alerts SET state = ?, updated_at = ? WHERE id = ?`);
  const setCleared = db.prepare(`UPDATE alerts SET condition_cleared_at = ?, updated_at = ? WHERE id = ?`);
  const occurrencesOf = db.prepare<[number, number], { stream: string; lift_id: string; seq: number; ts: number; at: number; reason: string; values_json: string }>(
    `SELECT * FROM alert_occurrences WHERE alert_id = ? ORDER BY at DESC, seq DESC LIMIT ?`);
  const auditOf = db.prepare<[number], { at: number; action: string; actor: string; note: string }>(`SELECT at, action, actor, note FROM alert_audit WHERE alert_id = ? ORDER BY id`);
  const unscheduledStmt = db.prepare<[], AlertRow>(`SELECT * FROM alerts a WHERE state IN ('open', 'acknowledged', 'onSite')
      AND NOT EXISTS (SELECT 1 FROM alert_audit WHERE alert_id = a.id AND action = 'policy') ORDER BY id LIMIT 10000`);
  const countActiveByLift = db.prepare<[], { lift_id: string; n: number }>(`SELECT lift_id, COUNT(*) AS n FROM alerts WHERE state IN ('open', 'acknowledged', 'onSite') GROUP BY lift_id`);

  /** Opens the alert for (lift, code) or adds an occurrence to the one already active; one transaction. */
  const raiseTx = db.transaction((input: RaiseInput): NewOccurrence => {
    const active = findActive.get(input.liftId, input.code);
    let alertId: number;
    let created = false;
    if (active) {
      alertId = active.id;
    } else {
      alertId = Number(insertAlert.run(input).lastInsertRowid);
      insertAudit.run(alertId, input.at, 'opened', 'system', input.reason);
      created = true;
    }
    const ev = input.evidence;
    const counted = insertOccurrence.run(alertId, ev.liftId, ev.stream, ev.seq, ev.ts, input.at, input.reason, JSON.stringify(ev.values)).changes > 0;
    // 'P1' < 'P2' as text, so the lower string is the more severe level.
    if (counted && !created) bumpAlert.run(input.at, input.at, input.severity, input.severity, alertId);
    return { alertId, created, counted };
  });

  const setAssignee = db.prepare(`UPDATE alerts SET assignee = ?, updated_at = ? WHERE id = ?`);
  const transitionTx = db.transaction((id: number, to: AlertState, from: readonly AlertState[], actor: string, note: string, at: number): boolean => {
    const state = getRow.get(id)?.state;
    if (state === undefined || !from.includes(state)) return false;
    setState.run(to, at, id);
    insertAudit.run(id, at, to, actor, note);
    // The first to acknowledge has the alert unless someone was assigned before.
    if (to === 'acknowledged' && getRow.get(id)?.assignee == null) setAssignee.run(actor, at, id);
    return true;
  });
  const assignTx = db.transaction((id: number, assignee: string, actor: string, at: number) => {
    setAssignee.run(assignee, at, id);
    insertAudit.run(id, at, 'assigned', actor, assignee);
  });
  const assign = (id: number, assignee: string, actor: string, at: number): void => assignTx(id, assignee, actor, at);

  const clearConditionTx = db.transaction((liftId: string, code: string, at: number, note: string): number | undefined => {
    const active = findActive.get(liftId, code);
    if (!active) return undefined;
    setCleared.run(at, at, active.id);
    insertAudit.run(active.id, at, 'conditionCleared', 'system', note);
    return active.id;
  });

  const raise = (input: RaiseInput): NewOccurrence => raiseTx(input);
  /** Moves the alert to `to` if it is in one of `from`; false when it is not. */
  const transition = (id: number, to: AlertState, from: readonly AlertState[], actor: string, note: string, at: number): boolean => transitionTx(id, to, from, actor, note, at);
  const clearCondition = (liftId: string, code: string, at: number, note: string): number | undefined => clearConditionTx(liftId, code, at, note);

  function list(filter: { state?: 'active' | AlertState; liftId?: string; limit: number }): AlertRow[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.state === 'active') where.push(`state IN ('open', 'acknowledged', 'onSite')`);
    else if (filter.state) { where.push('state = ?'); params.push(filter.state); }
    if (filter.liftId) { where.push('lift_id = ?'); params.push(filter.liftId); }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY severity ASC, updated_at DESC LIMIT ?`;
    let stmt = listStatements.get(sql);
    if (!stmt) listStatements.set(sql, (stmt = db.prepare<Array<string | number>, AlertRow>(sql)));
    return stmt.all(...params, filter.limit);
  }
  /** The few shapes of `list` query, prepared once each (the console asks per lift, often). */
  const listStatements = new Map<string, Database.Statement<Array<string | number>, AlertRow>>();

  function detail(id: number, evidenceLimit: number): Omit<AlertDetail, keyof AlertView> | undefined {
    if (!getRow.get(id)) return undefined;
    return {
      evidence: occurrencesOf.all(id, evidenceLimit).map((o) => ({
        at: o.at, reason: o.reason, evidence: { liftId: o.lift_id, stream: o.stream, seq: o.seq, ts: o.ts, values: JSON.parse(o.values_json) as Record<string, unknown> },
      })),
      audit: auditOf.all(id),
    };
  }

  function activeCountsByLift(): Map<string, number> {
    return new Map(countActiveByLift.all().map((r) => [r.lift_id, r.n]));
  }

  /** Appends a line to an alert's audit trail (escalations, routing gaps, failed deliveries). */
  const audit = (id: number, at: number, action: string, actor: string, note: string): void => { insertAudit.run(id, at, action, actor, note); };

  /** Active alerts whose escalation was never planned (a crash right after they opened). */
  const unscheduled = (): AlertRow[] => unscheduledStmt.all();

  return { raise, transition, clearCondition, list, detail, activeCountsByLift, audit, unscheduled, assign, get: (id: number): AlertRow | undefined => getRow.get(id) };
}

export type SqliteAlertStore = ReturnType<typeof createSqliteAlertStore>;
export type { AlertRow };
