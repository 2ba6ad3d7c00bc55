import type Database from 'better-sqlite3';
import { errorText } from '@liftwatch/contract';
import { createSqliteRuleState, type SavedRuleState, type StoreOp } from '@liftwatch/ingest';

/** How often the rules' memory the workers shared is written to the node's SQLite, ms. */
const SAVE_MS = 5000;

/**
 * The rules' memory of each lift as the MQTT workers share it (their `SharedRuleState`): a worker
 * saves a lift's memory here at every change (edges, not records), and reads it at the lift's first
 * record in that worker, or its first since the lift's terminal left that worker. Changes wait in
 * memory and are written to the node's SQLite (the table a single process keeps them in) every few
 * seconds and at close, so they also survive a restart of the node.
 */
export function createRuleStateHub(db: Database.Database, log: (line: string) => void) {
  const saved = createSqliteRuleState(db);
  const unsaved = new Map<string, { state: SavedRuleState; savedAt: number }>();
  function save(): void {
    if (unsaved.size === 0) return;
    const byTime = new Map<number, Array<[string, SavedRuleState]>>();
    for (const [liftId, e] of unsaved) {
      let list = byTime.get(e.savedAt);
      if (!list) byTime.set(e.savedAt, (list = []));
      list.push([liftId, e.state]);
    }
    try {
      for (const [at, entries] of byTime) saved.save(entries, at);
      unsaved.clear();
    } catch (err) {
      log(`liftwatch: the rules' memory of ${unsaved.size} lifts could not be saved (kept in memory, tried again): ${errorText(err)}`);
    }
  }
  const timer = setInterval(save, SAVE_MS);
  timer.unref();
  return {
    save(entries: Array<[string, SavedRuleState]>, at: number): void {
      for (const [liftId, state] of entries) unsaved.set(liftId, { state, savedAt: at });
    },
    fetch: (liftId: string): { state: SavedRuleState; savedAt: number } | null => unsaved.get(liftId) ?? saved.get(liftId) ?? null,
    close(): void {
      clearInterval(timer);
      save();
    },
  };
}

/**
 * Which worker a lift's terminal is connected to, as their presence operations say. A terminal that
 * moved to another worker is online there; the worker it left says "offline" when it notices the
 * connection gone, which may reach the writer after the new worker's "online": that offline is
 * dropped. When a worker dies, its lifts are offline (no connection of it can say so any more).
 */
export function createPresenceOwners() {
  const owner = new Map<string, number>();
  return {
    /** The operations of a worker's message, without the offlines of lifts another worker holds now. */
    filter(worker: number, ops: StoreOp[]): StoreOp[] {
      const keep = (op: StoreOp): boolean => {
        if (op.kind !== 'presence') return true;
        if (op.state === 'online') owner.set(op.liftId, worker);
        else if ((owner.get(op.liftId) ?? worker) !== worker) return false;
        else owner.delete(op.liftId);
        return true;
      };
      return ops.some((op) => op.kind === 'presence') ? ops.filter(keep) : ops;
    },
    /** A worker died: the lifts it held, now offline. */
    gone(worker: number, rx: number): StoreOp[] {
      const ops: StoreOp[] = [];
      for (const [liftId, w] of owner) {
        if (w !== worker) continue;
        owner.delete(liftId);
        ops.push({ kind: 'presence', liftId, state: 'offline', rx });
      }
      return ops;
    },
  };
}

/**
 * The service modes the workers report (a lift's first status in a worker, and every change), told
 * to alerting only where one process would tell it: entering inspection (a terminal's maintenance
 * visit starts), and leaving it for a lift that was in it (the visit ends). A lift's first status in
 * a worker after its terminal moved, in the mode it was in, asks the maintenance store nothing, nor
 * does a city of first statuses at a node's start. `inInspection`: the lifts whose latest stored
 * status was in inspection.
 */
export function createModeFilter(inInspection: Iterable<string>) {
  const inspecting = new Set(inInspection);
  return {
    /** Whether alerting must hear of this mode. */
    tell(liftId: string, mode: string): boolean {
      if ((mode === 'inspection') === inspecting.has(liftId)) return false;
      if (mode === 'inspection') inspecting.add(liftId);
      else inspecting.delete(liftId);
      return true;
    },
  };
}
