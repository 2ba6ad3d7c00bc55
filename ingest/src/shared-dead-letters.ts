import { errorText } from '@liftwatch/contract';
import type { DeadLetterCount, DeadLetterTally, DeadLetterWrite } from '@liftwatch/state-store';
import type { DeadLetterReader, DeadLetters, SharedDeadLetterStore } from './dead-letters.js';
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
 * this node's view of the shared counts, read at start and after each retention: a terminal talks
 * to one node at a time, so it holds as it does on one node.
 */
export function createSharedDeadLetters(store: SharedDeadLetterStore, limits: DeadLetterLimits, log: (line: string) => void): DeadLetters {
  let stored: DeadLetterTally[] = [];
  const quota = createDeadLetterQuota(limits, () => stored);
  const readStored = (): void => {
    store.tallies().then((t) => { stored = t; quota.reload(); }, (err: unknown) => log(`ingest: dead-letter counts not read from the shared store (the quota counts from zero until the next retention): ${errorText(err)}`));
  };
  readStored();
  /** What the batch being built admitted, per terminal counted. */
  let letters: DeadLetterWrite[] = [];
  let counts = new Map<string, DeadLetterCount>();
  let retainBefore: number | undefined;
  let retained = false;

  function count(op: DeadLetterWrite, kept: boolean): void {
    const key = op.clientId ?? '';
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { clientId: op.clientId, rejected: 0, dropped: 0, droppedBytes: 0, firstAt: op.rx, lastAt: op.rx, lastCode: op.code, lastReason: op.reason, lastTopic: op.topic }));
    c.rejected++;
    if (!kept) { c.dropped++; c.droppedBytes += op.size; }
    c.firstAt = Math.min(c.firstAt, op.rx);
    if (op.rx >= c.lastAt) Object.assign(c, { lastAt: op.rx, lastCode: op.code, lastReason: op.reason, lastTopic: op.topic });
  }
  const clear = (): void => {
    letters = [];
    counts = new Map();
    retainBefore = undefined;
  };

  return {
    admit(op) {
      const raw = quota.admit(op);
      count(op, raw !== undefined);
      if (raw) letters.push({ rx: op.rx, topic: op.topic, clientId: op.clientId, code: op.code, reason: op.reason, size: op.size, raw });
    },
    retain(before) {
      retainBefore = before;
    },
    writeAside() {
      if (letters.length === 0 && counts.size === 0 && retainBefore === undefined) return undefined;
      const batch = { letters, counts: [...counts.values()], before: retainBefore };
      clear();
      retained = batch.before !== undefined;
      return (async () => {
        if (batch.before !== undefined) await store.deleteBefore(batch.before);
        await store.add(batch.letters, batch.counts);
      })();
    },
    committed() {
      quota.commit();
      clear();
      if (retained) readStored();
      retained = false;
    },
    rolledBack() {
      quota.rollback();
      clear();
      retained = false;
    },
    reader: sharedDeadLetterReader(store, limits),
    dropped: () => quota.totals(),
    limits,
  };
}
