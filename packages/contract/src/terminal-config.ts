import { Type, type Static } from '@sinclair/typebox';
import { CmdMessage, ConfigMessage } from './streams/config.js';

/**
 * Remote configuration an operator can see (docs/terminals.md#remote-configuration-and-commands):
 * a desired config per terminal with a version, pushed to one lift or a group, and what each
 * terminal did with it; commands and their results.
 */

const Ms = Type.Integer({ minimum: 0, description: 'ms since 1970' });
const LiftId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The settings of a config, without the envelope the platform adds (schemaVersion, configVersion, ts). */
const { schemaVersion: _v, configVersion: _c, ts: _t, ...settingFields } = ConfigMessage.properties;
export const TerminalSettings = Type.Object(settingFields, { additionalProperties: false, description: 'Sampling periods, thresholds and enabled streams; a field left out keeps the terminal\'s default' });
export type TerminalSettings = Static<typeof TerminalSettings>;

/** Which terminals: exactly one of a list of lifts, a GB/T 2260 area code, or every lift of a maintenance unit. */
export const TerminalTarget = Type.Object({
  liftIds: Type.Optional(Type.Array(LiftId, { minItems: 1, maxItems: 10_000, uniqueItems: true })),
  areaCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Every lift the registry puts in this area' })),
  maintenanceUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Every lift this maintenance unit looks after' })),
}, { additionalProperties: false });
export type TerminalTarget = Static<typeof TerminalTarget>;

export const ConfigPush = Type.Object({ target: TerminalTarget, settings: TerminalSettings }, { additionalProperties: false });
export type ConfigPush = Static<typeof ConfigPush>;

export const TerminalCommand = Type.Union(CmdMessage.properties.cmd.anyOf, { description: CmdMessage.properties.cmd.description ?? '' });
export type TerminalCommand = Static<typeof TerminalCommand>;
export const CommandPush = Type.Object({ target: TerminalTarget, cmd: TerminalCommand }, { additionalProperties: false });
export type CommandPush = Static<typeof CommandPush>;

export const TerminalConfigState = Type.Union([Type.Literal('acknowledged'), Type.Literal('pending'), Type.Literal('rejected')], {
  description: 'acknowledged: the terminal applied the desired version; pending: not yet (never acknowledged since desiredAt); rejected: it refused the desired version, with a reason',
});
export type TerminalConfigState = Static<typeof TerminalConfigState>;

/** One terminal's desired config beside what it reported. */
export const TerminalConfigView = Type.Object({
  liftId: Type.String(),
  desiredVersion: Type.Integer({ minimum: 1 }),
  settings: TerminalSettings,
  desiredAt: Ms,
  desiredBy: Type.String(),
  ackedVersion: nullable(Type.Integer({ minimum: 0 })),
  ackedAt: nullable(Ms),
  rejectedVersion: nullable(Type.Integer({ minimum: 0 })),
  rejectedReason: nullable(Type.String()),
  rejectedAt: nullable(Ms),
  state: TerminalConfigState,
});
export type TerminalConfigView = Static<typeof TerminalConfigView>;

export const TerminalCommandView = Type.Object({
  cmdId: Type.String(), liftId: Type.String(), cmd: TerminalCommand,
  sentAt: Ms, sentBy: Type.String(),
  resultAt: nullable(Ms), ok: nullable(Type.Boolean()), detail: nullable(Type.String()),
});
export type TerminalCommandView = Static<typeof TerminalCommandView>;

/** The state of a desired config from its versions: rejected when the terminal refused the desired one. */
export function configState(c: Pick<TerminalConfigView, 'desiredVersion' | 'ackedVersion' | 'rejectedVersion'>): TerminalConfigState {
  if (c.ackedVersion !== null && c.ackedVersion >= c.desiredVersion) return 'acknowledged';
  if (c.rejectedVersion !== null && c.rejectedVersion >= c.desiredVersion) return 'rejected';
  return 'pending';
}

export const FleetProblem = Type.Union([Type.Literal('silent'), Type.Literal('behind'), Type.Literal('misconfigured')], {
  description: 'silent: no record for the silence limit; behind: spool depth or clock offset over its limit; misconfigured: desired config not acknowledged, or rejected',
});
export type FleetProblem = Static<typeof FleetProblem>;

/** One terminal's health as the fleet view shows it: its latest device record, last record, config state and problems. */
export const TerminalHealthRow = Type.Object({
  liftId: Type.String(),
  lastSeenAt: nullable(Ms),
  deviceAt: nullable(Ms),
  fwVersion: nullable(Type.String()),
  linkRttMs: nullable(Type.Number()),
  linkDrops: nullable(Type.Number()),
  bufferBacklog: nullable(Type.Number()),
  clockOffsetMs: nullable(Type.Number()),
  config: nullable(Type.Object({ desiredVersion: Type.Integer(), ackedVersion: nullable(Type.Integer()), state: TerminalConfigState, rejectedReason: nullable(Type.String()), desiredAt: Ms })),
  problems: Type.Array(FleetProblem),
});
export type TerminalHealthRow = Static<typeof TerminalHealthRow>;

export const FleetHealthLimits = Type.Object({
  silentMin: Type.Number({ description: 'Minutes without any record before a terminal counts as silent' }),
  backlogMax: Type.Integer({ description: 'Spool depth over which a terminal counts as behind' }),
  clockOffsetMaxMs: Type.Number({ description: 'Clock offset (either sign) over which a terminal counts as behind, ms' }),
});
export type FleetHealthLimits = Static<typeof FleetHealthLimits>;

export const FleetHealthView = Type.Object({
  limits: FleetHealthLimits,
  total: Type.Integer(),
  counts: Type.Object({ silent: Type.Integer(), behind: Type.Integer(), misconfigured: Type.Integer() }),
  terminals: Type.Array(TerminalHealthRow, { description: 'Those with the problem asked for, or every terminal the user sees' }),
});
export type FleetHealthView = Static<typeof FleetHealthView>;

/** The problems of one terminal against the limits, at `now`. */
export function fleetProblems(row: Omit<TerminalHealthRow, 'problems'>, limits: FleetHealthLimits, now: number): FleetProblem[] {
  const problems: FleetProblem[] = [];
  if (row.lastSeenAt === null || now - row.lastSeenAt > limits.silentMin * 60_000) problems.push('silent');
  if ((row.bufferBacklog ?? 0) > limits.backlogMax || Math.abs(row.clockOffsetMs ?? 0) > limits.clockOffsetMaxMs) problems.push('behind');
  if (row.config && row.config.state !== 'acknowledged') problems.push('misconfigured');
  return problems;
}
