import { CONTRACT_VERSION, type DoorRecord } from '@liftwatch/contract';
import type { PhysicalState } from './components.js';
import type { Random } from './prng.js';
import { round2, round3, round4 } from './round.js';

/** Door-cycle fields as the terminal sends them (without the envelope). */
export type DoorFields = Omit<DoorRecord, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>;

/** Raw door signals of one cycle at 100 Hz: panel opening 0 (closed) … 1 (open), motor current (A), lock contact (1 made), light curtain (1 interrupted). */
export interface DoorRaw { fsHz: 100; startTs: number; position: number[]; currentA: number[]; lock: number[]; curtain: number[] }

export interface DoorCycleResult {
  fields: DoorRecord;
  /** Whole cycle length, s (opening + dwell + closing, with reopens). */
  durationS: number;
  /** Which physical causes shaped the cycle, for the ground truth. */
  debris: boolean; curtainFalse: number; misuse: boolean;
  raw?: DoorRaw;
}

/** One cycle's landing, passengers boarding, the lift's base times (s), the cycle's start and the record's envelope. */
export interface DoorContext { floor: number; boarding: number; base: { open: number; close: number }; startTs: number; raw: boolean; envelope: { liftId: string; seq: number; ts: number } }

/** Door operator constants (docs/simulator.md). */
const F0_N = 30; // track friction of a clean, new operator
const F_LIMIT_N = 120; // the operator's force limit; EN 81-20 5.3.6.2.2.1 caps closing force at 150 N
const PROTECT_S = 8; // door-time protection: a close that takes longer is abandoned and retried

/**
 * One door cycle from the door operator's force balance. Friction F_f = F0·(wear) + sill debris;
 * while F_f < 0.6·F_limit the speed controller holds the profile and the motor current rises with
 * F_f (the precursor); past that the current saturates and the movement stretches, and past the
 * door-time protection the close is abandoned (`timeoutClose`, the controller's E09).
 */
export function doorCycle(p: PhysicalState, rnd: Random, x: DoorContext): DoorCycleResult {
  const debris = rnd.next() < p.sillDebrisPer100 / 100;
  // Debris adds friction that grows with the fault (its severity is sillDebrisPer100 / 6): grit first, then gravel that jams the close.
  const friction = F0_N * p.doorFrictionX + (debris ? F0_N * rnd.uniform(0.5, 2.5) * (p.sillDebrisPer100 / 6) : 0);
  const misuse = rnd.next() < p.misuseProb;
  const openS = x.base.open * stretch(friction * 0.8) * rnd.lognormal(1, 0.025);
  let closeS = x.base.close * stretch(friction) * rnd.lognormal(1, 0.025);
  const iMean = 0.45 + 0.028 * Math.min(friction, F_LIMIT_N) + rnd.normal(0, 0.04);
  const iPeak = Math.min(0.45 + 0.028 * 150, iMean + 1.4 + rnd.normal(0, 0.08));
  // Re-opens: passengers crossing the curtain, false curtain triggers, door holding.
  let reopens = 0;
  let curtainInterrupts = 0;
  for (let k = 0; k < x.boarding; k++) if (rnd.next() < 0.03) { reopens++; curtainInterrupts++; }
  let curtainFalse = 0;
  while (curtainFalse < 8 && rnd.next() < p.curtainFalseProb) { curtainFalse++; reopens++; curtainInterrupts++; }
  let dwellS = rnd.uniform(2.5, 5) + 0.6 * x.boarding;
  if (misuse) { reopens += rnd.int(1, 3); dwellS += rnd.uniform(10, 60); }
  let result: DoorFields['result'] = 'ok';
  if (!(closeS <= PROTECT_S) || curtainFalse >= 8) { result = 'timeoutClose'; reopens++; closeS = Math.min(closeS, PROTECT_S); } // a curtain that never clears: the close is abandoned too
  const onLockFloor = p.lockFloor === undefined || p.lockFloor === x.floor;
  const lockMadeMs = rnd.lognormal(150 * (1 + (onLockFloor ? 3 * p.lockWear : 0)), 0.25 + (onLockFloor ? 0.5 * p.lockWear : 0));
  if (result === 'ok' && lockMadeMs > 3_000) result = 'lockFail';
  const reopenS = reopens * 1.5;
  const fields: DoorRecord = {
    schemaVersion: CONTRACT_VERSION, liftId: x.envelope.liftId, seq: x.envelope.seq, ts: x.envelope.ts,
    floor: x.floor, side: 'A', openS: round2(openS), dwellS: round2(dwellS), closeS: round2(closeS),
    lockMadeMs: Math.round(Math.min(lockMadeMs, 60_000)), reopens, curtainInterrupts, obstructedClose: debris || result !== 'ok',
    doorMotorIMeanA: round2(iMean), doorMotorIPeakA: round2(iPeak), result,
  };
  if (misuse) fields.doorImpactG = round2(rnd.uniform(0.5, 3));
  const out: DoorCycleResult = { fields, durationS: openS + dwellS + reopenS + closeS, debris, curtainFalse, misuse };
  if (x.raw) out.raw = doorRaw(fields, x.startTs);
  return out;
}

/** How much longer a movement takes against friction `f`: slightly, until the current saturates at 0.6·F_limit; then steeply; a stall at F_limit. */
function stretch(f: number): number {
  const knee = 0.6 * F_LIMIT_N;
  const base = 1 + 0.06 * (f / F0_N - 1);
  if (f >= F_LIMIT_N) return Number.POSITIVE_INFINITY; // stall
  return f <= knee ? base : base * (1 + 4 * (f - knee) / (F_LIMIT_N - knee));
}

/** Share of a smooth-step movement's time between its 5 % and 95 % positions, where the edge times a movement. */
const TIMED_SHARE = 0.7293; // 3u² − 2u³ passes 0.05 at u = 0.1353
/** Mean of sin⁸(πu) over a movement. */
const PULSE_MEAN = 35 / 128;
/** Share of a smooth-step movement's time before it passes 5 % (and after it passes 95 %). */
const EDGE_SHARE = (1 - TIMED_SHARE) / 2;

/**
 * 100 Hz samples from which the edge computation finds this summary (edge-agent door-summary.ts):
 * smooth-step movements whose 5 %–95 % times are `openS` and `closeS`, held open for `dwellS`, one
 * partial close and reopen per `reopens` (with a light-curtain pulse for each curtain interruption),
 * a close abandoned at door-time protection for `timeoutClose`, then the lock contact made
 * `lockMadeMs` after the door passes 5 % closed (never, for `lockFail`). The motor current is a
 * pulse over each movement, I_mean + (I_peak − I_mean)·(sin⁸(πu) − m)/(1 − m) with m = 35/128 the
 * mean of sin⁸: its mean over the movement is `doorMotorIMeanA`, its maximum `doorMotorIPeakA`, and
 * it stays positive.
 */
export function doorRaw(f: DoorFields, startTs: number): DoorRaw {
  const position: number[] = [];
  const currentA: number[] = [];
  const curtain: number[] = [];
  const iMean = f.doorMotorIMeanA ?? 0;
  const amp = (f.doorMotorIPeakA ?? 0) - iMean;
  const move = (seconds: number, from: number, to: number) => {
    const n = Math.max(1, Math.round(seconds * 100));
    for (let k = 0; k < n; k++) {
      const u = (k + 0.5) / n;
      position.push(round4(from + (to - from) * u * u * (3 - 2 * u)));
      currentA.push(round3(iMean + amp * (Math.sin(Math.PI * u) ** 8 - PULSE_MEAN) / (1 - PULSE_MEAN)));
      curtain.push(0);
    }
  };
  const hold = (seconds: number, at: number, current: number) => {
    for (let k = 0, n = Math.round(seconds * 100); k < n; k++) { position.push(at); currentA.push(current); curtain.push(0); }
  };
  const openMove = f.openS / TIMED_SHARE;
  const closeMove = f.closeS / TIMED_SHARE;
  const timeout = f.result === 'timeoutClose';
  move(openMove, 0, 1);
  hold(Math.max(0, f.dwellS - EDGE_SHARE * (openMove + closeMove)), 1, 0.1);
  const partial = Math.max(0, (f.reopens ?? 0) - (timeout ? 1 : 0));
  for (let r = 0; r < partial; r++) { // a partial close stopped by the curtain or a passenger, and the reopen
    move(closeMove / 2, 1, 0.5);
    if (r < (f.curtainInterrupts ?? 0)) for (let k = 1; k <= 20; k++) curtain[curtain.length - k] = 1;
    move(0.8, 0.5, 1);
    hold(1, 1, 0.1);
  }
  if (timeout) { // door-time protection: the close is abandoned short of closed, and the door reopens
    move(closeMove, 1, 0.3);
    move(0.8, 0.3, 1);
    hold(1, 1, 0.1);
    return { fsHz: 100, startTs, position, currentA, lock: position.map(() => 0), curtain };
  }
  const closeStart = position.length;
  move(closeMove, 1, 0);
  let closedAt = closeStart;
  while (position[closedAt]! > 0.05) closedAt++;
  const lockAt = f.result === 'lockFail' ? Number.POSITIVE_INFINITY : closedAt + Math.round((f.lockMadeMs ?? 150) / 10);
  hold(Math.max(0.5, (Math.min(f.lockMadeMs ?? 150, 3_000) + 300) / 1000), 0, 0.3); // held closed while the lock is made
  return { fsHz: 100, startTs, position, currentA, lock: position.map((_, i) => (i >= lockAt ? 1 : 0)), curtain };
}
