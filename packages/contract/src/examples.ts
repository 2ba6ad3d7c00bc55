import type { ConfigMessage, CmdMessage, PresenceRecord } from './streams/index.js';
import type { RecordOf, RecordStream } from './streams/index.js';

/**
 * Golden example payloads, one per stream, shared by the tests of every package.
 * Values are typical of a 1.75 m/s residential traction lift (docs/reference-values.md).
 */
export const GOLDEN_LIFT_ID = 'LW-DEMO-0001';
const ts = 1_764_400_000_000; // 2025-11-29T07:06:40Z
const base = { schemaVersion: 1, liftId: GOLDEN_LIFT_ID, ts } as const;

export const GOLDEN: { readonly [S in RecordStream]: RecordOf<S> } = Object.freeze({
  status: { ...base, seq: 100, serviceMode: 'normal', direction: 'up', floor: 7, posMm: 18_300, speedMps: 1.72, doorZone: false, carDoor: 'locked', landingDoorLocked: true, safetyChainOk: true, doorLockChainOk: true, passengersPresent: true, loadPct: 32, powerSource: 'mains', finalLimitUp: false, finalLimitDown: false },
  trip: { ...base, seq: 101, fromFloor: 1, toFloor: 12, startTs: ts - 21_400, durationS: 21.4, distanceM: 30.8, vMaxMps: 1.74, aMaxMps2: 0.82, dMaxMps2: 0.79, aA95Mps2: 0.74, jerkMaxMps3: 1.1, vibA95XMps2: 0.07, vibA95YMps2: 0.06, vibA95ZMps2: 0.11, vibMaxPkPkXMps2: 0.12, vibMaxPkPkYMps2: 0.1, vibMaxPkPkZMps2: 0.19, vibKurtosisX: 3.1, vibKurtosisY: 3.0, stopErrMm: 3.5, relevels: 0, slipMm: 0.4, brakeLiftMs: 160, brakeDropMs: 190, creepAfterStopMm: 0, motorIRmsA: 18.5, motorIPeakA: 41, energyWh: 21.7, loadPctStart: 32, startFailures: 0 },
  door: { ...base, seq: 102, floor: 12, side: 'A', openS: 2.6, dwellS: 4.1, closeS: 3.1, lockMadeMs: 180, reopens: 0, curtainInterrupts: 1, obstructedClose: false, doorMotorIMeanA: 1.4, doorMotorIPeakA: 2.9, doorImpactG: 0.1, result: 'ok' },
  fault: { ...base, seq: 103, code: 'E01', state: 'raised', detail: 'trapped between floors 6 and 7', floor: 6, posMm: 16_900, direction: 'none', speedMps: 0, doorState: 'locked', passengersPresent: true, detector: 'terminalRule', confidence: 0.9 },
  alarm: { ...base, seq: 104, kind: 'button', state: 'raised', floor: 6, passengersPresent: true },
  env: { ...base, seq: 105, machineRoomTempC: 27.5, machineRoomRhPct: 61, motorWindingTempC: 58, driveHeatsinkTempC: 44, brakeCoilTempC: 51, carTempC: 24, pitWater: false, supplyVoltageV: 381 },
  counters: { ...base, seq: 106, tripsTotal: 1_204_331, runHoursTotal: 10_512.5, doorCyclesTotal: 1_450_200, ropeBendsTotal: 4_817_324, brakeCyclesTotal: 1_204_331, relevelsTotal: 3_120, powerOnHours: 61_000, alarmSelfTestLastTs: ts - 86_400_000 },
  device: { ...base, seq: 107, fwVersion: '1.4.2', rssiDbm: -71, batteryPct: 96, clockOffsetMs: 12, bufferBacklog: 0, uptimeS: 86_400, tamper: false },
  registry: { ...base, seq: 108, ratedSpeedMps: 1.75, ratedLoadKg: 1000, lowestFloor: 1, highestFloor: 18, travelM: 51, type: 'traction', registrationCode: '31103301002015120001', areaCode: '330106', name: 'Block 3, lift A', address: '西湖区 some road 1' },
  wave: { ...base, seq: 109, channel: 'vibX', fsHz: 256, unit: 'm/s2', startTs: ts - 1_000, scale: 0.0005, samples: [12, -8, 30, -25, 4, 0, -3, 9], tripSeq: 101 },
});

export const GOLDEN_PRESENCE: PresenceRecord = { state: 'online', ts, terminalId: 'T-LW-DEMO-0001' };
export const GOLDEN_CONFIG: ConfigMessage = { schemaVersion: 1, configVersion: 3, ts, statusIdleS: 10, statusMovingS: 1, deviceS: 600, envS: 60, entrapmentS: 60 };
export const GOLDEN_CMD: CmdMessage = { schemaVersion: 1, cmdId: 'cmd-1', ts, cmd: 'sendStatus' };
