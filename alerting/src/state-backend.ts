import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { lwError, type AlertState, type MaintenanceVisit } from '@liftwatch/contract';
import type { AlertRecord, StateStore } from '@liftwatch/state-store';
import { resolveRoles, type AlertBackend, type CrewBackend } from './backend.js';
import type { MaintenanceOptions } from './maintenance.js';
import { DEFAULTS, policyOf } from './policies.js';
import type { AlertRow } from './sqlite-alert-store.js';

export interface StateBackendOptions extends MaintenanceOptions {
  /** A plan claim not followed by its plan within this time (its node died) is taken over by the next recovery. @defaultValue 60000 */
  readonly planLeaseMs?: number;
  /** This node's name in plan claims. @defaultValue host:pid:random */
  readonly node?: string;
}

const toRow = (r: AlertRecord): AlertRow => ({
  id: r.id, lift_id: r.liftId, code: r.code, severity: r.severity, state: r.state, reason: r.reason, opened_at: r.openedAt, updated_at: r.updatedAt,
  last_seen_at: r.lastSeenAt, condition_cleared_at: r.conditionClearedAt, occurrences: r.occurrences, assignee: r.assignee,
});

/**
 * Alerting over the shared state store (packages/state-store; PostgreSQL in the distributed mode):
 * every alerting node sees the same alerts, audit, visits, crews, policies and notification log.
 * Two nodes raising the same fault make one alert (the partial unique index); of two nodes planning
 * an alert's escalation exactly one does (a claim row per alert).
 */
export function createStateBackend(state: StateStore, now: () => number, options: StateBackendOptions = {}): AlertBackend {
  const leaseMs = options.planLeaseMs ?? 60_000;
  const node = options.node ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const maxVisitMs = options.maxVisitMs ?? 4 * 3_600_000;
  const a = state.alerts;
  const c = state.crew;
  const crew: CrewBackend = {
    upsertOrg: c.upsertOrg, getOrg: c.getOrg, listOrgs: c.listOrgs, upsertPerson: c.upsertPerson, getPerson: c.getPerson, listPeople: c.listPeople,
    assignLift: c.assignLift, getLift: c.getLift, listLifts: c.listLifts, addShift: c.addShift, shifts: c.shifts, onCall: c.onCall,
    resolve: (liftId, roles, at) => resolveRoles(c, liftId, roles, at),
  };
  const v = state.visits;
  const start = (liftId: string, technician: string, source: MaintenanceVisit['source'], limitMs = maxVisitMs) => {
    const at = now();
    return v.start({ liftId, technician, source, at, endsBy: at + Math.min(limitMs, maxVisitMs) });
  };
  return {
    kind: 'state',
    alerts: {
      raise: (input) => a.raise(input),
      get: async (id) => { const r = await a.get(id); return r ? toRow(r) : undefined; },
      transition: (id, to, from: readonly AlertState[], actor, note, at) => a.transition(id, to, { from, actor, note, at }),
      assign: (id, assignee, actor, at) => a.assign(id, assignee, actor, at),
      clearCondition: (liftId, code, at, note) => a.clearCondition(liftId, code, at, note),
      audit: (id, at, action, actor, note) => a.audit(id, { at, action, actor, note }),
      list: async (filter) => (await a.list(filter)).map(toRow),
      detail: (id, limit) => a.detail(id, limit),
      activeCountsByLift: () => a.activeCountsByLift(),
      unscheduled: async () => (await a.unscheduled()).map(toRow),
      claimPlan: (alertId, at) => a.claimPlan(alertId, node, at, leaseMs),
      releasePlan: () => {}, // the lease ends it: a recovery after it plans the alert
      commitLines: (alertId, at, audits, suppressed, planned) =>
        a.commitLines(alertId, { audit: audits.map(([action, note]) => ({ at, action, actor: 'system', note })), attempts: [...suppressed], ...(planned ? { planned: at } : {}) }),
    },
    crew,
    policies: {
      set: (orgId, severity, input) => c.setPolicy(orgId, severity, policyOf(orgId, severity, input)),
      async forAlert(orgId, severity) {
        return (orgId ? await c.getPolicy(orgId, severity) : undefined) ?? (await c.getPolicy('*', severity)) ?? DEFAULTS[severity];
      },
      list: () => c.listPolicies(),
    },
    maintenance: {
      active: (liftId) => v.active(liftId, now()),
      checkIn: (liftId, technician, limitMs) => start(liftId, technician, 'checkIn', limitMs),
      async checkOut(liftId, technician) {
        const visit = await v.stop(liftId, `checked out by ${technician}`, now());
        if (!visit) throw lwError('LW_ERR_NOT_FOUND', `lift ${liftId} has no maintenance visit going on to check out of; check in first with POST /api/lifts/${liftId}/check-in`);
        return visit;
      },
      async terminalMode(liftId, mode) {
        const current = await v.active(liftId, now());
        if (mode === 'inspection' && !current) await start(liftId, 'terminal (inspection mode)', 'terminal');
        else if (mode !== 'inspection' && current?.source === 'terminal') await v.stop(liftId, `terminal left inspection mode (${mode})`, now());
      },
      countSuppressed: (visitId) => v.countSuppressed(visitId),
      list: (liftId, limit) => v.list(liftId, limit),
    },
    notifications: state.notifications,
  };
}
