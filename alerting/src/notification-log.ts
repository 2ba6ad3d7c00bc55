import type Database from 'better-sqlite3';
import type { NotificationAttempt } from '@liftwatch/contract';

/** Every notification attempt with its outcome (issue 7 §7; LESSONS.md 5: a final state for every attempt). Append-only. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS notification_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id INTEGER NOT NULL, job_id TEXT NOT NULL, cause TEXT NOT NULL,
  recipient_id TEXT NOT NULL, channel TEXT NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notification_attempts_by_alert ON notification_attempts (alert_id, id);
CREATE TRIGGER IF NOT EXISTS notification_attempts_append_only_u BEFORE UPDATE ON notification_attempts BEGIN SELECT RAISE(ABORT, 'notification_attempts is append-only'); END;
CREATE TRIGGER IF NOT EXISTS notification_attempts_append_only_d BEFORE DELETE ON notification_attempts BEGIN SELECT RAISE(ABORT, 'notification_attempts is append-only'); END;
`;

type Row = { id: number; alert_id: number; job_id: string; cause: string; recipient_id: string; channel: string; attempt: number; at: number; outcome: NotificationAttempt['outcome']; detail: string };

export function createNotificationLog(db: Database.Database) {
  db.exec(SCHEMA);
  const insert = db.prepare(`INSERT INTO notification_attempts (alert_id, job_id, cause, recipient_id, channel, attempt, at, outcome, detail) VALUES (@alertId, @jobId, @cause, @recipientId, @channel, @attempt, @at, @outcome, @detail)`);
  const ofAlert = db.prepare<[number, number], Row>(`SELECT * FROM notification_attempts WHERE alert_id = ? ORDER BY id LIMIT ?`);
  const recent = db.prepare<[number, number], Row>(`SELECT * FROM notification_attempts WHERE id > ? ORDER BY id LIMIT ?`);
  const toView = (r: Row): NotificationAttempt => ({ id: r.id, alertId: r.alert_id, jobId: r.job_id, cause: r.cause, recipientId: r.recipient_id, channel: r.channel, attempt: r.attempt, at: r.at, outcome: r.outcome, detail: r.detail });
  return {
    record(a: Omit<NotificationAttempt, 'id'>): void { insert.run(a); },
    ofAlert: (alertId: number, limit = 1000) => ofAlert.all(alertId, limit).map(toView),
    after: (id: number, limit = 1000) => recent.all(id, limit).map(toView),
  };
}

export type NotificationLog = ReturnType<typeof createNotificationLog>;
