import type { CrewDirectory, AlertDetail, AlertState, AlertView, Awaitable, CrewRole, EscalationPolicy, Finding, FindingInput, FindingTally, MaintenanceVisit, NotificationAttempt, Person, RotaShift, Severity } from '@liftwatch/contract';
import type { AlertRecord, ClosedAlertInput, RaiseInput } from '@liftwatch/state-store';

/** A value, or the promise of one (the contract's): re-exported for alerting's callers. */
export type { Awaitable };

/** An audit line an escalation decided: action and note (the actor is `system`). */
export type PlanAudit = [action: string, note: string];

/**
 * What alerting keeps, as it reads and writes it: alerts with their audit and plan claims, crews and
 * rotas, policies, maintenance visits and the notification log. Its one adapter (state-backend.ts)
 * is the state store: the all-in-one's SQLite file, or the PostgreSQL every node shares. The
 * alerting logic (alerting.ts, escalation.ts) is written once over this port.
 */
export interface AlertBackend {
  readonly alerts: {
    raise(input: RaiseInput): Promise<{ alertId: number; created: boolean; counted: boolean }>;
    /** An alert that opened and cleared in history, written closed with its real times (never active). */
    recordClosed(input: ClosedAlertInput): Promise<{ alertId: number }>;
    get(id: number): Promise<AlertRecord | undefined>;
    /**
     * Moves the alert to `to` if it is in one of `from`; false when it is not (another request or node was first).
     * `finding`: what the crew found, kept with a move that closes the alert.
     */
    transition(id: number, to: AlertState, from: readonly AlertState[], actor: string, note: string, at: number, finding?: FindingInput): Promise<boolean>;
    assign(id: number, assignee: string, actor: string, at: number): Promise<void>;
    clearCondition(liftId: string, code: string, at: number, note: string): Promise<number | undefined>;
    audit(id: number, at: number, action: string, actor: string, note: string): Promise<void>;
    list(filter: { state?: 'active' | AlertState; liftId?: string; limit: number }): Promise<AlertRecord[]>;
    detail(id: number, evidenceLimit: number): Promise<Omit<AlertDetail, keyof AlertView> | undefined>;
    /** The alerts not finished, as id and lift. */
    active(): Promise<Array<{ id: number; liftId: string }>>;
    /** Active alerts whose escalation was never planned (a crash right after they opened). */
    unscheduled(): Promise<AlertRecord[]>;
    /** True for exactly one caller planning an alert's escalation (of raise and recovery, of several nodes). */
    claimPlan(alertId: number, at: number): Promise<boolean>;
    /** A claim whose plan failed: another try (recovery) may take it. */
    releasePlan(alertId: number): void;
    /** Audit lines and suppressed attempts of one escalation decision, in one transaction; `planned` ends the plan claim. */
    commitLines(alertId: number, at: number, audits: readonly PlanAudit[], suppressed: ReadonlyArray<Omit<NotificationAttempt, 'id'>>, planned: boolean): Promise<void>;
  };
  readonly crew: CrewBackend;
  readonly policies: PolicyBackend;
  readonly maintenance: MaintenanceBackend;
  /** What crews found when they closed alerts (docs/findings.md). */
  readonly findings: {
    /** Records or replaces the finding of a closed alert. */
    put(alertId: number, finding: unknown, actor: string, at: number): Promise<Finding>;
    get(alertId: number): Promise<Finding | undefined>;
    tally(): Promise<FindingTally[]>;
    page(opts: { after: number; limit: number; since?: number }): Promise<Finding[]>;
  };
  readonly notifications: {
    record(a: Omit<NotificationAttempt, 'id'>): Promise<void>;
    ofAlert(alertId: number, limit?: number): Promise<NotificationAttempt[]>;
    after(id: number, limit?: number): Promise<NotificationAttempt[]>;
  };
}

/** The crews' directory as alerting stores it, with what escalation asks of it. */
export interface CrewBackend extends CrewDirectory {
  /** The unit's rota shift at `at`. */
  shiftAt(unitId: string, at: number): Promise<(RotaShift & { id: number }) | undefined>;
  /** The people an escalation step reaches for a lift at `at`, and the roles nobody fills (resolveRoles). */
  resolve(liftId: string, roles: readonly CrewRole[], at: number): Promise<{ people: Array<Person & { role: CrewRole }>; gaps: string[] }>;
}

export interface PolicyBackend {
  set(orgId: string, severity: Severity, input: unknown): Promise<EscalationPolicy>;
  forAlert(orgId: string | undefined, severity: Severity): Promise<EscalationPolicy>;
  list(): Promise<Array<{ orgId: string; severity: Severity; policy: EscalationPolicy }>>;
}

export interface MaintenanceBackend {
  active(liftId: string): Promise<MaintenanceVisit | undefined>;
  checkIn(liftId: string, technician: string, limitMs?: number): Promise<MaintenanceVisit>;
  checkOut(liftId: string, technician: string): Promise<MaintenanceVisit>;
  /** The terminal's serviceMode: "inspection" starts a visit, any other mode ends one the terminal started. */
  terminalMode(liftId: string, mode: string): Promise<void>;
  countSuppressed(visitId: number): Promise<void>;
  list(liftId: string | undefined, limit?: number): Promise<MaintenanceVisit[]>;
}

/**
 * The people an escalation step reaches: the rota's primary and backup, the unit's supervisor and
 * manager, the district's regulator and reinforcement. A role nobody fills is a gap (written to the
 * alert's audit: an alert that reaches nobody must be visible).
 */
export async function resolveRoles(
  crew: Pick<CrewBackend, 'getLift' | 'shiftAt' | 'getOrg' | 'getPerson'>, liftId: string, roles: readonly CrewRole[], at: number,
): Promise<{ people: Array<Person & { role: CrewRole }>; gaps: string[] }> {
  const lift = await crew.getLift(liftId);
  const people: Array<Person & { role: CrewRole }> = [];
  const gaps: string[] = [];
  if (!lift) return { people, gaps: [`lift ${liftId} belongs to no maintenance unit (PUT /api/crew-lifts/${liftId})`] };
  const [shift, unit, district] = await Promise.all([crew.shiftAt(lift.maintenanceUnit, at), crew.getOrg(lift.maintenanceUnit), lift.district ? crew.getOrg(lift.district) : undefined]);
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
