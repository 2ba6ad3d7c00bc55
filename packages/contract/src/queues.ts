/**
 * Names of the alerting job queue and its jobs (names come from functions here: docs/conventions.md#4-names-come-from-the-contract).
 * Job ids are the idempotency keys of deliveries: the same id is never run twice to success, and a
 * channel that takes an idempotency key receives this id, so a resend after a crash is recognised.
 * Ids use only `A–Z a–z 0–9 _ . -`: BullMQ reserves `:` in its Redis keys.
 */
export const ALERT_QUEUE = 'liftwatch-alerts';

/** Prefix of every Redis key BullMQ writes for liftwatch. */
export const REDIS_PREFIX = 'lw';

export type AlertJobKind = 'escalate' | 'remind' | 'deliver';

const SAFE = /[^A-Za-z0-9_.-]/g;
const part = (v: string | number) => String(v).replace(SAFE, '_');

/** The escalation step `step` of alert `alertId` (step 0 is the first notification). */
export const escalationJobId = (alertId: number, step: number): string => `esc.${part(alertId)}.${part(step)}`;
/** The n-th reminder of alert `alertId` until someone acknowledges it. */
export const reminderJobId = (alertId: number, n: number): string => `rem.${part(alertId)}.${part(n)}`;
/** One notification of one recipient on one channel, for the step or reminder `cause`. */
export const deliveryJobId = (alertId: number, cause: string, recipientId: string, channel: string): string =>
  `dlv.${part(alertId)}.${part(cause)}.${part(recipientId)}.${part(channel)}`;
