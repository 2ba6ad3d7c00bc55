import { CONTRACT_VERSION, type LiftRecord, type RecordOf, type RecordStream, type StatusRecord } from '@liftwatch/contract';
import { createComponents } from './components.js';
import { fidelityPeriods, type Fidelity } from './fidelity.js';
import { CORRECTIVE_REPAIRS, createControllerLogic, type FaultEmission } from './controller.js';
import { signalDbm } from './comms.js';
import { doorCycle } from './door-operator.js';
import type { Component } from './fault-plan.js';
import type { LiftSimOptions } from './lift-options.js';
import { createHealthTruth, type TruthRecord } from './ground-truth.js';
import { sCurve, sCurvePlan, type MotionPlan, type MotionSample } from './motion.js';
import { createRandom, mixSeed, type Random } from './prng.js';
import { p1Destination, p1DistanceOffsetM, rescueTimeline, type P1Kind } from './p1.js';
import { stopOffLanding, tripRaw, type RawWindow } from './raw.js';
import { createServiceLogic } from './service.js';
import { createThermal } from './thermal.js';
import { createVibrationSampler } from './vibration.js';
import { callRatePerHour } from './traffic.js';
import { BRAKE_TEST_N, brakeHoldN, driveSignals, RATED_LOAD_KG, tripPhysics } from './trip-physics.js';
import { round } from './round.js';
import { demoSite } from './demo-site.js';

export { P1_KINDS, type P1Kind } from './p1.js';
export type { LiftSimOptions } from './lift-options.js';


type Phase = 'idle' | 'doorsOpening' | 'doorsOpen' | 'doorsClosing' | 'moving' | 'stuck' | 'outOfService' | 'powerOff' | 'maintenance';

interface Trip { from: number; to: number; startMs: number; plan: MotionPlan; samples: MotionSample[] | undefined; dir: 1 | -1; loadPct: number; p1?: P1Kind | undefined; doorGlitched?: boolean }

const FLOOR_HEIGHT_M = 3.0;
const DOOR_ZONE_M = 0.2;
const DAY_MS = 86_400_000;
const NEVER = Number.POSITIVE_INFINITY;

/**
 * One simulated traction lift (docs/simulator.md): traffic calls, door cycles from the door operator's
 * force balance, jerk-limited trips with drive current, heat, brake, levelling, traction and car
 * vibration, a controller whose fault logic emits codes from that physics, injected faults with
 * degradation laws, maintenance visits and a ground-truth stream. Deterministic: the same options
 * give the same records, byte for byte.
 */
export function createLiftSim(options: LiftSimOptions) {
  const rnd: Random = createRandom(options.seed);
  const floors = options.floors ?? rnd.int(6, 33);
  const rated = options.ratedSpeedMps ?? (floors <= 11 ? 1.0 : floors <= 20 ? 1.75 : 2.5);
  const profile = options.profile ?? 'residential';
  // The fidelity may change while the lift runs (setFidelity): a demo's history in summary, then live in full.
  let fid = fidelityPeriods(options, options.fidelity ?? 'full');
  const trafficScale = options.trafficScale ?? 1;
  const accel = rnd.uniform(0.6, 1.0);
  const jerk = rnd.uniform(0.8, 1.5);
  const doorBase = { open: rnd.normal(2.6, 0.2), close: rnd.normal(3.0, 0.2) };
  const physRnd = createRandom(mixSeed(options.seed, 0x9a75)); // physics draws, apart from traffic
  const parts = createComponents(options.faults ?? [], options.startMs, options.seed, options.maintenance, fid.summary ? 1_800_000 : 60_000);
  const ctrl = createControllerLogic();
  const thermal = createThermal(options.ambient ?? { meanC: 24, dailyAmpC: 5 }, options.startMs);
  const ardFailProb = options.ardFailProb ?? 0.7;
  let seq = options.seqBase ?? options.startMs * 1000;
  let t = options.startMs;
  let floor = rnd.int(1, floors);
  let phase: Phase = 'idle';
  let phaseEndsAt = NEVER;
  let passengers = 0;
  let trip: Trip | undefined;
  let pendingP1: P1Kind | undefined;
  let stuckAlarmAt = NEVER;
  let alarmRaisedAt = 0;
  let stuckByOutage = false;
  let carDoor: StatusRecord['carDoor'] = 'locked';
  let serviceMode: StatusRecord['serviceMode'] = 'normal';
  let powerSource: NonNullable<StatusRecord['powerSource']> = 'mains';
  let finalLimitUp = false;
  let lockout: string | undefined;
  let failedComponent: Component | undefined; // a functional failure: out of service until the corrective visit
  let statusMode: StatusRecord['serviceMode'] | undefined; // the service mode of the last status record
  let pos = (floor - 1) * FLOOR_HEIGHT_M;
  let nextCallAt = t + rnd.exponential(3_600_000 / (callRatePerHour(profile, t) * trafficScale));
  let nextStatusAt = t;
  let nextEnvAt = t + rnd.uniform(0, 60_000);
  let nextDeviceAt = t + rnd.uniform(0, 600_000);
  let nextCountersAt = t + 3_600_000;
  const localMidnight = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY_MS) * DAY_MS - 8 * 3_600_000; // China Standard Time
  let nextBrakeTestAt = localMidnight(t) + 3 * 3_600_000 + (t >= localMidnight(t) + 3 * 3_600_000 ? DAY_MS : 0);
  let nextTruthAt = options.groundTruth ? t : NEVER;
  const visitEvery = (options.maintenance?.everyDays ?? 0) * DAY_MS;
  let nextVisitAt = visitEvery > 0 ? localMidnight(t) + visitEvery + 10 * 3_600_000 : NEVER;
  let correctiveAt = NEVER;
  const edges = parts.onsets.flatMap((o) => [{ at: Math.max(o.onsetMs, options.startMs), kind: 'onset' as const, o }, ...(o.endMs !== undefined ? [{ at: Math.max(o.endMs, options.startMs), kind: 'end' as const, o }] : [])]).sort((a, b) => a.at - b.at);
  let edgeIndex = 0;
  const healthTracker = createHealthTruth(parts, options.liftId);
  const service = createServiceLogic({ liftId: options.liftId, seed: options.seed, parts, ctrl, maintenance: options.maintenance, brakeTestStops: options.brakeTestStops ?? false, addTruth });
  const totals = { trips: 0, doors: 0, relevels: 0, runS: 0 };
  const out: LiftRecord[] = [];
  const truth: TruthRecord[] = [];
  const raws: RawWindow[] = [];
  const keepRaw = options.raw === true && !fid.fast;
  const vibrationNoiseScale = options.vibrationNoiseScale ?? 1;
  const vibrationSampler = keepRaw ? undefined : createVibrationSampler(createRandom(mixSeed(options.seed, 0x0b1b)), vibrationNoiseScale); // with raw windows, each trip's own window

  function emit<S extends RecordStream>(stream: S, fields: Omit<RecordOf<S>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>): number {
    const record = { schemaVersion: CONTRACT_VERSION, liftId: options.liftId, seq: seq++, ts: Math.round(t), ...fields };
    out.push({ stream, record } as LiftRecord);
    return record.seq;
  }

  function addTruth(r: TruthRecord): void {
    if (options.groundTruth) truth.push(r);
  }

  /** The envelope of a record built whole by its maker (trip, door): no copy per record. */
  function envelope(): { liftId: string; seq: number; ts: number } {
    return { liftId: options.liftId, seq: seq++, ts: Math.round(t) };
  }

  function push<S extends RecordStream>(stream: S, record: RecordOf<S>): number {
    out.push({ stream, record } as LiftRecord);
    return record.seq;
  }

  function emitFaults(list: readonly FaultEmission[]): void {
    for (const e of list) {
      const fields: Omit<RecordOf<'fault'>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'> = { code: e.code, state: e.state, detector: e.detector };
      if (e.detail !== undefined) fields.detail = e.detail;
      if (e.floor !== undefined) fields.floor = e.floor;
      if (e.posMm !== undefined) fields.posMm = e.posMm;
      if (e.passengersPresent !== undefined) fields.passengersPresent = e.passengersPresent;
      const s = emit('fault', fields);
      addTruth({ type: 'cause', liftId: options.liftId, ts: Math.round(t), seq: s, code: e.code, state: e.state, component: e.component, faultIds: parts.causes(e.component, t) });
      const failure = failedComponent === undefined ? service.failure(e, t) : undefined;
      if (failure && options.maintenance) takeOutOfService(e.code, failure.component);
      else if (e.state === 'raised' && e.code in CORRECTIVE_REPAIRS && e.code !== 'E16' && correctiveAt === NEVER && options.maintenance) {
        correctiveAt = t + service.correctiveAfterMs();
      }
      if (e.state === 'raised' && e.code === 'E02') lockout = 'E02';
    }
  }

  /** A functional failure: the lift takes no more calls, the passengers leave, a crew is called. */
  function takeOutOfService(code: string, component: Component): void {
    lockout = code;
    failedComponent = component;
    correctiveAt = t + service.correctiveAfterMs();
    if (serviceMode === 'normal') {
      serviceMode = 'outOfService';
      if (phase !== 'moving') status();
    }
  }

  function status(extra?: Partial<StatusRecord>): void {
    // Summary fidelity: status only as a heartbeat, when the service mode changes, or with news (extra).
    if (fid.summary && extra === undefined && serviceMode === statusMode && t < nextStatusAt) return;
    statusMode = serviceMode;
    const moving = phase === 'moving' && trip !== undefined;
    const sample = moving && trip!.samples ? sampleAt(trip!, t) : undefined;
    const speed = sample ? sample.v * trip!.dir : 0;
    const nearest = Math.round(pos / FLOOR_HEIGHT_M);
    // A door contact that opens mid-run (E03): one snapshot shows the car door opening at speed.
    let door = carDoor;
    if (moving && trip!.p1 === 'doorOpenWhileRunning' && !trip!.doorGlitched && Math.abs(speed) > 0.5 && Math.abs(pos - nearest * FLOOR_HEIGHT_M) > DOOR_ZONE_M) {
      trip!.doorGlitched = true;
      door = 'opening';
    }
    const record: StatusRecord = {
      schemaVersion: CONTRACT_VERSION, liftId: options.liftId, seq: seq++, ts: Math.round(t),
      serviceMode, direction: speed > 0.01 ? 'up' : speed < -0.01 ? 'down' : 'none',
      floor: Math.min(floors, Math.max(1, nearest + 1)), posMm: Math.round(pos * 1000), speedMps: round(speed, 3),
      doorZone: Math.abs(pos - nearest * FLOOR_HEIGHT_M) <= DOOR_ZONE_M, carDoor: door,
      landingDoorLocked: door === 'locked', safetyChainOk: true, doorLockChainOk: door === 'locked',
      passengersPresent: passengers > 0, loadPct: round(passengers * 75 / RATED_LOAD_KG * 100, 1), powerSource,
      finalLimitUp, finalLimitDown: false,
    };
    if (extra !== undefined) Object.assign(record, extra);
    push('status', record);
    nextStatusAt = t + (phase === 'moving' && !fid.fast ? fid.statusMovingMs : fid.statusIdleMs); // accelerated time: heartbeats only
  }

  function sampleAt(tr: Trip, now: number): MotionSample {
    const samples = tr.samples!;
    const i = Math.min(samples.length - 1, Math.max(0, Math.round((now - tr.startMs) / 10)));
    const s = samples[i]!;
    pos = (tr.from - 1) * FLOOR_HEIGHT_M + tr.dir * s.pos;
    return s;
  }

  function setPhase(p: Phase, durationMs: number): void {
    phase = p;
    phaseEndsAt = t + durationMs;
  }

  function goIdle(): void {
    phase = 'idle';
    phaseEndsAt = NEVER;
  }

  function startDoorCycle(): void {
    carDoor = 'opening';
    setPhase('doorsOpening', doorBase.open * 1000);
    status();
  }

  function startTrip(): void {
    const p1 = pendingP1;
    pendingP1 = undefined;
    const to = p1Destination(p1, floor, floors, rnd);
    const dir: 1 | -1 = to > floor ? 1 : -1;
    const distance = Math.abs(to - floor) * FLOOR_HEIGHT_M + p1DistanceOffsetM(p1, FLOOR_HEIGHT_M);
    const v = rated * (p1 === 'overspeed' ? rnd.uniform(1.2, 1.3) : rnd.uniform(0.97, 1.0));
    const limits = { vMps: v, aMps2: accel, jMps3: jerk };
    const plan = sCurvePlan(distance, limits);
    const samples = fid.fast ? undefined : sCurve(distance, limits);
    const loadPct = passengers * 75 / RATED_LOAD_KG * 100;
    trip = { from: floor, to, startMs: t, plan, samples, dir, loadPct, p1 };
    setPhase('moving', (samples ? samples[samples.length - 1]!.t : plan.durationS) * 1000);
    status();
    chainChecks(floor);
  }

  /** Landing-lock and safety-chain contacts may open while running (E08, E07), floor-bound. */
  function chainChecks(from: number): void {
    const p = parts.physical(t);
    const lockHere = p.lockFloor === undefined || p.lockFloor === from;
    const pLock = lockHere ? 0.3 * Math.max(0, p.lockWear - 0.7) / 0.3 : 0; // a worn contact starts to open while running late in its wear
    if (pLock > 0 && physRnd.next() < pLock) emitFaults(ctrl.chainOpen('E08', from, Math.round((from - 1) * FLOOR_HEIGHT_M * 1000), passengers > 0));
    if (p.safetyChainProb > 0 && physRnd.next() < p.safetyChainProb) {
      const at = p.safetyChainFloor ?? from;
      emitFaults(ctrl.chainOpen('E07', at, Math.round(((at - 1) * FLOOR_HEIGHT_M + physRnd.normal(1.2, 0.05)) * 1000), passengers > 0));
    }
  }

  function finishTrip(tr: Trip): void {
    if (tr.samples) sampleAt(tr, phaseEndsAt);
    else pos = (tr.from - 1) * FLOOR_HEIGHT_M + tr.dir * (2 * tr.plan.rampM + tr.plan.vPk * tr.plan.tc);
    const p = parts.physical(t);
    const phys = tripPhysics(p, physRnd, { plan: tr.plan, dir: tr.dir, loadPct: tr.loadPct, rated, fromFloor: tr.from, toFloor: tr.to, startTs: tr.startMs, floorHeightM: FLOOR_HEIGHT_M, floors, relevelMm: options.relevelMm ?? 20, vibrationSampler, vibrationNoiseScale, envelope: envelope() });
    const fields = phys.fields;
    if (tr.p1 === 'unintendedMovement') fields.creepAfterStopMm = round(rnd.uniform(80, 250), 0);
    else if (tr.p1 !== undefined) fields.creepAfterStopMm = 0;
    if (tr.p1 !== undefined) { fields.stopErrMm = round(rnd.normal(0, 3.5), 1); fields.relevels = 0; fields.slipMm = round(rnd.normal(0, 0.5), 2); }
    if (tr.samples) stopOffLanding(tr.samples, tr.dir, fields);
    const tripSeq = push('trip', fields);
    if (keepRaw && tr.samples && phys.vibration) {
      raws.push(tripRaw({
        liftId: options.liftId, recordSeq: tripSeq, startMs: tr.startMs, fromFloor: tr.from, toFloor: tr.to, fromPosM: (tr.from - 1) * FLOOR_HEIGHT_M,
        targetPosM: (tr.to - 1) * FLOOR_HEIGHT_M, dir: tr.dir, samples: tr.samples, drive: driveSignals(tr.samples, tr.dir, tr.loadPct, p), vibration: phys.vibration, record: fields,
      }));
    }
    totals.trips++; totals.relevels += fields.relevels; totals.runS += fields.durationS;
    thermal.advance(t, p.motorRthX, phys.heatJ);
    floor = Math.min(floors, Math.max(1, Math.round(pos / FLOOR_HEIGHT_M) + 1));
    trip = undefined;
    if (tr.p1 === undefined) emitFaults(ctrl.trip(fields, phys.outsideZone, passengers > 0, phys.outsideZoneCause));
    emitFaults(ctrl.thermal(thermal.windingC()));
    if (ctrl.isActive('E17')) lockout = 'E17';
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
      if (lockout !== undefined && lockout !== 'E17') passengers = 0; // out of service: the passengers leave at this landing
      if (lockout === 'E02') { // the UCM device stopped the car: out of service until the corrective visit
        serviceMode = 'outOfService';
        passengers = 0;
        carDoor = 'open';
        status({ speedMps: 0, doorZone: false });
        carDoor = 'locked';
        phase = 'outOfService';
        phaseEndsAt = NEVER;
        status();
        return;
      }
      startDoorCycle();
    }
  }

  function onDoorsClosed(): void {
    const p = parts.physical(t);
    const boarding = passengers;
    const cycle = doorCycle(p, physRnd, { floor, boarding, base: doorBase, startTs: Math.round(t - (doorBase.open + doorBase.close) * 1000), raw: keepRaw, envelope: envelope() });
    carDoor = 'locked';
    const doorSeq = push('door', cycle.fields);
    if (cycle.raw) raws.push({ kind: 'door', liftId: options.liftId, recordSeq: doorSeq, floor, ...cycle.raw });
    totals.doors++;
    emitFaults(ctrl.doorCycle(cycle.fields));
  }

  function onPhaseEnd(): void {
    switch (phase) {
      case 'moving': return finishTrip(trip!);
      case 'doorsOpening': {
        carDoor = 'open';
        const leaving = passengers;
        passengers = Math.max(0, passengers - leaving) + rnd.int(0, 3);
        const dwellMs = rnd.uniform(2.5, 5) * 1000 + passengers * 800;
        if (fid.summary) { carDoor = 'closing'; setPhase('doorsClosing', dwellMs + doorBase.close * 1000); return undefined; } // no status in between: one event fewer
        setPhase('doorsOpen', dwellMs);
        return fid.fast ? undefined : status();
      }
      case 'doorsOpen': {
        carDoor = 'closing';
        setPhase('doorsClosing', doorBase.close * 1000);
        return fid.fast ? undefined : status();
      }
      case 'doorsClosing': {
        onDoorsClosed();
        if ((passengers > 0 || pendingP1) && lockout === undefined) return startTrip();
        goIdle();
        return status();
      }
      case 'stuck': {
        // Rescue: the car is brought to the nearest landing and the passengers leave.
        pos = Math.round(pos / FLOOR_HEIGHT_M) * FLOOR_HEIGHT_M;
        floor = Math.round(pos / FLOOR_HEIGHT_M) + 1;
        if (stuckAlarmAt === NEVER) emit('alarm', { kind: 'button', state: 'ended', floor, passengersPresent: false, ...rescueTimeline(alarmRaisedAt, t, physRnd) });
        stuckAlarmAt = NEVER;
        passengers = 0;
        if (stuckByOutage) {
          stuckByOutage = false;
          phase = 'powerOff';
          phaseEndsAt = NEVER;
          carDoor = 'open';
          status();
          carDoor = 'locked';
          return status();
        }
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
        goIdle();
        return status();
      }
      case 'maintenance': {
        serviceMode = afterVisitMode();
        goIdle();
        return status();
      }
      default: return undefined;
    }
  }

  function onCall(): void {
    nextCallAt = t + rnd.exponential(3_600_000 / Math.max(1, callRatePerHour(profile, t) * trafficScale));
    if (phase === 'idle' && lockout === undefined) startDoorCycle();
  }

  /** Mains lost: the car stops where it is; the automatic rescue device may bring it to a landing. */
  function powerLost(): void {
    powerSource = 'battery';
    serviceMode = 'outOfService';
    emitFaults(ctrl.powerLost(passengers > 0));
    if (phase === 'moving' && trip) {
      if (trip.samples) sampleAt(trip, t);
      else pos = (trip.from - 1) * FLOOR_HEIGHT_M + trip.dir * Math.min(1, (t - trip.startMs) / 1000 / trip.plan.durationS) * Math.abs(trip.to - trip.from) * FLOOR_HEIGHT_M;
      trip = undefined;
      floor = Math.min(floors, Math.max(1, Math.round(pos / FLOOR_HEIGHT_M) + 1));
      if (passengers > 0 && physRnd.next() < ardFailProb) {
        stuckByOutage = true;
        setPhase('stuck', physRnd.lognormal(17 * 60_000, 0.5)); // rescue arrival: city median about 17 min (docs/simulator.md)
        stuckAlarmAt = t + physRnd.uniform(20_000, 90_000);
        carDoor = 'locked';
        return status({ speedMps: 0 });
      }
      pos = Math.round(pos / FLOOR_HEIGHT_M) * FLOOR_HEIGHT_M; // the rescue device levels the car
      floor = Math.round(pos / FLOOR_HEIGHT_M) + 1;
    }
    passengers = 0;
    phase = 'powerOff';
    phaseEndsAt = NEVER;
    carDoor = 'open';
    status();
    carDoor = 'locked';
    status();
  }

  function powerBack(): void {
    powerSource = 'mains';
    emitFaults(ctrl.powerBack());
    if (phase === 'stuck') { stuckByOutage = false; return; } // the rescue is on its way; the car waits
    serviceMode = 'normal';
    goIdle();
    status();
  }

  function onEdge(e: (typeof edges)[number]): void {
    addTruth({ type: e.kind === 'onset' ? 'faultOnset' : 'faultClear', liftId: options.liftId, ts: Math.round(t), faultId: e.o.id, kind: e.o.kind, component: e.o.component });
    if (e.o.kind === 'powerOutage') { if (e.kind === 'onset') powerLost(); else powerBack(); }
  }

  function visit(kind: 'routine' | 'corrective'): void {
    const repaired = kind === 'routine' ? service.routine(t) : service.corrective(t, failedComponent);
    addTruth({ type: 'maintenance', liftId: options.liftId, ts: Math.round(t), visit: kind, repaired });
    if (kind === 'corrective') {
      failedComponent = undefined;
      emitFaults(ctrl.repaired(Object.keys(CORRECTIVE_REPAIRS).concat(['E06', 'E17'])));
      lockout = undefined;
      correctiveAt = NEVER;
    }
    serviceMode = 'inspection';
    if (phase === 'idle' || phase === 'outOfService') setPhase('maintenance', 45 * 60_000);
    status();
    if (phase !== 'maintenance') serviceMode = afterVisitMode();
    if (options.groundTruth) healthTruth();
  }

  /** In service after a visit, unless a failure still waits for its corrective visit. */
  function afterVisitMode(): StatusRecord['serviceMode'] {
    return failedComponent !== undefined ? 'outOfService' : 'normal';
  }

  function healthTruth(): void {
    for (const r of healthTracker.snapshot(t)) addTruth(r);
  }

  function deviceRecord(): void {
    const rssi = signalDbm(options.comms, options.startMs, t);
    push('device', { schemaVersion: CONTRACT_VERSION, ...envelope(), fwVersion: 'sim-2', rssiDbm: round(rnd.normal(rssi, 3), 0), bufferBacklog: 0, uptimeS: Math.round((t - options.startMs) / 1000) });
  }

  /** Runs the lift up to `untilMs` and returns the records it emitted, oldest first. */
  function advanceTo(untilMs: number): LiftRecord[] {
    for (;;) {
      const edgeAt = edges[edgeIndex]?.at ?? NEVER;
      const next = Math.min(phaseEndsAt, nextCallAt, nextStatusAt, stuckAlarmAt, nextEnvAt, nextDeviceAt, nextCountersAt, nextBrakeTestAt, nextTruthAt, nextVisitAt, correctiveAt, edgeAt);
      if (next > untilMs) break;
      t = next;
      if (next === edgeAt) onEdge(edges[edgeIndex++]!);
      else if (next === phaseEndsAt) onPhaseEnd();
      else if (next === stuckAlarmAt) {
        stuckAlarmAt = NEVER;
        alarmRaisedAt = t;
        emit('alarm', { kind: 'button', state: 'raised', floor, passengersPresent: true });
      } else if (next === nextCallAt) onCall();
      else if (next === nextEnvAt) {
        nextEnvAt = t + fid.envPeriodMs;
        thermal.advance(t, parts.physical(t).motorRthX, 0);
        push('env', thermal.reading(rnd, t, powerSource === 'mains', envelope()));
        emitFaults(ctrl.thermal(thermal.windingC()));
        if (lockout === 'E17' && failedComponent === undefined && !ctrl.isActive('E17')) lockout = undefined;
      } else if (next === nextDeviceAt) {
        nextDeviceAt = t + fid.devicePeriodMs;
        deviceRecord();
      } else if (next === nextCountersAt) {
        nextCountersAt = t + 3_600_000;
        push('counters', { schemaVersion: CONTRACT_VERSION, ...envelope(), tripsTotal: totals.trips, doorCyclesTotal: totals.doors, relevelsTotal: totals.relevels, brakeCyclesTotal: totals.trips + totals.relevels, ropeBendsTotal: totals.trips * 3, runHoursTotal: round(totals.runS / 3600, 3) });
      } else if (next === nextBrakeTestAt) {
        nextBrakeTestAt += DAY_MS;
        if (powerSource === 'mains') emitFaults(ctrl.brakeTest(brakeHoldN(parts.physical(t)), BRAKE_TEST_N));
      } else if (next === nextTruthAt) {
        nextTruthAt = t + DAY_MS;
        healthTruth();
      } else if (next === nextVisitAt) {
        if (phase === 'idle') { nextVisitAt = t + visitEvery; visit('routine'); } else nextVisitAt = t + 5 * 60_000;
      } else if (next === correctiveAt) {
        if (phase === 'idle' || (phase === 'outOfService' && lockout !== undefined)) visit('corrective');
        else correctiveAt = t + 5 * 60_000;
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

  emit('registry', { ratedSpeedMps: rated, ratedLoadKg: RATED_LOAD_KG, lowestFloor: 1, highestFloor: floors, travelM: (floors - 1) * FLOOR_HEIGHT_M, type: 'traction', ...demoSite(options.liftId) });

  return {
    advanceTo, injectP1, liftId: options.liftId, floors, ratedSpeedMps: rated, phase: (): Phase => phase,
    now: (): number => t, // the simulated clock: the time of the last advanceTo, ms
    /** Records from now on at another fidelity (the physics and the random draws of the trips go on as they were). */
    setFidelity(f: Fidelity): void { fid = fidelityPeriods(options, f); nextStatusAt = Math.min(nextStatusAt, t + fid.statusIdleMs); },
    /** Ground-truth records since the last call (needs `groundTruth: true`). */
    drainTruth: (): TruthRecord[] => truth.splice(0),
    /** Raw windows of trips and door cycles since the last call (needs `raw: true`, full fidelity). */
    drainRaw: (): RawWindow[] => raws.splice(0),
  };
}

export type LiftSim = ReturnType<typeof createLiftSim>;
