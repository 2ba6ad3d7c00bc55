import type { LiftStateChanges } from '@liftwatch/ingest';
import type { LiftSummaryDelta } from '@liftwatch/state-store';

export interface SharedLiftsOptions {
  /** The shared `lifts` table (state.lifts of @liftwatch/state-store), structurally. */
  readonly lifts: { putSummaries(deltas: readonly LiftSummaryDelta[]): Promise<void> };
  /** Shortest time between two writes, ms; the changes of one lift in that time make one row. */
  readonly flushMs: number;
  /**
   * Largest share of the time the writes may keep the database busy: after a write that took D ms
   * the next waits at least D / maxBusy (a city's 150,000 rows take seconds). @defaultValue 0.2
   */
  readonly maxBusy?: number;
  /** Called with the lifts of each write that landed: now every node reads their new summary. */
  readonly onWritten?: (liftIds: string[]) => void;
  readonly log?: (line: string) => void;
}

/** Merges a newer change of a lift into what is waiting for it: counts add up, the newest of each value wins. */
export function mergeDelta(into: LiftSummaryDelta, d: LiftSummaryDelta): void {
  into.firstSeenAt = Math.min(into.firstSeenAt, d.firstSeenAt);
  into.lastSeenAt = Math.max(into.lastSeenAt, d.lastSeenAt);
  into.records += d.records;
  if (d.status && (!into.status || (d.status.seq ?? -1) > (into.status.seq ?? -1) || into.status.ts < d.status.ts)) into.status = d.status; // seq first: a clock may be set back
  if (d.registry && (!into.registry || into.registry.ts <= d.registry.ts)) into.registry = d.registry;
  if (d.presence && (!into.presence || into.presence.rx <= d.presence.rx)) into.presence = d.presence;
}

/**
 * The lifts' summaries of this ingest node, written to the shared state store (issue 9 §2) so that
 * every dashboards node sees every lift. Writing each record's change would cost one PostgreSQL
 * write per record (30,000 a second for 150,000 lifts at one status per 5 s); instead the changes
 * of each lift are merged in memory and written every `flushMs` (longer when a write takes long, so
 * that the writes keep the database busy at most `maxBusy` of the time) in a few statements, so the
 * database sees at most one row per changed lift per period. A failed write keeps its changes
 * for the next one (merged with what came meanwhile): the counts stay exact.
 */
export function createSharedLifts(o: SharedLiftsOptions) {
  let pending = new Map<string, LiftSummaryDelta>();
  let writing: Promise<void> | undefined;
  let failures = 0;
  let written = { flushes: 0, rows: 0, ms: 0 };

  const merge = (d: LiftSummaryDelta) => {
    const p = pending.get(d.liftId);
    if (p) mergeDelta(p, d);
    else pending.set(d.liftId, { ...d });
  };

  function add(c: LiftStateChanges): void {
    for (const [liftId, p] of c.delta) {
      merge({ liftId, firstSeenAt: p.lastSeenRx, lastSeenAt: p.lastSeenRx, records: p.records, status: p.statusBody === undefined ? undefined : { body: p.statusBody, ts: p.statusTs, seq: p.statusSeq } });
    }
    for (const r of c.registry) merge({ liftId: r.liftId, firstSeenAt: Infinity, lastSeenAt: -Infinity, records: 0, registry: { body: r.body, ts: r.ts } });
    // Presence is not a record: it leaves the last-seen time alone, as in the node's own table.
    for (const p of c.presence) merge({ liftId: p.liftId, firstSeenAt: Infinity, lastSeenAt: -Infinity, records: 0, presence: { state: p.state, rx: p.rx } });
  }

  /** Writes what is waiting (after the write on its way, if any). */
  function flush(): Promise<void> {
    if (writing) return writing;
    if (pending.size === 0) return Promise.resolve();
    // Cleared in a then-callback, i.e. after `writing` was set, even when nothing awaited.
    writing = write().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  async function write(): Promise<void> {
    while (pending.size > 0) {
      const batch = pending;
      pending = new Map();
      // A change without a record (presence alone) has no last-seen time: 0 is never newer than the table's.
      const rows = [...batch.values()].map((d) => ({
        ...d, firstSeenAt: Number.isFinite(d.firstSeenAt) ? d.firstSeenAt : (d.presence?.rx ?? d.registry?.ts ?? 0), lastSeenAt: Math.max(0, d.lastSeenAt),
      }));
      const started = performance.now();
      try {
        await o.lifts.putSummaries(rows);
      } catch (err) {
        // Kept for the next write, merged with the changes that came since.
        const since = pending;
        pending = batch;
        for (const d of since.values()) merge(d);
        if (failures++ % 100 === 0) o.log?.(`liftwatch: writing ${rows.length} lift summaries to the shared state failed (kept for the next write in ${o.flushMs} ms): ${String(err)}`);
        return;
      }
      written = { flushes: written.flushes + 1, rows: written.rows + rows.length, ms: written.ms + performance.now() - started };
      o.onWritten?.(rows.map((r) => r.liftId));
    }
  }

  // The next write waits flushMs, or longer when the last one took long (see maxBusy).
  let lastMs = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      const started = performance.now();
      void flush().finally(() => {
        lastMs = performance.now() - started;
        if (timer !== undefined) schedule();
      });
    }, Math.max(o.flushMs, lastMs / (o.maxBusy ?? 0.2) - lastMs));
    timer.unref();
  };
  schedule();

  return {
    add,
    flush,
    /** Lifts with changes not yet written. */
    pending: () => pending.size,
    /** Time until the next write (flushMs, or longer after a long write), ms. */
    period: () => Math.max(o.flushMs, lastMs / (o.maxBusy ?? 0.2) - lastMs),
    /** Writes so far: how many, rows, and the time they took in all. */
    stats: () => ({ ...written }),
    /** Writes what is left, then stops. */
    async close(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await writing;
      await flush();
    },
  };
}
export type SharedLifts = ReturnType<typeof createSharedLifts>;

/**
 * Without Redis to carry other nodes' changes: the ids of the lifts whose summary changed lately,
 * read from the shared table every `everyMs`, handed on as changes. A row is written up to a flush
 * period after its last-seen time, so each read goes back `lookBackMs` before the previous one.
 */
export function pollSharedLifts(lifts: { changedSince(since: number): Promise<string[]> }, onChanged: (liftIds: string[]) => void, log?: (line: string) => void,
  o: { everyMs?: number; lookBackMs?: number } = {}) {
  const lookBack = o.lookBackMs ?? 60_000;
  let since = Date.now() - lookBack;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const started = Date.now();
    lifts.changedSince(since).then((ids) => {
      since = started - lookBack;
      if (ids.length > 0) onChanged(ids);
    }, (err: unknown) => log?.(`liftwatch: reading the lifts changed in the shared state: ${String(err)}`)).finally(() => {
      busy = false;
    });
  }, o.everyMs ?? 5_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
