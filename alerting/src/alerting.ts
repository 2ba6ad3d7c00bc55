import { faultCode, findingProblem, lwError, severityOf, type AlertDetail, type AlertEscalation, type AlertState, type AlertView, type Awaitable, type ChannelKind, type EvidenceRef, type FindingInput, type ReasonParams } from '@liftwatch/contract';
import type { AlertRecord, StateStore } from '@liftwatch/state-store';
import type { AlertChannel } from './channels/channel.js';
import { createConsoleChannel } from './channels/console.js';
import { createCrews } from './crews.js';
import { createEscalation, type EscalationOptions, type LiftLabel } from './escalation.js';
import { escalationView } from './escalation-view.js';
import type { ConsoleUser } from './fallback.js';
import { createFindings } from './findings.js';
import { createOpenAlerts } from './open-alerts.js';
import type { JobQueue } from './queue/job-queue.js';
import { createStateBackend, type StateBackendOptions } from './state-backend.js';

export interface AlertingDeps {
  /**
   * Where alerts, occurrences, audit, visits, crews, policies and the notification log live: the
   * state store, on the all-in-one's SQLite file or on the PostgreSQL every node shares.
   */
  readonly state: StateStore;
  /** Where escalation timers and deliveries wait: the local durable queue (all-in-one) or BullMQ on Redis (several nodes). */
  readonly queue: JobQueue;
  /** Called after every change of an alert, with its new view; the web page's live feed listens here. */
  readonly onChange?: (alert: AlertView) => void;
  /** Server clock, ms. @defaultValue Date.now */
  readonly now?: () => number;
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
  /** The lift's name and address that notifications carry; without it they name the lift by its id. */
  readonly describeLift?: ((liftId: string) => Awaitable<LiftLabel | undefined>) | undefined;
  /**
   * How often a started node looks for alerts whose escalation nobody planned (a node died between
   * opening an alert and planning it; its claim is taken over after the lease), and reads the open
   * alerts again (changes of other nodes no message carried). 0 = only at start.
   * @defaultValue 60000 for the recovery and 5000 for the open alerts with several nodes; 0 with `soleNode`
   */
  readonly recoverEveryMs?: number;
  readonly openAlertsEveryMs?: number;
  /** Visits, plan claims and whether this process is the only one on its state (StateBackendOptions). */
  readonly backend?: StateBackendOptions;
  readonly log?: (line: string) => void;
}

export interface RaiseRequest {
  liftId: string;
  code: string;
  /** Why, in words a crew understands, with the values that fired the rule. */
  reason: string;
  /** The same reason as a key of the reason catalogue with its values, rendered in each reader's language (packages/contract/src/reasons.ts). */
  reasonKey?: string | undefined;
  reasonParams?: ReasonParams | undefined;
  evidence: EvidenceRef;
  passengersPresent?: boolean | undefined;
  /**
   * When the condition began, if before now: a raise from records scored late (a replay or catch-up)
   * that is still active. The alert opens now (its escalation runs from now) with a timeline line at
   * this time.
   */
  beganAt?: number | undefined;
}

/** An alert whose condition began and cleared in records scored after the fact: written closed, never notified. */
export interface HistoryRequest extends RaiseRequest {
  /** When the condition began and when it cleared: the times of the records scored, ms. */
  openedAt: number;
  clearedAt: number;
  /** Why it cleared. */
  clearNote: string;
}

/** Allowed moves of the lifecycle (docs/architecture.md#alerts): open → acknowledged → on site → resolved, or a false alarm. */
const NEXT: Readonly<Record<AlertState, readonly AlertState[]>> = {
  open: ['acknowledged', 'onSite', 'resolved', 'falseAlarm'],
  acknowledged: ['onSite', 'resolved', 'falseAlarm'],
  onSite: ['resolved', 'falseAlarm'],
  resolved: [],
  falseAlarm: [],
};

/** States an alert may be in to move to `to`. */
const FROM: Readonly<Record<AlertState, readonly AlertState[]>> = Object.fromEntries(
  (Object.keys(NEXT) as AlertState[]).map((to) => [to, (Object.keys(NEXT) as AlertState[]).filter((s) => NEXT[s].includes(to))]),
) as Record<AlertState, AlertState[]>;

function toView(a: AlertRecord): AlertView {
  const code = faultCode(a.code);
  return { ...a, nameEn: code?.nameEn ?? a.code, nameZh: code?.nameZh ?? a.code };
}

/**
 * The alert lifecycle: one alert per (lift, code) with a count, occurrences as evidence, an audit
 * trail, escalation on timers, and the open alerts per lift kept as alerts change.
 */
export function createAlerting(deps: AlertingDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  const soleNode = deps.backend?.soleNode === true;
  const backend = createStateBackend(deps.state, now, deps.backend);
  const queue = deps.queue;
  const store = backend.alerts;
  const maintenance = backend.maintenance;
  const channels: Partial<Record<ChannelKind, AlertChannel>> = { console: createConsoleChannel({ write: log }), ...deps.channels };
  const configured = (kind: ChannelKind) => channels[kind] !== undefined;
  const escalation = createEscalation({ backend, queue, channels, now, admins: deps.admins, log, describeLift: deps.describeLift }, deps.escalation);
  const openAlerts = createOpenAlerts();
  const changed = (a: AlertRecord): AlertView => {
    const view = toView(a);
    openAlerts.changed(view);
    deps.onChange?.(view);
    return view;
  };
  const current = async (id: number): Promise<AlertView> => changed((await store.get(id))!);
  const notFound = (id: number) => lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
  /** Escalations being planned (the raise does not wait for them); close() does. */
  const plans = new Set<Promise<unknown>>();
  const planning = (p: Promise<unknown>) => {
    plans.add(p);
    void p.finally(() => plans.delete(p));
  };
  const planned = async () => {
    while (plans.size > 0) await Promise.allSettled([...plans]);
  };

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
    const result = await store.raise({ liftId: req.liftId, code: req.code, severity, reason: req.reason, reasonKey: req.reasonKey, reasonParams: req.reasonParams, evidence: req.evidence, at: now() });
    const alert = (await store.get(result.alertId))!;
    if (result.created && req.beganAt !== undefined && req.beganAt < now()) await store.audit(result.alertId, req.beganAt, 'conditionBegan', 'system', `the condition began ${new Date(req.beganAt).toISOString()}, in records scored late (a replay or catch-up); the alert opened when they were scored`);
    if (result.created) planning(escalation.onOpened(alert).catch((err: unknown) => log(`alerting: could not schedule the escalation of alert ${alert.id} (the next start plans it): ${String(err)}`)));
    const view = result.counted || result.created ? changed(alert) : toView(alert);
    return { alert: view, created: result.created, counted: result.counted };
  }

  /**
   * An alert that began and cleared in history (records older than the staleness when scored): kept
   * with its real times as resolved by `history`, shown and counted with the others, never escalated
   * nor notified. The alert is returned, or undefined when the lift was in maintenance (as raise).
   */
  async function recordHistory(req: HistoryRequest): Promise<AlertView | undefined> {
    const code = faultCode(req.code);
    if (!code) throw lwError('LW_ERR_UNKNOWN_FAULT_CODE', `alert code ${JSON.stringify(req.code)} is not in the code table`);
    const { alertId } = await store.recordClosed({
      liftId: req.liftId, code: req.code, severity: severityOf(code, req.passengersPresent), reason: req.reason, reasonKey: req.reasonKey, reasonParams: req.reasonParams,
      evidence: req.evidence, at: req.openedAt, clearedAt: req.clearedAt, clearNote: req.clearNote,
      closeNote: `began and cleared in records scored after the fact (recorded ${new Date(now()).toISOString()}): history, nobody was notified`,
    });
    return current(alertId);
  }

  /** The condition behind an active alert went away (e.g. a fault "cleared"); the alert stays until a person closes it. */
  async function conditionCleared(liftId: string, code: string, note: string): Promise<void> {
    const id = await store.clearCondition(liftId, code, now(), note);
    if (id !== undefined) await current(id);
  }

  /**
   * Moves an alert along its lifecycle. Closing one takes the crew's finding (docs/findings.md):
   * required to resolve any alert but a P1 (a rescue never waits for a form), implied by a false alarm.
   */
  async function transition(id: number, to: AlertState, actor: string, note = '', finding?: FindingInput): Promise<AlertView> {
    const alert = await store.get(id);
    if (!alert) throw notFound(id);
    const refuse = (state: AlertState) => lwError('LW_ERR_REQUEST_INVALID', `alert ${id} is ${state}; it can move to ${NEXT[state].join(', ') || 'nothing (it is closed)'}, not to ${to}`);
    if (!NEXT[alert.state].includes(to)) throw refuse(alert.state);
    const problem = findingProblem(alert, to, finding);
    if (problem) throw lwError(problem.missing ? 'LW_ERR_FINDING_REQUIRED' : 'LW_ERR_REQUEST_INVALID', problem.message);
    if (!(await store.transition(id, to, FROM[to], actor, note, now(), finding))) {
      // Another request (or node) moved it first: say where it is now.
      const latest = await store.get(id);
      throw latest ? refuse(latest.state) : notFound(id);
    }
    return current(id);
  }

  /** Gives the alert to a person (a crew member, a team); written to the audit. */
  async function assign(id: number, assignee: string, actor: string): Promise<AlertView> {
    if (!(await store.get(id))) throw notFound(id);
    await store.assign(id, assignee, actor, now());
    return current(id);
  }

  /** A note on the alert (what the crew found, what they did), kept in its audit trail. */
  async function addNote(id: number, actor: string, note: string): Promise<AlertView> {
    const alert = await store.get(id);
    if (!alert) throw notFound(id);
    await store.audit(id, now(), 'note', actor, note);
    return toView(alert);
  }

  async function list(filter: { state?: 'active' | AlertState; liftId?: string; limit?: number } = {}): Promise<AlertView[]> {
    return (await store.list({ ...filter, limit: filter.limit ?? 500 })).map(toView);
  }

  async function get(id: number, evidenceLimit = 50): Promise<AlertDetail | undefined> {
    const [alert, extra, finding] = await Promise.all([store.get(id), store.detail(id, evidenceLimit), backend.findings.get(id)]);
    return alert && extra ? { ...toView(alert), ...extra, finding: finding ?? null } : undefined;
  }

  /** Who was notified of an alert (deliveries, attempts, outcomes) and who is next, for the inbox. */
  const escalationOf = (alertId: number): Promise<AlertEscalation | undefined> => escalationView({ backend, now, configured, admins: deps.admins }, alertId);
  const crews = createCrews(backend, { escalation: escalationOf, assign, addNote });
  const findings = createFindings(backend, now, current);

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    if (ms <= 0) return;
    const t = setInterval(fn, ms);
    t.unref();
    timers.push(t);
  };
  const reloadOpenAlerts = () => store.active().then(openAlerts.reload, (err: unknown) => log(`alerting: open alerts not read: ${String(err)}`));
  const loaded = reloadOpenAlerts();
  every(deps.openAlertsEveryMs ?? (soleNode ? 0 : 5_000), () => void reloadOpenAlerts());

  let recovering: Promise<number> | undefined;
  const recover = () => {
    const run = escalation.recover();
    run.then((n) => { if (n > 0) log(`alerting: planned the escalation of ${n} alert(s) left unplanned by a crash`); }, (err: unknown) => log(`alerting: recovery of escalations failed: ${String(err)}`));
    return run;
  };

  return {
    raise, recordHistory, conditionCleared, transition, list, get, assign, addNote, crews, findings, queue,
    /** A maintenance visit follows the terminal's serviceMode: "inspection" starts one, leaving it ends the one the terminal started. */
    terminalMode: (liftId: string, mode: string): Promise<void> => maintenance.terminalMode(liftId, mode),
    /** Open alerts per lift, kept as alerts change (lifts without any are absent). */
    openAlerts: openAlerts.perLift,
    /** Resolves once the open alerts were first read from the store. */
    ready: (): Promise<void> => loaded,
    /** An alert as another node changed it (the change feed): counted here at once. */
    heard: (alert: AlertView): void => openAlerts.changed(alert),
    /** Starts running escalation timers and deliveries (those due while stopped run at once). */
    start(): void {
      queue.start(escalation.handle);
      recovering = recover();
      every(deps.recoverEveryMs ?? (soleNode ? 0 : 60_000), () => { recovering = recovering?.catch(() => 0).then(recover); });
    },
    /** Resolves when the recovery of `start()` is done, with the alerts it planned (tests, start-up logs). */
    recovered: (): Promise<number> => recovering ?? Promise.resolve(0),
    /** Resolves when the escalations of the alerts raised so far are planned. */
    planned,
    async close(): Promise<void> {
      for (const t of timers) clearInterval(t);
      await recovering?.catch(() => 0);
      await planned();
      await queue.close();
      for (const c of Object.values(channels)) await c.close?.();
    },
  };
}

export type Alerting = ReturnType<typeof createAlerting>;
