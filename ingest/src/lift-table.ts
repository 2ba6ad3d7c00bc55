import type { LiftNumbers, ServiceMode } from '@liftwatch/contract';
import type { RuleMemory } from './detect/rule-memory.js';
import { NO_SEQ, type InflightSlot } from './inflight-seqs.js';

/**
 * A lift's number in this process: given at its first record (0, 1, 2, …; or, after a crash, when the
 * lift summaries replay the records stored since their last checkpoint), never reused, not kept across
 * restarts. Parts that keep something per lift may keep it in an array by this number.
 */
export type LiftIndex = number;

export type { LiftNumbers };

/**
 * What ingest keeps of one lift between its records, in one place: each step of a record finds it
 * with the one lookup the dispatcher makes (pipeline/dispatch.ts), instead of each keeping a map of
 * its own by lift id.
 */
export interface LiftState extends InflightSlot {
  readonly liftId: string;
  readonly index: LiftIndex;
  /** The rules' memory (detect/rule-memory.ts), from the lift's first record the rules see. */
  rules: RuleMemory | undefined;
  /** The service mode of its latest status (pipeline/service-mode.ts). */
  mode: ServiceMode | undefined;
  /** Its presence as last stored, and the MQTT client that sends its records (presence-tracker.ts). */
  presence: 'online' | 'offline' | undefined;
  client: string | undefined;
}


/** Every lift this process has met, by id and by index. */
export function createLiftTable() {
  const byId = new Map<string, LiftState>();
  const all: LiftState[] = [];
  function of(liftId: string): LiftState {
    let s = byId.get(liftId);
    if (s === undefined) {
      s = { liftId, index: all.length, rules: undefined, mode: undefined, presence: undefined, client: undefined, inflightSeq: NO_SEQ, inflightCommit: undefined, inflightMore: undefined };
      byId.set(liftId, s);
      all.push(s);
    }
    return s;
  }
  // The last lift asked for by id: the model serving asks for a stored record's lift twice in a row
  // (its feature state, then its scoring clock), and a lookup among a city's lifts misses the caches.
  let last: LiftState | undefined;
  const numbers: LiftNumbers = {
    numberOf: (liftId) => (last?.liftId === liftId ? last : (last = of(liftId))).index,
    find: (liftId) => {
      if (last?.liftId === liftId) return last.index;
      const s = byId.get(liftId);
      if (s !== undefined) last = s;
      return s?.index;
    },
    idOf: (index) => all[index]!.liftId,
    is: (index, liftId) => all[index]?.liftId === liftId,
  };
  return {
    /** The lift's state, made at its first sight. */
    of,
    /** The lift's state if it was met. */
    find: (liftId: string): LiftState | undefined => byId.get(liftId),
    /** The lift of an index. */
    at: (index: LiftIndex): LiftState | undefined => all[index],
    size: (): number => all.length,
    /** Every lift met, in the order of their indexes. */
    all: (): readonly LiftState[] => all,
    numbers,
  };
}

export type LiftTable = ReturnType<typeof createLiftTable>;
