import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  EscalationPolicy, LiftAssignment, lwError, Organisation, Person, RotaShift,
  type AlertEscalation, type AlertView, type CrewRole, type MaintenanceVisit, type NotificationAttempt, type Severity,
} from '@liftwatch/contract';
import type { CrewsPort } from '../src/deps.js';

/** What the crews port needs of the alerts: an alert's existence, and assigning or noting on it. */
export interface AlertsForCrews {
  exists(alertId: number): boolean;
  assign(alertId: number, assignee: string, actor: string): AlertView;
  note(alertId: number, actor: string, note: string): AlertView;
}

/** A body checked against its contract schema with defaults, as alerting does: a wrong one is a 400 naming the field. */
function parse<T>(schema: TSchema, input: unknown, what: string): T {
  const value = Value.Default(schema, structuredClone(input));
  const first = Value.Errors(schema, value).First();
  if (first) throw lwError('LW_ERR_REQUEST_INVALID', `${what}: ${first.path || '(body)'} ${first.message.toLowerCase()}`);
  return value as T;
}

const PRESET_1_3_5: EscalationPolicy = {
  name: '1-3-5',
  steps: [
    { afterS: 0, unless: 'acknowledged', notify: ['primary', 'backup'], label: 'at once' },
    { afterS: 60, unless: 'acknowledged', notify: ['supervisor', 'reinforcement'], label: 'no response within 1 min' },
    { afterS: 180, unless: 'onSite', notify: ['reinforcement', 'manager'], label: 'nobody on site within 3 min' },
  ],
  reminder: null,
};

export type FakeCrews = CrewsPort & { readonly attempts: NotificationAttempt[] };

/** Crews, rotas, policies, visits and the notification audit in memory, with alerting's checks of what is written. */
export function fakeCrews(alerts: AlertsForCrews, now: () => number = Date.now): FakeCrews {
  const orgs = new Map<string, Organisation>();
  const people = new Map<string, Person>();
  const lifts = new Map<string, LiftAssignment>();
  const shifts: Array<RotaShift & { id: number }> = [];
  const policies = new Map<string, { orgId: string; severity: Severity; policy: EscalationPolicy }>();
  const visits: MaintenanceVisit[] = [];
  const attempts: NotificationAttempt[] = [];
  const activeVisit = (liftId: string) => visits.find((v) => v.liftId === liftId && v.endedAt === null);
  const mustExist = (alertId: number) => {
    if (!alerts.exists(alertId)) throw lwError('LW_ERR_NOT_FOUND', `alert ${alertId} does not exist`);
  };

  return {
    attempts,
    upsertOrg(input) {
      const org = parse<Organisation>(Organisation, input, 'organisation');
      orgs.set(org.id, org);
      return org;
    },
    getOrg: (id) => orgs.get(id),
    listOrgs: () => [...orgs.values()],
    upsertPerson(input) {
      const p = parse<Person>(Person, input, 'person');
      if (!orgs.has(p.orgId)) throw lwError('LW_ERR_REQUEST_INVALID', `person ${p.id}: organisation ${JSON.stringify(p.orgId)} does not exist; create it first with PUT /api/organisations/${p.orgId}`);
      people.set(p.id, p);
      return p;
    },
    getPerson: (id) => people.get(id),
    listPeople: () => [...people.values()],
    assignLift(input) {
      const a = parse<LiftAssignment>(LiftAssignment, input, 'lift assignment');
      if (orgs.get(a.maintenanceUnit)?.kind !== 'maintenanceUnit') throw lwError('LW_ERR_REQUEST_INVALID', `lift ${a.liftId}: ${JSON.stringify(a.maintenanceUnit)} is not a maintenance unit`);
      lifts.set(a.liftId, a);
      return a;
    },
    getLift: (liftId) => lifts.get(liftId),
    listLifts: () => [...lifts.values()],
    addShift(input) {
      const s = parse<RotaShift>(RotaShift, input, 'rota shift');
      if (s.endsAt <= s.startsAt) throw lwError('LW_ERR_REQUEST_INVALID', `rota shift ends at ${s.endsAt}, not after its start ${s.startsAt}: give endsAt > startsAt`);
      const shift = { ...s, id: shifts.length + 1 };
      shifts.push(shift);
      return shift;
    },
    shifts: (unitId, from) => shifts.filter((s) => s.unitId === unitId && s.endsAt > from),
    onCall(liftId, at) {
      const unit = lifts.get(liftId)?.maintenanceUnit;
      const shift = shifts.find((s) => s.unitId === unit && s.startsAt <= at && at < s.endsAt);
      const found: Array<Person & { role: CrewRole }> = [];
      const gaps: string[] = [];
      for (const role of ['primary', 'backup'] as const) {
        const person = shift ? people.get(shift[role]) : undefined;
        if (person) found.push({ ...person, role });
        else gaps.push(`${role}: nobody on call for lift ${liftId}`);
      }
      return { people: found, gaps };
    },
    listPolicies: () => [...policies.values()],
    setPolicy(orgId, severity, input) {
      const preset = (input as { preset?: unknown } | null)?.preset;
      const policy = preset === '1-3-5' ? PRESET_1_3_5 : parse<EscalationPolicy>(EscalationPolicy, input, 'escalation policy');
      policies.set(`${orgId}/${severity}`, { orgId, severity, policy });
      return policy;
    },
    checkIn(liftId, technician, limitMs = 2 * 3_600_000) {
      const current = activeVisit(liftId);
      if (current) return current;
      const visit: MaintenanceVisit = { id: visits.length + 1, liftId, technician, source: 'checkIn', startedAt: now(), endsBy: now() + limitMs, endedAt: null, endReason: null, suppressed: 0 };
      visits.push(visit);
      return visit;
    },
    checkOut(liftId, technician) {
      const visit = activeVisit(liftId);
      if (!visit) throw lwError('LW_ERR_NOT_FOUND', `lift ${liftId} has no maintenance visit going on to check out of; check in first with POST /api/lifts/${liftId}/check-in`);
      return Object.assign(visit, { endedAt: now(), endReason: `checked out by ${technician}` });
    },
    visits: (liftId, limit) => visits.filter((v) => liftId === undefined || v.liftId === liftId).reverse().slice(0, limit),
    notifications: (alertId) => attempts.filter((a) => a.alertId === alertId),
    escalation(alertId): AlertEscalation | undefined {
      if (!alerts.exists(alertId)) return undefined;
      return { alertId, policy: 'default', notified: [], next: null, reminder: null };
    },
    notificationsAfter: (after, limit) => attempts.filter((a) => a.id > after).slice(0, limit),
    assign(alertId, assignee, actor) {
      mustExist(alertId);
      return alerts.assign(alertId, assignee, actor);
    },
    addNote(alertId, actor, note) {
      mustExist(alertId);
      return alerts.note(alertId, actor, note);
    },
  };
}
