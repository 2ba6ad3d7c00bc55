import type Database from 'better-sqlite3';
import type { AlertBackend } from './backend.js';
import { createCrewStore } from './crew-store.js';
import { createMaintenance, type MaintenanceOptions } from './maintenance.js';
import { createNotificationLog } from './notification-log.js';
import { createPolicyStore } from './policies.js';
import { createSqliteAlertStore } from './sqlite-alert-store.js';

/**
 * Alerting over the all-in-one's SQLite database: the synchronous stores, answering at once (the P1
 * path stays one transaction, no waiting). One process only: plan claims are kept in memory.
 */
export function createSqliteBackend(db: Database.Database, now: () => number, maintenance?: MaintenanceOptions): AlertBackend {
  const store = createSqliteAlertStore(db);
  const notifications = createNotificationLog(db);
  /** Alerts being planned or planned by this process (a few bytes each). */
  const planning = new Set<number>();
  const commitTx = db.transaction((alertId: number, at: number, audits: ReadonlyArray<readonly [string, string]>, suppressed: Parameters<typeof notifications.record>[0][]) => {
    for (const [action, note] of audits) store.audit(alertId, at, action, 'system', note);
    for (const s of suppressed) notifications.record(s);
  });
  return {
    kind: 'sqlite',
    alerts: {
      ...store,
      claimPlan(alertId) {
        if (planning.has(alertId)) return false;
        planning.add(alertId);
        return true;
      },
      releasePlan(alertId) { planning.delete(alertId); },
      // A planned alert stays claimed: a recovery that listed it before the plan was written must not plan it again.
      commitLines(alertId, at, audits, suppressed) {
        commitTx(alertId, at, audits, [...suppressed]);
      },
    },
    crew: createCrewStore(db),
    policies: createPolicyStore(db),
    maintenance: createMaintenance(db, now, maintenance),
    notifications,
  };
}
