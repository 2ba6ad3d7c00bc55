import type Database from 'better-sqlite3';
import { errorText, type LiftRecord } from '@liftwatch/contract';
import type { AlertActions } from './alert-actions.js';
import type { SharedRuleState } from './config.js';
import type { Detector, SavedRuleState, ServerTime } from './detect/detector.js';
import { createSqliteRuleState } from './store/sqlite-rule-state.js';

/** Longest the first record of a lift new to this node waits for its shared rule state, ms: a slow Redis never delays an alarm more. */
const SHARED_STATE_WAIT_MS = 200;

export interface RuleStateSyncOptions {
  readonly db: Database.Database;
  readonly detector: Detector;
  readonly alertActions: AlertActions;
  readonly shared: SharedRuleState | undefined;
  readonly serverTime: () => ServerTime;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/**
 * Keeps the rules' memory beyond this process. Saved in ingest's SQLite for the lifts that changed
 * (every few seconds, by housekeeping.ts, and at close) and loaded at start, so that it survives a
 * restart. With several nodes, also shared (Redis) at every change, and read when a lift is new to
 * this node or its terminal left this node since (another node may have served it meanwhile).
 *
 * A lift whose alert action is not in the alert store yet keeps its saved and shared state as it
 * was: after a crash, the record sent again finds the edge again and raises again (here or on the
 * node its terminal moves to); it is saved once the action is done.
 */
export function createRuleStateSync(o: RuleStateSyncOptions) {
  const { detector, alertActions, shared, serverTime, now, log } = o;
  const saved = createSqliteRuleState(o.db);
  detector.restore(saved.load(), serverTime());
  const touched = new Set<string>();
  detector.onMemoryChange((liftId) => touched.add(liftId));

  /** Saves the memory of the lifts that changed since the last save. */
  function save(): void {
    if (touched.size === 0) return;
    const ready = [...touched].filter((liftId) => !alertActions.pendingFor(liftId));
    if (ready.length === 0) return;
    const at = serverTime();
    saved.save(detector.snapshot(ready, at), at.wall);
    for (const liftId of ready) touched.delete(liftId);
  }

  const current = new Set<string>(); // lifts whose rule state this node holds as the latest
  const changedAt = new Map<string, number>(); // when this node last changed a lift's rule state
  const loading = new Map<string, Promise<void>>();
  const toShare = new Set<string>();
  if (shared) {
    detector.onMemoryChange((liftId) => {
      changedAt.set(liftId, now());
      shareLater(liftId);
    });
  }
  function shareChanges(): void {
    const ids: string[] = [];
    for (const liftId of toShare) {
      const pending = alertActions.pendingFor(liftId);
      if (pending) void pending.then(() => shareLater(liftId));
      else ids.push(liftId);
    }
    toShare.clear();
    if (ids.length === 0) return;
    const at = serverTime();
    shared!.save(detector.snapshot(ids, at), at.wall).catch((err: unknown) => log(`ingest: could not share the rule state of ${ids.length} lifts: ${errorText(err)}`));
  }
  function shareLater(liftId: string): void {
    if (toShare.size === 0) setImmediate(shareChanges);
    toShare.add(liftId);
  }

  /** Resolves when the rule state of these lifts is the latest any node saved (or after SHARED_STATE_WAIT_MS). */
  function sharedReady(liftIds: Iterable<string>): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    for (const liftId of liftIds) {
      if (current.has(liftId)) continue;
      let p = loading.get(liftId);
      if (!p) {
        const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SHARED_STATE_WAIT_MS).unref());
        p = Promise.race([shared!.fetch(liftId), timeout]).then((found) => {
          if (found && found.savedAt >= (changedAt.get(liftId) ?? 0)) adoptShared(liftId, found.state, found.savedAt);
        }).catch((err: unknown) => log(`ingest: shared rule state of ${liftId} not read or not usable (${errorText(err)}): this node's own state is used`))
          .finally(() => {
            loading.delete(liftId);
            current.add(liftId);
          });
        loading.set(liftId, p);
      }
      waits.push(p);
    }
    return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined);
  }

  /** Takes another node's newer state of a lift; one this version cannot read leaves this node's own in place. */
  function adoptShared(liftId: string, state: SavedRuleState, savedAt: number): void {
    const at = serverTime();
    const own = detector.snapshot([liftId], at);
    detector.forget(liftId);
    try {
      detector.restore([[liftId, state]], at);
    } catch (err) {
      detector.forget(liftId);
      detector.restore(own, at);
      throw err;
    }
    changedAt.set(liftId, savedAt);
  }

  return {
    save,
    /** Before the rules see these records: their lifts' shared state, when another node may have newer (undefined: nothing to wait for). */
    ready: (records: readonly LiftRecord[]): Promise<void> | undefined =>
      (shared && records.length > 0 ? sharedReady(new Set(records.map((r) => r.record.liftId))) : undefined),
    /** A lift's terminal left this node: its next record here first reads the shared state. */
    left(liftId: string): void {
      current.delete(liftId);
    },
  };
}

export type RuleStateSync = ReturnType<typeof createRuleStateSync>;
