import type Database from 'better-sqlite3';
import { faultCode, lwError, severityOf, type AlertDetail, type AlertEscalation, type AlertState, type AlertView, type ChannelKind, type EvidenceRef, type NotificationAttempt } from '@liftwatch/contract';
import type { StateStore } from '@liftwatch/state-store';
import type { AlertBackend, Awaitable, CrewBackend, MaintenanceBackend, PolicyBackend } from './backend.js';
import type { AlertChannel } from './channels/channel.js';
import { createConsoleChannel } from './channels/console.js';
import { createEscalation, type EscalationOptions } from './escalation.js';
import { escalationView } from './escalation-view.js';
import type { ConsoleUser } from './fallback.js';
import type { MaintenanceOptions } from './maintenance.js';
import type { JobQueue } from './queue/job-queue.js';
import { createSqliteJobQueue } from './queue/sqlite-job-queue.js';
import { createSqliteBackend } from './sqlite-backend.js';
import type { AlertRow } from './sqlite-alert-store.js';
import { createStateBackend, type StateBackendOptions } from './state-backend.js';

export interface AlertingDeps {
  /** The all-in-one's SQLite database: alerts live here unless `state` is given; the default job queue lives here. */
  readonly db?: Database.Database;
  /**
   * The shared state store (issue 9): alerts, occurrences, audit, visits, crews, policies and the
   * notification log of every alerting node. Give `queue` (BullMQ) when several nodes run.
   */
  readonly state?: StateStore;
  /** Called after every change of an alert, with its new view; the web page's live feed listens here. */
  readonly onChange?: (alert: AlertView) => void;
  /** Server clock, ms. @defaultValue Date.now */
  readonly now?: () => number;
  /** Where escalation timers and deliveries wait: BullMQ in the distributed mode. @defaultValue the local durable queue on SQLite, in `db` */
  readonly queue?: JobQueue;
  /**
   * The channels deliveries can use; a recipient's address on a channel not given here fails with the
   * reason. The console channel (a line of `log`, shown in the inbox) is always there unless replaced.
   * @defaultValue { console }
   */
  readonly channels?: Partial<Record<ChannelKind, AlertChannel>>;
  /**
   * The admins (users of the console): the last fallback of a P1 that reaches nobody else, notified
   * in the console. None, or absent: the group "admins", still a line of the log and in the inbox.
   */
  readonly admins?: () => Awaitable<readonly ConsoleUser[]>;
  readonly escalation?: EscalationOptions;
  /**
   * How often a started node looks for alerts whose escalation nobody planned (a node died between
   * opening an alert and planning it; its claim is taken over after the lease). 0 = only at start.
   * @defaultValue 60000 over the shared state, 0 over SQLite (one process: it plans at its start)
   */
  readonly recoverEveryMs?: number;
  readonly maintenance?: MaintenanceOptions & Pick<StateBackendOptions, 'planLeaseMs' | 'node'>;
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

/** Every method of `T`, returning a promise (the façade's API is the same over both backends). */
type Async<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };
function asyncOf<T extends object>(o: T): Async<T> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(o)) if (typeof f === 'function') out[k] = async (...args: unknown[]) => (f as (...a: unknown[]) => unknown).apply(o, args);
  return out as Async<T>;
}

/** States an alert may be in to move to `to`. */
const FROM: Readonly<Record<AlertState, readonly AlertState[]>> = Object.fromEntries(
  (Object.keys(NEXT) as AlertState[]).map((to) => [to, (Object.keys(NEXT) as AlertState[]).filter((s) => NEXT[s].includes(to))]),
) as Record<AlertState, AlertState[]>;

/**
 * The alert lifecycle: one alert per (lift, code) with a count, occurrences as evidence, an audit
 * trail. Over the all-in-one's SQLite database by default, over the shared state store with `state`.
 */
export function createAlerting(deps: AlertingDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  let backend: AlertBackend;
  if (deps.state) backend = createStateBackend(deps.state, now, deps.maintenance);
  else if (deps.db) backend = createSqliteBackend(deps.db, now, deps.maintenance);
  else throw lwError('LW_ERR_CONFIG_INVALID', 'alerting needs a place for its state: give db (the SQLite database) or state (the shared state store)');
  let queue: JobQueue;
  if (deps.queue) queue = deps.queue;
  else if (deps.db) queue = createSqliteJobQueue(deps.db, { table: 'alert_jobs', now });
  else throw lwError('LW_ERR_CONFIG_INVALID', 'alerting over the shared state needs a job queue: give queue (BullMQ on Redis), or db for the local one');
  const store = backend.alerts;
  const maintenance = backend.maintenance;
  const channels: Partial<Record<ChannelKind, AlertChannel>> = { console: createConsoleChannel({ write: log }), ...deps.channels };
  const configured = (kind: ChannelKind) => channels[kind] !== undefined;
  const escalation = createEscalation({ backend, queue, channels, now, admins: deps.admins }, deps.escalation);
  const emit = async (id: number) => {
    if (!deps.onChange) return;
    const row = await store.get(id);
    if (row) deps.onChange(toView(row));
  };
  const notFound = (id: number) => lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);

  /**
   * Opens an alert or counts one more occurrence of the active one. Returns the alert and whether it
   * is new. A new alert starts its escalation; during a maintenance visit a P2–P4 alert is not opened
   * but counted on the visit (`suppressedBy`), and `alert` is undefined.
   */
  async function raise(req: RaiseRequest): Promise<{ alert: AlertView | undefined; created: boolean; counted: boolean; suppressedBy?: number }> {
    const code = faultCode(req.code);
    if (!code) throw lwError('LW_ERR_UNKNOWN_FAULT_CODE', `alert code ${JSON.stringify(req.code)} is not in the code table`);
    const severity = severityOf(code, req.passengersPresent);
    // P1 never waits for the visit check (an entrapment always opens).
    const visit = severity === 'P1' ? undefined : await maintenance.active(req.liftId);
    if (visit) {
      await maintenance.countSuppressed(visit.id);
      return { alert: undefined, created: false, counted: false, suppressedBy: visit.id };
    }
    const result = await store.raise({ liftId: req.liftId, code: req.code, severity, reason: req.reason, evidence: req.evidence, at: now() });
    const row = (await store.get(result.alertId))!;
    if (result.created) void escalation.onOpened(row).catch((err: unknown) => log(`alerting: could not schedule the escalation of alert ${row.id} (the next start plans it): ${String(err)}`));
    const view = toView(row);
    if ((result.counted || result.created) && deps.onChange) deps.onChange(view);
    return { alert: view, created: result.created, counted: result.counted };
  }

  /** The condition behind an active alert went away (e.g. a fault "cleared"); the alert stays until a person closes it. */
  async function conditionCleared(liftId: string, code: string, note: string): Promise<void> {
    const id = await store.clearCondition(liftId, code, now(), note);
    if (id !== undefined) await emit(id);
  }

  async function transition(id: number, to: AlertState, actor: string, note = ''): Promise<AlertView> {
    const row = await store.get(id);
    if (!row) throw notFound(id);
    const refuse = (state: AlertState) => lwError('LW_ERR_REQUEST_INVALID', `alert ${id} is ${state}; it can move to ${NEXT[state].join(', ') || 'nothing (it is closed)'}, not to ${to}`);
    if (!NEXT[row.state].includes(to)) throw refuse(row.state);
    if (!(await store.transition(id, to, FROM[to], actor, note, now()))) {
      // Another request (or node) moved it first: say where it is now.
      const current = await store.get(id);
      throw current ? refuse(current.state) : notFound(id);
    }
    const after = (await store.get(id))!;
    deps.onChange?.(toView(after));
    return toView(after);
  }

  /** Gives the alert to a person (a crew member, a team); written to the audit. */
  async function assign(id: number, assignee: string, actor: string): Promise<AlertView> {
    if (!(await store.get(id))) throw notFound(id);
    await store.assign(id, assignee, actor, now());
    const after = (await store.get(id))!;
    deps.onChange?.(toView(after));
    return toView(after);
  }

  /** A note on the alert (what the crew found, what they did), kept in its audit trail. */
  async function addNote(id: number, actor: string, note: string): Promise<AlertView> {
    const row = await store.get(id);
    if (!row) throw notFound(id);
    await store.audit(id, now(), 'note', actor, note);
    return toView(row);
  }

  async function list(filter: { state?: 'active' | AlertState; liftId?: string; limit?: number } = {}): Promise<AlertView[]> {
    return (await store.list({ ...filter, limit: filter.limit ?? 500 })).map(toView);
  }

  async function get(id: number, evidenceLimit = 50): Promise<AlertDetail | undefined> {
    const [row, extra] = await Promise.all([store.get(id), store.detail(id, evidenceLimit)]);
    return row && extra ? { ...toView(row), ...extra } : undefined;
  }

  const crew: Async<CrewBackend> = asyncOf(backend.crew);
  const policies: Async<PolicyBackend> = asyncOf(backend.policies);
  const visits: Async<MaintenanceBackend> = asyncOf(maintenance);
  let recovering: Promise<number> | undefined;
  let recoverTimer: NodeJS.Timeout | undefined;
  const recoverEveryMs = deps.recoverEveryMs ?? (backend.kind === 'state' ? 60_000 : 0);
  const recover = () => {
    const run = escalation.recover();
    run.then((n) => { if (n > 0) log(`alerting: planned the escalation of ${n} alert(s) left unplanned by a crash`); }, (err: unknown) => log(`alerting: recovery of escalations failed: ${String(err)}`));
    return run;
  };

  return {
    raise, conditionCleared, transition, list, get,
    /** Active alerts per lift. */
    activeCountsByLift: async (): Promise<Map<string, number>> => store.activeCountsByLift(),
    assign, addNote, crew, policies, maintenance: visits, queue,
    /** Which store the alerts are in: `sqlite` (this process's database) or `state` (shared by every node). */
    backend: backend.kind,
    /** Every notification attempt of an alert, oldest first. */
    notifications: async (alertId: number): Promise<NotificationAttempt[]> => backend.notifications.ofAlert(alertId),
    /** Who was notified of an alert (deliveries, attempts, outcomes) and who is next, for the inbox. */
    escalation: (alertId: number): Promise<AlertEscalation | undefined> => escalationView({ backend, now, configured, admins: deps.admins }, alertId),
    /** Notification attempts after id `after`, for an audit reader that pages through all of them. */
    notificationsAfter: async (after: number, limit?: number): Promise<NotificationAttempt[]> => backend.notifications.after(after, limit),
    /** Starts running escalation timers and deliveries (those due while stopped run at once). */
    start(): void {
      queue.start(escalation.handle);
      recovering = recover();
      if (recoverEveryMs > 0) {
        recoverTimer = setInterval(() => { recovering = recovering?.catch(() => 0).then(recover); }, recoverEveryMs);
        recoverTimer.unref();
      }
    },
    /** Resolves when the recovery of `start()` is done, with the alerts it planned (tests, start-up logs). */
    recovered: (): Promise<number> => recovering ?? Promise.resolve(0),
    async close(): Promise<void> {
      clearInterval(recoverTimer);
      await recovering?.catch(() => 0);
      await queue.close();
      for (const c of Object.values(channels)) await c.close?.();
    },
  };
}

export type Alerting = ReturnType<typeof createAlerting>;
