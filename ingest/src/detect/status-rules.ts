import { isDoorShut, type StatusRecord } from '@liftwatch/contract';
import { comesAfter, evidenceOf, isoTime, type DetectorConfig, type Detection, type ServerTime } from './detection.js';

/** What the status rules remember about one lift between records. */
export interface LiftStatusState {
  ratedSpeedMps?: number;
  last?: StatusRecord;
  /** Condition keys currently true, so each fires once per episode (edge-triggered, LESSONS.md 1). */
  readonly active: Map<string, string>;
  /** Since when the car has stood still with doors shut and passengers on board. */
  still?: StillTimer;
  /** Since when every record has shown the terminal's clock behind (see clock-rules.ts). */
  clockBehind?: { sinceMono: number; sinceTs: number };
}

/**
 * The entrapment timer. Durations are server monotonic time (`sinceMono`, `lastMono`); `sinceTs` is the
 * device time it started, shown to people. After a restart the server's downtime is not known to have
 * been spent trapped: `unconfirmedMs` holds it until the terminal's next status confirms the condition.
 */
export interface StillTimer {
  sinceTs: number;
  sinceMono: number;
  floor: number;
  lastMono: number;
  last: StatusRecord;
  fired: boolean;
  unconfirmedMs?: number;
}

export function newLiftStatusState(): LiftStatusState {
  return { active: new Map() };
}

const doorText = (s: StatusRecord) => `car door ${s.carDoor}${s.carDoorB ? `, rear door ${s.carDoorB}` : ''}`;
const doorsShut = (s: StatusRecord) => isDoorShut(s.carDoor) && (s.carDoorB === undefined || isDoorShut(s.carDoorB));
const where = (s: StatusRecord) => `at floor ${s.floor}${s.doorZone ? ' in the door zone' : ' outside the door zone'}`;

/** Fires `code` when `key` becomes true and clears it when `key` becomes false. */
function edge(state: LiftStatusState, key: string, code: string, now: boolean, raise: () => Detection, liftId: string, out: Detection[]): void {
  const was = state.active.has(key);
  if (now && !was) {
    state.active.set(key, code);
    out.push(raise());
  } else if (!now && was) {
    state.active.delete(key);
    out.push({ action: 'clear', liftId, code, note: `condition ${key} no longer seen` });
  }
}

/**
 * The P1 rules on the status snapshot (domain §6b, §1.2.4): car moving with doors open (E02), door
 * opening while running (E03), overspeed (E04), overtravel at top and bottom (E05), and the start of
 * the entrapment timer (E01), which `entrapmentDue` completes.
 */
export function statusRules(cfg: DetectorConfig, state: LiftStatusState, s: StatusRecord, at: ServerTime): Detection[] {
  const out: Detection[] = [];
  const prev = state.last;
  if (prev && !follows(cfg, s, prev, at)) return out; // out of order: stored, but it does not rewind the lift's state
  state.last = s;
  const liftId = s.liftId;
  const moving = Math.abs(s.speedMps) > cfg.movingSpeedMps;
  const technicianPresent = s.serviceMode === 'inspection';
  const ev = (values: Record<string, unknown>) => evidenceOf(liftId, 'status', s, values);

  // E02 / E03: doors open while the car moves outside the door zone. Inside the zone, advance
  // opening and re-levelling with open doors are normal. In inspection mode a technician drives.
  const doorOpenMoving = moving && !doorsShut(s) && !s.doorZone && !technicianPresent;
  const openedWhileRunning = prev !== undefined && Math.abs(prev.speedMps) > cfg.movingSpeedMps && doorsShut(prev);
  const doorCode = state.active.get('doorOpenMoving') ?? (openedWhileRunning ? 'E03' : 'E02');
  edge(state, 'doorOpenMoving', doorCode, doorOpenMoving, () => ({
    action: 'raise', code: doorCode, passengersPresent: s.passengersPresent,
    reason: doorCode === 'E03'
      ? `Door opened while running: ${doorText(s)} at ${s.speedMps.toFixed(2)} m/s ${where(s)}; the status before (seq ${prev?.seq}) had the doors shut at ${prev?.speedMps.toFixed(2)} m/s`
      : `Car moving at ${s.speedMps.toFixed(2)} m/s with ${doorText(s)} ${where(s)}`,
    evidence: ev({ speedMps: s.speedMps, carDoor: s.carDoor, carDoorB: s.carDoorB, doorZone: s.doorZone, floor: s.floor, previousSeq: prev?.seq, previousCarDoor: prev?.carDoor, previousSpeedMps: prev?.speedMps }),
  }), liftId, out);

  // E04: overspeed, only where the rated speed is known from the registry record.
  const limit = state.ratedSpeedMps === undefined ? undefined : state.ratedSpeedMps * cfg.overspeedFactor;
  edge(state, 'overspeed', 'E04', limit !== undefined && Math.abs(s.speedMps) > limit, () => ({
    action: 'raise', code: 'E04', passengersPresent: s.passengersPresent,
    reason: `Overspeed: ${Math.abs(s.speedMps).toFixed(2)} m/s ${where(s)}, above ${cfg.overspeedFactor} × rated ${state.ratedSpeedMps} m/s = ${limit?.toFixed(2)} m/s`,
    evidence: ev({ speedMps: s.speedMps, ratedSpeedMps: state.ratedSpeedMps, limitMps: limit, floor: s.floor }),
  }), liftId, out);

  // E05: final limit switches (GB/T 24476-2017 codes 09 top, 10 bottom).
  edge(state, 'overtravelTop', 'E05', s.finalLimitUp === true, () => ({
    action: 'raise', code: 'E05', passengersPresent: s.passengersPresent,
    reason: `Overtravel at the top (冲顶): upper final limit switch operated at floor ${s.floor}, speed ${s.speedMps.toFixed(2)} m/s`,
    evidence: ev({ finalLimitUp: true, floor: s.floor, posMm: s.posMm, speedMps: s.speedMps }),
  }), liftId, out);
  edge(state, 'overtravelBottom', 'E05', s.finalLimitDown === true, () => ({
    action: 'raise', code: 'E05', passengersPresent: s.passengersPresent,
    reason: `Overtravel at the bottom (蹲底): lower final limit switch operated at floor ${s.floor}, speed ${s.speedMps.toFixed(2)} m/s`,
    evidence: ev({ finalLimitDown: true, floor: s.floor, posMm: s.posMm, speedMps: s.speedMps }),
  }), liftId, out);

  // E01: the entrapment timer starts when the car stands with doors shut and passengers inside.
  const trapped = !moving && doorsShut(s) && s.passengersPresent === true && !technicianPresent;
  if (!trapped) {
    if (state.still?.fired) out.push({ action: 'clear', liftId, code: 'E01', note: `status seq ${s.seq}: ${moving ? 'car moving' : !doorsShut(s) ? 'doors open' : 'no passengers detected'}` });
    delete state.still;
  } else if (!state.still || state.still.floor !== s.floor) {
    state.still = { sinceTs: s.ts, sinceMono: at.mono, floor: s.floor, lastMono: at.mono, last: s, fired: false };
  } else {
    const still = state.still;
    if (still.unconfirmedMs !== undefined) {
      // Still trapped after a restart: the downtime counts, as far as the device's own time agrees.
      still.sinceMono -= Math.min(still.unconfirmedMs, Math.max(0, s.ts - still.last.ts));
      delete still.unconfirmedMs;
    }
    still.last = s;
    still.lastMono = at.mono;
    const d = entrapmentDue(cfg, state, at);
    if (d) out.push(d);
  }
  return out;
}

/**
 * Whether status `s` is newer than the one the rules hold: by seq, or by device time when that time is
 * not in the future (a record stamped 2099 would otherwise hold the rules until 2099).
 */
function follows(cfg: DetectorConfig, s: StatusRecord, prev: StatusRecord, at: ServerTime): boolean {
  return s.ts > at.wall + cfg.clockMaxAheadS * 1000 ? s.seq > prev.seq : comesAfter(s, prev);
}

/**
 * Completes the entrapment timer, on a new status or on the periodic sweep (a terminal gone silent is
 * itself a sign: a power cut with passengers inside). The time is the server's monotonic clock: a
 * device clock set back or forward neither hides an entrapment nor invents one.
 */
export function entrapmentDue(cfg: DetectorConfig, state: LiftStatusState, at: ServerTime): Detection | undefined {
  const still = state.still;
  if (!still || still.fired) return undefined;
  const stillMs = at.mono - still.sinceMono;
  if (stillMs < cfg.entrapmentS * 1000) return undefined;
  still.fired = true;
  const s = still.last;
  const silentS = Math.round((at.mono - still.lastMono) / 1000);
  return {
    action: 'raise', code: 'E01', passengersPresent: true,
    reason: `Passengers trapped: doors ${s.carDoor}, passengers present and the car still ${where(s)} for ${Math.round(stillMs / 1000)} s since ${isoTime(still.sinceTs)}` +
      ` (rule: ${cfg.entrapmentS} s)${silentS >= 5 ? `; no status from the terminal for the last ${silentS} s` : ''}`,
    evidence: evidenceOf(s.liftId, 'status', s, { carDoor: s.carDoor, passengersPresent: true, speedMps: s.speedMps, floor: s.floor, doorZone: s.doorZone, stillSinceTs: still.sinceTs, stillForS: Math.round(stillMs / 1000) }),
  };
}
