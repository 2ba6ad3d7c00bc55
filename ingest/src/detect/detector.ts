import type { LiftRecord } from '@liftwatch/contract';
import { createLiftTable, type LiftState, type LiftTable } from '../lift-table.js';
import { clockRules } from './clock-rules.js';
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection, type ServerTime } from './detection.js';
import { alarmRules, faultRules, tripRules } from './event-rules.js';
import { newRuleMemory, restoreRuleState, savedRuleState, shareLiftId, type RuleMemory, type SavedRuleState } from './rule-memory.js';
import { entrapmentDue, statusRules } from './status-rules.js';

/**
 * Safety detection, run on each record before it is stored (P1 events take the shortest path:
 * docs/architecture.md#pipeline). One dispatcher over the stream kinds; the rules keep a memory per
 * lift (rule-memory.ts), in the lift's state of ingest's lift table.
 */
export function createDetector(config: Partial<DetectorConfig> = {}, lifts: LiftTable = createLiftTable()) {
  const cfg: DetectorConfig = Object.freeze({ ...DEFAULT_DETECTOR_CONFIG, ...config });
  const memoryIn = (state: LiftState): RuleMemory => (state.rules ??= newRuleMemory());
  const memoryOf = (liftId: string): RuleMemory => memoryIn(lifts.of(liftId));

  /** Lifts whose entrapment timer runs, so the sweep need not visit every lift. */
  const timing = new Set<RuleMemory>();

  /** Listeners told when a lift's rule memory changed in a way worth saving (timers, open conditions, rated speed). */
  const changeListeners: Array<(liftId: string) => void> = [];
  const changed = (liftId: string) => { for (const l of changeListeners) l(liftId); };

  function onStatus(memory: RuleMemory, out: Detection[]): Detection[] {
    if (memory.still && !memory.still.fired) timing.add(memory);
    else if (timing.size > 0) timing.delete(memory);
    return out;
  }

  /** The rules of one record, `at` the moment it was received; `state`: its lift's, when the caller has it at hand. */
  function onRecord(r: LiftRecord, at: ServerTime, state?: LiftState): Detection[] {
    const lift = state ?? lifts.of(r.record.liftId);
    const memory = memoryIn(lift);
    const before = memory.changes;
    const hadLast = memory.lastLiftId !== undefined;
    const clock = clockRules(cfg, memory, r.stream, r.record, at);
    const rules = streamRules(r, memory, at);
    if (!hadLast) shareLiftId(memory, lift.liftId);
    if (memory.changes !== before) changed(r.record.liftId);
    return clock.length === 0 ? rules : [...clock, ...rules];
  }

  function streamRules(r: LiftRecord, memory: RuleMemory, at: ServerTime): Detection[] {
    switch (r.stream) {
      case 'status': return onStatus(memory, statusRules(cfg, memory, r.record, at));
      case 'fault': return faultRules(r.record);
      case 'alarm': return alarmRules(r.record);
      case 'trip': return tripRules(cfg, r.record);
      case 'registry': {
        if (memory.ratedSpeedMps !== r.record.ratedSpeedMps) {
          memory.ratedSpeedMps = r.record.ratedSpeedMps;
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
    for (const memory of timing) {
      const d = entrapmentDue(cfg, memory, at);
      if (d) {
        out.push(d);
        timing.delete(memory);
        if (memory.lastLiftId !== undefined) changed(memory.lastLiftId);
      }
    }
    return out;
  }

  /** Seeds what the rules must know after a restart (rated speeds from the store). */
  function setRatedSpeed(liftId: string, ratedSpeedMps: number): void {
    memoryOf(liftId).ratedSpeedMps = ratedSpeedMps;
  }

  /** The rule memory of these lifts (all: undefined) in its saved form, to persist across restarts and share between nodes. */
  function snapshot(liftIds: Iterable<string> | undefined, at: ServerTime): Array<[string, SavedRuleState]> {
    const out: Array<[string, SavedRuleState]> = [];
    for (const s of liftIds === undefined ? lifts.all() : [...liftIds].map((id) => lifts.find(id))) {
      if (s?.rules) out.push([s.liftId, savedRuleState(s.rules, at)]);
    }
    return out;
  }

  /** Restores what `snapshot` saved (after a restart, or from another node). */
  function restore(entries: Iterable<[string, SavedRuleState]>, at: ServerTime): void {
    for (const [id, saved] of entries) {
      const lift = lifts.of(id);
      const m = memoryIn(lift);
      restoreRuleState(m, saved, at);
      shareLiftId(m, lift.liftId);
      if (m.still && !m.still.fired) timing.add(m);
    }
  }

  /** Drops a lift's rule memory (before restoring a newer one saved by another node). */
  function forget(liftId: string): void {
    const s = lifts.find(liftId);
    if (s?.rules) timing.delete(s.rules);
    if (s) s.rules = undefined;
  }

  return { onRecord, sweep, setRatedSpeed, snapshot, restore, forget, knows: (liftId: string): boolean => lifts.find(liftId)?.rules !== undefined, onMemoryChange: (l: (liftId: string) => void) => { changeListeners.push(l); }, config: cfg };
}

export type Detector = ReturnType<typeof createDetector>;

export type { RuleMemory, SavedRuleState, SavedRuleTimer } from './rule-memory.js';
export { comesAfter, DEFAULT_DETECTOR_CONFIG, type DetectorConfig, type Detection, type ServerTime } from './detection.js';
