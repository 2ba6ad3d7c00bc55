import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateStore } from '@liftwatch/state-store';
import { tempDir } from '@liftwatch/test-kit';
import { createAlerting } from '../src/alerting.js';
import type { AlertChannel } from '../src/channels/channel.js';
import { createSqliteJobQueue } from '../src/queue/sqlite-job-queue.js';

const dir = tempDir('liftwatch-first-notification-');
afterAll(() => dir.remove());

describe('a P1 on the all-in-one', () => {
  it('has its first notification sent before the audit lines of its escalation plan are written (one fsync less before it leaves), which follow', async () => {
    const file = join(dir.path, 'liftwatch.db');
    const db = new Database(file);
    const state = await openStateStore({ url: `sqlite:${file}`, connection: db });
    const queue = createSqliteJobQueue(db, { table: 'alert_jobs' });
    /** The alert's audit actions as the channel is asked to send. */
    const auditAtSend: string[][] = [];
    const recording: AlertChannel = {
      kind: 'webhook',
      send: (n) => {
        auditAtSend.push(db.prepare<[number], { action: string }>('SELECT action FROM alert_audit WHERE alert_id = ? ORDER BY id').all(n.alertId).map((r) => r.action));
        return Promise.resolve();
      },
    };
    const alerting = createAlerting({ state, queue, channels: { webhook: recording }, backend: { soleNode: true } });
    try {
      await alerting.crews.upsertOrg({ id: 'mu-1', kind: 'maintenanceUnit', name: 'unit', roles: {} });
      for (const id of ['crewA', 'crewB']) await alerting.crews.upsertPerson({ id, name: id, orgId: 'mu-1', channels: [{ kind: 'webhook', to: 'http://127.0.0.1:9/hook', secret: 's' }] });
      await alerting.crews.assignLift({ liftId: 'L1', maintenanceUnit: 'mu-1' });
      await alerting.crews.addShift({ unitId: 'mu-1', startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewB' });
      alerting.start();
      await alerting.recovered();
      const { alert } = await alerting.raise({ liftId: 'L1', code: 'E01', reason: 'passenger trapped', passengersPresent: true, evidence: { liftId: 'L1', stream: 'alarm', seq: 1, ts: Date.now(), values: {} } });
      await alerting.planned();
      while (auditAtSend.length === 0) await new Promise((r) => setImmediate(r));
      expect(alert?.severity).toBe('P1');
      expect(auditAtSend).toEqual([['opened']]);
      const detail = await alerting.get(alert!.id);
      expect(detail?.audit.map((a) => a.action)).toEqual(['opened', 'notified', 'policy']);
    } finally {
      await alerting.close();
      await state.close();
      db.close();
    }
  });
});
