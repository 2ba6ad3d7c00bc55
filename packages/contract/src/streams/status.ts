import { Type, type Static } from '@sinclair/typebox';
import { Direction, Floor, record } from './envelope.js';

/**
 * Service mode. The order follows the GB/T 24476-2017 service-mode enumeration
 * (0 停止服务 … 7 未知), see SERVICE_MODE_GB below; names follow BACnet LiftCarMode.
 */
export const ServiceMode = Type.Union([
  Type.Literal('outOfService'),
  Type.Literal('normal'),
  Type.Literal('inspection'),
  Type.Literal('fireRecall'),
  Type.Literal('firefighter'),
  Type.Literal('emergencyPower'),
  Type.Literal('earthquake'),
  Type.Literal('unknown'),
]);
export type ServiceMode = Static<typeof ServiceMode>;

/** GB/T 24476-2017 service-mode codes (docs/standards.md#terminal-and-platform-data-gbt-24476-and-gbt-42616). */
export const SERVICE_MODE_GB: Readonly<Record<ServiceMode, number>> = Object.freeze({
  outOfService: 0, normal: 1, inspection: 2, fireRecall: 3, firefighter: 4, emergencyPower: 5, earthquake: 6, unknown: 7,
});

export const DoorState = Type.Union([
  Type.Literal('closed'),
  Type.Literal('locked'),
  Type.Literal('opening'),
  Type.Literal('open'),
  Type.Literal('closing'),
  Type.Literal('fault'),
]);
export type DoorState = Static<typeof DoorState>;

/** A door that is `closed` or `locked` is shut; every other state means the door may be open. */
export function isDoorShut(state: DoorState): boolean {
  return state === 'closed' || state === 'locked';
}

/**
 * `status`: the periodic snapshot (docs/telemetry.md#why-these-fields). About 1 Hz while moving, every 5–10 s idle,
 * and at once on a change of door, zone or mode. Ranges are physical limits, wider than the
 * typical values of docs/reference-values.md, so that a degraded lift is reported, not rejected.
 */
export const StatusRecord = record('status', {
  serviceMode: ServiceMode,
  direction: Direction,
  floor: Floor,
  posMm: Type.Optional(Type.Number({ minimum: -5_000, maximum: 1_000_000, description: 'Car position from the bottom landing, mm' })),
  speedMps: Type.Number({ minimum: -20, maximum: 20, description: 'Car speed, m/s, positive up' }),
  doorZone: Type.Boolean({ description: 'Car is inside an unlocking (door) zone' }),
  carDoor: DoorState,
  carDoorB: Type.Optional(DoorState),
  landingDoorLocked: Type.Optional(Type.Boolean()),
  safetyChainOk: Type.Optional(Type.Boolean()),
  doorLockChainOk: Type.Optional(Type.Boolean()),
  passengersPresent: Type.Optional(Type.Boolean()),
  loadPct: Type.Optional(Type.Number({ minimum: 0, maximum: 200, description: 'Car load as % of rated load' })),
  powerSource: Type.Optional(Type.Union([Type.Literal('mains'), Type.Literal('battery'), Type.Literal('other'), Type.Literal('none')])),
  finalLimitUp: Type.Optional(Type.Boolean({ description: 'Upper final limit switch operated (overtravel top)' })),
  finalLimitDown: Type.Optional(Type.Boolean({ description: 'Lower final limit switch operated (overtravel bottom)' })),
}, 'Periodic lift status snapshot');
export type StatusRecord = Static<typeof StatusRecord>;
