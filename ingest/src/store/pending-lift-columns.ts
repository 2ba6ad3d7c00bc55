import { comesAfter } from '../detect/detection.js';
import type { PendingLift } from './lift-summary-delta.js';

/**
 * The pending lift summaries (lift-summary-delta.ts's PendingLift) as columns, by a lift's slot (a
 * small number the lift summaries give each lift they meet): a city's 150,000 pending lifts held as
 * objects in a Map cost an object, two boxed numbers and a Map entry each (about 20 MiB), as columns
 * 41 bytes each. The order in which lifts first changed is kept, so checkpoints write them in that order.
 */
export function createPendingLiftColumns() {
  let lastSeenRx = new Float64Array(0);
  let records = new Float64Array(0);
  let statusTs = new Float64Array(0);
  let statusSeq = new Float64Array(0);
  /** The latest status body of a slot; undefined: none pending, or the slot holds nothing. */
  const bodies: Array<string | undefined> = [];
  /** The slots holding changes, in the order they first changed: 1 in `held`. */
  let held = new Uint8Array(0);
  const order: number[] = [];

  /** Room for `slot`, and a quarter more: less unused room than doubling, and few copies still. */
  function grow(slot: number): void {
    const size = Math.max(1024, Math.ceil((slot + 1) * 1.25));
    const wider = (old: Float64Array) => { const a = new Float64Array(size); a.set(old); return a; };
    lastSeenRx = wider(lastSeenRx);
    records = wider(records);
    statusTs = wider(statusTs);
    statusSeq = wider(statusSeq);
    const h = new Uint8Array(size);
    h.set(held);
    held = h;
  }

  /** As lift-summary-delta.ts's addTo: counts add up, the newest receive time wins, the newest status by seq. */
  function add(slot: number, rx: number, body: string | undefined, ts: number, seq: number, n = 1): void {
    if (slot >= held.length) grow(slot);
    if (held[slot] === 0) {
      held[slot] = 1;
      order.push(slot);
      lastSeenRx[slot] = rx;
      records[slot] = n;
      bodies[slot] = body;
      statusTs[slot] = body === undefined ? -Infinity : ts;
      statusSeq[slot] = body === undefined ? -1 : seq;
      return;
    }
    lastSeenRx[slot] = Math.max(lastSeenRx[slot]!, rx);
    records[slot] = records[slot]! + n;
    if (body !== undefined && (bodies[slot] === undefined || comesAfter({ seq, ts }, { seq: statusSeq[slot]!, ts: statusTs[slot]! }))) {
      bodies[slot] = body;
      statusTs[slot] = ts;
      statusSeq[slot] = seq;
    }
  }

  return {
    add,
    /** What is pending for the slot, as an object (for reads and checkpoints, not kept), or undefined. */
    get(slot: number): PendingLift | undefined {
      if (slot >= held.length || held[slot] === 0) return undefined;
      return { lastSeenRx: lastSeenRx[slot]!, records: records[slot]!, statusBody: bodies[slot], statusTs: statusTs[slot]!, statusSeq: statusSeq[slot]! };
    },
    /** The slots holding changes, in the order they first changed. */
    slots: (): readonly number[] => order,
    size: (): number => order.length,
    /** Forgets the changes of the first `n` slots in order (a checkpoint's slice took them). */
    dropFirst(n: number): void {
      for (let i = 0; i < n && i < order.length; i++) {
        const slot = order[i]!;
        held[slot] = 0;
        bodies[slot] = undefined;
      }
      order.splice(0, n);
    },
    /** Forgets every change (the columns keep their room for the next ones). */
    clear(): void {
      for (const slot of order) {
        held[slot] = 0;
        bodies[slot] = undefined;
      }
      order.length = 0;
    },
  };
}

export type PendingLiftColumns = ReturnType<typeof createPendingLiftColumns>;
