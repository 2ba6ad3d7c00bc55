import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { lwError, type AlertState, type MaintenanceVisit } from '@liftwatch/contract';
import type { StateStore } from '@liftwatch/state-store';
import { resolveRoles, type AlertBackend, type CrewBackend, type MaintenanceBackend } from './backend.js';
import { DEFAULTS, policyOf } from './policies.js';

export interface StateBackendOptions {
  /** Longest maintenance visit; after it the lift is watched normally again. @defaultValue 14400000 (4 h) */
  readonly maxVisitMs?: number;
  /** A plan claim not followed by its plan within this time (its node died) is taken over by the next recovery. @defaultValue 60000 */
  readonly planLeaseMs?: number;
  /** This node's name in plan claims. @defaultValue host:pid:random */
  readonly node?: string;
  /**
   * This process is the only one using the state (the all-in-one): plan claims are kept in memory,
   * as nobody else could take one, and a claim an earlier run left unplanned is planned at start.
   * @defaultValue false
   */
  readonly soleNode?: boolean;
}

/**
 * Alerting over the state store (packages/state-store): the all-in-one's SQLite file, or the
 * PostgreSQL that every alerting node shares (the same alerts, audit, visits, crews, policies and
 * notification log). Two nodes raising the same fault make one alert (the partial unique index);
 * of two nodes planning an alert's escalation exactly one does (a claim row per alert).
 */
export function createStateBackend(state: StateStore, now: () => number, options: StateBackendOptions = {}): AlertBackend {
  const a = state.alerts;
  const c = state.crew;
  const crew: CrewBackend = {
    upsertOrg: c.upsertOrg, getOrg: c.getOrg, listOrgs: c.listOrgs, upsertPerson: c.upsertPerson, getPerson: c.getPerson, listPeople: c.listPeople,
    assignLift: c.assignLift, getLift: c.getLift, listLifts: c.listLifts, addShift: c.addShift, shifts: c.shifts, shiftAt: c.shiftAt,
    resolve: (liftId, roles, at) => resolveRoles(c, liftId, roles, at),
  };
  return {
    alerts: {
      raise: (input) => a.raise(input),
      recordClosed: (input) => a.recordClosed(input),
      get: (id) => a.get(id),
      transition: (id, to, from: readonly AlertState[], actor, note, at, finding) => a.transition(id, to, { from, actor, note, at, finding }),
      assign: (id, assignee, actor, at) => a.assign(id, assignee, actor, at),
      clearCondition: (liftId, code, at, note) => a.clearCondition(liftId, code, at, note),
      audit: (id, at, action, actor, note) => a.audit(id, { at, action, actor, note }),
      list: (filter) => a.list(filter),
      detail: (id, limit) => a.detail(id, limit),
      active: () => a.active(),
      unscheduled: () => a.unscheduled(),
      ...planClaims(state, options),
      commitLines: (alertId, at, audits, suppressed, planned) =>
        a.commitLines(alertId, { audit: audits.map(([action, note]) => ({ at, action, actor: 'system', note })), attempts: [...suppressed], ...(planned ? { planned: at } : {}) }),
    },
    crew,
    policies: {
      set: (orgId, severity, input) => c.setPolicy(orgId, severity, policyOf(input)),
      async forAlert(orgId, severity) {
        return (orgId ? await c.getPolicy(orgId, severity) : undefined) ?? (await c.getPolicy('*', severity)) ?? DEFAULTS[severity];
      },
      list: () => c.listPolicies(),
    },
    maintenance: visits(state.visits, now, options.maxVisitMs ?? 4 * 3_600_000),
    findings: state.findings,
    notifications: state.notifications,
  };
}

/**
 * Who plans an alert's escalation. Claims made in this process are remembered (a raise and a
 * recovery here never both plan); with several nodes a claim row decides, and one whose node died
 * before its plan is taken over after the lease. A planned alert stays claimed: a recovery that
 * listed it before its plan was written must not plan it again.
 */
function planClaims(state: StateStore, options: StateBackendOptions): Pick<AlertBackend['alerts'], 'claimPlan' | 'releasePlan'> {
  const leaseMs = options.planLeaseMs ?? 60_000;
  const node = options.node ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const mine = new Set<number>();
  return {
    async claimPlan(alertId, at) {
      if (mine.has(alertId)) return false;
      mine.add(alertId);
      if (options.soleNode || await state.alerts.claimPlan(alertId, node, at, leaseMs)) return true;
      mine.delete(alertId);
      return false;
    },
    // With several nodes the lease ends a claim: a recovery after it plans the alert.
    releasePlan: (alertId) => { mine.delete(alertId); },
  };
}

/**
 * Quiet during maintenance: a visit starts when the terminal reports serviceMode "inspection" or a
 * technician checks in through the API, and ends at check-out, when the terminal leaves
 * inspection, or at its time limit. While it lasts, P2–P4 alerts on the lift are not opened but
 * counted on the visit (alerting.ts); P1 always opens.
 */
function visits(v: StateStore['visits'], now: () => number, maxVisitMs: number): MaintenanceBackend {
  const start = (liftId: string, technician: string, source: MaintenanceVisit['source'], limitMs = maxVisitMs) => {
    const at = now();
    return v.start({ liftId, technician, source, at, endsBy: at + Math.min(limitMs, maxVisitMs) });
  };
  return {
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
  };
}
