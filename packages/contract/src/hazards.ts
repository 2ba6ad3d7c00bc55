import { Type, type Static } from '@sinclair/typebox';

/**
 * Hazards (安全隐患): a problem with a lift reported by a resident from the QR code in its car, or
 * found by a crew or an inspector, tracked to closure: open → rectified (a note and a photo of the
 * fix) → closed (checked by a manager, an inspector or an admin), or back to open when the fix does
 * not hold. A use unit that finds a hidden danger (事故隐患) in a lift removes it before the lift is
 * used again, and anyone may report a safety problem to the regulator: Special Equipment Safety Law
 * of the PRC, Art. 42 and Art. 12 (unverified; docs/hazards.md).
 */

const LiftId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const Ms = Type.Integer({ minimum: 0, description: 'ms since 1970' });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

export const HazardCategory = Type.Union([
  Type.Literal('stuck'), Type.Literal('doors'), Type.Literal('noise'), Type.Literal('levelling'), Type.Literal('damage'),
  Type.Literal('alarm'), Type.Literal('lighting'), Type.Literal('other'),
], { description: 'stuck: it stops or traps people; doors: they hit, do not open or close; noise: noise or shaking; levelling: the car stops above or below the floor; damage: broken parts, water, fire; alarm: the alarm button or intercom does not work; lighting: the car is dark' });
export type HazardCategory = Static<typeof HazardCategory>;

export const HazardSource = Type.Union([Type.Literal('resident'), Type.Literal('crew'), Type.Literal('inspector'), Type.Literal('useUnit')], {
  description: 'resident: the public page of the lift (no login); crew: a maintenance unit; inspector: a regulator or an admin; useUnit: the lift\'s use unit',
});
export type HazardSource = Static<typeof HazardSource>;

export const HazardState = Type.Union([Type.Literal('open'), Type.Literal('rectified'), Type.Literal('closed')], {
  description: 'open: to be rectified; rectified: fixed, with a note and a photo, waiting to be checked; closed: the fix was checked',
});
export type HazardState = Static<typeof HazardState>;

/** What a resident sends from the lift's public page. */
export const ResidentReport = Type.Object({
  category: HazardCategory,
  description: Type.String({ minLength: 1, maxLength: 1000, description: 'What is wrong, where (floor), since when' }),
  contact: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9+() -]*$', description: 'A phone number to call back (optional); shown only to the lift\'s crews and inspectors' })),
}, { additionalProperties: false });
export type ResidentReport = Static<typeof ResidentReport>;

/** A hazard found by a crew, an inspector or the use unit. */
export const HazardInput = Type.Object({
  liftId: LiftId,
  category: HazardCategory,
  description: Type.String({ minLength: 1, maxLength: 2000 }),
}, { additionalProperties: false });
export type HazardInput = Static<typeof HazardInput>;

export const HazardPhotoInput = Type.Object({
  contentType: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png')]),
  dataBase64: Type.String({ minLength: 4, maxLength: 2_800_000, description: 'The photo, base64 (at most 2 MiB of image)' }),
}, { additionalProperties: false });
export type HazardPhotoInput = Static<typeof HazardPhotoInput>;

/** The evidence of a fix: what was done, and a photo of the result. */
export const Rectification = Type.Object({
  note: Type.String({ minLength: 1, maxLength: 2000, description: 'What was done' }),
  photo: HazardPhotoInput,
}, { additionalProperties: false });
export type Rectification = Static<typeof Rectification>;

export const HazardReview = Type.Object({
  accept: Type.Boolean({ description: 'true: the fix holds, the hazard is closed; false: it goes back to open' }),
  note: Type.String({ maxLength: 2000, default: '' }),
}, { additionalProperties: false });
export type HazardReview = Static<typeof HazardReview>;

export const Hazard = Type.Object({
  id: Type.Integer(),
  liftId: Type.String(),
  source: HazardSource,
  category: HazardCategory,
  description: Type.String(),
  contact: Nullable(Type.String({ description: 'A resident\'s phone number, if given' })),
  reportedBy: Nullable(Type.String({ description: 'The user who recorded it; null for a resident' })),
  state: HazardState,
  openedAt: Ms,
  updatedAt: Ms,
  rectifiedAt: Type.Union([Ms, Type.Null()]),
  rectifiedBy: Nullable(Type.String()),
  rectificationNote: Nullable(Type.String()),
  photo: Type.Union([Type.Object({ contentType: Type.String(), bytes: Type.Integer(), sha256: Type.String() }), Type.Null()], { description: 'The photo of the fix: GET /api/hazards/:id/photo' }),
  closedAt: Type.Union([Ms, Type.Null()]),
  closedBy: Nullable(Type.String()),
  reviewNote: Nullable(Type.String({ description: 'What the last check said' })),
});
export type Hazard = Static<typeof Hazard>;

/** What the public page of a lift shows (no login): nothing about people or alerts. */
export const PublicLift = Type.Object({
  liftId: Type.String(),
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  registrationCode: Nullable(Type.String({ description: 'The lift\'s registration code (使用登记证编号 / 注册代码) in the platform\'s registry, else as its terminal reports it' })),
  lastMaintenanceAt: Type.Union([Ms, Type.Null()], { description: 'The end of the lift\'s latest completed maintenance' }),
  lastInspection: Type.Union([Type.Object({ date: Type.String(), result: Type.String(), nextDue: Nullable(Type.String()) }), Type.Null()]),
  grade: Nullable(Type.String({ description: 'The health grade (A–E), or null when not yet computed' })),
  openHazards: Type.Integer({ description: 'Hazards reported on this lift and not yet closed' }),
  rescuePhone: Type.String({ description: 'The emergency rescue line to call when trapped' }),
});
export type PublicLift = Static<typeof PublicLift>;
