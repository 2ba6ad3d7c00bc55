import { isDoorShut, type StatusRecord } from '@liftwatch/contract';
import { evidenceOf, seqTsAfter, isoTime, type DetectorConfig, type Detection, type ServerTime } from './detection.js';
import { closeCondition, lastStatusOf, openCondition, rememberStatus, type RememberedStatus, type RuleMemory } from './rule-memory.js';

const doorText = (s: StatusRecord) => `car door ${s.carDoor}${s.carDoorB ? `, rear door ${s.carDoorB}` : ''}`;
const doorsShut = (s: { carDoor: StatusRecord['carDoor']; carDoorB?: StatusRecord['carDoorB'] | undefined }) => isDoorShut(s.carDoor) && (s.carDoorB === undefined || isDoorShut(s.carDoorB));
const where = (s: StatusRecord) => `at floor ${s.floor}${s.doorZone ? ' in the door zone' : ' outside the door zone'}`;

const NONE: Detection[] = [];

/** `out` with `d` added (a new array when `out` is the shared empty one). */
function push(out: Detection[], d: Detection): Detection[] {
  if (out === NONE) return [d];
  out.push(d);
  return out;
}

/**
 * Condition `key` follows `now`, which differs from whether it is open: opened (its alert `code`; the
 * caller raises), or cleared (the clear is added to `out`). Returns `out`.
 */
function edge(memory: RuleMemory, key: string, code: string, now: boolean, liftId: string, out: Detection[]): Detection[] {
  if (now) {
    openCondition(memory, key, code);
    return out;
  }
  closeCondition(memory, key);
  return push(out, { action: 'clear', liftId, code, note: `condition ${key} no longer seen` });
}

/**
 * The P1 rules on the status snapshot (docs/fault-codes.md, docs/safety-rules.md#what-retrofit-terminals-do): car moving with doors open (E02), door
 * opening while running (E03), overspeed (E04), overtravel at top and bottom (E05), and the start of
 * the entrapment timer (E01), which `entrapmentDue` completes. Most statuses change nothing: they
 * allocate nothing either (an alert's text is written only when it is raised).
 */
export function statusRules(cfg: DetectorConfig, memory: RuleMemory, s: StatusRecord, at: ServerTime): Detection[] {
  const hadPrev = memory.lastLiftId !== undefined;
  if (hadPrev && !follows(cfg, s, memory, at)) return NONE; // out of order: stored, but it does not rewind the rules' memory
  const liftId = s.liftId;
  const moving = Math.abs(s.speedMps) > cfg.movingSpeedMps;
  const technicianPresent = s.serviceMode === 'inspection';
  let out = NONE;

  // E02 / E03: doors open while the car moves outside the door zone. Inside the zone, advance
  // opening and re-levelling with open doors are normal. In inspection mode a technician drives.
  const doorOpenMoving = moving && !doorsShut(s) && !s.doorZone && !technicianPresent;
  if (doorOpenMoving !== memory.active.has('doorOpenMoving')) {
    const prev = lastStatusOf(memory);
    const openedWhileRunning = prev !== undefined && Math.abs(prev.speedMps) > cfg.movingSpeedMps && doorsShut(prev);
    const doorCode = memory.active.get('doorOpenMoving') ?? (openedWhileRunning ? 'E03' : 'E02');
    out = edge(memory, 'doorOpenMoving', doorCode, doorOpenMoving, liftId, out);
    if (doorOpenMoving) out = push(out, doorRaise(s, prev, doorCode));
  }
  rememberStatus(memory, s); // after the last look at the previous status: the memory's fields, now this status's

  // E04: overspeed, only where the rated speed is known from the registry record.
  const limit = memory.ratedSpeedMps === undefined ? undefined : memory.ratedSpeedMps * cfg.overspeedFactor;
  const overspeed = limit !== undefined && Math.abs(s.speedMps) > limit;
  if (overspeed !== memory.active.has('overspeed')) {
    out = edge(memory, 'overspeed', 'E04', overspeed, liftId, out);
    if (overspeed) {
      out = push(out, {
        action: 'raise', code: 'E04', passengersPresent: s.passengersPresent,
        reason: `Overspeed: ${Math.abs(s.speedMps).toFixed(2)} m/s ${where(s)}, above ${cfg.overspeedFactor} × rated ${memory.ratedSpeedMps} m/s = ${limit?.toFixed(2)} m/s`,
        reasonKey: 'status.overspeed', reasonParams: { speedMps: Math.abs(s.speedMps), floor: s.floor, doorZone: s.doorZone, factor: cfg.overspeedFactor, ratedSpeedMps: memory.ratedSpeedMps, limitMps: limit },
        evidence: evidenceOf(liftId, 'status', s, { speedMps: s.speedMps, ratedSpeedMps: memory.ratedSpeedMps, limitMps: limit, floor: s.floor }),
      });
    }
  }

  // E05: final limit switches (GB/T 24476-2017 codes 09 top, 10 bottom).
  const top = s.finalLimitUp === true;
  if (top !== memory.active.has('overtravelTop')) {
    out = edge(memory, 'overtravelTop', 'E05', top, liftId, out);
    if (top) {
      out = push(out, {
        action: 'raise', code: 'E05', passengersPresent: s.passengersPresent,
        reason: `Overtravel at the top (冲顶): upper final limit switch operated at floor ${s.floor}, speed ${s.speedMps.toFixed(2)} m/s`,
        reasonKey: 'status.overtravelTop', reasonParams: { floor: s.floor, speedMps: s.speedMps },
        evidence: evidenceOf(liftId, 'status', s, { finalLimitUp: true, floor: s.floor, posMm: s.posMm, speedMps: s.speedMps }),
      });
    }
  }
  const bottom = s.finalLimitDown === true;
  if (bottom !== memory.active.has('overtravelBottom')) {
    out = edge(memory, 'overtravelBottom', 'E05', bottom, liftId, out);
    if (bottom) {
      out = push(out, {
        action: 'raise', code: 'E05', passengersPresent: s.passengersPresent,
        reason: `Overtravel at the bottom (蹲底): lower final limit switch operated at floor ${s.floor}, speed ${s.speedMps.toFixed(2)} m/s`,
        reasonKey: 'status.overtravelBottom', reasonParams: { floor: s.floor, speedMps: s.speedMps },
        evidence: evidenceOf(liftId, 'status', s, { finalLimitDown: true, floor: s.floor, posMm: s.posMm, speedMps: s.speedMps }),
      });
    }
  }
  return entrapmentTimer(cfg, memory, s, moving, at, out);
}

/** E01: the entrapment timer starts when the car stands with doors shut and passengers inside; `entrapmentDue` fires it. */
function entrapmentTimer(cfg: DetectorConfig, memory: RuleMemory, s: StatusRecord, moving: boolean, at: ServerTime, out: Detection[]): Detection[] {
  const technicianPresent = s.serviceMode === 'inspection';
  const trapped = !moving && doorsShut(s) && s.passengersPresent === true && !technicianPresent;
  if (!trapped) {
    if (memory.still?.fired) out = push(out, { action: 'clear', liftId: s.liftId, code: 'E01', note: `status seq ${s.seq}: ${moving ? 'car moving' : !doorsShut(s) ? 'doors open' : 'no passengers detected'}` });
    if (memory.still) {
      memory.still = undefined;
      memory.changes++;
    }
    return out;
  }
  if (!memory.still || memory.still.floor !== s.floor) {
    memory.still = { sinceTs: s.ts, sinceMono: at.mono, floor: s.floor, lastMono: at.mono, last: s, fired: false };
    memory.changes++;
    return out;
  }
  const still = memory.still;
  if (still.unconfirmedMs !== undefined) {
    // Still trapped after a restart: the downtime counts, as far as the device's own time agrees.
    still.sinceMono -= Math.min(still.unconfirmedMs, Math.max(0, s.ts - still.last.ts));
    delete still.unconfirmedMs;
  }
  still.last = s;
  still.lastMono = at.mono;
  const d = entrapmentDue(cfg, memory, at);
  return d ? push(out, d) : out;
}

/** E02 or E03: the car moving with a door open. */
function doorRaise(s: StatusRecord, prev: RememberedStatus | undefined, doorCode: string): Detection {
  return {
    action: 'raise', code: doorCode, passengersPresent: s.passengersPresent,
    reason: doorCode === 'E03'
      ? `Door opened while running: ${doorText(s)} at ${s.speedMps.toFixed(2)} m/s ${where(s)}; the status before (seq ${prev?.seq}) had the doors shut at ${prev?.speedMps.toFixed(2)} m/s`
      : `Car moving at ${s.speedMps.toFixed(2)} m/s with ${doorText(s)} ${where(s)}`,
    reasonKey: doorCode === 'E03' ? 'status.doorOpenedRunning' : 'status.doorMoving',
    reasonParams: { speedMps: s.speedMps, carDoor: s.carDoor, floor: s.floor, doorZone: s.doorZone, previousSeq: prev?.seq, previousSpeedMps: prev?.speedMps },
    evidence: evidenceOf(s.liftId, 'status', s, { speedMps: s.speedMps, carDoor: s.carDoor, carDoorB: s.carDoorB, doorZone: s.doorZone, floor: s.floor, previousSeq: prev?.seq, previousCarDoor: prev?.carDoor, previousSpeedMps: prev?.speedMps }),
  };
}

/**
 * Whether status `s` is newer than the one the rules hold: by seq, or by device time when that time is
 * not in the future (a record stamped 2099 would otherwise hold the rules until 2099).
 */
function follows(cfg: DetectorConfig, s: StatusRecord, m: RuleMemory, at: ServerTime): boolean {
  return s.ts > at.wall + cfg.clockMaxAheadS * 1000 ? s.seq > m.lastSeq : seqTsAfter(s.seq, s.ts, m.lastSeq, m.lastTs);
}

/**
 * Completes the entrapment timer, on a new status or on the periodic sweep (a terminal gone silent is
 * itself a sign: a power cut with passengers inside). The time is the server's monotonic clock: a
 * device clock set back or forward neither hides an entrapment nor invents one.
 */
export function entrapmentDue(cfg: DetectorConfig, memory: RuleMemory, at: ServerTime): Detection | undefined {
  const still = memory.still;
  if (!still || still.fired) return undefined;
  const stillMs = at.mono - still.sinceMono;
  if (stillMs < cfg.entrapmentS * 1000) return undefined;
  still.fired = true;
  memory.changes++;
  const s = still.last;
  const silentS = Math.round((at.mono - still.lastMono) / 1000);
  return {
    action: 'raise', code: 'E01', passengersPresent: true,
    reason: `Passengers trapped: doors ${s.carDoor}, passengers present and the car still ${where(s)} for ${Math.round(stillMs / 1000)} s since ${isoTime(still.sinceTs)}` +
      ` (rule: ${cfg.entrapmentS} s)${silentS >= 5 ? `; no status from the terminal for the last ${silentS} s` : ''}`,
    reasonKey: 'status.entrapment', reasonParams: { carDoor: s.carDoor, floor: s.floor, doorZone: s.doorZone, stillForS: Math.round(stillMs / 1000), ruleS: cfg.entrapmentS, silentS },
    evidence: evidenceOf(s.liftId, 'status', s, { carDoor: s.carDoor, passengersPresent: true, speedMps: s.speedMps, floor: s.floor, doorZone: s.doorZone, stillSinceTs: still.sinceTs, stillForS: Math.round(stillMs / 1000) }),
  };
}
