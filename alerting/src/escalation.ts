import { deliveryJobId, languageOf, escalationJobId, faultCode, reasonIn, type Language, isUnrecoverable, lwError, reminderJobId, type AlertState, type Awaitable, type NotificationAttempt, type ChannelKind, type CrewRole, type DeliverJobPayload, type EscalateJobPayload, type Person, type RemindJobPayload, type Severity } from '@liftwatch/contract';
import type { AlertChannel, AlertNotification } from './channels/channel.js';
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimit } from './channels/rate-limit.js';
import type { AlertBackend, PlanAudit } from './backend.js';
import { FALLBACK_CAUSE_PREFIX, fallbackFor, reachable, type ConsoleUser } from './fallback.js';
import { createAlertJobReceiver, type AlertJob, type JobInput, type JobQueue, type JobRun } from './queue/job-queue.js';
import type { AlertRecord } from '@liftwatch/state-store';

export interface EscalationOptions {
  /** Tries of one delivery before it is marked failed. @defaultValue 6 */
  readonly deliveryAttempts?: number;
  /** Wait before the second try, doubled before each later one: 2, 4, 8, 16, 32 s. @defaultValue 2000 */
  readonly deliveryBackoffMs?: number;
  /** Sends per window per channel and address. @defaultValue DEFAULT_RATE_LIMITS (robots: 20 a minute) */
  readonly rateLimits?: Partial<Record<ChannelKind, RateLimit>>;
  /** IANA time zone of the times in notifications. @defaultValue 'Asia/Shanghai' */
  readonly timeZone?: string;
  /** Address of the console as recipients open it (e.g. https://lifts.example.org): notifications link to the alert there; none: no link. */
  readonly consoleUrl?: string | (() => string | undefined);
}

/** What a notification names a lift by: its name and address, null when unknown. */
export interface LiftLabel { readonly name: string | null; readonly address: string | null }

export interface EscalationDeps {
  readonly backend: AlertBackend;
  readonly queue: JobQueue;
  readonly channels: Partial<Record<ChannelKind, AlertChannel>>;
  readonly now: () => number;
  /** The admins: the last fallback of a P1 that reaches nobody else. */
  readonly admins?: (() => Awaitable<readonly ConsoleUser[]>) | undefined;
  /** Where a job whose payload does not match its schema is reported. */
  readonly log?: ((line: string) => void) | undefined;
  /** The lift's name and address for notifications; without it they name the lift by its id. */
  readonly describeLift?: ((liftId: string) => Awaitable<LiftLabel | undefined>) | undefined;
}

/** How far along the lifecycle a state is; a closed alert (resolved, false alarm) is past every step. */
const PROGRESS: Readonly<Record<AlertState, number>> = { open: 0, acknowledged: 1, onSite: 2, resolved: 3, falseAlarm: 3 };
export const reached = (state: AlertState, target: AlertState) => PROGRESS[state] >= PROGRESS[target];

/** Minutes since local midnight for a UTC offset. */
const localMinutes = (at: number, offsetMin: number) => Math.floor(((at / 60_000 + offsetMin) % 1440 + 1440) % 1440);
const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** Whether a person does not want this notification now: severity or quiet hours. Never for P1. */
export function preferenceBlocks(p: Person, severity: Severity, at: number): string | undefined {
  if (severity === 'P1') return undefined;
  if (!p.severities.includes(severity)) return `${p.id} does not take ${severity} alerts`;
  const q = p.quietHours;
  if (q) {
    const m = localMinutes(at, q.utcOffsetMin);
    const from = hm(q.from);
    const to = hm(q.to);
    const inside = from <= to ? m >= from && m < to : m >= from || m < to; // a window may span midnight
    if (inside) return `quiet hours of ${p.id} (${q.from}–${q.to})`;
  }
  return undefined;
}

type StepPayload = EscalateJobPayload;
type ReminderPayload = RemindJobPayload;
type DeliveryPayload = DeliverJobPayload;

/**
 * Escalation with persisted timers. When an alert opens, each step of its policy and
 * its first reminder become jobs at an absolute time (opened + afterS), so they fire at that second
 * even when the process restarts in between. A step that fires finds the people in the roles it
 * names at that moment (rota), unless the alert has reached the step's `unless` state; each person
 * and channel becomes a delivery job whose id is the idempotency key.
 */
export function createEscalation(deps: EscalationDeps, options: EscalationOptions = {}) {
  const attempts = options.deliveryAttempts ?? 6;
  const backoffMs = options.deliveryBackoffMs ?? 2000;
  const limiter = createRateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const { alerts, crew, policies, notifications } = deps.backend;

  /** What a fan-out decided, written after its jobs are queued: audit lines and suppressed attempts. */
  interface Plan { jobs: JobInput[]; audits: PlanAudit[]; suppressed: Array<Omit<NotificationAttempt, 'id'>> }
  const emptyPlan = (): Plan => ({ jobs: [], audits: [], suppressed: [] });

  const configured = (kind: ChannelKind) => deps.channels[kind] !== undefined;

  /**
   * The deliveries for `roles` of an alert's lift now: one job per person and channel, unless the
   * person's preferences block it. A P1 step that reaches nobody (`fallback`) goes to the duty
   * contacts or the admins instead (fallback.ts): a P1 always reaches someone.
   */
  async function planFanOut(plan: Plan, alert: AlertRecord, roles: readonly CrewRole[], cause: string, label: string, fallback = false): Promise<number> {
    const at = deps.now();
    const { people, gaps } = await crew.resolve(alert.liftId, roles, at);
    for (const gap of gaps) plan.audits.push(['routingGap', `${label}: ${gap}`]);
    const queued = planDeliveries(plan, alert, people, cause, label, at);
    if (!fallback || alert.severity !== 'P1' || people.some((p) => reachable(p, configured))) return queued;
    const fb = await fallbackFor({ crew, admins: deps.admins, configured }, alert.liftId);
    plan.audits.push(['fallback', `${label}: nobody of ${roles.join(' + ')} can be reached; notified ${fb.note}`]);
    return queued + planDeliveries(plan, alert, fb.people, `${FALLBACK_CAUSE_PREFIX}${cause}`, `${label}; nobody of ${roles.join(' + ')} reachable, so ${fb.kind === 'duty' ? 'the duty contact' : 'the admins'}`, at);
  }

  function planDeliveries(plan: Plan, alert: AlertRecord, people: ReadonlyArray<Pick<Person, 'id' | 'name' | 'channels'> & Partial<Pick<Person, 'severities' | 'quietHours' | 'language'>>>, cause: string, label: string, at: number): number {
    let queued = 0;
    for (const p of people) {
      const blocked = p.severities ? preferenceBlocks(p as Person, alert.severity, at) : undefined;
      for (const [i, to] of p.channels.entries()) {
        const jobId = deliveryJobId(alert.id, cause, p.id, `${to.kind}${i}`);
        if (blocked) {
          plan.suppressed.push({ alertId: alert.id, jobId, cause: label, recipientId: p.id, channel: to.kind, attempt: 0, at, outcome: 'suppressed', detail: blocked });
          continue;
        }
        plan.jobs.push({ id: jobId, kind: 'deliver', payload: { alertId: alert.id, cause: label, label, recipient: { id: p.id, name: p.name, ...(p.language ? { language: p.language } : {}) }, to } satisfies DeliveryPayload, runAt: at, maxAttempts: attempts, backoffMs });
        queued++;
      }
    }
    return queued;
  }

  /**
   * Jobs first, then the audit in one transaction: a crash in between leaves the alert without its
   * `policy` line, and `recover()` plans it again; the job ids make the second plan a no-op. The audit
   * waits for the next turn of the event loop: the deliveries due now start first, and a P1's first
   * notification does not wait for the audit's write (one fsync) before it leaves.
   */
  async function commit(alertId: number, plan: Plan, planned = false): Promise<void> {
    await deps.queue.addBulk(plan.jobs);
    if (plan.jobs.some((j) => j.kind === 'deliver')) await new Promise((r) => setImmediate(r));
    await alerts.commitLines(alertId, deps.now(), plan.audits, plan.suppressed, planned);
  }

  /**
   * A new alert: its policy's timers become jobs at absolute times; steps due at 0 s fan out at once.
   * Only the caller that claims the plan plans it (of a raise and a recovery, of several nodes): a
   * second plan would add a second `policy` line and, once the first deliveries are done, send again.
   */
  async function onOpened(alert: AlertRecord): Promise<boolean> {
    if (!(await alerts.claimPlan(alert.id, deps.now()))) return false;
    try {
      await plan(alert);
      return true;
    } catch (err) {
      await alerts.releasePlan(alert.id);
      throw err;
    }
  }

  async function plan(alert: AlertRecord): Promise<void> {
    const unit = (await crew.getLift(alert.liftId))?.maintenanceUnit;
    const policy = await policies.forAlert(unit, alert.severity);
    const plan = emptyPlan();
    for (const [i, def] of policy.steps.entries()) {
      if (def.afterS === 0) {
        const queued = await planFanOut(plan, alert, def.notify, `step${i}`, def.label, true);
        plan.audits.push(['notified', `${def.label}: ${def.notify.join(' + ')}, ${queued} deliveries`]);
      } else {
        plan.jobs.push({ id: escalationJobId(alert.id, i), kind: 'escalate', payload: { alertId: alert.id, step: i, def } satisfies StepPayload, runAt: alert.openedAt + def.afterS * 1000, maxAttempts: 5, backoffMs: 500 });
      }
    }
    if (policy.reminder) {
      plan.jobs.push({ id: reminderJobId(alert.id, 1), kind: 'remind', payload: { alertId: alert.id, n: 1, def: policy.reminder } satisfies ReminderPayload, runAt: alert.openedAt + policy.reminder.everyS * 1000, maxAttempts: 5, backoffMs: 500 });
    }
    plan.audits.push(['policy', `escalation policy ${policy.name}: ${policy.steps.map((s) => `${s.afterS} s → ${s.notify.join(' + ')} unless ${s.unless}`).join('; ')}`]);
    await commit(alert.id, plan, true);
  }

  async function escalate(p: StepPayload): Promise<void> {
    const alert = await alerts.get(p.alertId);
    if (!alert) return;
    const plan = emptyPlan();
    if (reached(alert.state, p.def.unless)) {
      plan.audits.push(['escalationSkipped', `${p.def.label}: not needed, the alert is ${alert.state}`]);
    } else {
      const queued = await planFanOut(plan, alert, p.def.notify, `step${p.step}`, p.def.label, true);
      plan.audits.push(['escalated', `${p.def.label}: ${p.def.notify.join(' + ')}, ${queued} deliveries`]);
    }
    await commit(alert.id, plan);
  }

  async function remind(p: ReminderPayload): Promise<void> {
    const alert = await alerts.get(p.alertId);
    if (!alert || reached(alert.state, p.def.until)) return;
    const plan = emptyPlan();
    await planFanOut(plan, alert, p.def.notify, `rem${p.n}`, `reminder ${p.n}: ${alert.severity} alert not yet ${p.def.until}`);
    // The next reminder is the first still ahead: after a stop (every alerting node down for a while)
    // the missed ones are not sent in a burst, one now and the rest on the schedule.
    const next = Math.max(p.n + 1, Math.floor((deps.now() - alert.openedAt) / (p.def.everyS * 1000)) + 1);
    if (next <= p.def.maxCount) {
      plan.jobs.push({ id: reminderJobId(alert.id, next), kind: 'remind', payload: { ...p, n: next } satisfies ReminderPayload, runAt: alert.openedAt + next * p.def.everyS * 1000, maxAttempts: 5, backoffMs: 500 });
    }
    await commit(alert.id, plan);
  }

  /** The lift's name and address; a lookup that fails leaves the notification with the lift's id only. */
  async function labelOf(liftId: string): Promise<LiftLabel | undefined> {
    try {
      return await deps.describeLift?.(liftId);
    } catch (err) {
      deps.log?.(`alerting: could not read the name and address of lift ${liftId} for a notification (sent with its id): ${String(err)}`);
      return undefined;
    }
  }

  async function notificationOf(alert: AlertRecord, p: DeliveryPayload): Promise<AlertNotification> {
    const language: Language = languageOf(p.recipient.language);
    const code = faultCode(alert.code);
    const label = await labelOf(alert.liftId);
    const base = typeof options.consoleUrl === 'function' ? options.consoleUrl() : options.consoleUrl;
    return {
      alertId: alert.id, liftId: alert.liftId, code: alert.code, nameEn: code?.nameEn ?? alert.code, nameZh: code?.nameZh ?? alert.code,
      severity: alert.severity, state: alert.state, openedAt: alert.openedAt, occurrences: alert.occurrences, language,
      timeZone: options.timeZone ?? 'Asia/Shanghai', liftName: label?.name ?? null, address: label?.address ?? null,
      link: base ? `${base.replace(/\/+$/, '')}/#/alert/${alert.id}` : null,
      reason: reasonIn(language, { text: alert.reason, key: alert.reasonKey, params: alert.reasonParams }),
      cause: p.label, recipient: { id: p.recipient.id, name: p.recipient.name },
    };
  }

  async function deliver(job: Extract<AlertJob, { kind: 'deliver' }>): Promise<void> {
    const p = job.payload;
    const alert = await alerts.get(p.alertId);
    if (!alert) return;
    const base = { alertId: alert.id, jobId: job.id, cause: p.label, recipientId: p.recipient.id, channel: p.to.kind, attempt: job.attempt };
    const channel = deps.channels[p.to.kind];
    try {
      if (!channel) throw lwError('LW_ERR_CHANNEL_REJECTED', `no ${p.to.kind} channel is configured in this liftwatch; set it up (see alerting/README.md) or give ${p.recipient.id} another channel`);
      const n = await notificationOf(alert, p);
      await limiter.acquire(p.to.kind, p.to.to);
      // The request is built before the "sending" line is committed, so that only the send follows it.
      const send = channel.prepare?.(n, p.to, job.id) ?? (() => channel.send(n, p.to, job.id));
      // Written before the send: a crash while the receiver holds the request leaves this line
      // without an outcome (unknown: it may have arrived), and the retry after the restart is the next attempt.
      await notifications.record({ ...base, at: deps.now(), outcome: 'sending', detail: `sending by ${p.to.kind}` });
      await send();
      await notifications.record({ ...base, at: deps.now(), outcome: 'sent', detail: `accepted by ${p.to.kind}` });
    } catch (err) {
      const final = isUnrecoverable(err) || job.attempt >= job.maxAttempts;
      await notifications.record({ ...base, at: deps.now(), outcome: final ? 'failed' : 'retrying', detail: err instanceof Error ? err.message : String(err) });
      if (final) await alerts.audit(alert.id, deps.now(), 'deliveryFailed', 'system', `${p.to.kind} to ${p.recipient.id} failed after ${job.attempt} attempt(s): ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  const receive = createAlertJobReceiver(deps.log);

  /** The job handler: one dispatcher over the three job kinds, each job's payload checked first. */
  async function handle(run: JobRun): Promise<void> {
    const job = receive(run);
    switch (job.kind) {
      case 'escalate': return escalate(job.payload);
      case 'remind': return remind(job.payload);
      case 'deliver': return deliver(job);
    }
  }

  /** After a crash between an alert's insert and its plan: plans every active alert that has no `policy` line. */
  async function recover(): Promise<number> {
    let planned = 0;
    for (const alert of await alerts.unscheduled()) if (await onOpened(alert)) planned++;
    return planned;
  }

  return { onOpened, handle, recover };
}

export type Escalation = ReturnType<typeof createEscalation>;
