import { errorText } from '@liftwatch/contract';
import type { DeadLetterCount, DeadLetterTally, DeadLetterWrite } from '@liftwatch/state-store';
import type { DeadLetterReader, DeadLetters, SharedDeadLetterStore } from './dead-letters.js';
import type { DeadLetterOp } from './store/store-op.js';
import { createDeadLetterQuota, terminalView, type DeadLetterLimits } from './store/dead-letter-quota.js';

/** The dead letters of every node as the dashboards read them from the shared store; any node can build it, with or without ingest. */
export function sharedDeadLetterReader(store: SharedDeadLetterStore, limits: DeadLetterLimits): DeadLetterReader {
  return {
    list: (opts) => store.list(opts),
    count: () => store.count(),
    terminals: async (limit = 100) => (await store.tallies(limit)).map((t) => terminalView(t, limits)),
  };
}

/**
 * Dead letters kept in the shared state store, for several ingest nodes (`--state-url`): so that a
 * dashboards node shows every node's. A batch's dead letters and per-terminal counts are written
 * before the batch itself, and its message is acknowledged only once both are stored. The quota is
 * decided then, on the shared counts as read at start and after each retention, plus what this node
 * kept since: a terminal talks to one node at a time, so it holds as it does on one node.
 */
export function createSharedDeadLetters(store: SharedDeadLetterStore, limits: DeadLetterLimits, log: (line: string) => void): DeadLetters {
  let stored: DeadLetterTally[] = [];
  const quota = createDeadLetterQuota(limits, () => stored);
  const readStored = (): Promise<void> => store.tallies().then((t) => { stored = t; quota.reload(); }, (err: unknown) => {
    log(`ingest: dead-letter counts not read from the shared store (the quota counts from zero until the next retention): ${errorText(err)}`);
  });
  let loaded = readStored();
  /** The dead letters of the batch being built, and its retention. */
  let admitted: DeadLetterOp[] = [];
  let retainBefore: number | undefined;
  let retained = false;

  /** What the batch keeps of its dead letters (within each terminal's quota), and the counts of each terminal. */
  function decide(ops: readonly DeadLetterOp[]): { letters: DeadLetterWrite[]; counts: DeadLetterCount[] } {
    const letters: DeadLetterWrite[] = [];
    const counts = new Map<string, DeadLetterCount>();
    for (const op of ops) {
      const raw = quota.admit(op);
      if (raw) letters.push({ rx: op.rx, topic: op.topic, clientId: op.clientId, code: op.code, reason: op.reason, size: op.size, raw });
      const key = op.clientId ?? '';
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { clientId: op.clientId, rejected: 0, dropped: 0, droppedBytes: 0, firstAt: op.rx, lastAt: op.rx, lastCode: op.code, lastReason: op.reason, lastTopic: op.topic }));
      c.rejected++;
      if (!raw) { c.dropped++; c.droppedBytes += op.size; }
      c.firstAt = Math.min(c.firstAt, op.rx);
      if (op.rx >= c.lastAt) Object.assign(c, { lastAt: op.rx, lastCode: op.code, lastReason: op.reason, lastTopic: op.topic });
    }
    return { letters, counts: [...counts.values()] };
  }

  return {
    admit(op) {
      admitted.push(op);
    },
    retain(before) {
      retainBefore = before;
    },
    writeAside() {
      if (admitted.length === 0 && retainBefore === undefined) return undefined;
      const ops = admitted;
      const before = retainBefore;
      admitted = [];
      retainBefore = undefined;
      retained = before !== undefined;
      return (async () => {
        await loaded;
        const { letters, counts } = decide(ops);
        if (before !== undefined) await store.deleteBefore(before);
        await store.add(letters, counts);
      })();
    },
    committed() {
      quota.commit();
      if (retained) loaded = readStored();
      retained = false;
    },
    rolledBack() {
      quota.rollback();
      admitted = [];
      retainBefore = undefined;
      retained = false;
    },
    reader: sharedDeadLetterReader(store, limits),
    dropped: () => quota.totals(),
    limits,
  };
}
