import type Database from 'better-sqlite3';
import { ensureNodeTable } from '@liftwatch/state-store';
import { BLOCK_BYTES, clearBlock } from '../features/layout.js';
import { LiftFeatureState, type AnyRecord, type FeatureStream } from '../features/lift-state.js';
import { createStateArena } from '../features/state-arena.js';
import { createLiftNumbers, createNumberedLru, createNumberedSet, type LiftNumbers } from './lift-numbers.js';
import { loadState, saveState, STATE_LAYOUT, type SavedFeatureState } from '../features/state-codec.js';
import { stateFromJsonV1 } from '../features/state-json-v1.js';
import type { RecordReader } from '../health/recompute.js';

/** A checkpoint as a port returns it: the binary block, or a JSON checkpoint of the first layout. */
export type LoadedCheckpoint = SavedFeatureState | { readonly json: unknown };

/** Where lifts' feature states are checkpointed (the server's SQLite). */
export interface FeatureStatePort {
  /** The saved state of a lift, or undefined. */
  load(liftId: string): LoadedCheckpoint | undefined;
  /** Saves these states; a throw keeps them for the next checkpoint. A port that writes later (on a thread) keeps a failed write's states for its next save itself. */
  save(entries: readonly (readonly [string, SavedFeatureState])[]): void;
  /** Resolves once every state saved so far is written (a port that writes later). */
  settled?(): Promise<void>;
}

/**
 * The reads of `model_feature_states` (one row per lift, the block's bytes). A lift with no row there
 * is looked up in `model_feature_state` (JSON, the first layout) if an older version left that table.
 * Call `saved()` whenever rows are written.
 */
export function featureStateReader(db: Database.Database) {
  ensureNodeTable(db, 'model_feature_states');
  const get = db.prepare<[string], { layout: string; block: Buffer; overflow: string | null }>('SELECT layout, block, overflow FROM model_feature_states WHERE lift_id = ?');
  const legacy = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'model_feature_state'").get()!.n > 0
    ? db.prepare<[string], { state_json: string }>('SELECT state_json FROM model_feature_state WHERE lift_id = ?') : undefined;
  // A node that starts with no saved state (a fresh node) has none to read until it saves one: no query per lift it first sees.
  let noneSaved = legacy === undefined && db.prepare('SELECT 1 FROM model_feature_states LIMIT 1').get() === undefined;
  return {
    load(liftId: string): LoadedCheckpoint | undefined {
      if (noneSaved) return undefined;
      const row = get.get(liftId);
      if (row !== undefined) return { layout: row.layout, block: row.block, ...(row.overflow === null ? {} : { overflow: JSON.parse(row.overflow) as Array<[string, number]> }) };
      const old = legacy?.get(liftId);
      return old === undefined ? undefined : { json: JSON.parse(old.state_json) as unknown };
    },
    saved: (): void => { noneSaved = false; },
  };
}

/** Feature states in the process's SQLite, written on this thread (in-memory databases, tools, tests). */
export function sqliteFeatureStates(db: Database.Database): FeatureStatePort {
  const reader = featureStateReader(db);
  const put = db.prepare('INSERT OR REPLACE INTO model_feature_states (lift_id, layout, saved_at, block, overflow) VALUES (?, ?, ?, ?, ?)');
  const saveAll = db.transaction((entries: readonly (readonly [string, SavedFeatureState])[]) => {
    const now = Date.now();
    for (const [liftId, s] of entries) put.run(liftId, s.layout, now, s.block, s.overflow === undefined ? null : JSON.stringify(s.overflow));
  });
  return {
    load: reader.load,
    save: (entries) => {
      if (entries.length === 0) return;
      saveAll(entries);
      reader.saved();
    },
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
  /** States kept in memory (about 2.4 KB each); the least recently used beyond it are saved and dropped. @defaultValue 250000 */
  readonly maxResident?: number;
  /** The numbers of lifts to keep states by (ingest's lift table, in the same process). @defaultValue numbers of its own */
  readonly lifts?: LiftNumbers;
  /** Waits for a turn before reading the store (the serving's rate limit). */
  readonly turn?: () => Promise<void>;
  readonly log?: (line: string) => void;
}

const STREAMS: readonly FeatureStream[] = ['trip', 'door', 'env', 'fault', 'status'];

/**
 * The feature states of the lifts this process serves, in one arena of blocks. A lift's state is
 * loaded from its checkpoint when first seen, then the stored records after it are replayed in the
 * order they were received (a crash loses at most the time since the last checkpoint, and the
 * records are the truth); records arriving meanwhile wait for it. `checkpoint()` saves the states
 * changed since the last one.
 */
export function createFeatureStates(o: FeatureStatesOptions = {}) {
  const arena = createStateArena();
  const lifts = o.lifts ?? createLiftNumbers();
  /**
   * The resident states by lift number, in use order (the least recently used first, evicted first).
   * By number rather than in a Map by lift id: one map of a city's 150,000 lifts (ingest's lift table
   * when given, else lift-numbers.ts's) serves this, the changed set and the scoring clock's rows,
   * instead of one each (5 to 7 MiB each).
   */
  const resident = createNumberedLru<LiftFeatureState>();
  /** Lifts catching up from the store, and the records that arrived meanwhile. */
  const catching = new Map<string, { ready: Promise<void>; queued: Array<[string, AnyRecord, number]> }>();
  /** Lifts changed since the last checkpoint, by number, in the order they changed. */
  const changed = createNumberedSet();
  /** States of evicted lifts not saved yet: written at the next checkpoint (never on the record path). */
  const unsaved = new Map<string, SavedFeatureState>();
  const maxResident = o.maxResident ?? 250_000;
  const reorderFrom = Math.floor(maxResident * 0.9);
  const stats = { loaded: 0, fresh: 0, refused: 0, replayed: 0, evicted: 0, saved: 0 };

  function open(liftId: string): LiftFeatureState {
    // One block, fresh from the arena: a lift without a checkpoint keeps it as it is.
    const d = arena.take();
    let state: LiftFeatureState | undefined;
    try {
      const pending = unsaved.get(liftId); // evicted and not saved yet: newer than its checkpoint
      if (pending !== undefined) unsaved.delete(liftId);
      const raw = pending ?? o.port?.load(liftId);
      if (raw !== undefined) { state = 'json' in raw ? stateFromJsonV1(raw.json, d) : loadState(liftId, raw, d); stats.loaded++; }
    } catch (err) {
      stats.refused++;
      o.log?.(`models: ${String(err)}`);
      clearBlock(d); // a checkpoint refused half-way may have written into it
    }
    if (state === undefined) { state = new LiftFeatureState(liftId, d); stats.fresh++; }
    if (o.reader !== undefined && (o.storedBefore?.(liftId) ?? true)) {
      const c = { ready: Promise.resolve(), queued: [] as Array<[string, AnyRecord, number]> };
      c.ready = catchUp(liftId, state, c.queued).finally(() => catching.delete(liftId));
      catching.set(liftId, c);
    }
    return state;
  }

  /**
   * The lift's stored records in the order they were received (receive time, then seq), through the
   * state's own dedup rule. Of each stream only those from the newest time the state holds on: the
   * state skips older ones anyway, and after a restart its checkpoint holds nearly all (a lift's
   * months of records are not read and parsed again at every start).
   */
  async function catchUp(liftId: string, st: LiftFeatureState, queued: Array<[string, AnyRecord, number]>): Promise<void> {
    await o.turn?.();
    const rows: Array<{ stream: FeatureStream; rx: number; record: AnyRecord }> = [];
    for (const stream of STREAMS) {
      try {
        const [fromTs] = st.newest(stream);
        for (const r of await o.reader!.recent(liftId, { stream, limit: o.catchUpLimit ?? 20_000, ...(fromTs > -Infinity ? { fromTs } : {}) })) rows.push({ stream, rx: r.rx ?? r.ts, record: r.record as AnyRecord });
      } catch (err) {
        o.log?.(`models: replaying the stored ${stream} records of ${liftId}: ${String(err)}`);
      }
    }
    rows.sort((a, b) => a.rx - b.rx || a.record.seq - b.record.seq);
    const n = lifts.numberOf(liftId);
    if (resident.get(n) !== st) return; // evicted meanwhile: it catches up again when next seen
    for (const r of rows) if (st.add(r.stream, r.record, r.rx)) stats.replayed++;
    for (const [stream, r, rx] of queued.splice(0)) st.add(stream, r, rx);
    changed.add(n);
  }

  function stateOf(liftId: string, n = lifts.numberOf(liftId)): LiftFeatureState {
    let st = resident.get(n);
    if (st === undefined) {
      if (resident.size() >= maxResident) evictOldest();
      st = open(liftId);
      resident.set(n, st);
    } else if (resident.size() >= reorderFrom) {
      // The order is the use order once evictions may come. Below 90 % of the bound it is left alone
      // (moving a state to the end on every record is work for nothing while none is evicted): the
      // first evicted are then those not used since the bound was 90 % full.
      resident.touch(n);
    }
    return st;
  }

  /**
   * Drops the least recently used state, in constant time. Its state, if changed, is saved at the next
   * checkpoint; one still catching up is dropped as it is (its lift catches up again when next seen).
   */
  function evictOldest(): void {
    const n = resident.oldest();
    if (n === undefined) return;
    const st = resident.get(n)!;
    const liftId = lifts.idOf(n);
    resident.delete(n);
    if (changed.delete(n) && !catching.has(liftId)) unsaved.set(liftId, saveState(st));
    arena.give(st.d);
    stats.evicted++;
  }

  function collect(max: number): Array<[string, SavedFeatureState]> {
    const entries: Array<[string, SavedFeatureState]> = [];
    for (const e of unsaved) { if (entries.length >= max) break; entries.push(e); }
    for (const n of changed) {
      if (entries.length >= max) break;
      const st = resident.get(n);
      const liftId = lifts.idOf(n);
      if (st !== undefined && !catching.has(liftId)) entries.push([liftId, saveState(st)]);
    }
    return entries;
  }

  return {
    /** Add a stored record of a lift (received at `rx`; `n`: its number in `lifts`, when known); false when the state skipped it (not a feature stream, a replay, late). */
    add(liftId: string, stream: string, record: AnyRecord, rx = NaN, n = lifts.numberOf(liftId)): boolean {
      const st = stateOf(liftId, n);
      const c = catching.get(liftId);
      if (c !== undefined) { c.queued.push([stream, record, rx]); return true; }
      const added = st.add(stream, record, rx);
      if (added) changed.add(n);
      return added;
    },
    /** The lift's state once its catch-up is done. */
    async state(liftId: string): Promise<LiftFeatureState> {
      const st = stateOf(liftId);
      await catching.get(liftId)?.ready;
      return st;
    },
    /** The resident state of a lift, or undefined (not loaded, or still catching up): the scoring round's read. */
    peek(liftId: string): LiftFeatureState | undefined {
      if (catching.has(liftId)) return undefined;
      const n = lifts.find(liftId);
      return n === undefined ? undefined : resident.get(n);
    },
    /** The lifts whose states are in memory, in no particular order. */
    *liftIds(): IterableIterator<string> {
      for (const n of resident.numbers()) yield lifts.idOf(n);
    },
    /** The number of every lift met (lift-numbers.ts): others keep their own data of a lift by it (the scoring clock). */
    lifts,
    /** Save at most `max` of the states changed since the last checkpoint; returns how many. */
    checkpoint(max = Infinity): number {
      const entries = collect(max);
      o.port?.save(entries); // a failure (a busy or full database) keeps them for the next checkpoint
      for (const [liftId] of entries) { unsaved.delete(liftId); changed.delete(lifts.numberOf(liftId)); }
      stats.saved += entries.length;
      return entries.length;
    },
    /** States changed since the last checkpoint. */
    pending: () => changed.size() + unsaved.size,
    /** Waits for every running catch-up. */
    async settled(): Promise<void> {
      await Promise.all([...catching.values()].map((c) => c.ready));
    },
    stats: () => ({ ...stats, resident: resident.size(), changed: changed.size() + unsaved.size, layout: STATE_LAYOUT, bytesPerState: BLOCK_BYTES, arenaBytes: arena.stats().bytes }),
  };
}
export type FeatureStates = ReturnType<typeof createFeatureStates>;
