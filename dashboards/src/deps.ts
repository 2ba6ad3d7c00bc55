import type { UserStore } from './auth/user-store.js';
import type { ExchangePort, RescueLinePort } from './exchange-ports.js';
import type { StatisticsPort } from './statistics/ports.js';
import type { HazardsPort } from './hazards/port.js';
import type { TerminalConfigPort } from './terminal-config-port.js';
import type {
  ChecklistEntry, ChecklistItem, InspectionRecord, InspectionWrite, ItemSetId, LiftProfile, LiftProfileWrite, MaintenanceClass, MaintenancePlan, OverdueLift, PhotoMeta, WorkOrder, WorkOrderFinding, WorkOrderKind, WorkOrderState,
} from '@liftwatch/contract';
import type { CrewDirectory, AlertDetail, AlertEscalation, AlertState, AlertView, Awaitable, CrewRole, Finding, FindingInput, HealthView, DeadLetterTerminalView, DeadLetterView, EscalationPolicy, IssuedTerminal, LiftRiskView, LiftSummary, MaintenanceVisit, NotificationAttempt, Person, PrecisionReport, RecordStream, Severity, TerminalRole, TerminalView } from '@liftwatch/contract';

/**
 * A change the live page should see; `sessions`: a user's sessions were closed (disabled, new password): their live streams end.
 * `liftsSeen`: records of these lifts were stored; what that changes for the fleet comes with it (the
 * newest receive time, 0 when none, and the presence where it changed), so the fleet index reads nothing again.
 */
export type Change = { kind: 'lifts'; liftIds: string[] } | LiftsSeen | { kind: 'alert'; alert: AlertView } | { kind: 'sessions'; userId: string };
export interface LiftsSeen { kind: 'liftsSeen'; liftIds: string[]; lastSeenAt: number[]; presence: Array<LiftSummary['presence'] | undefined> }

export interface ChangeFeed {
  /** Returns the function that unsubscribes. */
  subscribe(listener: (change: Change) => void): () => void;
  /** A change made here: to this process's listeners and, in a deployment of several nodes, to theirs. */
  publish(change: Change): void;
}

export interface StoredRecord { stream: string; seq: number; ts: number; receivedAt: number; record: unknown }

/** A lift's summary without its latest status. */
export type LiftFacts = Omit<LiftSummary, 'status'>;

/** What the dashboards read and do, as ports: the all-in-one process wires them to ingest and alerting. */
export interface DashboardDeps {
  /**
   * The lifts' numbers in this process (ingest's lift table, when its pipeline runs here): the fleet
   * index keeps the entries of those lifts in an array by number instead of a Map by lift id.
   */
  readonly liftNumbers?: { find(liftId: string): number | undefined };
  readonly lifts: {
    list(opts: { limit: number; offset: number }): Awaitable<LiftSummary[]>;
    get(liftId: string): Awaitable<LiftSummary | undefined>;
    /** The lifts of these ids that exist (one read of a shared store instead of one per lift); absent: `get` each. */
    getMany?(liftIds: readonly string[]): Awaitable<LiftSummary[]>;
    /** As getMany, without each lift's latest status (not read nor parsed): what the fleet index keeps. Absent: getMany. */
    getFacts?(liftIds: readonly string[]): Awaitable<LiftFacts[]>;
    count(): Awaitable<number>;
    records(liftId: string, opts: { stream?: string; limit: number }): Promise<StoredRecord[]>;
    /** Lift ids the platform's registry (set by admins, not what terminals report) puts in this GB/T 2260 area. */
    inArea?(areaCode: string): Awaitable<string[]>;
  };
  /** The telemetry store's queries (the TelemetryStore port of ingest, structurally). */
  readonly telemetry?: {
    range(q: { liftId: string; stream: RecordStream; field: string; fromMs: number; toMs: number; bucketMs: number }): Promise<Array<{ t: number; min: number; max: number; mean: number; count: number }>>;
    dailyCounts(stream: RecordStream, fromMs: number, toMs: number, liftId?: string): Promise<Array<{ liftId: string; day: string; count: number }>>;
    latestPerLift(stream: RecordStream, liftIds: readonly string[]): Promise<Map<string, { record: Record<string, unknown>; rx?: number }>>;
  };
  readonly alerts: {
    list(filter: { state?: 'active' | AlertState; liftId?: string; limit?: number }): Awaitable<AlertView[]>;
    get(id: number): Awaitable<AlertDetail | undefined>;
    /** `finding`: what the crew found, with a move that closes the alert (docs/findings.md); required to resolve any but a P1. */
    transition(id: number, to: AlertState, actor: string, note?: string, finding?: FindingInput): Awaitable<AlertView>;
  };
  /** Dead letters: this node's (all-in-one) or every ingest node's (the shared state store). */
  readonly deadLetters: {
    list(opts: { limit: number; offset: number }): Awaitable<DeadLetterView[]>;
    count(): Awaitable<number>;
    /** Terminals whose messages became dead letters, the most recent first; without it GET /api/dead-letters/terminals is not there. */
    terminals?(limit: number): Awaitable<DeadLetterTerminalView[]>;
  };
  readonly stats: () => Record<string, unknown>;
  /**
   * Whether this node can do its work now (GET /readyz: 200 or 503), each check with its reason, e.g.
   * "the store cannot write". /healthz says only that the process answers. @defaultValue always ready
   */
  readonly readiness?: () => Readiness;
  /** Prometheus text exposition for GET /metrics. */
  readonly metrics?: { text(): Promise<string>; contentType: string };
  readonly changes: ChangeFeed;
  readonly crews?: CrewsPort;
  /** The broker's terminal registry (broker/README.md#who-may-do-what); without it the /api/terminals routes are not there. */
  readonly terminals?: TerminalsPort;
  /** Health scores, when built; without it the console shows "not yet computed". */
  readonly health?: HealthPort;
  /** Predicted risk per lift and family; without it the lift page shows no risks and the riskiest list no predicted risk. */
  readonly predictions?: PredictionPort;
  /** Fault-prediction serving (models/README.md); without it GET /api/models is not there. */
  readonly models?: ModelsPort;
  /** What crews found when they closed alerts; without it the findings routes are not there and GET /api/models has no precision. */
  readonly findings?: FindingsPort;
  /** Users, sessions and the audit of writes (auth/user-store.ts over the process's SQLite). */
  readonly users: UserStore;
  /** The platform's lift registry, set by admins; without it the /api/lift-registry routes are not there. */
  readonly liftRegistry?: LiftRegistryPort;
  /** Maintenance plans and work orders; without it the /api/maintenance and /api/work-orders routes are not there. */
  readonly maintenance?: MaintenancePort;
  /** The outbox of the government exchange; without it the /api/exchange routes are not there. */
  readonly exchange?: ExchangePort;
  /** Calls handed over by a rescue line (96333); without it the rescue-call routes are not there. */
  readonly rescueLine?: RescueLinePort;
  /** What the regulator's statistics read; without it the /api/statistics and /api/reports routes are not there. */
  readonly statistics?: StatisticsPort;
  /** Hazards on lifts and the lifts' public pages; without it the hazard routes are not there. */
  readonly hazards?: HazardsPort;
  /** Remote configuration and commands of terminals, and the fleet health view; without it those routes are not there. */
  readonly terminalConfig?: TerminalConfigPort;
}

/**
 * The platform's lift registry (master data, docs/lift-registry.md): per lift, what admins set — the
 * GB/T 2260 area code that decides which district's regulators see it, the units (the lift's crew
 * assignment), the profile — and its periodic inspections. What a lift's terminal reports about
 * itself is only shown. A write reaches the lifts' summaries (`LiftSummary.registered`) and the change feed.
 */
export interface LiftRegistryPort {
  get(liftId: string): Awaitable<LiftProfile | undefined>;
  /** The entries of these lifts that exist. */
  getMany(liftIds: readonly string[]): Awaitable<LiftProfile[]>;
  /** Sets the given fields of many lifts, all or none; returns the entries as stored. */
  put(entries: readonly LiftRegistryWrite[], actor: string): Promise<LiftProfile[]>;
  /** Entries in lift id order, a page at a time; with `search`, those whose lift id, registration code, name or address holds it (any case). */
  list(page: { limit: number; offset: number; search?: string }): Awaitable<LiftProfile[]>;
  /** Which lift holds each of these registration codes. */
  byRegistrationCode(codes: readonly string[]): Awaitable<ReadonlyMap<string, string>>;
  readonly inspections: {
    /** Records inspections, all or none; one of a lift and date already recorded is replaced. */
    record(entries: ReadonlyArray<{ liftId: string } & InspectionWrite>, actor: string): Promise<void>;
    ofLift(liftId: string): Awaitable<InspectionRecord[]>;
    /** The newest inspection of each of these lifts. */
    latest(liftIds: readonly string[]): Awaitable<ReadonlyMap<string, InspectionRecord>>;
    /** Lifts whose newest inspection sets the next one before this date (YYYY-MM-DD). */
    dueBefore(date: string): Awaitable<InspectionRecord[]>;
  };
}
export type LiftRegistryWrite = { liftId: string } & LiftProfileWrite;

/**
 * Statutory maintenance (docs/maintenance.md): plans, work orders with their checklists and photos,
 * and the lifts whose visit is overdue by their completed work orders. Without it those routes are
 * not registered.
 */
export interface MaintenancePort {
  /** The checklist items of each item set (TSG T5002's annexes, or the unit's own file). */
  readonly itemSets: Readonly<Record<ItemSetId, readonly ChecklistItem[]>>;
  putPlans(plans: ReadonlyArray<{ liftId: string; startsAt: number; cycleDays: number; itemSet: ItemSetId }>, actor: string): Promise<MaintenancePlan[]>;
  plan(liftId: string): Awaitable<MaintenancePlan | undefined>;
  /** When each class was last completed on the lift. */
  lastCompleted(liftId: string): Awaitable<Partial<Record<MaintenanceClass, number>>>;
  /** Lifts with a plan whose next visit is past due, the most overdue first. */
  overdue(now: number): Awaitable<OverdueLift[]>;
  /** Makes a work order (state open); an alert that has one already gets that one back (`created` false). */
  createWorkOrder(input: NewWorkOrder): Promise<{ order: WorkOrder; created: boolean }>;
  workOrder(id: number): Awaitable<WorkOrder | undefined>;
  workOrders(filter: { liftId?: string; state?: WorkOrderState | 'active'; alertId?: number; limit: number }): Awaitable<WorkOrder[]>;
  /** Changes a work order that is in one of the states `from`; undefined when it is not. */
  updateWorkOrder(id: number, from: readonly WorkOrderState[], change: WorkOrderChange): Promise<WorkOrder | undefined>;
  /** Keeps a photo's bytes (a file on disk in the all-in-one) and records it on the work order. */
  addPhoto(input: { workOrderId: number; itemId: string | null; contentType: string; bytes: Buffer; uploadedBy: string }): Promise<PhotoMeta>;
  /** A photo of a work order with its bytes; undefined when there is none of that id on it. */
  photo(workOrderId: number, photoId: number): Promise<{ meta: PhotoMeta; bytes: Buffer } | undefined>;
}
export interface NewWorkOrder {
  liftId: string; kind: WorkOrderKind; class: MaintenanceClass | null; alertId: number | null; dueAt: number; assignee: string | null;
  checklist: ChecklistEntry[]; createdBy: string; createdAt: number; note?: string;
}
export interface WorkOrderChange {
  state?: WorkOrderState; assignee?: string | null; startedAt?: number; endedAt?: number; visitId?: number; checklist?: ChecklistEntry[];
  finding?: WorkOrderFinding | null; signedBy?: string; signedAt?: number; note?: string;
}

/**
 * Crews, on-call routing, escalation policies, maintenance visits and the notification audit
 * (alerting/README.md), wired to alerting. Optional: without it those routes are not registered.
 */
export interface CrewsPort extends CrewDirectory {
  onCall(liftId: string, at: number): Awaitable<{ people: Array<Person & { role: CrewRole }>; gaps: string[] }>;
  listPolicies(): Awaitable<Array<{ orgId: string; severity: Severity; policy: EscalationPolicy }>>;
  setPolicy(orgId: string, severity: Severity, input: unknown): Awaitable<EscalationPolicy>;
  checkIn(liftId: string, technician: string, limitMs?: number): Awaitable<MaintenanceVisit>;
  checkOut(liftId: string, technician: string): Awaitable<MaintenanceVisit>;
  visits(liftId: string | undefined, limit: number): Awaitable<MaintenanceVisit[]>;
  notifications(alertId: number): Awaitable<NotificationAttempt[]>;
  /** Who was notified of an alert and who is next (the inbox); undefined: no such alert. */
  escalation(alertId: number): Awaitable<AlertEscalation | undefined>;
  notificationsAfter(after: number, limit: number): Awaitable<NotificationAttempt[]>;
  assign(alertId: number, assignee: string, actor: string): Awaitable<AlertView>;
  addNote(alertId: number, actor: string, note: string): Awaitable<AlertView>;
}

/** Provision, list, enable/disable and rotate the terminals and service accounts the broker lets in. */
export interface TerminalsPort {
  add(input: { liftId?: string | undefined; terminalId?: string | undefined; role?: TerminalRole | undefined }): Promise<IssuedTerminal>;
  /** One terminal a line, `liftId[,terminalId[,role]]`; all or none are added. */
  addCsv(text: string): Promise<IssuedTerminal[]>;
  rotate(terminalId: string): Promise<IssuedTerminal>;
  setEnabled(terminalId: string, enabled: boolean): Promise<TerminalView>;
  get(terminalId: string): Promise<TerminalView | undefined>;
  list(filter?: { liftId?: string }): Promise<TerminalView[]>;
}

/** The health score (docs/health-score.md), as the console reads it. */
export interface HealthPort {
  /** The latest score (cached; cheap enough for every lift of a list), or null when none yet. */
  score(liftId: string): HealthView | null;
  /** The latest score, computed from the stored records first when there is none yet (the lift page). */
  ensure?(liftId: string): Promise<HealthView | null>;
  /** Grades over these lifts; `none`: no score yet or insufficient data. */
  gradeCounts(liftIds: readonly string[]): Record<string, number>;
  /** A lift's stored scores, newest first (the lift page's health history); absent: no history. */
  history?(liftId: string, limit: number): Awaitable<HealthView[]>;
}

/** A value and everything in it read-only, as the model serving hands its answers out. */
export type Frozen<T> = T extends ReadonlyArray<infer U> ? ReadonlyArray<Frozen<U>> : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/** Fault prediction per lift, as the lift page and the riskiest list read it (the model serving). */
export interface PredictionPort {
  /** Each family's risk, trend and precursors; null: the lift was not scored yet. */
  lift(liftId: string): Awaitable<Frozen<LiftRiskView> | null>;
  /** The highest family risk relative to its raise threshold (1 or more: at or above it); null: not scored. Cheap: for sorting every lift. */
  risk(liftId: string): number | null;
}

/** Fault-prediction models being served: live and shadow versions, their comparison, recent alerts. */
export interface ModelsPort {
  status(): Awaitable<Record<string, unknown>>;
}

/** What crews found when they closed alerts (docs/findings.md): precision per model version and rule, training labels. */
export interface FindingsPort {
  /** Records or replaces the finding of a closed alert (a P1 rescue closed without one, a correction). */
  record(alertId: number, finding: FindingInput, actor: string): Awaitable<Finding>;
  precision(): Awaitable<PrecisionReport>;
  /** Findings in the order of their alerts, after the alert id `after`; `since`: of alerts opened since then (ms). */
  page(opts: { after: number; limit: number; since?: number }): Awaitable<Finding[]>;
}

/** The answer of GET /readyz: ready when every check is ok. */
export interface Readiness {
  readonly ready: boolean;
  readonly checks: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly detail: string }>;
}
