import type { DeadLetterTerminalView } from '@liftwatch/contract';

/** How many dead letters are kept, and how much of each. */
export interface DeadLetterLimits {
  /** Days a dead letter is kept; older ones are deleted by the hourly retention. @defaultValue 14 */
  readonly days: number;
  /** Dead letters kept per terminal (MQTT client id); past it new ones are counted, not kept. @defaultValue 1000 */
  readonly maxPerTerminal: number;
  /** Bytes kept per terminal (payload heads and reasons); past it new ones are counted, not kept. @defaultValue 16 MiB */
  readonly maxBytesPerTerminal: number;
  /** First bytes of each payload kept with its reason and true size. @defaultValue 4096 */
  readonly keepBytes: number;
}

export const DEFAULT_DEAD_LETTER_LIMITS: DeadLetterLimits = Object.freeze({ days: 14, maxPerTerminal: 1000, maxBytesPerTerminal: 16 * 1024 * 1024, keepBytes: 4096 });

/** What the store holds of one terminal's dead letters (read at start and after retention). */
export interface StoredTally { clientId: string | null; kept: number; keptBytes: number; firstAt: number; lastAt: number; lastCode: string; lastReason: string; lastTopic: string }

interface Tally extends StoredTally { rejected: number; dropped: number; droppedBytes: number }

/** A dead letter as it arrives from the pipeline. */
interface Rejection { clientId: string | null; rx: number; topic: string; code: string; reason: string; raw: Uint8Array; size: number }

/**
 * The per-terminal quota of dead letters. One terminal sending 70 KB of junk ten times a second would
 * otherwise fill the disk (28 GB an hour); here each dead letter keeps its reason and the first
 * `keepBytes` of its payload, and a terminal past `maxPerTerminal` or `maxBytesPerTerminal` has its
 * further dead letters counted (`dropped`, by terminal and in total) instead of kept, until retention
 * frees room. The tallies also say which terminals send garbage (`terminals()`).
 * Admissions of the batch being written are pending until it committed (`commit`, `rollback`).
 */
export function createDeadLetterQuota(limits: DeadLetterLimits, stored: () => StoredTally[]) {
  const tallies = new Map<string, Tally>();
  const keyOf = (clientId: string | null) => clientId ?? '';
  let pending: Array<{ key: string; bytes: number }> = [];
  const totals = { dropped: 0, droppedBytes: 0 };

  function load(): void {
    for (const t of tallies.values()) Object.assign(t, { kept: 0, keptBytes: 0 });
    for (const s of stored()) {
      const t = tallies.get(keyOf(s.clientId));
      if (t) Object.assign(t, { kept: s.kept, keptBytes: s.keptBytes, firstAt: Math.min(t.firstAt, s.firstAt) });
      else tallies.set(keyOf(s.clientId), { ...s, rejected: 0, dropped: 0, droppedBytes: 0 });
    }
    for (const [key, t] of tallies) if (t.kept === 0 && t.rejected === 0) tallies.delete(key); // all its dead letters expired
  }
  load();

  function tallyOf(r: Rejection): Tally {
    let t = tallies.get(keyOf(r.clientId));
    if (!t) tallies.set(keyOf(r.clientId), (t = { clientId: r.clientId, kept: 0, keptBytes: 0, firstAt: r.rx, lastAt: r.rx, lastCode: r.code, lastReason: r.reason, lastTopic: r.topic, rejected: 0, dropped: 0, droppedBytes: 0 }));
    return t;
  }

  /** The bytes to keep of a dead letter, or undefined when its terminal is past its quota (then it is counted). */
  function admit(r: Rejection): Uint8Array | undefined {
    const t = tallyOf(r);
    Object.assign(t, { rejected: t.rejected + 1, lastAt: Math.max(t.lastAt, r.rx), lastCode: r.code, lastReason: r.reason, lastTopic: r.topic });
    const raw = r.raw.byteLength > limits.keepBytes ? r.raw.subarray(0, limits.keepBytes) : r.raw;
    const bytes = raw.byteLength + Buffer.byteLength(r.reason);
    const key = keyOf(r.clientId);
    let count = t.kept;
    let used = t.keptBytes;
    for (const p of pending) if (p.key === key) { count++; used += p.bytes; }
    if (count >= limits.maxPerTerminal || used + bytes > limits.maxBytesPerTerminal) {
      t.dropped++;
      t.droppedBytes += r.size;
      totals.dropped++;
      totals.droppedBytes += r.size;
      return undefined;
    }
    pending.push({ key, bytes });
    return raw;
  }

  function commit(): void {
    for (const p of pending) {
      const t = tallies.get(p.key);
      if (t) { t.kept++; t.keptBytes += p.bytes; }
    }
    pending = [];
  }

  /** Terminals with dead letters, the one that sent garbage most recently first. */
  function terminals(limit: number): DeadLetterTerminalView[] {
    return [...tallies.values()].sort((a, b) => b.lastAt - a.lastAt).slice(0, limit).map((t) => {
      const overQuota = t.dropped > 0 || t.kept >= limits.maxPerTerminal;
      const who = t.clientId === null ? 'the platform\'s own publishes' : `terminal ${t.clientId}`;
      return {
        clientId: t.clientId, kept: t.kept, keptBytes: t.keptBytes, rejectedSinceStart: t.rejected, droppedSinceStart: t.dropped, droppedBytesSinceStart: t.droppedBytes,
        firstAt: t.firstAt, lastAt: t.lastAt, lastCode: t.lastCode, lastReason: t.lastReason, lastTopic: t.lastTopic, overQuota,
        summary: `${who} sends messages that cannot be stored: ${t.kept} dead letters kept (${t.keptBytes} bytes)` +
          `${t.dropped > 0 ? `, ${t.dropped} more (${t.droppedBytes} bytes) not kept: past its quota of ${limits.maxPerTerminal} dead letters or ${limits.maxBytesPerTerminal} bytes` : ''}; ` +
          `last ${t.lastCode} on ${t.lastTopic}: ${t.lastReason}`,
      };
    });
  }

  return {
    admit,
    commit,
    rollback: (): void => { pending = []; },
    /** Reads the kept counts again from the store (after retention deleted some). */
    reload: load,
    terminals,
    totals: (): { dropped: number; droppedBytes: number } => ({ ...totals }),
    limits,
  };
}

export type DeadLetterQuota = ReturnType<typeof createDeadLetterQuota>;
