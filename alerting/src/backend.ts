import type { AlertDetail, Awaitable, AlertState, AlertView, CrewRole, EscalationPolicy, LiftAssignment, MaintenanceVisit, NotificationAttempt, Organisation, Person, RotaShift, Severity } from '@liftwatch/contract';
import type { AlertRow, NewOccurrence, RaiseInput } from './sqlite-alert-store.js';

/** A value, or the promise of one: the SQLite backend answers at once, the shared state store later. */

/** An audit line an escalation decided: action and note (the actor is `system`). */
export type PlanAudit = [action: string, note: string];

/**
 * Where alerting keeps its state: the all-in-one's SQLite database (synchronous, the fast default)
 * or the shared state store of several nodes (packages/state-store, SQLite or PostgreSQL). The
 * alerting logic (alerting.ts, escalation.ts) is written once over this port.
 */
export interface AlertBackend {
  readonly kind: 'sqlite' | 'state';
  readonly alerts: {
    raise(input: RaiseInput): Awaitable<NewOccurrence>;
    get(id: number): Awaitable<AlertRow | undefined>;
    /** Moves the alert to `to` if it is in one of `from`; false when it is not (another request or node was first). */
    transition(id: number, to: AlertState, from: readonly AlertState[], actor: string, note: string, at: number): Awaitable<boolean>;
    assign(id: number, assignee: string, actor: string, at: number): Awaitable<void>;
    clearCondition(liftId: string, code: string, at: number, note: string): Awaitable<number | undefined>;
    audit(id: number, at: number, action: string, actor: string, note: string): Awaitable<void>;
    list(filter: { state?: 'active' | AlertState; liftId?: string; limit: number }): Awaitable<AlertRow[]>;
    detail(id: number, evidenceLimit: number): Awaitable<Omit<AlertDetail, keyof AlertView> | undefined>;
    activeCountsByLift(): Awaitable<Map<string, number>>;
    /** Active alerts whose escalation was never planned (a crash right after they opened). */
    unscheduled(): Awaitable<AlertRow[]>;
    /** True for exactly one caller planning an alert's escalation (of raise and recovery, of several nodes). */
    claimPlan(alertId: number, at: number): Awaitable<boolean>;
    /** A claim whose plan failed: another try (recovery) may take it. */
    releasePlan(alertId: number): Awaitable<void>;
    /** Audit lines and suppressed attempts of one escalation decision, in one transaction; `planned` ends the plan claim. */
    commitLines(alertId: number, at: number, audits: readonly PlanAudit[], suppressed: ReadonlyArray<Omit<NotificationAttempt, 'id'>>, planned: boolean): Awaitable<void>;
  };
  readonly crew: CrewBackend;
  readonly policies: PolicyBackend;
  readonly maintenance: MaintenanceBackend;
  readonly notifications: {
    record(a: Omit<NotificationAttempt, 'id'>): Awaitable<void>;
    ofAlert(alertId: number, limit?: number): Awaitable<NotificationAttempt[]>;
    after(id: number, limit?: number): Awaitable<NotificationAttempt[]>;
  };
}

export interface CrewBackend {
  upsertOrg(input: unknown): Awaitable<Organisation>;
  getOrg(id: string): Awaitable<Organisation | undefined>;
  listOrgs(): Awaitable<Organisation[]>;
  upsertPerson(input: unknown): Awaitable<Person>;
  getPerson(id: string): Awaitable<Person | undefined>;
  listPeople(): Awaitable<Person[]>;
  assignLift(input: unknown): Awaitable<LiftAssignment>;
  getLift(liftId: string): Awaitable<LiftAssignment | undefined>;
  /** Every lift's assignment (a cache of who sees which lift reads them at once). */
  listLifts(): Awaitable<LiftAssignment[]>;
  addShift(input: unknown): Awaitable<RotaShift & { id: number }>;
  shifts(unitId: string, from: number): Awaitable<Array<RotaShift & { id: number }>>;
  onCall(unitId: string, at: number): Awaitable<(RotaShift & { id: number }) | undefined>;
  /** The people an escalation step reaches for a lift at `at`, and the roles nobody fills. */
  resolve(liftId: string, roles: readonly CrewRole[], at: number): Awaitable<{ people: Array<Person & { role: CrewRole }>; gaps: string[] }>;
}

export interface PolicyBackend {
  set(orgId: string, severity: Severity, input: unknown): Awaitable<EscalationPolicy>;
  forAlert(orgId: string | undefined, severity: Severity): Awaitable<EscalationPolicy>;
  list(): Awaitable<Array<{ orgId: string; severity: Severity; policy: EscalationPolicy }>>;
}

export interface MaintenanceBackend {
  active(liftId: string): Awaitable<MaintenanceVisit | undefined>;
  checkIn(liftId: string, technician: string, limitMs?: number): Awaitable<MaintenanceVisit>;
  checkOut(liftId: string, technician: string): Awaitable<MaintenanceVisit>;
  terminalMode(liftId: string, mode: string): Awaitable<void>;
  countSuppressed(visitId: number): Awaitable<void>;
  list(liftId: string | undefined, limit?: number): Awaitable<MaintenanceVisit[]>;
}

/**
 * The people an escalation step reaches, over any crew store: the rota's primary and backup, the
 * unit's supervisor and manager, the district's regulator and reinforcement. A role nobody fills is
 * a gap (written to the alert's audit: an alert that reaches nobody must be visible).
 */
export async function resolveRoles(
  crew: Pick<CrewBackend, 'getLift' | 'onCall' | 'getOrg' | 'getPerson'>, liftId: string, roles: readonly CrewRole[], at: number,
): Promise<{ people: Array<Person & { role: CrewRole }>; gaps: string[] }> {
  const lift = await crew.getLift(liftId);
  const people: Array<Person & { role: CrewRole }> = [];
  const gaps: string[] = [];
  if (!lift) return { people, gaps: [`lift ${liftId} belongs to no maintenance unit (PUT /api/crew-lifts/${liftId})`] };
  const [shift, unit, district] = await Promise.all([crew.onCall(lift.maintenanceUnit, at), crew.getOrg(lift.maintenanceUnit), lift.district ? crew.getOrg(lift.district) : undefined]);
  for (const role of roles) {
    let ids: string[] = [];
    if (role === 'primary' || role === 'backup') ids = shift ? [role === 'primary' ? shift.primary : shift.backup] : [];
    else if (role === 'supervisor' || role === 'manager') ids = unit ? (unit.roles[role] ?? []) : [];
    else ids = district ? (district.roles[role] ?? []) : [];
    const found = (await Promise.all(ids.map((id) => crew.getPerson(id)))).filter((p): p is Person => p !== undefined);
    if (found.length === 0) gaps.push(`no ${role} for lift ${liftId} (unit ${lift.maintenanceUnit}${role === 'regulator' || role === 'reinforcement' ? `, district ${lift.district ?? 'none'}` : ''}${role === 'primary' || role === 'backup' ? `: no rota shift at ${new Date(at).toISOString()}` : ''})`);
    for (const p of found) if (!people.some((x) => x.id === p.id)) people.push({ ...p, role });
  }
  return { people, gaps };
}
