import type Database from 'better-sqlite3';
import { faultCode, lwError, severityOf, type AlertDetail, type AlertState, type AlertView, type ChannelKind, type EvidenceRef } from '@liftwatch/contract';
import type { AlertChannel } from './channels/channel.js';
import { createCrewStore } from './crew-store.js';
import { createEscalation, type EscalationOptions } from './escalation.js';
import { createMaintenance, type MaintenanceOptions } from './maintenance.js';
import { createNotificationLog } from './notification-log.js';
import { createPolicyStore } from './policies.js';
import type { JobQueue } from './queue/job-queue.js';
import { createSqliteJobQueue } from './queue/sqlite-job-queue.js';
import { createSqliteAlertStore, type AlertRow } from './sqlite-alert-store.js';

export interface AlertingDeps {
  readonly db: Database.Database;
  /** Called after every change of an alert, with its new view; the web page's live feed listens here. */
  readonly onChange?: (alert: AlertView) => void;
  /** Server clock, ms. @defaultValue Date.now */
  readonly now?: () => number;
  /** Where escalation timers and deliveries wait: BullMQ in the distributed mode. @defaultValue the local durable queue on SQLite, in `db` */
  readonly queue?: JobQueue;
  /** The channels deliveries can use; a recipient's address on a channel not given here fails with the reason. @defaultValue {} */
  readonly channels?: Partial<Record<ChannelKind, AlertChannel>>;
  readonly escalation?: EscalationOptions;
  readonly maintenance?: MaintenanceOptions;
  readonly log?: (line: string) => void;
}

export interface RaiseRequest {
  liftId: string;
  code: string;
  /** Why, in words a crew understands, with the values that fired the rule. */
  reason: string;
  evidence: EvidenceRef;
  passengersPresent?: boolean | undefined;
}

/** Allowed moves of the lifecycle (DESIGN.md, Alerts): open → acknowledged → on site → resolved, or a false alarm. */
const NEXT: Readonly<Record<AlertState, readonly AlertState[]>> = {
  open: ['acknowledged', 'onSite', 'resolved', 'falseAlarm'],
  acknowledged: ['onSite', 'resolved', 'falseAlarm'],
  onSite: ['resolved', 'falseAlarm'],
  resolved: [],
  falseAlarm: [],
};

function toView(row: AlertRow): AlertView {
  const code = faultCode(row.code);
  return {
    id: row.id, liftId: row.lift_id, code: row.code, severity: row.severity, state: row.state, reason: row.reason,
    nameEn: code?.nameEn ?? row.code, nameZh: code?.nameZh ?? row.code,
    openedAt: row.opened_at, updatedAt: row.updated_at, lastSeenAt: row.last_seen_at,
    conditionClearedAt: row.condition_cleared_at, occurrences: row.occurrences, assignee: row.assignee,
  };
}

/** The alert lifecycle over SQLite: one alert per (lift, code) with a count, occurrences as evidence, an audit trail. */
export function createAlerting(deps: AlertingDeps) {
  const store = createSqliteAlertStore(deps.db);
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  const crew = createCrewStore(deps.db);
  const policies = createPolicyStore(deps.db);
  const notifications = createNotificationLog(deps.db);
  const maintenance = createMaintenance(deps.db, now, deps.maintenance);
  const queue = deps.queue ?? createSqliteJobQueue(deps.db, { table: 'alert_jobs', now });
  const escalation = createEscalation({ store, crew, policies, log: notifications, queue, channels: deps.channels ?? {}, now, transaction: (fn) => deps.db.transaction(fn)() }, deps.escalation);
  const emit = (id: number) => {
    const row = store.get(id);
    if (row && deps.onChange) deps.onChange(toView(row));
  };

  /**
   * Opens an alert or counts one more occurrence of the active one. Returns the alert and whether it
   * is new. A new alert starts its escalation; during a maintenance visit a P2–P4 alert is not opened
   * but counted on the visit (`suppressedBy`), and `alert` is undefined.
   */
  function raise(req: RaiseRequest): { alert: AlertView | undefined; created: boolean; counted: boolean; suppressedBy?: number } {
    const code = faultCode(req.code);
    if (!code) throw lwError('LW_ERR_UNKNOWN_FAULT_CODE', `alert code ${JSON.stringify(req.code)} is not in the code table`);
    const severity = severityOf(code, req.passengersPresent);
    const visit = severity === 'P1' ? undefined : maintenance.active(req.liftId);
    if (visit) {
      maintenance.countSuppressed(visit.id);
      return { alert: undefined, created: false, counted: false, suppressedBy: visit.id };
    }
    const result = store.raise({ liftId: req.liftId, code: req.code, severity, reason: req.reason, evidence: req.evidence, at: now() });
    const row = store.get(result.alertId)!;
    if (result.created) void escalation.onOpened(row).catch((err: unknown) => log(`alerting: could not schedule the escalation of alert ${row.id}: ${String(err)}`));
    if (result.counted || result.created) emit(result.alertId);
    return { alert: toView(row), created: result.created, counted: result.counted };
  }

  /** The condition behind an active alert went away (e.g. a fault "cleared"); the alert stays until a person closes it. */
  function conditionCleared(liftId: string, code: string, note: string): void {
    const id = store.clearCondition(liftId, code, now(), note);
    if (id !== undefined) emit(id);
  }

  function transition(id: number, to: AlertState, actor: string, note = ''): AlertView {
    const row = store.get(id);
    if (!row) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
    if (!NEXT[row.state].includes(to)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `alert ${id} is ${row.state}; it can move to ${NEXT[row.state].join(', ') || 'nothing (it is closed)'}, not to ${to}`);
    }
    store.transition(id, to, actor, note, now());
    emit(id);
    return toView(store.get(id)!);
  }

  /** Gives the alert to a person (a crew member, a team); written to the audit. */
  function assign(id: number, assignee: string, actor: string): AlertView {
    if (!store.get(id)) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
    store.assign(id, assignee, actor, now());
    emit(id);
    return toView(store.get(id)!);
  }

  /** A note on the alert (what the crew found, what they did), kept in its audit trail. */
  function addNote(id: number, actor: string, note: string): AlertView {
    const row = store.get(id);
    if (!row) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
    store.audit(id, now(), 'note', actor, note);
    return toView(row);
  }

  function list(filter: { state?: 'active' | AlertState; liftId?: string; limit?: number } = {}): AlertView[] {
    return store.list({ ...filter, limit: filter.limit ?? 500 }).map(toView);
  }

  function get(id: number, evidenceLimit = 50): AlertDetail | undefined {
    const row = store.get(id);
    const extra = store.detail(id, evidenceLimit);
    return row && extra ? { ...toView(row), ...extra } : undefined;
  }

  return {
    raise, conditionCleared, transition, list, get, activeCountsByLift: store.activeCountsByLift,
    assign, addNote, crew, policies, maintenance, queue,
    /** Every notification attempt of an alert, oldest first. */
    notifications: (alertId: number) => notifications.ofAlert(alertId),
    /** Notification attempts after id `after`, for an audit reader that pages through all of them. */
    notificationsAfter: (after: number, limit?: number) => notifications.after(after, limit),
    /** Starts running escalation timers and deliveries (those due while stopped run at once). */
    start(): void {
      queue.start(escalation.handle);
      void escalation.recover().then((n) => { if (n > 0) log(`alerting: planned the escalation of ${n} alert(s) left unplanned by a crash`); }, (err: unknown) => log(`alerting: recovery of escalations failed: ${String(err)}`));
    },
    async close(): Promise<void> {
      await queue.close();
      for (const c of Object.values(deps.channels ?? {})) await c.close?.();
    },
  };
}

export type Alerting = ReturnType<typeof createAlerting>;
