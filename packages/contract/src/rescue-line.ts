import { Type, type Static } from '@sinclair/typebox';
import { AlertState } from './api.js';

/**
 * Calls handed over by a lift-emergency line (96333 and the city numbers of docs/standards.md#emergency-hotlines-and-rescue-tiers):
 * a call attaches to the lift's open entrapment or opens one, and the rescue's stages are timed
 * against the arrival limit and the 1-3-5 preset.
 */

const Ms = Type.Integer({ minimum: 0, description: 'ms since 1970' });

export const RescueCallInput = Type.Object({
  liftId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'The lift, if the line knows liftwatch\'s id; else give registrationCode or rescueCode and the registry finds it' })),
  registrationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The lift\'s registration code (注册代码), as the line\'s own records hold it' })),
  line: Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z-]+$', default: '96333', description: 'The hotline that took the call' }),
  externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The line\'s own id of the call: the same id sent again is the same call (a resend after a timeout)' })),
  receivedAt: Type.Optional(Type.Integer({ minimum: 0, description: 'When the line took the call, ms; default: now' })),
  callerName: Type.Optional(Type.String({ maxLength: 100 })),
  callerPhone: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9+() -]*$' })),
  rescueCode: Type.Optional(Type.String({ maxLength: 20, description: 'The rescue id on the car\'s usage sign that the caller read out' })),
  note: Type.String({ maxLength: 1000, default: '', description: 'What the caller said: floor, how many people, their state' }),
}, { additionalProperties: false });
export type RescueCallInput = Static<typeof RescueCallInput>;

export const RescueStage = Type.Union([Type.Literal('dispatched'), Type.Literal('onSite'), Type.Literal('released'), Type.Literal('falseAlarm')], {
  description: 'dispatched: a crew accepted and set off; onSite: it reached the lift; released: the passengers are out; falseAlarm: nobody was trapped',
});
export type RescueStage = Static<typeof RescueStage>;

export const RescueStageInput = Type.Object({
  stage: RescueStage,
  at: Type.Optional(Type.Integer({ minimum: 0, description: 'When it happened, ms (a stage reported after the fact); default: now' })),
  note: Type.String({ maxLength: 1000, default: '' }),
}, { additionalProperties: false });
export type RescueStageInput = Static<typeof RescueStageInput>;

/** One rule a rescue is timed against: minutes from the alarm to a stage. */
export const RescueCheck = Type.Object({
  rule: Type.String({ description: 'arrival (the arrival limit, 30 min by default), or 1-3-5 response / onSite / release' }),
  stage: Type.Union([Type.Literal('dispatched'), Type.Literal('onSite'), Type.Literal('released')]),
  limitMin: Type.Number(),
  minutes: Type.Union([Type.Number(), Type.Null()], { description: 'Minutes from the alarm to the stage, one decimal; null: not reached yet' }),
  met: Type.Union([Type.Boolean(), Type.Null()], { description: 'Reached within the limit; null: not reached and the limit has not passed yet' }),
});
export type RescueCheck = Static<typeof RescueCheck>;

export const RescueStages = Type.Object({
  alarmAt: Ms,
  dispatchedAt: Type.Union([Ms, Type.Null()]),
  onSiteAt: Type.Union([Ms, Type.Null()]),
  releasedAt: Type.Union([Ms, Type.Null()]),
  falseAlarm: Type.Boolean(),
});
export type RescueStages = Static<typeof RescueStages>;

export const RescueCallView = Type.Object({
  id: Type.Integer(),
  liftId: Type.String(),
  line: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Ms,
  callerName: Type.Union([Type.String(), Type.Null()]),
  callerPhone: Type.Union([Type.String(), Type.Null()]),
  rescueCode: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
  alertId: Type.Integer({ description: 'The entrapment alert the call is attached to' }),
  alertState: AlertState,
  stages: RescueStages,
  checks: Type.Array(RescueCheck),
});
export type RescueCallView = Static<typeof RescueCallView>;
