import type { Selectable } from 'kysely';
import { findingOfMove, lwError, type AlertState, type EvidenceRef, type FindingInput, type ReasonParams, type Severity } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { AlertsTable } from '../tables.js';
import { checkLiftId, checkTime } from '../check.js';
import { checkFinding, writeFinding } from './findings.js';
import { attemptRow, checkAttempt } from './notifications.js';
import { fastOr } from '../prepared.js';
import { alertQueries, hotAlertStatements, type HotAlertStatements, type RaiseValues } from './alert-queries.js';
import type { NotificationAttempt } from '@liftwatch/contract';

const ACTIVE: AlertState[] = ['open', 'acknowledged', 'onSite'];
const STATES: readonly string[] = [...ACTIVE, 'resolved', 'falseAlarm'];
const SEVERITIES: readonly string[] = ['P1', 'P2', 'P3', 'P4'];

export interface AlertRecord {
  id: number; liftId: string; code: string; severity: Severity; state: AlertState; reason: string;
  openedAt: number; updatedAt: number; lastSeenAt: number; conditionClearedAt: number | null; occurrences: number; assignee: string | null;
  /** The reason as a key of the reason catalogue with its parameters (packages/contract/src/reasons.ts); null: English only. */
  reasonKey: string | null; reasonParams: ReasonParams | null;
}
export interface RaiseInput {
  liftId: string; code: string; severity: Severity; reason: string; evidence: EvidenceRef; at: number;
  reasonKey?: string | undefined; reasonParams?: ReasonParams | undefined;
}
/** An alert that opened and cleared in history (records scored after the fact): written closed, with its real times. */
export interface ClosedAlertInput extends RaiseInput {
  /** When its condition cleared (a record's time), ms; `at` is when it opened. */
  clearedAt: number;
  /** Why it cleared, as conditionClearedAt's audit line says. */
  clearNote: string;
  /** Why it was closed without a crew (the audit line of its close). */
  closeNote: string;
}
export interface AuditItem { at: number; action: string; actor: string; note: string }

const toAlert = (r: Selectable<AlertsTable>): AlertRecord => ({
  id: Number(r.id), liftId: r.lift_id, code: r.code, severity: r.severity as Severity, state: r.state as AlertState, reason: r.reason,
  openedAt: r.opened_at, updatedAt: r.updated_at, lastSeenAt: r.last_seen_at, conditionClearedAt: r.condition_cleared_at, occurrences: Number(r.occurrences), assignee: r.assignee,
  reasonKey: r.reason_key ?? null, reasonParams: r.reason_params_json ? JSON.parse(r.reason_params_json) as ReasonParams : null,
});

/**
 * The alert lifecycle, shared by every alerting node. One alert not finished per (lift, code),
 * enforced by the partial unique index: two nodes raising at once make one alert and two occurrences.
 * A transition names the states it may leave, so of two nodes acknowledging at once exactly one wins.
 * The audit trail is append-only.
 */
export function createAlerts({ db, write, sqlite, inTurn }: StateDb) {
  // On SQLite, the statements of a P1's way to its first notification run prepared (alert-queries.ts).
  const hot = sqlite ? hotAlertStatements(sqlite, db) : undefined;
  const get = (id: number): Promise<AlertRecord | undefined> => fastOr(hot, (h) => {
    const r = h.get.first({ id });
    return r ? toAlert(r) : undefined;
  }, async () => {
    const r = await alertQueries.get(db, { id }).executeTakeFirst();
    return r ? toAlert(r) : undefined;
  });

  /** Opens the alert for (lift, code) or counts an occurrence on the active one; replaying the same record counts nothing. */
  async function raise(input: RaiseInput): Promise<{ alertId: number; created: boolean; counted: boolean }> {
    checkLiftId(input.liftId);
    if (!SEVERITIES.includes(input.severity)) throw lwError('LW_ERR_REQUEST_INVALID', `alert ${input.code} on ${input.liftId}: severity ${JSON.stringify(input.severity)} is not one of P1–P4`);
    if (input.code === '') throw lwError('LW_ERR_REQUEST_INVALID', `alert on ${input.liftId}: the code is empty; give a fault or event code of the code table`);
    checkTime(input.at, `alert ${input.code} on ${input.liftId}: at`);
    const v: RaiseValues = {
      liftId: input.liftId, code: input.code, severity: input.severity, reason: input.reason, at: input.at, reasonKey: input.reasonKey ?? null,
      reasonParamsJson: input.reasonParams ? JSON.stringify(input.reasonParams) : null,
      evidenceLiftId: input.evidence.liftId, stream: input.evidence.stream, seq: input.evidence.seq, ts: input.evidence.ts, valuesJson: JSON.stringify(input.evidence.values),
    };
    return fastOr(hot, (h) => raiseNow(h, v), () => write(async (trx) => {
      const inserted = await alertQueries.insertAlert(trx, v).executeTakeFirst();
      const created = inserted !== undefined;
      const alertId = Number(inserted?.id ?? (await alertQueries.activeId(trx, v).executeTakeFirstOrThrow()).id);
      if (created) await alertQueries.insertAudit(trx, { alertId, at: input.at, action: 'opened', actor: 'system', note: input.reason }).execute();
      const counted = (await alertQueries.insertOccurrence(trx, { ...v, alertId }).executeTakeFirst()) !== undefined;
      if (counted && !created) await alertQueries.countOccurrence(trx, { alertId, at: input.at, severity: input.severity }).execute();
      return { alertId, created, counted };
    }));
  }

  /**
   * Writes an alert that opened at `at` and whose condition cleared at `clearedAt` as resolved by
   * `history`, with its evidence and three audit lines at those times: it is in the lift's history and
   * counted with the others, but it was never active (no escalation, no notification, not in the inbox).
   */
  async function recordClosed(input: ClosedAlertInput): Promise<{ alertId: number }> {
    checkLiftId(input.liftId);
    if (!SEVERITIES.includes(input.severity)) throw lwError('LW_ERR_REQUEST_INVALID', `alert ${input.code} on ${input.liftId}: severity ${JSON.stringify(input.severity)} is not one of P1–P4`);
    checkTime(input.at, `alert ${input.code} on ${input.liftId}: at`);
    checkTime(input.clearedAt, `alert ${input.code} on ${input.liftId}: clearedAt`);
    if (input.clearedAt < input.at) throw lwError('LW_ERR_REQUEST_INVALID', `alert ${input.code} on ${input.liftId}: it cleared at ${input.clearedAt}, before it opened at ${input.at}; give a clearing time at or after the opening`);
    return write(async (trx) => {
      const row = await trx.insertInto('alerts').values({
        lift_id: input.liftId, code: input.code, severity: input.severity, state: 'resolved', reason: input.reason, opened_at: input.at, updated_at: input.clearedAt,
        last_seen_at: input.at, condition_cleared_at: input.clearedAt, reason_key: input.reasonKey ?? null, reason_params_json: input.reasonParams ? JSON.stringify(input.reasonParams) : null,
      }).returning('id').executeTakeFirstOrThrow();
      const alertId = Number(row.id);
      await trx.insertInto('alert_audit').values([
        { alert_id: alertId, at: input.at, action: 'opened', actor: 'history', note: input.reason },
        { alert_id: alertId, at: input.clearedAt, action: 'conditionCleared', actor: 'history', note: input.clearNote },
        { alert_id: alertId, at: input.clearedAt, action: 'resolved', actor: 'history', note: input.closeNote },
      ]).execute();
      const ev = input.evidence;
      await trx.insertInto('alert_occurrences').values({ alert_id: alertId, lift_id: ev.liftId, stream: ev.stream, seq: ev.seq, ts: ev.ts, at: input.at, reason: input.reason, values_json: JSON.stringify(ev.values) }).execute();
      return { alertId };
    });
  }

  /**
   * Moves an alert from one of `from` to `to`, with an audit line; the first to acknowledge becomes the
   * assignee unless one was set. False when the alert is no longer in `from` (another node was first).
   * `finding`: what the crew found, written in the same transaction when the move closes the alert
   * (a false alarm without one is recorded as such); checked against the move.
   */
  async function transition(id: number, to: AlertState, opts: { from: readonly AlertState[]; actor: string; note: string; at: number; finding?: FindingInput | undefined }): Promise<boolean> {
    if (!STATES.includes(to)) throw lwError('LW_ERR_REQUEST_INVALID', `alert ${id}: state ${JSON.stringify(to)} is not one of ${STATES.join(', ')}`);
    if (opts.from.length === 0) throw lwError('LW_ERR_REQUEST_INVALID', `alert ${id}: give the states the alert may leave (from)`);
    const given = findingOfMove(to, opts.finding);
    const before = given ? await get(id) : undefined;
    const finding = given && before ? checkFinding(before, to, given) : undefined;
    const moved = await write(async (trx) => {
      const r = await trx.updateTable('alerts').set({ state: to, updated_at: opts.at }).where('id', '=', id).where('state', 'in', [...opts.from]).executeTakeFirst();
      if (r.numUpdatedRows === 0n) return false;
      await trx.insertInto('alert_audit').values({ alert_id: id, at: opts.at, action: to, actor: opts.actor, note: opts.note }).execute();
      if (to === 'acknowledged') await trx.updateTable('alerts').set({ assignee: opts.actor }).where('id', '=', id).where('assignee', 'is', null).execute();
      if (finding) await writeFinding(trx, id, finding, opts.actor, opts.at);
      return true;
    });
    if (!moved && !(await get(id))) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
    return moved;
  }

  /** Notes that the condition of the active (lift, code) alert has cleared; its id, or undefined when none is active. */
  async function clearCondition(liftId: string, code: string, at: number, note: string): Promise<number | undefined> {
    return write(async (trx) => {
      const active = await trx.selectFrom('alerts').select('id').where('lift_id', '=', liftId).where('code', '=', code).where('state', 'in', ACTIVE).executeTakeFirst();
      if (!active) return undefined;
      const id = Number(active.id);
      await trx.updateTable('alerts').set({ condition_cleared_at: at, updated_at: at }).where('id', '=', id).execute();
      await trx.insertInto('alert_audit').values({ alert_id: id, at, action: 'conditionCleared', actor: 'system', note }).execute();
      return id;
    });
  }

  async function assign(id: number, assignee: string, actor: string, at: number): Promise<void> {
    const assigned = await write(async (trx) => {
      const r = await trx.updateTable('alerts').set({ assignee, updated_at: at }).where('id', '=', id).executeTakeFirst();
      if (r.numUpdatedRows === 0n) return false;
      await trx.insertInto('alert_audit').values({ alert_id: id, at, action: 'assigned', actor, note: assignee }).execute();
      return true;
    });
    if (!assigned) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
  }

  /** Appends a line to an alert's audit trail (escalations, routing gaps, failed deliveries). */
  async function audit(id: number, line: AuditItem): Promise<void> {
    if (!(await get(id))) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist: an audit line needs its alert`);
    await db.insertInto('alert_audit').values({ alert_id: id, ...line }).execute();
  }

  async function list(filter: { state?: 'active' | AlertState; liftId?: string; limit: number }): Promise<AlertRecord[]> {
    let q = db.selectFrom('alerts').selectAll();
    if (filter.state === 'active') q = q.where('state', 'in', ACTIVE);
    else if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.liftId) q = q.where('lift_id', '=', filter.liftId);
    return (await q.orderBy('severity', 'asc').orderBy('updated_at', 'desc').limit(filter.limit).execute()).map(toAlert);
  }

  async function detail(id: number, evidenceLimit: number) {
    if (!(await get(id))) return undefined;
    const occ = await db.selectFrom('alert_occurrences').selectAll().where('alert_id', '=', id).orderBy('at', 'desc').orderBy('seq', 'desc').limit(evidenceLimit).execute();
    const trail = await db.selectFrom('alert_audit').select(['at', 'action', 'actor', 'note']).where('alert_id', '=', id).orderBy('id').execute();
    return {
      evidence: occ.map((o) => ({ at: o.at, reason: o.reason, evidence: { liftId: o.lift_id, stream: o.stream, seq: o.seq, ts: o.ts, values: JSON.parse(o.values_json) as Record<string, unknown> } })),
      audit: trail,
    };
  }

  /** The alerts not finished, each as its id and lift: where a reader that counts them per lift starts. */
  async function active(): Promise<Array<{ id: number; liftId: string }>> {
    return (await db.selectFrom('alerts').select(['id', 'lift_id']).where('state', 'in', ACTIVE).execute()).map((r) => ({ id: Number(r.id), liftId: r.lift_id }));
  }

  /** Active alerts whose escalation was never planned (a crash right after they opened). */
  async function unscheduled(): Promise<AlertRecord[]> {
    return (await db.selectFrom('alerts as a').selectAll('a').where('a.state', 'in', ACTIVE)
      .where((e) => e.not(e.exists(e.selectFrom('alert_audit').select('alert_audit.id').whereRef('alert_audit.alert_id', '=', 'a.id').where('alert_audit.action', '=', 'policy'))))
      .orderBy('a.id').limit(10_000).execute()).map(toAlert);
  }

  /**
   * Claims the planning of an alert's escalation for `node`: true for exactly one of several nodes
   * asking at once. A claim not followed by its plan within `leaseMs` (the node died in between)
   * can be taken over, so the alert is planned after all.
   */
  async function claimPlan(alertId: number, node: string, at: number, leaseMs: number): Promise<boolean> {
    const inserted = await db.insertInto('alert_plans').values({ alert_id: alertId, node, claimed_at: at, planned_at: null })
      .onConflict((oc) => oc.column('alert_id').doNothing()).returning('alert_id').executeTakeFirst();
    if (inserted) return true;
    const r = await db.updateTable('alert_plans').set({ node, claimed_at: at }).where('alert_id', '=', alertId).where('planned_at', 'is', null)
      .where('claimed_at', '<=', at - leaseMs).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * Writes what an escalation decided in one transaction: audit lines, attempts that were not sent
   * (suppressed), and with `planned` the end of the alert's plan claim.
   */
  async function commitLines(alertId: number, lines: { audit: AuditItem[]; attempts: Array<Omit<NotificationAttempt, 'id'>>; planned?: number }): Promise<void> {
    for (const a of lines.attempts) checkAttempt(a);
    const slow = () => write(async (trx) => {
      if (lines.audit.length > 0) await trx.insertInto('alert_audit').values(lines.audit.map((l) => ({ alert_id: alertId, ...l }))).execute();
      if (lines.attempts.length > 0) await trx.insertInto('notification_attempts').values(lines.attempts.map(attemptRow)).execute();
      if (lines.planned !== undefined) await alertQueries.markPlanned(trx, { alertId, at: lines.planned }).execute();
    });
    // On SQLite with the writes of its turn (turn-group.ts): an escalation's lines follow its deliveries.
    if (hot && inTurn) return inTurn(() => commitLinesNow(hot, alertId, lines), slow);
    await fastOr(hot, (h) => commitLinesNow(h, alertId, lines), slow);
  }

  /** Alerts opened since `openedSince` or still active, oldest first: what a reader of recent events (the health score) starts from. */
  async function openedSince(openedSince: number, limit: number): Promise<AlertRecord[]> {
    return (await db.selectFrom('alerts').selectAll().where((e) => e.or([e('opened_at', '>=', openedSince), e('state', 'in', ACTIVE)]))
      .orderBy('opened_at').limit(limit).execute()).map(toAlert);
  }

  return { raise, recordClosed, transition, clearCondition, assign, audit, get, list, detail, active, unscheduled, claimPlan, commitLines, openedSince };
}

/** A raise in one transaction on the SQLite connection, with the statements prepared (alerts.ts raise). */
function raiseNow(h: HotAlertStatements, v: RaiseValues): { alertId: number; created: boolean; counted: boolean } {
  return h.sqlite.transaction(() => {
    const inserted = h.insertAlert.first(v);
    const created = inserted !== undefined;
    // The insert did nothing: an alert of (lift, code) is active, and in this transaction it stays so.
    const alertId = Number(inserted?.id ?? h.activeId.first(v)!.id);
    if (created) h.insertAudit.run({ alertId, at: v.at, action: 'opened', actor: 'system', note: v.reason });
    const counted = h.insertOccurrence.first({ ...v, alertId }) !== undefined;
    if (counted && !created) h.countOccurrence.run({ alertId, at: v.at, severity: v.severity });
    return { alertId, created, counted };
  })();
}

/** What an escalation decided, in one transaction on the SQLite connection (alerts.ts commitLines). */
function commitLinesNow(h: HotAlertStatements, alertId: number, lines: { audit: AuditItem[]; attempts: Array<Omit<NotificationAttempt, 'id'>>; planned?: number }): void {
  h.sqlite.transaction(() => {
    for (const l of lines.audit) h.insertAudit.run({ alertId, ...l });
    for (const a of lines.attempts) h.insertAttempt.run(a);
    if (lines.planned !== undefined) h.markPlanned.run({ alertId, at: lines.planned });
  })();
}
