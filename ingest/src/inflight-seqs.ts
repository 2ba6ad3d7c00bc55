import type { LiftState } from './lift-table.js';
import type { StoreOp } from './store/store-op.js';

/**
 * Seqs of a lift's records whose commit is still in flight, fields of its state (lift-table.ts; not
 * an object of their own: 4.6 MiB more for 150,000 lifts). A replay of such a record is skipped
 * before detection and acknowledged only once its first copy's commit succeeded; a failed commit
 * forgets the seq, so the terminal's resend is stored (never acknowledged-but-lost). Only seqs in
 * flight are kept: a lift has one slot, and a map only while more of its records are in flight at
 * once. A later replay runs the rules again (harmless: alert occurrences are unique per record, and
 * an older status never rewinds a lift's state) and is dropped by the store's key.
 */
export interface InflightSlot {
  /**
   * The seq in the slot (NO_SEQ: none) and the commit it waits for. A small integer, never NaN: a
   * field that once held NaN keeps every lift's seq as a boxed number (2.3 MiB for 150,000 lifts).
   */
  inflightSeq: number;
  inflightCommit: Promise<void> | undefined;
  inflightMore: Map<number, Promise<void>> | undefined;
}

/** No seq in the slot (decoding refuses a negative seq; and the empty slot has no commit to wait for). */
export const NO_SEQ = -1;

/** The commit of an earlier copy of this record, if one is in flight. */
export function earlierCopy(lift: LiftState, seq: number): Promise<void> | undefined {
  if (lift.inflightSeq === seq) return lift.inflightCommit;
  return lift.inflightMore?.get(seq);
}

/**
 * The seqs waiting for one commit, forgotten together once it settled: messages whose writes share a
 * commit share its promise (group-commit.ts), and so one handler, not one closure per message.
 * Flat: slot, seq, slot, seq, …
 */
interface Waiting { readonly committed: Promise<void>; readonly entries: Array<InflightSlot | number> }
let latest: Waiting | undefined;

/**
 * The seqs of the lift's records among `ops` are in flight until `committed` settles (the message
 * that carries them is stored and its alarms are done); then they are forgotten, whether it
 * succeeded or failed.
 */
export function inflightUntil(lift: LiftState, ops: readonly StoreOp[], committed: Promise<void>): void {
  const f: InflightSlot = lift;
  for (const op of ops) {
    if (op.kind !== 'record') continue;
    if (f.inflightCommit === undefined) {
      f.inflightSeq = op.seq;
      f.inflightCommit = committed;
    } else (f.inflightMore ??= new Map()).set(op.seq, committed);
    if (latest?.committed !== committed) {
      const w: Waiting = { committed, entries: [] };
      const forget = (): void => forgetAll(w);
      committed.then(forget, forget);
      latest = w;
    }
    latest.entries.push(f, op.seq);
  }
}

function forgetAll(w: Waiting): void {
  if (latest === w) latest = undefined;
  const { entries, committed } = w;
  for (let i = 0; i < entries.length; i += 2) {
    const f = entries[i] as InflightSlot;
    const seq = entries[i + 1] as number;
    if (f.inflightSeq === seq && f.inflightCommit === committed) {
      f.inflightSeq = NO_SEQ;
      f.inflightCommit = undefined;
    } else if (f.inflightMore?.get(seq) === committed) f.inflightMore.delete(seq);
    if (f.inflightMore?.size === 0) f.inflightMore = undefined;
  }
}
