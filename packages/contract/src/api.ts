import { Type, type Static } from '@sinclair/typebox';
import { Severity } from './streams/fault.js';
import { StatusRecord } from './streams/status.js';
import { RegistryRecord } from './streams/registry.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { Finding } from './findings.js';

/**
 * Shapes that services show each other and the outside world: what the REST API returns and
 * what the change feed carries. Services meet here, never in each other's internals.
 */

/** A record behind an alert or a score: enough to find it again in the store. */
export const EvidenceRef = Type.Object({
  liftId: Type.String(),
  stream: Type.String(),
  seq: Type.Integer(),
  ts: Type.Integer({ description: 'Device time of the record, ms' }),
  values: Type.Record(Type.String(), Type.Unknown(), { description: 'The fields of the record the rule looked at' }),
});
export type EvidenceRef = Static<typeof EvidenceRef>;

export const AlertState = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('onSite'), Type.Literal('resolved'), Type.Literal('falseAlarm')]);
export type AlertState = Static<typeof AlertState>;

export const AlertOccurrence = Type.Object({
  at: Type.Integer({ description: 'Server time the occurrence was seen, ms' }),
  reason: Type.String(),
  evidence: EvidenceRef,
});
export type AlertOccurrence = Static<typeof AlertOccurrence>;

export const AlertView = Type.Object({
  id: Type.Integer(),
  liftId: Type.String(),
  code: Type.String(),
  severity: Severity,
  nameEn: Type.String(),
  nameZh: Type.String(),
  state: AlertState,
  reason: Type.String({ description: 'Why the alert is open: the rule and the values that fired it' }),
  reasonKey: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The same reason as a key of the reason catalogue (packages/contract/src/reasons.ts), from which the console and notifications render the reader\'s language; null: English only' })),
  reasonParams: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'The values the reason names, for `reasonKey`' })),
  openedAt: Type.Integer(),
  updatedAt: Type.Integer(),
  lastSeenAt: Type.Integer(),
  conditionClearedAt: Type.Union([Type.Integer(), Type.Null()]),
  occurrences: Type.Integer({ description: 'How many times the condition was seen while the alert was open' }),
  assignee: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Who has the alert: set by POST /api/alerts/:id/assign, or the first to acknowledge it' })),
});
export type AlertView = Static<typeof AlertView>;

export const AlertDetail = Type.Composite([AlertView, Type.Object({
  evidence: Type.Array(AlertOccurrence, { description: 'Most recent occurrences first' }),
  audit: Type.Array(Type.Object({ at: Type.Integer(), action: Type.String(), actor: Type.String(), note: Type.String() })),
  finding: Type.Optional(Type.Union([Finding, Type.Null()], { description: 'What the crew found when it closed the alert (docs/findings.md); null: none yet' })),
})]);
export type AlertDetail = Static<typeof AlertDetail>;

/** A lift's entry in the platform's registry: set by admins (PUT /api/lift-registry/:liftId), never by its terminal. */
export const LiftRegistryEntry = Type.Object({
  areaCode: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()], { description: 'GB/T 2260 area code: which district\'s regulators see the lift; null: none' }),
  updatedAt: Type.Integer({ description: 'When an admin last set it, ms' }),
  updatedBy: Type.String({ description: 'The admin who set it' }),
  name: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The name people use, from the registry (docs/lift-registry.md); shown before what the terminal reports' })),
  address: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Where the lift stands, from the registry' })),
});
export type LiftRegistryEntry = Static<typeof LiftRegistryEntry>;

export const LiftSummary = Type.Object({
  liftId: Type.String(),
  firstSeenAt: Type.Integer(),
  lastSeenAt: Type.Integer({ description: 'Server time of the last accepted record, ms' }),
  presence: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')]),
  status: Type.Union([StatusRecord, Type.Null()]),
  registry: Type.Union([RegistryRecord, Type.Null()], { description: 'The profile the lift\'s terminal reported about itself: shown as reported, never used for access' }),
  registered: Type.Optional(Type.Union([LiftRegistryEntry, Type.Null()], { description: 'The platform\'s registry entry, set by admins: its areaCode decides which regulators see the lift; null: not registered' })),
  recordsTotal: Type.Integer(),
  openAlerts: Type.Integer(),
});
export type LiftSummary = Static<typeof LiftSummary>;

export const DeadLetterView = Type.Object({
  id: Type.Integer(),
  receivedAt: Type.Integer(),
  topic: Type.String(),
  clientId: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  reason: Type.String(),
  sizeBytes: Type.Integer(),
  rawBase64: Type.String({ description: 'The bytes as received (the first deadLetterKeepBytes, 4 KiB by default, of a larger payload)' }),
  rawText: Type.String({ description: 'The bytes as UTF-8 text, for reading' }),
});
export type DeadLetterView = Static<typeof DeadLetterView>;

/** One terminal's dead letters in sum: whether it sends garbage, how much was kept and how much was not. */
export const DeadLetterTerminalView = Type.Object({
  clientId: Type.Union([Type.String(), Type.Null()], { description: 'MQTT client id of the terminal; null for the platform\'s own publishes' }),
  kept: Type.Integer({ description: 'Dead letters of this terminal kept now (within the retention days)' }),
  keptBytes: Type.Integer({ description: 'Bytes they take: payload heads and reasons' }),
  rejectedSinceStart: Type.Integer({ description: 'Messages and records of this terminal rejected since the server started (with --state-url: by every node, until deadLetterDays pass without one)' }),
  droppedSinceStart: Type.Integer({ description: 'Of those, dead letters not kept because the terminal was past its quota' }),
  droppedBytesSinceStart: Type.Integer({ description: 'Payload bytes of the dead letters not kept' }),
  firstAt: Type.Integer({ description: 'Receive time of its oldest dead letter kept or counted, ms' }),
  lastAt: Type.Integer({ description: 'Receive time of its newest rejection, ms' }),
  lastCode: Type.String(),
  lastReason: Type.String(),
  lastTopic: Type.String(),
  overQuota: Type.Boolean({ description: 'The terminal reached its dead-letter quota: it floods the platform with messages that cannot be used' }),
  summary: Type.String({ description: 'One sentence for people: what this terminal sends and what became of it' }),
});
export type DeadLetterTerminalView = Static<typeof DeadLetterTerminalView>;

export const IngestStats = Type.Object({
  messages: Type.Integer(),
  recordsAccepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  rejectedByCode: Type.Record(Type.String(), Type.Integer()),
  alertsRaised: Type.Integer(),
  refusedBusy: Type.Integer({ description: 'Messages refused without acknowledgement because the store was behind' }),
  droppedQos0: Type.Integer({ description: 'QoS 0 messages (no acknowledgement) that could not be stored: store failure or store behind' }),
  deadLettersDropped: Type.Optional(Type.Integer({ description: 'Dead letters not kept because their terminal was past its quota (count and reason still in the terminal\'s tally)' })),
  deadLetterBytesDropped: Type.Optional(Type.Integer({ description: 'Payload bytes of the dead letters not kept' })),
  refusedStoreFailed: Type.Optional(Type.Integer({ description: 'Messages not acknowledged because the store could not write them (full disk, database down); the sender keeps them' })),
});
export type IngestStats = Static<typeof IngestStats>;

/** Who may connect to the broker: a lift's terminal, or a service account of the platform (broker/README.md#who-may-do-what). */
export const TerminalRole = Type.Union([Type.Literal('terminal'), Type.Literal('ingest'), Type.Literal('dashboards')], {
  description: 'terminal: publishes its own lift\'s up streams, reads its config and cmd; ingest: reads every lift; dashboards: reads every lift and sends config and cmd',
});
export type TerminalRole = Static<typeof TerminalRole>;

/** A terminal or service account as the registry shows it; the token is never shown again after it is issued. */
export const TerminalView = Type.Object({
  terminalId: Type.String({ description: 'MQTT client id the terminal connects with' }),
  liftId: Type.Union([Type.String(), Type.Null()], { description: 'The lift it speaks for; null for a service account' }),
  role: TerminalRole,
  enabled: Type.Boolean(),
  createdAt: Type.Integer(),
  rotatedAt: Type.Integer({ description: 'When the current token was issued, ms' }),
});
export type TerminalView = Static<typeof TerminalView>;

/** A terminal with its token, returned once when it is provisioned or rotated. */
export const IssuedTerminal = Type.Object({ terminal: TerminalView, token: Type.String({ description: 'MQTT password; shown once, stored only as a salted scrypt hash' }) });
export type IssuedTerminal = Static<typeof IssuedTerminal>;

/** A lift's health score as the API and console show it (docs/health-score.md; computed by models/src/health/health-service.ts). */
export interface HealthView {
  readonly liftId: string;
  /** The time the score describes, ms (recompute with this time gives the same number). */
  readonly at: number;
  readonly score: number;
  /** null: not enough data yet (no recent level: the lift's first hours). */
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E' | null;
  /** The grade is given with a confidence below the minimum (a lift's first weeks): show it as provisional. */
  readonly provisional?: boolean;
  readonly confidence: number;
  readonly paramsVersion: string;
  /** S1…S6 → 0–100. */
  readonly components: Record<string, number>;
  /** The six components with their details (the latest score of a lift; history rows have none). */
  readonly parts?: ReadonlyArray<HealthPart>;
  /** Top reasons by points lost, with evidence ids `<liftId>/<stream>/<seq>` (alerts: `<liftId>/alert/<id>`). */
  readonly reasons: ReadonlyArray<{ readonly component: string; readonly pointsLost: number; readonly detail: string; readonly evidence: readonly string[]; readonly key?: string; readonly params?: Readonly<Record<string, string | number>> }>;
  readonly caps: ReadonlyArray<{ readonly cap: number; readonly reason: string; readonly evidence: readonly string[]; readonly key?: string; readonly params?: Readonly<Record<string, string | number>> }>;
  /** Receive time of the newest record the score includes, ms (recompute's --records-to). */
  readonly recordsTo?: number;
}

/** One component of a health score: its weight, score, the points it lost, its detail (key and values for any language, and in English) and evidence. */
export interface HealthPart {
  readonly id: string;
  readonly weight: number;
  readonly score: number;
  readonly pointsLost: number;
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly detail: string;
  readonly evidence: readonly string[];
}

/**
 * Every refusal and failure of the REST API: a stable code of the error catalogue (docs/errors.md)
 * and a message that names what was wrong, with the value, and what to do.
 */
export const ApiError = Type.Object({
  error: Type.Object({
    code: Type.Unsafe<ErrorCode>(Type.String({ enum: [...ERROR_CODES], description: 'A code of the error catalogue (docs/errors.md)' })),
    message: Type.String({ description: 'What was wrong, with the value, and what to do' }),
  }),
}, { description: 'The request was refused or failed' });
export type ApiError = Static<typeof ApiError>;

const Evidence = Type.Array(Type.String({ description: 'A record id, `<liftId>/<stream>/<seq>`' }));

/** The schema of `HealthView` above, for the answers of the REST API (typed as that interface). */
const DetailParams = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'The values of the detail, for a text in any language' });
const DetailKey = Type.String({ description: 'What the detail says, as a key a console translates (docs/health-score.md)' });
export const HealthView = Type.Unsafe<HealthView>(Type.Object({
  liftId: Type.String(),
  at: Type.Integer({ description: 'The time the score describes, ms' }),
  score: Type.Number({ minimum: 0, maximum: 100 }),
  grade: Type.Union([Type.Union(['A', 'B', 'C', 'D', 'E'].map((g) => Type.Literal(g))), Type.Null()], { description: 'null: not enough data yet (the lift\'s first hours)' }),
  provisional: Type.Optional(Type.Boolean({ description: 'The grade is given with a confidence below the minimum: provisional' })),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  paramsVersion: Type.String(),
  components: Type.Record(Type.String(), Type.Number(), { description: 'S1…S6 → 0–100' }),
  parts: Type.Optional(Type.Array(Type.Object({
    id: Type.String(), weight: Type.Number(), score: Type.Number(), pointsLost: Type.Number(), key: DetailKey, params: DetailParams, detail: Type.String(), evidence: Evidence,
  }), { description: 'The six components with their details (the latest score only)' })),
  reasons: Type.Array(Type.Object({ component: Type.String(), pointsLost: Type.Number(), detail: Type.String(), evidence: Evidence, key: Type.Optional(DetailKey), params: Type.Optional(DetailParams) }), { description: 'Top reasons by points lost' }),
  caps: Type.Array(Type.Object({ cap: Type.Number(), reason: Type.String(), evidence: Evidence, key: Type.Optional(DetailKey), params: Type.Optional(DetailParams) })),
  recordsTo: Type.Optional(Type.Number({ description: 'Receive time of the newest record the score includes, ms' })),
}, { description: 'A lift\'s health score (docs/health-score.md)' }));

/** A row of the fault and event code table (codes.ts), as GET /api/fault-codes shows it. */
export const FaultCodeView = Type.Object({
  code: Type.String(),
  kind: Type.Union([Type.Literal('event'), Type.Literal('degradation'), Type.Literal('usage'), Type.Literal('info'), Type.Literal('data')]),
  severity: Severity,
  severityWithPassengers: Type.Optional(Severity),
  gbCodes2017: Type.Array(Type.String(), { description: 'GB/T 24476-2017 codes' }),
  govCodes15: Type.Array(Type.Integer(), { description: 'The regulators\' 15-fault numbers, with vendor extensions 16–42' }),
  en627Items: Type.Array(Type.Integer(), { description: 'EN 627 minimum-list items' }),
  bacnet: Type.Optional(Type.String()),
  vendorCodes: Type.Optional(Type.Array(Type.Integer())),
  nameZh: Type.String(),
  nameEn: Type.String(),
  detection: Type.String(),
});
export type FaultCodeView = Static<typeof FaultCodeView>;
