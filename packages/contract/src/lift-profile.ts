import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * A lift's profile in the platform's registry (master data an admin keeps, docs/lift-registry.md):
 * what the lift is, where it stands, who uses and maintains it, and its periodic inspections.
 * What the lift's terminal reports about itself (the `registry` stream) is shown beside it and
 * never overrides it.
 */

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A calendar date as printed on a certificate or report: YYYY-MM-DD. */
export const CalendarDate = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', description: 'Calendar date, YYYY-MM-DD' });

/** The kinds of equipment TSG T5002 writes separate maintenance item tables for (traction and positive-drive lifts, hydraulic lifts, escalators and moving walks). */
export const LiftType = Type.Union([Type.Literal('traction'), Type.Literal('hydraulic'), Type.Literal('escalator'), Type.Literal('movingWalk')], {
  description: 'traction (also positive-drive and machine-room-less), hydraulic, escalator, movingWalk',
});
export type LiftType = Static<typeof LiftType>;

/** The fields of a profile an admin sets; each may be null (not known). */
export const LiftProfileFields = {
  registrationCode: Nullable(Type.String({ minLength: 1, maxLength: 32, description: 'Registration code (注册代码) as on the usage sign; checked against the configured format' })),
  name: Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'Name people use, e.g. "Block 3, lift 2"' })),
  rescueCode: Nullable(Type.String({ pattern: '^[0-9]{4,8}$', description: 'Short rescue id on the usage sign that callers of the rescue line quote (5 or 6 digits in the cities seen)' })),
  useUnit: Nullable(Id('Use unit (使用单位): an organisation of kind useUnit')),
  maintenanceUnit: Nullable(Id('Maintenance unit (维保单位): an organisation of kind maintenanceUnit; decides which crews see the lift')),
  address: Nullable(Type.String({ minLength: 1, maxLength: 400 })),
  latitude: Nullable(Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 degrees (as a GPS receiver gives them; Chinese map services use GCJ-02 and convert)' })),
  longitude: Nullable(Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 degrees' })),
  areaCode: Nullable(Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 area code: which district\'s regulators see the lift' })),
  type: Nullable(LiftType),
  ratedSpeedMps: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 20, description: 'Rated speed, m/s' })),
  ratedLoadKg: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 20_000, description: 'Rated load, kg' })),
  floors: Nullable(Type.Integer({ minimum: 2, maximum: 300, description: 'Stops served (lifts); null for escalators and moving walks' })),
  installDate: Nullable(CalendarDate),
};
export type LiftProfileField = keyof typeof LiftProfileFields;
export const LIFT_PROFILE_FIELDS = Object.freeze(Object.keys(LiftProfileFields) as LiftProfileField[]);

/** A write to the registry: the fields given are set (null clears one), the others are kept. */
export const LiftProfileWrite = Type.Partial(Type.Object(LiftProfileFields, { additionalProperties: false }));
export type LiftProfileWrite = Static<typeof LiftProfileWrite>;

export const InspectionResult = Type.Union([Type.Literal('pass'), Type.Literal('passAfterRecheck'), Type.Literal('fail')], {
  description: 'Conclusion of the periodic inspection report: pass (合格), pass after re-inspection (复检合格), fail (不合格)',
});
export type InspectionResult = Static<typeof InspectionResult>;

/** A periodic inspection as its report gives it; one per lift and date. */
export const InspectionWrite = Type.Object({
  inspectedOn: CalendarDate,
  result: InspectionResult,
  nextDue: CalendarDate,
  inspector: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'Inspection body' }))),
  reportNo: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  note: Type.Optional(Type.String({ maxLength: 2000, default: '' })),
}, { additionalProperties: false });
export type InspectionWrite = Static<typeof InspectionWrite>;

export const InspectionRecord = Type.Object({
  id: Type.Integer(),
  liftId: Type.String(),
  inspectedOn: CalendarDate,
  result: InspectionResult,
  nextDue: CalendarDate,
  inspector: Type.Union([Type.String(), Type.Null()]),
  reportNo: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
  recordedAt: Type.Integer(),
  recordedBy: Type.String(),
});
export type InspectionRecord = Static<typeof InspectionRecord>;

/** A lift's registry entry: every profile field (null: not known) with who set it last. */
export const LiftProfile = Type.Object({
  liftId: Type.String(),
  ...LiftProfileFields,
  updatedAt: Type.Integer({ description: 'When an admin last changed it, ms' }),
  updatedBy: Type.String(),
});
export type LiftProfile = Static<typeof LiftProfile>;

/**
 * The registry entry beside what the terminal reports, for one lift: `registry` decides (scope,
 * names, addresses people read), `reported` is only shown, and `differs` names the fields where
 * the two disagree.
 */
export const LiftRegistryView = Type.Object({
  liftId: Type.String(),
  registry: Type.Union([LiftProfile, Type.Null()], { description: 'Set by admins: decides which district\'s regulators and which unit\'s crews see the lift' }),
  reported: Type.Object({
    areaCode: Type.Union([Type.String(), Type.Null()]),
    registrationCode: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
    address: Type.Union([Type.String(), Type.Null()]),
    type: Type.Union([Type.String(), Type.Null()]),
    ratedSpeedMps: Type.Union([Type.Number(), Type.Null()]),
    ratedLoadKg: Type.Union([Type.Number(), Type.Null()]),
  }, { description: 'What the lift\'s terminal reported in its registry record: shown, never used' }),
  differs: Type.Array(Type.String(), { description: 'Fields where the terminal reports another value than the registry holds' }),
  lastInspection: Type.Union([InspectionRecord, Type.Null()]),
});
export type LiftRegistryView = Static<typeof LiftRegistryView>;

/** One line of a CSV import that could not be taken, and why. */
export const ImportRowError = Type.Object({
  line: Type.Integer({ description: 'Line of the file, the header being line 1' }),
  liftId: Type.Union([Type.String(), Type.Null()]),
  column: Type.Union([Type.String(), Type.Null()], { description: 'The column at fault; null: the whole line' }),
  message: Type.String({ description: 'What is wrong, with the value, and what to do' }),
});
export type ImportRowError = Static<typeof ImportRowError>;
