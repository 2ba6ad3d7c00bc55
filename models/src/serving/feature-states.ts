import type Database from 'better-sqlite3';
import { LiftFeatureState, type AnyRecord, type FeatureStream } from '../features/lift-state.js';
import { stateFromJson, stateToJson, type FeatureStateJson } from '../features/state-codec.js';
import type { RecordReader } from '../health/recompute.js';

/** Where lifts' feature states are checkpointed (synchronous: the server's SQLite). */
export interface FeatureStatePort {
  /** The saved state of a lift (any JSON value: it is validated on load), or undefined. */
  load(liftId: string): unknown;
  save(entries: readonly (readonly [string, FeatureStateJson])[]): void;
}

/** Feature states in the process's SQLite, table `model_feature_state`, one row per lift. */
export function sqliteFeatureStates(db: Database.Database): FeatureStatePort {
  db.exec('CREATE TABLE IF NOT EXISTS model_feature_state (lift_id TEXT PRIMARY KEY, feature_version TEXT NOT NULL, saved_at INTEGER NOT NULL, state_json TEXT NOT NULL) WITHOUT ROWID');
  const get = db.prepare<[string], { state_json: string }>('SELECT state_json FROM model_feature_state WHERE lift_id = ?');
  const put = db.prepare('INSERT OR REPLACE INTO model_feature_state (lift_id, feature_version, saved_at, state_json) VALUES (?, ?, ?, ?)');
  const saveAll = db.transaction((entries: readonly (readonly [string, FeatureStateJson])[]) => {
    const now = Date.now();
    for (const [liftId, json] of entries) put.run(liftId, json.featureVersion, now, JSON.stringify(json));
  });
  return {
    load: (liftId) => { const row = get.get(liftId); return row === undefined ? undefined : JSON.parse(row.state_json) as unknown; },
    save: (entries) => { if (entries.length > 0) saveAll(entries); },
  };
}

export interface FeatureStatesOptions {
  readonly port?: FeatureStatePort;
  /** Stored records replayed when a lift is first seen by this process (after its checkpoint, if any). */
  readonly reader?: RecordReader;
  /**
   * Whether a lift may have stored records this process has not seen (it was known before the process
   * started): only those catch up. A lift first seen after the start has all its records pass through
   * add(). @defaultValue every lift
   */
  readonly storedBefore?: (liftId: string) => boolean;
  /** Records per stream replayed at most on first sight. @defaultValue 20000 */
  readonly catchUpLimit?: number;
  /** States kept in memory; the least recently used beyond it are saved and dropped. @defaultValue 50000 */
  readonly maxResident?: number;
  /** Waits for a turn before reading the store (the serving's rate limit). */
  readonly turn?: () => Promise<void>;
  readonly log?: (line: string) => void;
}

interface Entry { state: LiftFeatureState; ready: Promise<void> | undefined; queued: Array<[string, AnyRecord]>; evicted?: boolean }

const STREAMS: readonly FeatureStream[] = ['trip', 'door', 'env', 'fault', 'status'];

/**
 * The feature states of the lifts this process serves. A lift's state is loaded from its checkpoint
 * when first seen, then the stored records newer than the checkpoint are replayed (a crash loses
 * at most the time since the last checkpoint, and the records are the truth); records arriving
 * meanwhile wait for it. `checkpoint()` saves the states changed since the last one.
 */
export function createFeatureStates(o: FeatureStatesOptions = {}) {
  const resident = new Map<string, Entry>();
  const changed = new Set<string>();
  /** States of evicted lifts not saved yet: written at the next checkpoint (never on the record path). */
  const unsaved = new Map<string, FeatureStateJson>();
  const maxResident = o.maxResident ?? 50_000;
  const stats = { loaded: 0, fresh: 0, refused: 0, replayed: 0, evicted: 0, saved: 0 };

  function open(liftId: string): Entry {
    let state: LiftFeatureState | undefined;
    try {
      const pending = unsaved.get(liftId); // evicted and not saved yet: newer than its checkpoint
      if (pending !== undefined) unsaved.delete(liftId);
      const raw = pending ?? o.port?.load(liftId);
      if (raw !== undefined) { state = stateFromJson(raw); stats.loaded++; }
    } catch (err) {
      stats.refused++;
      o.log?.(`models: ${String(err)}`);
    }
    if (state === undefined) { state = new LiftFeatureState(liftId); stats.fresh++; }
    const entry: Entry = { state, ready: undefined, queued: [] };
    if (o.reader !== undefined && (o.storedBefore?.(liftId) ?? true)) entry.ready = catchUp(liftId, entry).finally(() => { entry.ready = undefined; });
    return entry;
  }

  async function catchUp(liftId: string, e: Entry): Promise<void> {
    await o.turn?.();
    for (const stream of STREAMS) {
      try {
        const rows = await o.reader!.recent(liftId, { stream, limit: o.catchUpLimit ?? 20_000 });
        for (let i = rows.length - 1; i >= 0; i--) if (e.state.add(stream, rows[i]!.record as AnyRecord)) stats.replayed++;
      } catch (err) {
        o.log?.(`models: replaying the stored ${stream} records of ${liftId}: ${String(err)}`);
      }
    }
    for (const [stream, r] of e.queued.splice(0)) e.state.add(stream, r);
    if (!e.evicted) changed.add(liftId);
  }

  function entryOf(liftId: string): Entry {
    let e = resident.get(liftId);
    if (e === undefined) {
      e = open(liftId);
      if (resident.size >= maxResident) evictOldest();
    } else resident.delete(liftId); // re-inserted below: the Map's order is the use order
    resident.set(liftId, e);
    return e;
  }

  /**
   * Drops the least recently used state, in constant time. Its state, if changed, is saved at the next
   * checkpoint; one still catching up is dropped as it is (its lift catches up again when next seen).
   */
  function evictOldest(): void {
    const first = resident.entries().next();
    if (first.done === true) return;
    const [liftId, e] = first.value;
    resident.delete(liftId);
    e.evicted = true;
    if (changed.delete(liftId) && e.ready === undefined) unsaved.set(liftId, stateToJson(e.state));
    stats.evicted++;
  }

  return {
    /** Add a stored record of a lift; false when the state skipped it (not a feature stream, a replay, late). */
    add(liftId: string, stream: string, record: AnyRecord): boolean {
      const e = entryOf(liftId);
      if (e.ready !== undefined) { e.queued.push([stream, record]); return true; }
      const added = e.state.add(stream, record);
      if (added) changed.add(liftId);
      return added;
    },
    /** The lift's state once its catch-up is done. */
    async state(liftId: string): Promise<LiftFeatureState> {
      const e = entryOf(liftId);
      if (e.ready !== undefined) await e.ready;
      return e.state;
    },
    /** Save the states changed since the last checkpoint; returns how many. */
    checkpoint(): number {
      const entries: Array<[string, FeatureStateJson]> = [...unsaved];
      for (const liftId of changed) {
        const e = resident.get(liftId);
        if (e !== undefined && e.ready === undefined) entries.push([liftId, stateToJson(e.state)]);
      }
      o.port?.save(entries); // a failure (a busy or full database) keeps them for the next checkpoint
      unsaved.clear();
      for (const [liftId] of entries) changed.delete(liftId);
      stats.saved += entries.length;
      return entries.length;
    },
    /** Waits for every running catch-up. */
    async settled(): Promise<void> {
      await Promise.all([...resident.values()].map((e) => e.ready));
    },
    stats: () => ({ ...stats, resident: resident.size, changed: changed.size + unsaved.size }),
  };
}
export type FeatureStates = ReturnType<typeof createFeatureStates>;
