import type { LiftRecord } from '@liftwatch/contract';
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection } from './detection.js';
import { alarmRules, faultRules, tripRules } from './event-rules.js';
import { entrapmentDue, newLiftStatusState, statusRules, type LiftStatusState } from './status-rules.js';

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

  function onRecord(r: LiftRecord, rx: number): Detection[] {
    switch (r.stream) {
      case 'status': {
        const state = stateOf(r.record.liftId);
        const before = signature(state);
        return onStatus(r.record.liftId, state, before, statusRules(cfg, state, r.record, rx));
      }
      case 'fault': return faultRules(r.record);
      case 'alarm': return alarmRules(r.record);
      case 'trip': return tripRules(cfg, r.record);
      case 'registry': {
        const state = stateOf(r.record.liftId);
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
  function sweep(rx: number): Detection[] {
    const out: Detection[] = [];
    for (const state of timing) {
      const d = entrapmentDue(cfg, state, rx);
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

  /** Per-lift rule state as plain JSON, to persist across restarts. */
  function snapshot(liftIds?: Iterable<string>): Array<[string, SavedLiftState]> {
    const ids = liftIds ? [...liftIds] : [...lifts.keys()];
    const out: Array<[string, SavedLiftState]> = [];
    for (const id of ids) {
      const s = lifts.get(id);
      if (s) out.push([id, { ...(s.ratedSpeedMps === undefined ? {} : { ratedSpeedMps: s.ratedSpeedMps }), ...(s.last ? { last: s.last } : {}), active: [...s.active], ...(s.still ? { still: s.still } : {}) }]);
    }
    return out;
  }

  /** Restores what `snapshot` saved (after a restart). Server-time timers restart from now: the device clock carries on. */
  function restore(entries: Iterable<[string, SavedLiftState]>, rx: number): void {
    for (const [id, saved] of entries) {
      const s = stateOf(id);
      if (saved.ratedSpeedMps !== undefined) s.ratedSpeedMps = saved.ratedSpeedMps;
      if (saved.last) s.last = saved.last;
      for (const [k, v] of saved.active) s.active.set(k, v);
      if (saved.still) {
        s.still = { ...saved.still, sinceRx: rx - (saved.still.lastRx - saved.still.sinceRx), lastRx: rx };
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
  still?: NonNullable<LiftStatusState['still']>;
}
export { DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection } from './detection.js';
