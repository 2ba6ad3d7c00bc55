import { Type, type Static } from '@sinclair/typebox';
import { Severity } from './streams/fault.js';
import { DEFAULT_LANGUAGE, LANGUAGES } from './reasons.js';

/**
 * Shapes of crews, organisations, rotas, escalation policies, notification attempts and
 * maintenance visits: what alerting stores and the REST API shows.
 */
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description });

/** Who an escalation step notifies, resolved for the lift's maintenance unit and district at the time the step fires. */
export const CrewRole = Type.Union([
  Type.Literal('primary'), Type.Literal('backup'), Type.Literal('supervisor'), Type.Literal('manager'),
  Type.Literal('regulator'), Type.Literal('reinforcement'),
], { description: 'primary/backup: on call now in the unit\'s rota; supervisor/manager: roles of the maintenance unit; regulator/reinforcement: roles of the district' });
export type CrewRole = Static<typeof CrewRole>;

export const ChannelKind = Type.Union([Type.Literal('webhook'), Type.Literal('email'), Type.Literal('sms'), Type.Literal('dingtalk'), Type.Literal('wecom'), Type.Literal('console')], {
  description: 'console: built in, needs no setup: the notification is a line of the log and shows in the console\'s inbox beside the alert',
});
export type ChannelKind = Static<typeof ChannelKind>;

export const ChannelAddress = Type.Object({
  kind: ChannelKind,
  to: Type.String({ minLength: 1, maxLength: 2000, description: 'URL (webhook, DingTalk, WeCom robot), e-mail address, phone number (SMS), or for console who reads it (a user id)' }),
  secret: Type.Optional(Type.String({ maxLength: 500, description: 'HMAC key: webhook signature, DingTalk robot signing secret' })),
}, { additionalProperties: false });
export type ChannelAddress = Static<typeof ChannelAddress>;

/**
 * A channel as the API shows it: secrets are write-only. The signing secret is replaced by
 * `secretSet`, and credentials in a robot or webhook URL's query (access_token, key, sign, token)
 * by `***`. Send either back unchanged and the stored value is kept.
 */
export const ChannelView = Type.Object({
  kind: ChannelKind,
  to: Type.String({ description: 'URL with its credentials shown as ***, e-mail address, or phone number' }),
  secretSet: Type.Boolean({ description: 'Whether a signing secret is stored (it is never shown)' }),
});
export type ChannelView = Static<typeof ChannelView>;

export const QuietHours = Type.Object({
  from: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  to: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  utcOffsetMin: Type.Integer({ minimum: -720, maximum: 840, default: 480, description: 'Local time of the person; 480 = China Standard Time' }),
}, { additionalProperties: false });
export type QuietHours = Static<typeof QuietHours>;

export const Person = Type.Object({
  id: Id('Person or group-robot id'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  orgId: Id('Organisation the person works for'),
  channels: Type.Array(ChannelAddress, { maxItems: 10 }),
  severities: Type.Array(Severity, { default: ['P1', 'P2', 'P3', 'P4'], description: 'Severities the person wants; P1 is always sent' }),
  quietHours: Type.Union([QuietHours, Type.Null()], { default: null, description: 'No notifications in this window, except P1' }),
  language: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)), { default: DEFAULT_LANGUAGE, description: 'The language of the person\'s notifications: zh-CN (default) or en' })),
}, { additionalProperties: false });
export type Person = Static<typeof Person>;

/** A person as the API shows it: channels without their secrets. */
export const PersonView = Type.Composite([Type.Omit(Person, ['channels']), Type.Object({ channels: Type.Array(ChannelView) })]);
export type PersonView = Static<typeof PersonView>;

export const OrgKind = Type.Union([Type.Literal('maintenanceUnit'), Type.Literal('useUnit'), Type.Literal('district')]);
export const Organisation = Type.Object({
  id: Id('Organisation id'),
  kind: OrgKind,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  roles: Type.Record(Type.String(), Type.Array(Type.String()), { default: {}, description: 'Role → person ids, e.g. {"supervisor": ["p7"], "manager": ["p9"]} for a unit, {"regulator": […], "reinforcement": […]} for a district; "duty": the 24-hour duty contacts a P1 falls back to when an escalation step reaches nobody (unit first, then district, then the admins)' }),
}, { additionalProperties: false });
export type Organisation = Static<typeof Organisation>;

export const LiftAssignment = Type.Object({
  liftId: Type.String({ minLength: 1, maxLength: 64 }),
  maintenanceUnit: Id('Maintenance unit (维保单位)'),
  useUnit: Type.Union([Id('Use unit (使用单位)'), Type.Null()], { default: null }),
  district: Type.Union([Id('District'), Type.Null()], { default: null }),
}, { additionalProperties: false });
export type LiftAssignment = Static<typeof LiftAssignment>;

export const RotaShift = Type.Object({
  unitId: Id('Maintenance unit'),
  startsAt: Type.Integer({ description: 'ms UTC, inclusive' }),
  endsAt: Type.Integer({ description: 'ms UTC, exclusive' }),
  primary: Id('Person on call first'),
  backup: Id('Person on call second'),
}, { additionalProperties: false });
export type RotaShift = Static<typeof RotaShift>;

export const EscalationStep = Type.Object({
  afterS: Type.Integer({ minimum: 0, maximum: 7 * 86_400, description: 'Seconds after the alert opened' }),
  unless: Type.Union([Type.Literal('acknowledged'), Type.Literal('onSite'), Type.Literal('resolved')], { description: 'The step is skipped once the alert has reached this state (or closed)' }),
  notify: Type.Array(CrewRole, { minItems: 1 }),
  label: Type.String({ maxLength: 200 }),
}, { additionalProperties: false });
export type EscalationStep = Static<typeof EscalationStep>;

/** Reminders of an alert nobody has taken: every `everyS` until it reaches `until`, at most `maxCount`. */
export const EscalationReminder = Type.Object({
  everyS: Type.Integer({ minimum: 1, maximum: 86_400 }),
  until: Type.Union([Type.Literal('acknowledged'), Type.Literal('onSite')]),
  notify: Type.Array(CrewRole, { minItems: 1 }),
  maxCount: Type.Integer({ minimum: 1, maximum: 1000, default: 30 }),
}, { additionalProperties: false });
export type EscalationReminder = Static<typeof EscalationReminder>;

export const EscalationPolicy = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  steps: Type.Array(EscalationStep, { minItems: 1, maxItems: 20 }),
  reminder: Type.Union([EscalationReminder, Type.Null()]),
}, { additionalProperties: false });
export type EscalationPolicy = Static<typeof EscalationPolicy>;

export const NotificationAttempt = Type.Object({
  id: Type.Integer(),
  alertId: Type.Integer(),
  jobId: Type.String({ description: 'Also the idempotency key the channel received' }),
  cause: Type.String({ description: 'Escalation step or reminder that caused it' }),
  recipientId: Type.String(),
  channel: Type.String(),
  attempt: Type.Integer(),
  at: Type.Integer(),
  outcome: Type.Union([Type.Literal('sent'), Type.Literal('retrying'), Type.Literal('failed'), Type.Literal('suppressed'), Type.Literal('sending')], {
    description: 'sending: the attempt started (written before the send; without a later line of the same attempt its outcome is unknown: the process stopped during the send); sent, retrying, failed: its outcome; suppressed: not sent (preferences)',
  }),
  detail: Type.String(),
});
export type NotificationAttempt = Static<typeof NotificationAttempt>;

export const MaintenanceVisit = Type.Object({
  id: Type.Integer(),
  liftId: Type.String(),
  technician: Type.String(),
  source: Type.Union([Type.Literal('terminal'), Type.Literal('checkIn')], { description: 'terminal: serviceMode "inspection" in its status; checkIn: a technician through the API' }),
  startedAt: Type.Integer(),
  endsBy: Type.Integer({ description: 'The time limit: the visit ends by itself then' }),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
  endReason: Type.Union([Type.String(), Type.Null()]),
  suppressed: Type.Integer({ description: 'Alerts (P2–P4) not opened because of the visit' }),
});
export type MaintenanceVisit = Static<typeof MaintenanceVisit>;

/** One delivery (a recipient on a channel, for one step or reminder) and how it went, as the inbox shows it. */
export const DeliverySummary = Type.Object({
  jobId: Type.String({ description: 'The delivery, and the idempotency key its receiver got' }),
  cause: Type.String(),
  recipientId: Type.String(),
  recipientName: Type.String(),
  channel: Type.String(),
  firstAt: Type.Integer({ description: 'When its first attempt started' }),
  lastAt: Type.Integer(),
  attempts: Type.Integer(),
  unknown: Type.Integer({ description: 'Attempts with no outcome: the process stopped during the send (the receiver may have it)' }),
  outcome: Type.Union([Type.Literal('sent'), Type.Literal('retrying'), Type.Literal('failed'), Type.Literal('suppressed'), Type.Literal('sending')], { description: 'Of its last attempt' }),
  detail: Type.String(),
  fallback: Type.Boolean({ description: 'Sent to a duty contact or the admins because the step reached nobody else (P1)' }),
});
export type DeliverySummary = Static<typeof DeliverySummary>;

/** Who an escalation step or reminder still to come will reach, as the crews stand now. */
export const PlannedStep = Type.Object({
  at: Type.Integer({ description: 'When it fires, ms UTC' }),
  label: Type.String(),
  roles: Type.Array(CrewRole),
  unless: Type.String({ description: 'It is skipped once the alert has reached this state' }),
  people: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() })),
  fallback: Type.Union([Type.Literal('duty'), Type.Literal('admins'), Type.Null()], { description: 'P1 whose roles nobody fills now: the duty contacts or the admins take it' }),
});
export type PlannedStep = Static<typeof PlannedStep>;

/** GET /api/alerts/:id/escalation: who was notified, when, how and with what outcome; who is next and when. */
export const AlertEscalation = Type.Object({
  alertId: Type.Integer(),
  policy: Type.String(),
  notified: Type.Array(DeliverySummary),
  next: Type.Union([PlannedStep, Type.Null()], { description: 'The next step of the escalation policy, or null when none is left for the alert' }),
  reminder: Type.Union([PlannedStep, Type.Null()], { description: 'The next reminder, or null' }),
});
export type AlertEscalation = Static<typeof AlertEscalation>;
