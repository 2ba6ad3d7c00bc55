import type { DoorRecord } from '@liftwatch/contract';
import type { DoorRaw } from './raw.js';
import { round } from './signal-math.js';

export type DoorSummary = Omit<DoorRecord, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>;

/** Thresholds on the door opening: below CLOSED the door is shut, above OPEN it is fully open. */
const CLOSED = 0.05;
const OPEN = 0.95;
/** A closing door that opens again by this much is a reopen (hysteresis against encoder jitter). */
const REOPEN_HYSTERESIS = 0.05;

/**
 * One door cycle's summary from the door operator's raw signals (`door` in docs/telemetry.md#why-these-fields): opening, dwell
 * and closing times between the 5 % and 95 % positions, reopens, lock delay, curtain interruptions,
 * motor current while moving, and the result.
 */
export function summarizeDoor(raw: DoorRaw): DoorSummary {
  const pos = raw.position.samples;
  const fs = raw.position.fsHz;
  const n = pos.length;
  const firstMove = indexWhere(pos, 0, (p) => p > CLOSED);
  const fullyOpen = firstMove < 0 ? -1 : indexWhere(pos, firstMove, (p) => p >= OPEN);
  let closeStart = -1;
  let closed = -1;
  if (fullyOpen >= 0) {
    closed = indexWhere(pos, fullyOpen, (p) => p <= CLOSED);
    // The final closing starts where the door last left the fully-open position before it shut.
    const end = closed < 0 ? n - 1 : closed;
    for (let i = end; i >= fullyOpen; i--) if (pos[i]! >= OPEN) { closeStart = i; break; }
  }
  const lockAt = closed >= 0 && raw.lock ? indexWhere(raw.lock, closed, (l) => l >= 0.5) : -1;
  const result: DoorSummary['result'] = fullyOpen < 0 ? 'timeoutOpen' : closed < 0 ? 'timeoutClose' : raw.lock && lockAt < 0 ? 'lockFail' : 'ok';

  const summary: DoorSummary = {
    floor: raw.floor,
    side: raw.side,
    openS: fullyOpen < 0 ? round((n - Math.max(firstMove, 0)) / fs, 2) : round((fullyOpen - firstMove) / fs, 2),
    dwellS: closeStart < 0 ? 0 : round((closeStart - fullyOpen) / fs, 2),
    closeS: closed < 0 || closeStart < 0 ? 0 : round((closed - closeStart) / fs, 2),
    reopens: countReopens(pos, fullyOpen, closed < 0 ? n - 1 : closed),
    result,
  };
  if (lockAt >= 0) summary.lockMadeMs = round(((lockAt - closed) * 1000) / fs, 0);
  if (raw.curtain) summary.curtainInterrupts = risingEdges(raw.curtain);
  if (raw.motorIA) addCurrent(summary, raw.motorIA, pos);
  return summary;
}

function indexWhere(x: ArrayLike<number>, from: number, test: (v: number) => boolean): number {
  for (let i = Math.max(0, from); i < x.length; i++) if (test(x[i]!)) return i;
  return -1;
}

/** A door that was closing and opens again by more than the hysteresis counts as one reopen. */
function countReopens(pos: ArrayLike<number>, from: number, to: number): number {
  if (from < 0) return 0;
  let reopens = 0;
  let low = pos[from]!;
  let closing = false;
  for (let i = from + 1; i <= to; i++) {
    const p = pos[i]!;
    if (p < pos[i - 1]! - 1e-9 && p < OPEN) closing = true;
    if (closing) {
      low = Math.min(low, p);
      if (p > low + REOPEN_HYSTERESIS) {
        reopens++;
        closing = false;
        low = p;
      }
    } else low = p;
  }
  return reopens;
}

function risingEdges(x: ArrayLike<number>): number {
  let edges = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! >= 0.5 && x[i - 1]! < 0.5) edges++;
  return edges;
}

/** Door motor current while the door moves (not while it is held open or shut). */
function addCurrent(summary: DoorSummary, current: ArrayLike<number>, pos: ArrayLike<number>): void {
  let sum = 0;
  let count = 0;
  let peak = 0;
  for (let i = 1; i < current.length && i < pos.length; i++) {
    const moving = Math.abs(pos[i]! - pos[i - 1]!) > 1e-6;
    const amps = Math.abs(current[i]!);
    peak = Math.max(peak, amps);
    if (moving) {
      sum += amps;
      count++;
    }
  }
  if (count > 0) summary.doorMotorIMeanA = round(sum / count, 3);
  summary.doorMotorIPeakA = round(peak, 3);
}
