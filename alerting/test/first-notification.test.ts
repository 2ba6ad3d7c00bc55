import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateStore } from '@liftwatch/state-store';
import { tempDir } from '@liftwatch/test-kit';
import { createAlerting, type Alerting, type AlertingDeps } from '../src/alerting.js';
import type { AlertChannel } from '../src/channels/channel.js';
import { createSqliteJobQueue } from '../src/queue/sqlite-job-queue.js';

const dir = tempDir('liftwatch-first-notification-');
afterAll(() => dir.remove());

/** An all-in-one's alerting over one SQLite file, with crewA and crewB on call for lift L1, and a P1 raised on it. */
async function withP1(channel: (db: Database.Database) => AlertChannel, check: (alerting: Alerting, alertId: number) => Promise<void>, describeLift?: AlertingDeps['describeLift']) {
  const file = join(dir.path, `liftwatch-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(file);
  const state = await openStateStore({ url: `sqlite:${file}`, connection: db });
  const queue = createSqliteJobQueue(db, { table: 'alert_jobs' });
  const alerting = createAlerting({ state, queue, channels: { webhook: channel(db) }, backend: { soleNode: true }, ...(describeLift ? { describeLift } : {}) });
  try {
    await alerting.crews.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: 'unit', roles: {} });
    for (const id of ['crewA', 'crewB']) await alerting.crews.upsertPerson({ id, name: id, orgId: 'mu-1', channels: [{ kind: 'webhook', to: 'http://127.0.0.1:9/hook', secret: 's' }] });
    await alerting.crews.assignLift({ liftId: 'L1', maintenanceUnit: 'mu-1' });
    await alerting.crews.addShift({ unitId: 'mu-1', startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewB' });
    alerting.start();
    await alerting.recovered();
    const { alert } = await alerting.raise({ liftId: 'L1', code: 'E01', reason: 'passenger trapped', passengersPresent: true, evidence: { liftId: 'L1', stream: 'alarm', seq: 1, ts: Date.now(), values: {} } });
    expect(alert?.severity).toBe('P1');
    await alerting.planned();
    await check(alerting, alert!.id);
  } finally {
    await alerting.close();
    await state.close();
    db.close();
  }
}

const settle = async (done: () => boolean) => { while (!done()) await new Promise((r) => setImmediate(r)); };

describe('a P1 on the all-in-one', () => {
  it('has its first notification sent before the audit lines of its escalation plan are written (one fsync less before it leaves), which follow', async () => {
    /** The alert's audit actions as the channel is asked to send. */
    const auditAtSend: string[][] = [];
    await withP1((db) => ({
      kind: 'webhook',
      send: (n) => {
        auditAtSend.push(db.prepare<[number], { action: string }>('SELECT action FROM alert_audit WHERE alert_id = ? ORDER BY id').all(n.alertId).map((r) => r.action));
        return Promise.resolve();
      },
    }), async (alerting, alertId) => {
      await settle(() => auditAtSend.length > 0);
      expect(auditAtSend).toEqual([['opened']]);
      const detail = await alerting.get(alertId);
      expect(detail?.audit.map((a) => a.action)).toEqual(['opened', 'notified', 'policy']);
    });
  });

  it('has its notification built (lift looked up, request prepared) before the "sending" line is committed, so that only the send follows that commit', async () => {
    /** What the notification table held for the alert at each step, in order. */
    const steps: string[] = [];
    const outcomes = (db: Database.Database) => db.prepare<[], { outcome: string }>('SELECT outcome FROM notification_attempts ORDER BY id').all().map((r) => r.outcome).join(',');
    let db!: Database.Database;
    await withP1((d) => {
      db = d;
      return {
        kind: 'webhook',
        send: () => Promise.reject(new Error('send without prepare')),
        prepare: (n) => {
          steps.push(`prepare ${n.liftName ?? '?'} [${outcomes(d)}]`);
          return () => { steps.push(`send [${outcomes(d)}]`); return Promise.resolve(); };
        },
      };
    }, async () => {
      await settle(() => steps.length >= 3);
    }, (liftId) => { steps.push(`describe ${liftId} [${outcomes(db)}]`); return { name: 'east car', address: null }; });
    expect(steps).toEqual(['describe L1 []', 'prepare east car []', 'send [sending]']);
  });
});
