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

  function onStatus(state: LiftStatusState, out: Detection[]): Detection[] {
    if (state.still && !state.still.fired) timing.add(state);
    else timing.delete(state);
    return out;
  }

  function onRecord(r: LiftRecord, rx: number): Detection[] {
    switch (r.stream) {
      case 'status': {
        const state = stateOf(r.record.liftId);
        return onStatus(state, statusRules(cfg, state, r.record, rx));
      }
      case 'fault': return faultRules(r.record);
      case 'alarm': return alarmRules(r.record);
      case 'trip': return tripRules(cfg, r.record);
      case 'registry':
        stateOf(r.record.liftId).ratedSpeedMps = r.record.ratedSpeedMps;
        return [];
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
      }
    }
    return out;
  }

  /** Seeds what the rules must know after a restart (rated speeds from the store). */
  function setRatedSpeed(liftId: string, ratedSpeedMps: number): void {
    stateOf(liftId).ratedSpeedMps = ratedSpeedMps;
  }

  return { onRecord, sweep, setRatedSpeed, config: cfg };
}

export type Detector = ReturnType<typeof createDetector>;
export { DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection } from './detection.js';
