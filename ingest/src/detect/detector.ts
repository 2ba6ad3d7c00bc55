import type { LiftRecord } from '@liftwatch/contract';
import { clockRules } from './clock-rules.js';
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection, type ServerTime } from './detection.js';
import { alarmRules, faultRules, tripRules } from './event-rules.js';
import { entrapmentDue, newLiftStatusState, statusRules, type LiftStatusState, type StillTimer } from './status-rules.js';

/**
 * Safety detection, run on each record before it is stored (DESIGN.md: P1 events take the
 * shortest path). One dispatcher over the stream kinds; rules keep per-lift state in memory.
 */
export function createDetector(config: Partial<DetectorConfig> = {}) {
  const cfg: DetectorConfig = Object.freeze({ ...DEFAULT_DETECTOR_CONFIG, ...config });
  const lifts = new Map<string, LiftStatusState>();
  const stateOf = (liftId: string): LiftStatusState => {
    let s = lifts.get(liftId);
    if (!s) lifts.set(liftId, (s = newLiftStatusState()));
    return s;
  };

  /** Lifts whose entrapment timer runs, so the sweep need not visit every lift. */
  const timing = new Set<LiftStatusState>();

  /** Listeners told when a lift's rule state changed in a way worth saving (timers, open conditions, rated speed). */
  const changeListeners: Array<(liftId: string) => void> = [];
  const signature = (s: LiftStatusState) => `${s.still ? `${s.still.sinceTs}:${s.still.fired}` : ''}|${[...s.active.keys()].join(',')}`;
  const changed = (liftId: string) => { for (const l of changeListeners) l(liftId); };

  function onStatus(liftId: string, state: LiftStatusState, before: string, out: Detection[]): Detection[] {
    if (state.still && !state.still.fired) timing.add(state);
    else timing.delete(state);
    if (signature(state) !== before) changed(liftId);
    return out;
  }

  /** The rules of one record, `at` the moment it was received. */
  function onRecord(r: LiftRecord, at: ServerTime): Detection[] {
    const state = stateOf(r.record.liftId);
    const before = r.stream === 'status' ? signature(state) : ''; // taken before the clock rule may change the open conditions
    const clock = clockRules(cfg, state, r.stream, r.record, at);
    if (clock.length > 0 && r.stream !== 'status') changed(r.record.liftId); // a status compares the whole state below
    const rules = streamRules(r, state, before, at);
    return clock.length === 0 ? rules : [...clock, ...rules];
  }

  function streamRules(r: LiftRecord, state: LiftStatusState, before: string, at: ServerTime): Detection[] {
    switch (r.stream) {
      case 'status': return onStatus(r.record.liftId, state, before, statusRules(cfg, state, r.record, at));
      case 'fault': return faultRules(r.record);
      case 'alarm': return alarmRules(r.record);
      case 'trip': return tripRules(cfg, r.record);
      case 'registry': {
        if (state.ratedSpeedMps !== r.record.ratedSpeedMps) {
          state.ratedSpeedMps = r.record.ratedSpeedMps;
          changed(r.record.liftId);
        }
        return [];
      }
      default: return [];
    }
  }

  /** Timers that fire without a new record: the entrapment timer of a lift gone silent. Call about once a second. */
  function sweep(at: ServerTime): Detection[] {
    const out: Detection[] = [];
    for (const state of timing) {
      const d = entrapmentDue(cfg, state, at);
      if (d) {
        out.push(d);
        timing.delete(state);
        if (state.last) changed(state.last.liftId);
      }
    }
    return out;
  }

  /** Seeds what the rules must know after a restart (rated speeds from the store). */
  function setRatedSpeed(liftId: string, ratedSpeedMps: number): void {
    stateOf(liftId).ratedSpeedMps = ratedSpeedMps;
  }

  /**
   * Per-lift rule state as plain JSON, to persist across restarts and share between nodes. A monotonic
   * clock means nothing in another process, so a running timer is saved as the time elapsed so far
   * and the wall time of the save.
   */
  function snapshot(liftIds: Iterable<string> | undefined, at: ServerTime): Array<[string, SavedLiftState]> {
    const ids = liftIds ? [...liftIds] : [...lifts.keys()];
    const out: Array<[string, SavedLiftState]> = [];
    for (const id of ids) {
      const s = lifts.get(id);
      if (s) out.push([id, { ...(s.ratedSpeedMps === undefined ? {} : { ratedSpeedMps: s.ratedSpeedMps }), ...(s.last ? { last: s.last } : {}), active: [...s.active], ...(s.still ? { still: savedTimer(s.still, at) } : {}) }]);
    }
    return out;
  }

  /**
   * Restores what `snapshot` saved (after a restart, or from another node). A running timer goes on from
   * the time it had elapsed; the wall time between the save and now counts once the terminal's next status
   * shows the condition still there (see StillTimer).
   */
  function restore(entries: Iterable<[string, SavedLiftState]>, at: ServerTime): void {
    for (const [id, saved] of entries) {
      const s = stateOf(id);
      if (saved.ratedSpeedMps !== undefined) s.ratedSpeedMps = saved.ratedSpeedMps;
      if (saved.last) s.last = saved.last;
      for (const [k, v] of saved.active) s.active.set(k, v);
      if (saved.still) {
        s.still = restoredTimer(saved.still, at);
        if (!s.still.fired) timing.add(s);
      }
    }
  }

  /** Drops a lift's state (before restoring a newer one saved by another node). */
  function forget(liftId: string): void {
    const s = lifts.get(liftId);
    if (s) timing.delete(s);
    lifts.delete(liftId);
  }

  return { onRecord, sweep, setRatedSpeed, snapshot, restore, forget, knows: (liftId: string): boolean => lifts.has(liftId), onStateChange: (l: (liftId: string) => void) => { changeListeners.push(l); }, config: cfg };
}

export type Detector = ReturnType<typeof createDetector>;

/** The JSON form of one lift's rule state. */
export interface SavedLiftState {
  ratedSpeedMps?: number;
  last?: LiftStatusState['last'];
  active: Array<[string, string]>;
  still?: SavedTimer;
}

/**
 * The entrapment timer as saved: `elapsedMs` by the server's clock when saved at wall time `savedAt`,
 * plus any downtime not yet confirmed. Older saves held `sinceRx` and `lastRx` (server times) instead.
 */
export interface SavedTimer {
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

function savedTimer(t: StillTimer, at: ServerTime): SavedTimer {
  return {
    sinceTs: t.sinceTs, floor: t.floor, last: t.last, fired: t.fired, elapsedMs: at.mono - t.sinceMono, savedAt: at.wall,
    ...(t.unconfirmedMs === undefined ? {} : { unconfirmedMs: t.unconfirmedMs }),
  };
}

function restoredTimer(t: SavedTimer, at: ServerTime): StillTimer {
  const elapsedMs = t.elapsedMs ?? Math.max(0, (t.lastRx ?? 0) - (t.sinceRx ?? 0));
  const awayMs = t.savedAt === undefined ? 0 : Math.max(0, at.wall - t.savedAt);
  return { sinceTs: t.sinceTs, floor: t.floor, last: t.last, fired: t.fired, sinceMono: at.mono - elapsedMs, lastMono: at.mono, unconfirmedMs: (t.unconfirmedMs ?? 0) + awayMs };
}
export { comesAfter, DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection, type ServerTime } from './detection.js';
