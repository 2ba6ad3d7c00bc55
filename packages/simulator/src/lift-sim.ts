import { CONTRACT_VERSION, type LiftRecord, type RecordOf, type RecordStream, type StatusRecord } from '@liftwatch/contract';
import { createComponents } from './components.js';
import { fidelityPeriods, type Fidelity } from './fidelity.js';
import { CORRECTIVE_REPAIRS, createControllerLogic, type FaultEmission } from './controller.js';
import { doorCycle, type DoorContext } from './door-operator.js';
import type { LiftSimOptions } from './lift-options.js';
import { createHealthTruth, type TruthRecord } from './ground-truth.js';
import { afterVisitMode, overtravelReset, p1Aftermath, powerBack, powerLost, rescued, stoppedByUcm, takeOutOfService, visit, type LiftCore } from './lift-incidents.js';
import { createCar, createEnvelopes, createLiftRun, createTrip, nextEventAt, type Phase, type Trip } from './lift-run.js';
import { sCurve, sCurvePlanInto, type MotionSample } from './motion.js';
import { p1Destination, p1DistanceOffsetM, type P1Kind } from './p1.js';
import { createRandom, mixSeed, type Random } from './prng.js';
import { stopOffLanding, tripRaw, type RawWindow } from './raw.js';
import { createServiceLogic } from './service.js';
import { countersRecord, deviceRecord, DOOR_ZONE_M, FLOOR_HEIGHT_M, statusRecord } from './status-record.js';
import { createThermal } from './thermal.js';
import { createVibrationSampler } from './vibration.js';
import { callRatePerHour } from './traffic.js';
import { BRAKE_TEST_N, brakeHoldN, driveSignals, RATED_LOAD_KG, tripPhysics, type TripContext } from './trip-physics.js';
import { round1, round2 } from './round.js';

export { P1_KINDS, type P1Kind } from './p1.js';
export type { LiftSimOptions } from './lift-options.js';

const DAY_MS = 86_400_000;
const NEVER = Number.POSITIVE_INFINITY;

/**
 * One simulated traction lift (docs/simulator.md): traffic calls, door cycles from the door operator's
 * force balance, jerk-limited trips with drive current, heat, brake, levelling, traction and car
 * vibration, a controller whose fault logic emits codes from that physics, injected faults with
 * degradation laws, maintenance visits and a ground-truth stream. Deterministic: the same options
 * give the same records, byte for byte. Its incidents (P1 aftermath, rescue, power outages,
 * failures and visits) are in lift-incidents.ts.
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
  const startMs = options.startMs;
  const visitEvery = (options.maintenance?.everyDays ?? 0) * DAY_MS;
  const run = createLiftRun(startMs, options.seqBase, options.groundTruth === true, visitEvery, (options.maintenance?.firstAfterDays ?? options.maintenance?.everyDays ?? 0) * DAY_MS);
  const car = createCar(rnd.int(1, floors));
  let statusMode: StatusRecord['serviceMode'] | undefined; // the service mode of the last status record
  run.pos = (car.floor - 1) * FLOOR_HEIGHT_M;
  run.nextCallAt = startMs + rnd.exponential(3_600_000 / (callRatePerHour(profile, startMs) * trafficScale));
  run.nextEnvAt = startMs + rnd.uniform(0, 60_000);
  run.nextDeviceAt = startMs + rnd.uniform(0, 600_000);
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
  const envelope = createEnvelopes(options.liftId, run);
  const core: LiftCore = {
    liftId: options.liftId, car, run, floors, rnd, physRnd, ctrl, service, ardFailProb: options.ardFailProb ?? 0.7,
    status, setPhase, goIdle, startDoorCycle, emitFaults, emit, addTruth, sampleAt, healthTruth,
  };

  function emit<S extends RecordStream>(stream: S, fields: Omit<RecordOf<S>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>): number {
    const record = { schemaVersion: CONTRACT_VERSION, liftId: options.liftId, seq: run.seq++, ts: Math.round(run.t), ...fields };
    out.push({ stream, record } as LiftRecord);
    return record.seq;
  }

  function addTruth(r: TruthRecord): void {
    if (options.groundTruth) truth.push(r);
  }

  function push<S extends RecordStream>(stream: S, record: RecordOf<S>): number {
    out.push({ stream, record } as LiftRecord);
    return record.seq;
  }

  function emitFaults(list: readonly FaultEmission[]): void {
    for (let i = 0; i < list.length; i++) { // indexed: no iterator object per call, most calls have nothing to emit
      const e = list[i]!;
      const fields: Omit<RecordOf<'fault'>, 'schemaVersion' | 'liftId' | 'seq' | 'ts'> = { code: e.code, state: e.state, detector: e.detector };
      if (e.detail !== undefined) fields.detail = e.detail;
      if (e.floor !== undefined) fields.floor = e.floor;
      if (e.posMm !== undefined) fields.posMm = e.posMm;
      if (e.passengersPresent !== undefined) fields.passengersPresent = e.passengersPresent;
      const s = emit('fault', fields);
      addTruth({ type: 'cause', liftId: options.liftId, ts: Math.round(run.t), seq: s, code: e.code, state: e.state, component: e.component, faultIds: parts.causes(e.component, run.t) });
      const failure = car.failedComponent === undefined ? service.failure(e, run.t) : undefined;
      if (failure && options.maintenance) takeOutOfService(core, e.code, failure.component);
      else if (e.state === 'raised' && e.code in CORRECTIVE_REPAIRS && e.code !== 'E16' && run.correctiveAt === NEVER && options.maintenance) {
        run.correctiveAt = run.t + service.correctiveAfterMs();
      }
      if (e.state === 'raised' && e.code === 'E02') car.lockout = 'E02';
    }
  }

  function status(extra?: Partial<StatusRecord>): void {
    // Summary fidelity: status only as a heartbeat, when the service mode changes, or with news (extra).
    if (fid.summary && extra === undefined && car.serviceMode === statusMode && run.t < run.nextStatusAt) return;
    statusMode = car.serviceMode;
    const trip = car.trip;
    const moving = car.phase === 'moving' && trip !== undefined;
    const sample = moving && trip.samples ? sampleAt(trip, run.t) : undefined;
    const speed = sample ? sample.v * trip!.dir : 0;
    const nearest = Math.round(run.pos / FLOOR_HEIGHT_M);
    // A door contact that opens mid-run (E03): one snapshot shows the car door opening at speed.
    let door = car.carDoor;
    if (moving && trip.p1 === 'doorOpenWhileRunning' && !trip.doorGlitched && Math.abs(speed) > 0.5 && Math.abs(run.pos - nearest * FLOOR_HEIGHT_M) > DOOR_ZONE_M) {
      trip.doorGlitched = true;
      door = 'opening';
    }
    const record = statusRecord(envelope(), { serviceMode: car.serviceMode, speedMps: speed, posM: run.pos, floors, carDoor: door, passengers: car.passengers, powerSource: car.powerSource, finalLimitUp: car.finalLimitUp });
    if (extra !== undefined) Object.assign(record, extra);
    push('status', record);
    run.nextStatusAt = run.t + (car.phase === 'moving' && !fid.fast ? fid.statusMovingMs : fid.statusIdleMs); // accelerated time: heartbeats only
  }

  function sampleAt(tr: Trip, now: number): MotionSample {
    const samples = tr.samples!;
    const i = Math.min(samples.length - 1, Math.max(0, Math.round((now - tr.startMs) / 10)));
    const s = samples[i]!;
    run.pos = (tr.from - 1) * FLOOR_HEIGHT_M + tr.dir * s.pos;
    return s;
  }

  function setPhase(p: Phase, durationMs: number): void {
    car.phase = p;
    run.phaseEndsAt = run.t + durationMs;
  }

  function goIdle(): void {
    car.phase = 'idle';
    run.phaseEndsAt = NEVER;
  }

  function startDoorCycle(): void {
    car.carDoor = 'opening';
    setPhase('doorsOpening', doorBase.open * 1000);
    status();
  }

  const liftTrip = createTrip(rated, accel, jerk);

  function startTrip(): void {
    const p1 = car.pendingP1;
    car.pendingP1 = undefined;
    const from = car.floor;
    const to = p1Destination(p1, from, floors, rnd);
    const distance = Math.abs(to - from) * FLOOR_HEIGHT_M + p1DistanceOffsetM(p1, FLOOR_HEIGHT_M);
    const tr = liftTrip;
    tr.limits.vMps = rated * (p1 === 'overspeed' ? rnd.uniform(1.2, 1.3) : rnd.uniform(0.97, 1.0));
    const plan = sCurvePlanInto(distance, tr.limits, tr.plan);
    const samples = fid.fast ? undefined : sCurve(distance, tr.limits);
    tr.from = from; tr.to = to; tr.startMs = run.t; tr.samples = samples; tr.dir = to > from ? 1 : -1; tr.loadPct = car.passengers * 75 / RATED_LOAD_KG * 100; tr.p1 = p1; tr.doorGlitched = false;
    car.trip = tr;
    setPhase('moving', (samples ? samples[samples.length - 1]!.t : plan.durationS) * 1000);
    status();
    chainChecks(from);
  }

  /** Landing-lock and safety-chain contacts may open while running (E08, E07), floor-bound. */
  function chainChecks(from: number): void {
    const p = parts.physical(run.t);
    const lockHere = p.lockFloor === undefined || p.lockFloor === from;
    const pLock = lockHere ? 0.3 * Math.max(0, p.lockWear - 0.7) / 0.3 : 0; // a worn contact starts to open while running late in its wear
    if (pLock > 0 && physRnd.next() < pLock) emitFaults(ctrl.chainOpen('E08', from, Math.round((from - 1) * FLOOR_HEIGHT_M * 1000), car.passengers > 0));
    if (p.safetyChainProb > 0 && physRnd.next() < p.safetyChainProb) {
      const at = p.safetyChainFloor ?? from;
      emitFaults(ctrl.chainOpen('E07', at, Math.round(((at - 1) * FLOOR_HEIGHT_M + physRnd.normal(1.2, 0.05)) * 1000), car.passengers > 0));
    }
  }

  /** The lift's one trip context with this trip's fields (the physics reads it and keeps nothing of it). */
  const tripContext: TripContext = { plan: liftTrip.plan, dir: 1, loadPct: 0, rated, fromFloor: 1, toFloor: 2, startTs: 0, floorHeightM: FLOOR_HEIGHT_M, floors, relevelMm: options.relevelMm ?? 20, vibrationSampler, vibrationNoiseScale, envelope: { liftId: options.liftId, seq: 0, ts: 0 } };
  function tripContextOf(tr: Trip): TripContext {
    const c = tripContext;
    c.plan = tr.plan; c.dir = tr.dir; c.loadPct = tr.loadPct; c.fromFloor = tr.from; c.toFloor = tr.to; c.startTs = tr.startMs; c.envelope = envelope();
    return c;
  }

  function finishTrip(tr: Trip): void {
    if (tr.samples) sampleAt(tr, run.phaseEndsAt);
    else run.pos = (tr.from - 1) * FLOOR_HEIGHT_M + tr.dir * (2 * tr.plan.rampM + tr.plan.vPk * tr.plan.tc);
    const p = parts.physical(run.t);
    const phys = tripPhysics(p, physRnd, tripContextOf(tr));
    const fields = phys.fields;
    if (tr.p1 === 'unintendedMovement') fields.creepAfterStopMm = Math.round(rnd.uniform(80, 250));
    else if (tr.p1 !== undefined) fields.creepAfterStopMm = 0;
    if (tr.p1 !== undefined) { fields.stopErrMm = round1(rnd.normal(0, 3.5)); fields.relevels = 0; fields.slipMm = round2(rnd.normal(0, 0.5)); }
    if (tr.samples) stopOffLanding(tr.samples, tr.dir, fields);
    const tripSeq = push('trip', fields);
    if (keepRaw && tr.samples && phys.vibration) {
      raws.push(tripRaw({
        liftId: options.liftId, recordSeq: tripSeq, startMs: tr.startMs, fromFloor: tr.from, toFloor: tr.to, fromPosM: (tr.from - 1) * FLOOR_HEIGHT_M,
        targetPosM: (tr.to - 1) * FLOOR_HEIGHT_M, dir: tr.dir, samples: tr.samples, drive: driveSignals(tr.samples, tr.dir, tr.loadPct, p), vibration: phys.vibration, record: fields,
      }));
    }
    totals.trips++; totals.relevels += fields.relevels; totals.runS += fields.durationS;
    thermal.advance(run.t, p.motorRthX, phys.heatJ);
    car.floor = Math.min(floors, Math.max(1, Math.round(run.pos / FLOOR_HEIGHT_M) + 1));
    car.trip = undefined;
    if (tr.p1 === undefined) emitFaults(ctrl.trip(fields, phys.outsideZone, car.passengers > 0, phys.outsideZoneCause));
    emitFaults(ctrl.thermal(thermal.windingC()));
    if (ctrl.isActive('E17')) car.lockout = 'E17';
    if (p1Aftermath(core, tr.p1)) return;
    run.pos = (car.floor - 1) * FLOOR_HEIGHT_M;
    if (car.lockout !== undefined && car.lockout !== 'E17') car.passengers = 0; // out of service: the passengers leave at this landing
    if (car.lockout === 'E02') stoppedByUcm(core);
    else startDoorCycle();
  }

  /** The lift's one door-cycle context, its fields set before each cycle (the operator reads it and keeps nothing of it). */
  const doorContext: DoorContext = { floor: 1, boarding: 0, base: doorBase, startTs: 0, raw: keepRaw, envelope: { liftId: options.liftId, seq: 0, ts: 0 } };

  function onDoorsClosed(): void {
    const p = parts.physical(run.t);
    const x = doorContext;
    x.floor = car.floor; x.boarding = car.passengers; x.startTs = Math.round(run.t - (doorBase.open + doorBase.close) * 1000); x.envelope = envelope();
    const cycle = doorCycle(p, physRnd, x);
    car.carDoor = 'locked';
    const doorSeq = push('door', cycle.fields);
    if (cycle.raw) raws.push({ kind: 'door', liftId: options.liftId, recordSeq: doorSeq, floor: car.floor, ...cycle.raw });
    totals.doors++;
    emitFaults(ctrl.doorCycle(cycle.fields));
  }

  function onPhaseEnd(): void {
    switch (car.phase) {
      case 'moving': return finishTrip(car.trip!);
      case 'doorsOpening': {
        car.carDoor = 'open';
        car.passengers = rnd.int(0, 3); // those on board leave, others board
        const dwellMs = rnd.uniform(2.5, 5) * 1000 + car.passengers * 800;
        if (fid.summary) { car.carDoor = 'closing'; setPhase('doorsClosing', dwellMs + doorBase.close * 1000); return undefined; } // no status in between: one event fewer
        setPhase('doorsOpen', dwellMs);
        return fid.fast ? undefined : status();
      }
      case 'doorsOpen': {
        car.carDoor = 'closing';
        setPhase('doorsClosing', doorBase.close * 1000);
        return fid.fast ? undefined : status();
      }
      case 'doorsClosing': {
        onDoorsClosed();
        if ((car.passengers > 0 || car.pendingP1) && car.lockout === undefined) return startTrip();
        goIdle();
        return status();
      }
      case 'stuck': return rescued(core);
      case 'outOfService': return overtravelReset(core);
      case 'maintenance': {
        car.serviceMode = afterVisitMode(car);
        goIdle();
        return status();
      }
      default: return undefined;
    }
  }

  function onCall(): void {
    run.nextCallAt = run.t + rnd.exponential(3_600_000 / Math.max(1, callRatePerHour(profile, run.t) * trafficScale));
    if (car.phase === 'idle' && car.lockout === undefined) startDoorCycle();
  }

  function onEdge(e: (typeof edges)[number]): void {
    addTruth({ type: e.kind === 'onset' ? 'faultOnset' : 'faultClear', liftId: options.liftId, ts: Math.round(run.t), faultId: e.o.id, kind: e.o.kind, component: e.o.component });
    if (e.o.kind === 'powerOutage') { if (e.kind === 'onset') powerLost(core); else powerBack(core); }
  }

  function healthTruth(): void {
    if (options.groundTruth) for (const r of healthTracker.snapshot(run.t)) addTruth(r);
  }

  /** Runs the lift up to `untilMs` and returns the records it emitted, oldest first. */
  function advanceTo(untilMs: number): LiftRecord[] {
    for (;;) {
      const edgeAt = edges[edgeIndex]?.at ?? NEVER;
      const next = nextEventAt(run, edgeAt);
      if (next > untilMs) break;
      run.t = next;
      if (next === edgeAt) onEdge(edges[edgeIndex++]!);
      else if (next === run.phaseEndsAt) onPhaseEnd();
      else if (next === run.stuckAlarmAt) {
        run.stuckAlarmAt = NEVER;
        run.alarmRaisedAt = run.t;
        emit('alarm', { kind: 'button', state: 'raised', floor: car.floor, passengersPresent: true });
      } else if (next === run.nextCallAt) onCall();
      else if (next === run.nextEnvAt) {
        run.nextEnvAt = run.t + fid.envPeriodMs;
        thermal.advance(run.t, parts.physical(run.t).motorRthX, 0);
        push('env', thermal.reading(rnd, run.t, car.powerSource === 'mains', envelope()));
        emitFaults(ctrl.thermal(thermal.windingC()));
        if (car.lockout === 'E17' && car.failedComponent === undefined && !ctrl.isActive('E17')) car.lockout = undefined;
      } else if (next === run.nextDeviceAt) {
        run.nextDeviceAt = run.t + fid.devicePeriodMs;
        push('device', deviceRecord(envelope(), rnd, options.comms, startMs, run.t));
      } else if (next === run.nextCountersAt) {
        run.nextCountersAt = run.t + 3_600_000;
        push('counters', countersRecord(envelope(), totals));
      } else if (next === run.nextBrakeTestAt) {
        run.nextBrakeTestAt += DAY_MS;
        if (car.powerSource === 'mains') emitFaults(ctrl.brakeTest(brakeHoldN(parts.physical(run.t)), BRAKE_TEST_N));
      } else if (next === run.nextTruthAt) {
        run.nextTruthAt = run.t + DAY_MS;
        healthTruth();
      } else if (next === run.nextVisitAt) {
        if (car.phase === 'idle') { run.nextVisitAt = run.t + visitEvery; visit(core, 'routine'); } else run.nextVisitAt = run.t + 5 * 60_000;
      } else if (next === run.correctiveAt) {
        if (car.phase === 'idle' || (car.phase === 'outOfService' && car.lockout !== undefined)) visit(core, 'corrective');
        else run.correctiveAt = run.t + 5 * 60_000;
      } else status();
    }
    run.t = untilMs;
    return out.splice(0);
  }

  /** Makes the next trip show a P1 event; starts a trip at once if the lift is idle. */
  function injectP1(kind: P1Kind): void {
    car.pendingP1 = kind;
    if (kind === 'entrapment' && car.passengers === 0) car.passengers = 1;
    if (car.phase === 'idle') startDoorCycle();
  }

  emit('registry', { ratedSpeedMps: rated, ratedLoadKg: RATED_LOAD_KG, lowestFloor: 1, highestFloor: floors, travelM: (floors - 1) * FLOOR_HEIGHT_M, type: 'traction' });

  return {
    advanceTo, injectP1, liftId: options.liftId, floors, ratedSpeedMps: rated, phase: (): Phase => car.phase,
    now: (): number => run.t, // the simulated clock: the time of the last advanceTo, ms
    /** Records from now on at another fidelity (the physics and the random draws of the trips go on as they were). */
    setFidelity(f: Fidelity): void { fid = fidelityPeriods(options, f); run.nextStatusAt = Math.min(run.nextStatusAt, run.t + fid.statusIdleMs); },
    /** Ground-truth records since the last call (needs `groundTruth: true`). */
    drainTruth: (): TruthRecord[] => truth.splice(0),
    /** Raw windows of trips and door cycles since the last call (needs `raw: true`, full fidelity). */
    drainRaw: (): RawWindow[] => raws.splice(0),
  };
}

export type LiftSim = ReturnType<typeof createLiftSim>;
