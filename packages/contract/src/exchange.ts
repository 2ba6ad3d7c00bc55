import { Type, type Static } from '@sinclair/typebox';

/**
 * What liftwatch pushes to a government or provincial lift-safety platform (docs/government-exchange.md):
 * one JSON envelope per message, POSTed over HTTPS with a token and an idempotency key. The fields
 * follow the data items of GB/T 24476-2017 (identification, basic data, faults, rescue handling) as
 * public implementations carry them; no public text of the 2023 edition gives field names, so a
 * regional platform with its own interface needs an adapter in front of it.
 */

const Ms = (description: string) => Type.Integer({ minimum: 0, description });
const MsOrNull = (description: string) => Type.Union([Ms(description), Type.Null()]);
const Text = (description: string, maxLength = 200) => Type.Union([Type.String({ maxLength }), Type.Null()], { description });
const Num = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const EXCHANGE_SCHEMA = 'liftwatch.exchange/1';
export const ExchangeType = Type.Union([Type.Literal('lift'), Type.Literal('fault'), Type.Literal('rescue'), Type.Literal('maintenance')]);
export type ExchangeType = Static<typeof ExchangeType>;

/** Registration and basic data of a lift (GB/T 24476-2017 clauses 7 and 8 as implemented), from the platform's registry: never what a terminal reports. */
export const ExchangeLift = Type.Object({
  liftId: Type.String({ description: 'liftwatch\'s id of the lift' }),
  optype: Type.Union([Type.Literal('UPLOAD'), Type.Literal('UPDATE')], { description: 'UPLOAD the first time the lift is sent, UPDATE after (field practice)' }),
  registrationCode: Text('Registration code (注册代码, TSG 08-2017); null until the registry has it', 40),
  areaCode: Text('GB/T 2260 area code (行政区划代码)', 6),
  useUnit: Text('Use unit (使用单位)'),
  maintenanceUnit: Text('Maintenance unit (维保单位)'),
  address: Text('Address of the installation', 500),
  latitude: Num('WGS 84 latitude, degrees'),
  longitude: Num('WGS 84 longitude, degrees'),
  liftType: Text('traction, hydraulic, escalator or movingWalk', 20),
  ratedSpeedMps: Num('Rated speed, m/s'),
  ratedLoadKg: Num('Rated load, kg'),
  floors: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Floors served' }),
  installedOn: Text('Date of installation, YYYY-MM-DD', 10),
});
export type ExchangeLift = Static<typeof ExchangeLift>;

/** A fault of a lift: opened, then cleared or found a false alarm (GB/T 24476-2017 clause 11 as implemented). */
export const ExchangeFault = Type.Object({
  alertId: Type.Integer(),
  liftId: Type.String(),
  code: Type.String({ description: 'liftwatch code (docs/fault-codes.md)' }),
  gbCode2017: Text('GB/T 24476-2017 fault code as implemented in the field, e.g. "02"; null when the code has none', 4),
  govCode15: Type.Union([Type.Integer(), Type.Null()], { description: 'The regulators\' 15-fault number (with vendor extensions); null when the code has none' }),
  nameZh: Type.String(),
  severity: Type.String({ description: 'P1–P4' }),
  state: Type.Union([Type.Literal('occurred'), Type.Literal('cleared'), Type.Literal('falseAlarm')], { description: 'occurred: opened; cleared: resolved by a crew; falseAlarm: the crew found no fault' }),
  openedAt: Ms('When the fault was detected'),
  closedAt: MsOrNull('When a crew closed it; null while open'),
  reason: Type.String({ maxLength: 1000 }),
});
export type ExchangeFault = Static<typeof ExchangeFault>;

/** Rescue handling states of GB/T 24476-2017 as implemented in provincial schemas (field practice, unverified). */
export const RESCUE_STATE_CODES = { occurred: '01', responded: '02', arrived: '04', completed: '00', falseAlarm: '05' } as const;

/** A rescue-line call (96333 and the like) attached to the entrapment. */
export const ExchangeRescueCall = Type.Object({
  callId: Type.Integer(),
  line: Type.String({ description: 'The hotline, e.g. 96333' }),
  externalId: Text('The rescue line\'s own id of the call', 100),
  receivedAt: Ms('When the rescue line took the call'),
});

/** An entrapment and its rescue, with the time of each stage (the whole rescue every time: a receiver keeps the highest version). */
export const ExchangeRescue = Type.Object({
  alertId: Type.Integer(),
  liftId: Type.String(),
  stateCode: Type.Union(Object.values(RESCUE_STATE_CODES).map((c) => Type.Literal(c)), { description: '01 occurred, 02 responded (crew dispatched), 04 arrived on site, 00 completed (passengers released), 05 false alarm' }),
  source: Type.Union([Type.Literal('terminal'), Type.Literal('rescueLine')], { description: 'Who reported it first: the lift\'s terminal or a rescue-line call' }),
  calls: Type.Array(ExchangeRescueCall),
  alarmAt: Ms('Alarm received: the first of the terminal\'s detection and the first call'),
  dispatchedAt: MsOrNull('The crew accepted the rescue and set off'),
  onSiteAt: MsOrNull('The crew arrived at the lift'),
  releasedAt: MsOrNull('The passengers were released'),
  falseAlarm: Type.Boolean(),
  arrivalLimitMin: Type.Integer({ description: 'The arrival limit reported against (30 min by default; a setting)' }),
  arrivalMin: Num('Minutes from the alarm to the crew on site, one decimal; null while nobody is there'),
  arrivedInTime: Type.Union([Type.Boolean(), Type.Null()], { description: 'On site within the limit; null while nobody is there and the limit has not passed' }),
});
export type ExchangeRescue = Static<typeof ExchangeRescue>;

/** A maintenance record: a visit ended (a terminal in inspection mode, or a technician's check-in and check-out). */
export const ExchangeMaintenance = Type.Object({
  recordId: Type.String({ description: 'visit-<id> for visits' }),
  liftId: Type.String(),
  kind: Type.Union([Type.Literal('visit'), Type.Literal('workOrder')]),
  technician: Type.String(),
  source: Type.String({ description: 'terminal, checkIn, or workOrder' }),
  startedAt: Ms('Start (check-in, or the terminal entering inspection mode)'),
  endedAt: Ms('End (check-out, or the terminal leaving inspection mode)'),
  period: Text('halfMonthly, quarterly, halfYearly or yearly (TSG T5002-2017 classes); null when not known', 20),
});
export type ExchangeMaintenance = Static<typeof ExchangeMaintenance>;

const envelope = <T extends ExchangeType, D extends ReturnType<typeof Type.Object>>(type: T, data: D) => Type.Object({
  schema: Type.Literal(EXCHANGE_SCHEMA),
  type: Type.Literal(type),
  id: Type.Integer({ description: 'The outbox message id' }),
  idempotencyKey: Type.String({ description: 'Also sent as the Idempotency-Key header: the same message resent after a failure or a restart carries the same key' }),
  subject: Type.String({ description: 'The lift the message is about' }),
  version: Type.Integer({ minimum: 0, description: 'Grows with each message about the same subject and type: keep the highest' }),
  occurredAt: Ms('When what the message reports happened'),
  occurredAtLocal: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$', description: 'The same, as yyyy-MM-dd HH:mm:ss in the platform\'s time zone' }),
  timeZone: Type.String({ description: 'IANA time zone of occurredAtLocal, e.g. Asia/Shanghai' }),
  data: data,
}, { additionalProperties: false });

/** The body of each POST to the platform. */
export const ExchangeMessage = Type.Union([
  envelope('lift', ExchangeLift), envelope('fault', ExchangeFault), envelope('rescue', ExchangeRescue), envelope('maintenance', ExchangeMaintenance),
]);
export type ExchangeMessage = Static<typeof ExchangeMessage>;
export type ExchangeData = ExchangeLift | ExchangeFault | ExchangeRescue | ExchangeMaintenance;

/** Headers of the exchange: the token goes in Authorization (Bearer). */
export const EXCHANGE_HEADERS = { idempotencyKey: 'idempotency-key', messageType: 'x-liftwatch-message-type' } as const;
