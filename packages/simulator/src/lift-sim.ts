import { CONTRACT_VERSION, type LiftRecord, type RecordOf, type RecordStream, type StatusRecord } from '@liftwatch/contract';
import { sCurve, type MotionSample } from './motion.js';
import { createRandom, type Random } from './prng.js';
import { callRatePerHour, type TrafficProfile } from './traffic.js';

/** The P1 events a simulated lift can be made to show (domain §6b E01–E05). */
export const P1_KINDS = ['entrapment', 'overspeed', 'doorOpenWhileRunning', 'overtravelTop', 'unintendedMovement'] as const;
export type P1Kind = (typeof P1_KINDS)[number];

export interface LiftSimOptions {
  readonly liftId: string;
  readonly seed: number;
  /** Simulated clock at the start, ms since the epoch. */
  readonly startMs: number;
  /** First seq; a terminal's seq must keep rising across restarts. @defaultValue startMs × 1000 */
  readonly seqBase?: number;
  /** Landings, lowest is floor 1. @defaultValue drawn from 6–33 */
  readonly floors?: number;
  /** Rated speed, m/s. @defaultValue by height: 1.0 (≤ 11 floors), 1.75 (≤ 20), 2.5 (higher) */
  readonly ratedSpeedMps?: number;
  readonly profile?: TrafficProfile;
  /** Status period while idle, s. @defaultValue 10 */
  readonly statusIdleS?: number;
  /** Status period while moving, s. @defaultValue 1 */
  readonly statusMovingS?: number;
  /** Multiplies the profile's call rate (a demo wants busy lifts). @defaultValue 1 */
  readonly trafficScale?: number;
}

type Phase = 'idle' | 'doorsOpening' | 'doorsOpen' | 'doorsClosing' | 'moving' | 'stuck' | 'outOfService';

interface Trip { from: number; to: number; startMs: number; samples: MotionSample[]; dir: 1 | -1; loadPct: number; p1?: P1Kind | undefined; doorGlitched?: boolean }

const FLOOR_HEIGHT_M = 3.0;
const DOOR_ZONE_M = 0.2;
const RATED_LOAD_KG = 1000;

/**
 * One simulated traction lift: traffic calls, door cycles and jerk-limited trips, emitting the
 * contract's status, trip, door, alarm, env, device and registry records. Deterministic: the same
 * options give the same records. Values follow domain §2.6; no uniform noise stands in for physics.
 */
export function createLiftSim(options: LiftSimOptions) {
  const rnd: Random = createRandom(options.seed);
  const floors = options.floors ?? rnd.int(6, 33);
  const rated = options.ratedSpeedMps ?? (floors <= 11 ? 1.0 : floors <= 20 ? 1.75 : 2.5);
  const profile = options.profile ?? 'residential';
  const statusIdleMs = (options.statusIdleS ?? 10) * 1000;
  const statusMovingMs = (options.statusMovingS ?? 1) * 1000;
  const trafficScale = options.trafficScale ?? 1;
  const accel = rnd.uniform(0.6, 1.0);
  const jerk = rnd.uniform(0.8, 1.5);
  const doorBase = { open: rnd.normal(2.6, 0.2), close: rnd.normal(3.0, 0.2) };
  let seq = options.seqBase ?? options.startMs * 1000;
  let t = options.startMs;
  let floor = rnd.int(1, floors);
  let phase: Phase = 'idle';
  let phaseEndsAt = Number.POSITIVE_INFINITY;
  let passengers = 0;
  let trip: Trip | undefined;
  let pendingP1: P1Kind | undefined;
  let stuckAlarmAt = Number.POSITIVE_INFINITY;
  let carDoor: StatusRecord['carDoor'] = 'locked';
  let serviceMode: StatusRecord['serviceMode'] = 'normal';
  let finalLimitUp = false;
  let pos = (floor - 1) * FLOOR_HEIGHT_M;
  let nextCallAt = t + rnd.exponential(3_600_000 / (callRatePerHour(profile, t) * trafficScale));
  let nextStatusAt = t;
  let nextEnvAt = t + rnd.uniform(0, 60_000);
  let nextDeviceAt = t + rnd.uniform(0, 600_000);
  const out: LiftRecord[] = [];

  function emit<S extends RecordStream>(stream: S, fields: Omit<RecordOf<S>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>): void {
    const record = { schemaVersion: CONTRACT_VERSION, liftId: options.liftId, seq: seq++, ts: Math.round(t), ...fields };
    out.push({ stream, record } as LiftRecord);
  }

  function status(extra: Partial<StatusRecord> = {}): void {
    const moving = phase === 'moving' && trip !== undefined;
    const sample = moving ? sampleAt(trip!, t) : undefined;
    const speed = sample ? sample.v * trip!.dir : 0;
    const nearest = Math.round(pos / FLOOR_HEIGHT_M);
    // A door contact that opens mid-run (E03): one snapshot shows the car door opening at speed.
    let door = carDoor;
    if (moving && trip!.p1 === 'doorOpenWhileRunning' && !trip!.doorGlitched && Math.abs(speed) > 0.5 && Math.abs(pos - nearest * FLOOR_HEIGHT_M) > DOOR_ZONE_M) {
      trip!.doorGlitched = true;
      door = 'opening';
    }
    emit('status', {
      serviceMode, direction: speed > 0.01 ? 'up' : speed < -0.01 ? 'down' : 'none',
      floor: Math.min(floors, Math.max(1, nearest + 1)), posMm: Math.round(pos * 1000), speedMps: round(speed, 3),
      doorZone: Math.abs(pos - nearest * FLOOR_HEIGHT_M) <= DOOR_ZONE_M, carDoor: door,
      landingDoorLocked: door === 'locked', safetyChainOk: true, doorLockChainOk: door === 'locked',
      passengersPresent: passengers > 0, loadPct: round(passengers * 75 / RATED_LOAD_KG * 100, 1), powerSource: 'mains',
      finalLimitUp, finalLimitDown: false, ...extra,
    });
    nextStatusAt = t + (phase === 'moving' ? statusMovingMs : statusIdleMs);
  }

  function sampleAt(tr: Trip, now: number): MotionSample {
    const i = Math.min(tr.samples.length - 1, Math.max(0, Math.round((now - tr.startMs) / 10)));
    const s = tr.samples[i]!;
    pos = (tr.from - 1) * FLOOR_HEIGHT_M + tr.dir * s.pos;
    return s;
  }

  function setPhase(p: Phase, durationMs: number): void {
    phase = p;
    phaseEndsAt = t + durationMs;
  }

  function startDoorCycle(): void {
    carDoor = 'opening';
    setPhase('doorsOpening', doorBase.open * 1000);
    status();
  }

  function startTrip(): void {
    const p1 = pendingP1;
    pendingP1 = undefined;
    let to = floor;
    if (p1 === 'overtravelTop') to = floors;
    else while (to === floor) to = rnd.int(1, floors);
    if ((p1 === 'overspeed' || p1 === 'doorOpenWhileRunning') && Math.abs(to - floor) < 3) to = floor <= floors / 2 ? floors : 1;
    const dir: 1 | -1 = to > floor ? 1 : -1;
    let distance = Math.abs(to - floor) * FLOOR_HEIGHT_M;
    if (p1 === 'entrapment') distance -= FLOOR_HEIGHT_M / 2; // stops between floors
    if (p1 === 'overtravelTop') distance += 0.35; // runs past the top landing onto the final limit
    const v = p1 === 'overspeed' ? rated * rnd.uniform(1.2, 1.3) : rated * rnd.uniform(0.97, 1.0);
    const samples = sCurve(distance, { vMps: v, aMps2: accel, jMps3: jerk });
    const loadPct = passengers * 75 / RATED_LOAD_KG * 100;
    trip = { from: floor, to, startMs: t, samples, dir, loadPct, p1 };
    setPhase('moving', samples[samples.length - 1]!.t * 1000);
    status();
  }

  function finishTrip(tr: Trip): void {
    sampleAt(tr, phaseEndsAt);
    const stopErrMm = rnd.normal(0, 3.5);
    const relevels = Math.abs(stopErrMm) > 20 ? 1 : 0;
    emit('trip', tripSummary(rnd, tr, { rated, stopErrMm, relevels, creepAfterStopMm: tr.p1 === 'unintendedMovement' ? round(rnd.uniform(80, 250), 0) : 0 }));
    floor = Math.min(floors, Math.max(1, Math.round(pos / FLOOR_HEIGHT_M) + 1));
    trip = undefined;
    if (tr.p1 === 'entrapment') {
      setPhase('stuck', rnd.uniform(120_000, 240_000));
      stuckAlarmAt = t + rnd.uniform(20_000, 40_000);
      status();
    } else if (tr.p1 === 'overtravelTop') {
      finalLimitUp = true;
      serviceMode = 'outOfService';
      setPhase('outOfService', rnd.uniform(90_000, 180_000));
      status({ speedMps: 0.12, direction: 'up' });
      status();
    } else if (tr.p1 === 'unintendedMovement') {
      carDoor = 'open';
      status({ speedMps: -0.09, direction: 'down', doorZone: false });
      startDoorCycle();
    } else {
      pos = (floor - 1) * FLOOR_HEIGHT_M;
      startDoorCycle();
    }
  }

  function onPhaseEnd(): void {
    switch (phase) {
      case 'moving': return finishTrip(trip!);
      case 'doorsOpening': {
        carDoor = 'open';
        const leaving = passengers;
        passengers = Math.max(0, passengers - leaving) + rnd.int(0, 3);
        setPhase('doorsOpen', rnd.uniform(2.5, 5) * 1000 + passengers * 800);
        return status();
      }
      case 'doorsOpen': {
        carDoor = 'closing';
        setPhase('doorsClosing', doorBase.close * 1000);
        return status();
      }
      case 'doorsClosing': {
        carDoor = 'locked';
        emit('door', doorSummary(rnd, floor, doorBase));
        if (passengers > 0 || pendingP1) return startTrip();
        phase = 'idle';
        phaseEndsAt = Number.POSITIVE_INFINITY;
        return status();
      }
      case 'stuck': {
        // Rescue: the car is brought to the nearest landing and the passengers leave.
        pos = Math.round(pos / FLOOR_HEIGHT_M) * FLOOR_HEIGHT_M;
        floor = Math.round(pos / FLOOR_HEIGHT_M) + 1;
        if (stuckAlarmAt === Number.POSITIVE_INFINITY) emit('alarm', { kind: 'button', state: 'ended', floor, passengersPresent: false });
        stuckAlarmAt = Number.POSITIVE_INFINITY;
        passengers = 0;
        return startDoorCycle();
      }
      case 'outOfService': {
        finalLimitUp = false;
        pos = (floors - 1) * FLOOR_HEIGHT_M;
        floor = floors;
        passengers = 0;
        serviceMode = 'inspection';
        status();
        serviceMode = 'normal';
        phase = 'idle';
        phaseEndsAt = Number.POSITIVE_INFINITY;
        return status();
      }
      default: return undefined;
    }
  }

  function onCall(): void {
    nextCallAt = t + rnd.exponential(3_600_000 / Math.max(1, callRatePerHour(profile, t) * trafficScale));
    if (phase === 'idle') startDoorCycle();
  }

  /** Runs the lift up to `untilMs` and returns the records it emitted, oldest first. */
  function advanceTo(untilMs: number): LiftRecord[] {
    for (;;) {
      const next = Math.min(phaseEndsAt, nextCallAt, nextStatusAt, stuckAlarmAt, nextEnvAt, nextDeviceAt);
      if (next > untilMs) break;
      t = next;
      if (next === phaseEndsAt) onPhaseEnd();
      else if (next === stuckAlarmAt) {
        stuckAlarmAt = Number.POSITIVE_INFINITY;
        emit('alarm', { kind: 'button', state: 'raised', floor, passengersPresent: true });
      } else if (next === nextCallAt) onCall();
      else if (next === nextEnvAt) {
        nextEnvAt = t + 60_000;
        emit('env', envReading(rnd, t));
      } else if (next === nextDeviceAt) {
        nextDeviceAt = t + 600_000;
        emit('device', { fwVersion: 'sim-1', rssiDbm: round(rnd.normal(-72, 4), 0), bufferBacklog: 0, uptimeS: Math.round((t - options.startMs) / 1000) });
      } else status();
    }
    t = untilMs;
    return out.splice(0);
  }

  /** Makes the next trip show a P1 event; starts a trip at once if the lift is idle. */
  function injectP1(kind: P1Kind): void {
    pendingP1 = kind;
    if (kind === 'entrapment' && passengers === 0) passengers = 1;
    if (phase === 'idle') startDoorCycle();
  }

  emit('registry', { ratedSpeedMps: rated, ratedLoadKg: RATED_LOAD_KG, lowestFloor: 1, highestFloor: floors, travelM: (floors - 1) * FLOOR_HEIGHT_M, type: 'traction' });

  return { advanceTo, injectP1, liftId: options.liftId, floors, ratedSpeedMps: rated, phase: (): Phase => phase };
}

export type LiftSim = ReturnType<typeof createLiftSim>;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Trip summary from the integrated profile and the drive's torque balance (domain §6c, Drive). */
function tripSummary(rnd: Random, tr: Trip, x: { rated: number; stopErrMm: number; relevels: number; creepAfterStopMm: number }): Omit<RecordOf<'trip'>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'> {
  const g = 9.81;
  const carKg = 1.2 * RATED_LOAD_KG;
  const cwtKg = carKg + 0.45 * RATED_LOAD_KG;
  const loadKg = tr.loadPct / 100 * RATED_LOAD_KG;
  const mEq = carKg + cwtKg + loadKg + 400;
  const kt = 20; // N·m per A at the sheave shaft, 2:1 roping, R = 0.2 m
  let i2 = 0; let iPk = 0; let energyJ = 0; let vMax = 0; let aMax = 0; let dMax = 0; let jMax = 0; let prevA = 0;
  const dt = 0.01;
  for (const s of tr.samples) {
    const force = tr.dir * (carKg + loadKg - cwtKg) * g + mEq * s.a + 300;
    const current = Math.abs(force * 0.2 / 2 / kt) + 4;
    i2 += current * current * dt;
    iPk = Math.max(iPk, current);
    const power = force * s.v;
    energyJ += (power > 0 ? power / 0.85 : power * 0.85) * dt;
    vMax = Math.max(vMax, s.v);
    if (s.a > 0) aMax = Math.max(aMax, s.a); else dMax = Math.max(dMax, -s.a);
    jMax = Math.max(jMax, Math.abs(s.a - prevA) / dt);
    prevA = s.a;
  }
  const duration = tr.samples[tr.samples.length - 1]!.t;
  const vibScale = vMax / 1.75;
  const a95 = (median: number) => round(rnd.lognormal(median * (0.6 + 0.4 * vibScale), 0.2), 3);
  const ax = a95(0.06); const ay = a95(0.05); const az = a95(0.1);
  return {
    fromFloor: tr.from, toFloor: tr.to, startTs: Math.round(tr.startMs), durationS: round(duration, 2), distanceM: round(tr.samples[tr.samples.length - 1]!.pos, 2),
    vMaxMps: round(vMax, 3), aMaxMps2: round(aMax, 3), dMaxMps2: round(dMax, 3), aA95Mps2: round(aMax * 0.95, 3), jerkMaxMps3: round(jMax, 2),
    vibA95XMps2: ax, vibA95YMps2: ay, vibA95ZMps2: az,
    vibMaxPkPkXMps2: round(ax * rnd.uniform(1.6, 2.0), 3), vibMaxPkPkYMps2: round(ay * rnd.uniform(1.6, 2.0), 3), vibMaxPkPkZMps2: round(az * rnd.uniform(1.6, 2.0), 3),
    vibKurtosisX: round(rnd.lognormal(3.0, 0.08), 2), vibKurtosisY: round(rnd.lognormal(3.0, 0.08), 2),
    stopErrMm: round(x.stopErrMm, 1), relevels: x.relevels, slipMm: round(rnd.normal(0, 0.5), 2),
    brakeLiftMs: round(rnd.normal(160, 12), 0), brakeDropMs: round(rnd.normal(190, 15), 0), creepAfterStopMm: x.creepAfterStopMm,
    motorIRmsA: round(Math.sqrt(i2 / Math.max(duration, dt)), 1), motorIPeakA: round(iPk, 1), energyWh: round(energyJ / 3600, 2),
    loadPctStart: round(tr.loadPct, 1), startFailures: 0,
  };
}

/** Door cycle summary: GB/T 10058 centre-opening ≤ 800 mm doors take about 2.5–3.2 s per movement. */
function doorSummary(rnd: Random, floor: number, base: { open: number; close: number }): Omit<RecordOf<'door'>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'> {
  const reopens = rnd.next() < 0.06 ? 1 : 0;
  return {
    floor, side: 'A', openS: round(rnd.normal(base.open, 0.08), 2), dwellS: round(rnd.uniform(2.5, 6), 2), closeS: round(rnd.normal(base.close, 0.1), 2),
    lockMadeMs: round(rnd.lognormal(150, 0.25), 0), reopens, curtainInterrupts: reopens + (rnd.next() < 0.2 ? 1 : 0), obstructedClose: false,
    doorMotorIMeanA: round(rnd.normal(1.3, 0.08), 2), doorMotorIPeakA: round(rnd.normal(2.8, 0.15), 2), result: 'ok',
  };
}

/** Machine-room air follows a daily sine (domain §6c, Thermal); the motor runs warmer. */
function envReading(rnd: Random, t: number): Omit<RecordOf<'env'>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'> {
  const hour = new Date(t).getUTCHours() + 8; // China Standard Time
  const room = 24 + 5 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + rnd.normal(0, 0.3);
  return {
    machineRoomTempC: round(room, 1), machineRoomRhPct: round(55 + rnd.normal(0, 3), 0), motorWindingTempC: round(room + 25 + rnd.normal(0, 2), 1),
    driveHeatsinkTempC: round(room + 15 + rnd.normal(0, 1.5), 1), supplyVoltageV: round(rnd.normal(380, 4), 0),
  };
}
