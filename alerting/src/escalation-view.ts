import type { AlertEscalation, ChannelKind, CrewRole, DeliverySummary, NotificationAttempt, PlannedStep } from '@liftwatch/contract';
import type { AlertBackend, Awaitable } from './backend.js';
import { reached } from './escalation.js';
import { FALLBACK_CAUSE_PREFIX, fallbackFor, reachable, type ConsoleUser } from './fallback.js';
import type { AlertRow } from './sqlite-alert-store.js';

export interface EscalationViewDeps {
  readonly backend: AlertBackend;
  readonly now: () => number;
  readonly configured: (kind: ChannelKind) => boolean;
  readonly admins?: (() => Awaitable<readonly ConsoleUser[]>) | undefined;
}

/** The attempts of one delivery (one job id), oldest first, as one line of the inbox. */
function summarise(rows: readonly NotificationAttempt[], name: string): DeliverySummary {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const tries = [...new Set(rows.filter((r) => r.attempt > 0).map((r) => r.attempt))];
  const latest = Math.max(0, ...tries);
  // An attempt that started, has no outcome, and was followed by another: the process stopped during its send.
  const unknown = tries.filter((n) => n < latest && rows.every((r) => r.attempt !== n || r.outcome === 'sending')).length;
  return {
    jobId: first.jobId, cause: first.cause, recipientId: first.recipientId, recipientName: name, channel: first.channel,
    firstAt: first.at, lastAt: last.at, attempts: tries.length, unknown, outcome: last.outcome, detail: last.detail,
    fallback: first.jobId.split('.')[2]?.startsWith(FALLBACK_CAUSE_PREFIX) ?? false,
  };
}

/**
 * Who was notified of an alert (each delivery with its attempts and outcome, from the notification
 * log) and who is next (the next step and reminder of its policy, resolved against the crews as
 * they stand now). What the inbox shows beside each alert.
 */
export async function escalationView(deps: EscalationViewDeps, alertId: number): Promise<AlertEscalation | undefined> {
  const { alerts, crew, policies, notifications } = deps.backend;
  const alert = await alerts.get(alertId);
  if (!alert) return undefined;
  const byJob = new Map<string, NotificationAttempt[]>();
  for (const a of await notifications.ofAlert(alertId)) byJob.set(a.jobId, [...(byJob.get(a.jobId) ?? []), a]);
  let admins: Promise<readonly ConsoleUser[]> | undefined; // read once, and only for a recipient who is no person of the crews
  const adminName = async (id: string) => (await (admins ??= Promise.resolve(deps.admins?.() ?? []))).find((u) => u.id === id)?.name ?? id;
  const nameOf = async (id: string) => (await crew.getPerson(id))?.name ?? adminName(id);
  const notified = await Promise.all([...byJob.values()].map(async (rows) => summarise(rows, await nameOf(rows[0]!.recipientId))));
  const policy = await policies.forAlert((await crew.getLift(alert.lift_id))?.maintenanceUnit, alert.severity);
  const now = deps.now();
  const step = policy.steps.find((s) => s.afterS > 0 && alert.opened_at + s.afterS * 1000 > now && !reached(alert.state, s.unless));
  const r = policy.reminder;
  const k = r ? Math.max(1, Math.floor((now - alert.opened_at) / (r.everyS * 1000)) + 1) : 0;
  const reminder = r && k <= r.maxCount && !reached(alert.state, r.until)
    ? await planned(deps, alert, { at: alert.opened_at + k * r.everyS * 1000, label: `reminder ${k}`, roles: r.notify, unless: r.until }, false)
    : null;
  return {
    alertId, policy: policy.name, notified,
    next: step ? await planned(deps, alert, { at: alert.opened_at + step.afterS * 1000, label: step.label, roles: step.notify, unless: step.unless }, true) : null,
    reminder,
  };
}

/** A step still to come and whom it reaches, as the rota and roles stand at its time; a P1 step that reaches nobody shows its fallback. */
async function planned(deps: EscalationViewDeps, alert: AlertRow, s: { at: number; label: string; roles: CrewRole[]; unless: string }, mayFallBack: boolean): Promise<PlannedStep> {
  const { people } = await deps.backend.crew.resolve(alert.lift_id, s.roles, s.at);
  const base = { at: s.at, label: s.label, roles: s.roles, unless: s.unless };
  if (!mayFallBack || alert.severity !== 'P1' || people.some((p) => reachable(p, deps.configured))) {
    return { ...base, people: people.map((p) => ({ id: p.id, name: p.name, role: p.role })), fallback: null };
  }
  const fb = await fallbackFor({ crew: deps.backend.crew, admins: deps.admins, configured: deps.configured }, alert.lift_id);
  return { ...base, people: fb.people.map((p) => ({ id: p.id, name: p.name, role: p.role })), fallback: fb.kind };
}
