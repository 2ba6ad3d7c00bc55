import type { Selectable } from 'kysely';
import { lwError, type NotificationAttempt } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { NotificationAttemptsTable } from '../tables.js';
import { checkTime } from '../check.js';
import { fastOr, prepared } from '../prepared.js';

const OUTCOMES: readonly string[] = ['sent', 'retrying', 'failed', 'suppressed', 'sending'];
const toAttempt = (r: Selectable<NotificationAttemptsTable>): NotificationAttempt => ({
  id: Number(r.id), alertId: Number(r.alert_id), jobId: r.job_id, cause: r.cause, recipientId: r.recipient_id, channel: r.channel,
  attempt: r.attempt, at: r.at, outcome: r.outcome as NotificationAttempt['outcome'], detail: r.detail,
});

export function checkAttempt(a: Omit<NotificationAttempt, 'id'>): void {
  if (!OUTCOMES.includes(a.outcome)) throw lwError('LW_ERR_REQUEST_INVALID', `notification attempt ${a.jobId}: outcome ${JSON.stringify(a.outcome)} is not one of ${OUTCOMES.join(', ')}`);
  checkTime(a.at, `notification attempt ${a.jobId}: at`);
}

export const attemptRow = (a: Omit<NotificationAttempt, 'id'>) => ({
  alert_id: a.alertId, job_id: a.jobId, cause: a.cause, recipient_id: a.recipientId, channel: a.channel, attempt: a.attempt, at: a.at, outcome: a.outcome, detail: a.detail,
});

/** Every notification attempt with its outcome (a final state for every attempt: docs/lessons.md#5-notifications-users-cannot-manage-and-sends-that-are-not-retried), shared by the alerting nodes. Append-only. */
export function createNotifications({ db, sqlite, inTurn }: StateDb) {
  // On SQLite, each delivery's two lines (sending, then its outcome) run prepared.
  const insert = (q: typeof db, a: Omit<NotificationAttempt, 'id'>) => q.insertInto('notification_attempts').values(attemptRow(a));
  const hot = sqlite ? { sqlite, insert: prepared<Omit<NotificationAttempt, 'id'>, never>(sqlite, (s) => insert(db, s)) } : undefined;
  const slow = async (a: Omit<NotificationAttempt, 'id'>) => { await insert(db, a).execute(); };
  return {
    /**
     * Writes an attempt. On SQLite a `sending` line is committed at once (it must be on disk before
     * the send); an outcome joins the writes of its turn (turn-group.ts: one commit for a burst's).
     */
    async record(a: Omit<NotificationAttempt, 'id'>): Promise<void> {
      checkAttempt(a);
      if (hot && inTurn && a.outcome !== 'sending') return inTurn(() => { hot.insert.run(a); }, () => slow(a));
      await fastOr(hot, (h) => { h.insert.run(a); }, () => slow(a));
    },
    /** The attempts of one alert, oldest first. */
    ofAlert: async (alertId: number, limit = 1000): Promise<NotificationAttempt[]> =>
      (await db.selectFrom('notification_attempts').selectAll().where('alert_id', '=', alertId).orderBy('id').limit(limit).execute()).map(toAttempt),
    /** Attempts after id `after`, for a reader that pages through all of them. */
    after: async (id: number, limit = 1000): Promise<NotificationAttempt[]> =>
      (await db.selectFrom('notification_attempts').selectAll().where('id', '>', id).orderBy('id').limit(limit).execute()).map(toAttempt),
  };
}
