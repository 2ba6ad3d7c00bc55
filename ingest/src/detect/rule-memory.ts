import type { LastStatus, StatusRecord } from '@liftwatch/contract';
import type { ServerTime } from './detection.js';

/**
 * The rules' memory of one lift between its records: the last status, the conditions open now, the
 * entrapment timer, the rated speed. Not to be confused with the lift's summary (latest status, last
 * seen, record count: store/sqlite-lift-summaries.ts), which is what people read.
 */
export interface RuleMemory {
  ratedSpeedMps?: number | undefined;
  /**
   * The lift of the last status the rules compared (undefined: none yet), then what they compare of
   * that status (status-rules.ts): only these fields, not the whole status (twenty fields and more,
   * about 25 MiB more heap for a city's 150,000 lifts), and in the memory's own fields rather than an
   * object of their own (150,000 objects and as many pointers to them: about 5 MiB). `lastCarDoorB` is undefined for a lift
   * without a rear door. Changed through rememberStatus and restoreRuleState; lastStatusOf reads them
   * as one object.
   */
  lastLiftId: string | undefined;
  lastTs: number;
  lastSeq: number;
  lastSpeedMps: number;
  lastCarDoor: StatusRecord['carDoor'] | undefined;
  lastCarDoorB: StatusRecord['carDoorB'] | undefined;
  /**
   * Condition keys currently true, so each fires once per episode (edge-triggered: docs/lessons.md#1-duplicate-and-flapping-alarms).
   * Changed through openCondition and closeCondition only: most lifts have none, and share one empty map.
   */
  active: ReadonlyMap<string, string>;
  /** Since when the car has stood still with doors shut and passengers on board. */
  still?: StillTimer | undefined;
  /** Since when every record has shown the terminal's clock behind (see clock-rules.ts). */
  clockBehind?: { sinceMono: number; sinceTs: number } | undefined;
  /**
   * Counts the changes worth saving (an open condition set or cleared, the entrapment timer started,
   * stopped or fired): the detector compares it before and after a record, with no copy of the memory.
   */
  changes: number;
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

/** What the rules compare of a lift's previous status, as one object (RuleMemory's `last…` fields). */
export interface RememberedStatus {
  readonly liftId: string;
  readonly ts: number;
  readonly seq: number;
  readonly speedMps: number;
  readonly carDoor: StatusRecord['carDoor'];
  readonly carDoorB: StatusRecord['carDoorB'] | undefined;
}

/**
 * The last status the rules compared, as a new object (a raise, a save: not the path of every
 * record), or undefined before the lift's first status.
 */
export function lastStatusOf(m: RuleMemory): RememberedStatus | undefined {
  if (m.lastLiftId === undefined) return undefined;
  return { liftId: m.lastLiftId, ts: m.lastTs, seq: m.lastSeq, speedMps: m.lastSpeedMps, carDoor: m.lastCarDoor!, carDoorB: m.lastCarDoorB };
}

/** The saved form of the last status (older saves held the whole status). */
function savedLast(r: RememberedStatus): LastStatus {
  const { carDoorB, ...rest } = r;
  return carDoorB === undefined ? rest : { ...rest, carDoorB };
}

/** The open conditions of a lift that has none: one map for them all (150,000 lifts would otherwise hold 150,000 empty maps). */
const NO_CONDITIONS: ReadonlyMap<string, string> = new Map();

export function newRuleMemory(): RuleMemory {
  // Every field from the start, and none deleted later: one object shape for every lift's memory.
  // The times and speed start as doubles (−∞, NaN): the fields keep one representation from the first status on.
  return {
    ratedSpeedMps: undefined, lastLiftId: undefined, lastTs: -Infinity, lastSeq: -1, lastSpeedMps: NaN, lastCarDoor: undefined, lastCarDoorB: undefined,
    active: NO_CONDITIONS, still: undefined, clockBehind: undefined, changes: 0,
  };
}

/** The lift's own map of open conditions, made at its first one. */
function conditions(m: RuleMemory): Map<string, string> {
  if (m.active === NO_CONDITIONS) m.active = new Map();
  return m.active as Map<string, string>;
}

/**
 * Keeps what the rules compare of status `s` as the lift's last one, in the memory's own fields: a
 * record kept for the ten seconds until the next would outlive the young generation, and 150,000 lifts
 * would leave old garbage for the collector at the city's status rate. The lift id stays the string
 * it was first set with (the same lift; no string of each status is kept).
 */
export function rememberStatus(m: RuleMemory, s: LastStatus): void {
  if (m.lastLiftId === undefined) m.lastLiftId = s.liftId;
  m.lastTs = s.ts;
  m.lastSeq = s.seq;
  m.lastSpeedMps = s.speedMps;
  m.lastCarDoor = s.carDoor;
  m.lastCarDoorB = s.carDoorB;
}

/**
 * Makes the lift's remembered status hold the lift's own id string (its state's, lift-table.ts) instead
 * of the copy its first status or its save was decoded with: one string a lift, not two (150,000
 * copies: 4.6 MiB). Once, when the first status is remembered.
 */
export function shareLiftId(m: RuleMemory, liftId: string): void {
  if (m.lastLiftId !== undefined) m.lastLiftId = liftId;
}

/** Opens condition `key` (its alert `code`). */
export function openCondition(m: RuleMemory, key: string, code: string): void {
  conditions(m).set(key, code);
  m.changes++;
}

/** Clears condition `key`. */
export function closeCondition(m: RuleMemory, key: string): void {
  if (m.active.has(key) && conditions(m).delete(key)) m.changes++;
}

/** One lift's rule memory as JSON: saved across restarts (SQLite) and shared between nodes (Redis). */
export interface SavedRuleState {
  ratedSpeedMps?: number;
  last?: LastStatus;
  active: Array<[string, string]>;
  still?: SavedRuleTimer;
}

/**
 * The entrapment timer as saved: `elapsedMs` by the server's clock when saved at wall time `savedAt`,
 * plus any downtime not yet confirmed. Older saves held `sinceRx` and `lastRx` (server times) instead.
 */
export interface SavedRuleTimer {
  sinceTs: number;
  floor: number;
  last: StillTimer['last'];
  fired: boolean;
  elapsedMs?: number;
  savedAt?: number;
  unconfirmedMs?: number;
  sinceRx?: number;
  lastRx?: number;
}

/**
 * The saved form of a lift's memory. A monotonic clock means nothing in another process, so a running
 * timer is saved as the time elapsed so far and the wall time of the save.
 */
export function savedRuleState(m: RuleMemory, at: ServerTime): SavedRuleState {
  return { ...(m.ratedSpeedMps === undefined ? {} : { ratedSpeedMps: m.ratedSpeedMps }), ...(m.lastLiftId !== undefined ? { last: savedLast(lastStatusOf(m)!) } : {}), active: [...m.active], ...(m.still ? { still: savedTimer(m.still, at) } : {}) };
}

/**
 * Restores a saved form into `m`. A running timer goes on from the time it had elapsed; the wall time
 * between the save and now counts once the terminal's next status shows the condition still there
 * (see StillTimer).
 */
export function restoreRuleState(m: RuleMemory, saved: SavedRuleState, at: ServerTime): void {
  if (saved.ratedSpeedMps !== undefined) m.ratedSpeedMps = saved.ratedSpeedMps;
  if (saved.last) {
    m.lastLiftId = undefined; // the saved lift id (then shared by the detector)
    rememberStatus(m, saved.last);
  }
  for (const [k, v] of saved.active) conditions(m).set(k, v);
  if (saved.still) m.still = restoredTimer(saved.still, at);
}

function savedTimer(t: StillTimer, at: ServerTime): SavedRuleTimer {
  return {
    sinceTs: t.sinceTs, floor: t.floor, last: t.last, fired: t.fired, elapsedMs: at.mono - t.sinceMono, savedAt: at.wall,
    ...(t.unconfirmedMs === undefined ? {} : { unconfirmedMs: t.unconfirmedMs }),
  };
}

function restoredTimer(t: SavedRuleTimer, at: ServerTime): StillTimer {
  const elapsedMs = t.elapsedMs ?? Math.max(0, (t.lastRx ?? 0) - (t.sinceRx ?? 0));
  const awayMs = t.savedAt === undefined ? 0 : Math.max(0, at.wall - t.savedAt);
  return { sinceTs: t.sinceTs, floor: t.floor, last: t.last, fired: t.fired, sinceMono: at.mono - elapsedMs, lastMono: at.mono, unconfirmedMs: (t.unconfirmedMs ?? 0) + awayMs };
}
