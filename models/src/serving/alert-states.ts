import type Database from 'better-sqlite3';
import { ensureNodeTable } from '@liftwatch/state-store';
import type { HysteresisState } from './hysteresis.js';

/**
 * Where the predicted alerts' hysteresis is kept across restarts: per model and lift, whether the
 * alert is raised and since when the score has held towards a change. Without it a restart would
 * forget a lift already half-way through its persistence time (or one whose alert is raised, which
 * would then never clear).
 */
export interface AlertStatePort {
  load(modelId: string): Iterable<readonly [string, HysteresisState]>;
  /** One key's memory changed; undefined: nothing left to remember. */
  save(modelId: string, liftId: string, s: HysteresisState | undefined): void;
  /** Forget a model's memory (its thresholds changed). */
  reset(modelId: string): void;
}

/** Alert states in the node's SQLite file, table `model_alert_states` (only lifts with something to remember have a row). */
export function sqliteAlertStates(db: Database.Database): AlertStatePort {
  ensureNodeTable(db, 'model_alert_states');
  const all = db.prepare<[string], { lift_id: string; active: number; since: number | null }>('SELECT lift_id, active, since FROM model_alert_states WHERE model_id = ?');
  const put = db.prepare('INSERT OR REPLACE INTO model_alert_states (model_id, lift_id, active, since) VALUES (?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM model_alert_states WHERE model_id = ? AND lift_id = ?');
  const clear = db.prepare('DELETE FROM model_alert_states WHERE model_id = ?');
  return {
    load: (modelId) => all.all(modelId).map((r) => [r.lift_id, { active: r.active === 1, since: r.since ?? undefined }] as const),
    save(modelId, liftId, s) {
      if (s === undefined) del.run(modelId, liftId);
      else put.run(modelId, liftId, s.active ? 1 : 0, s.since ?? null);
    },
    reset: (modelId) => { clear.run(modelId); },
  };
}

/** Alert states in memory (tests; a node without a file). */
export function memoryAlertStates(): AlertStatePort & { rows(): number } {
  const m = new Map<string, Map<string, HysteresisState>>();
  const of = (id: string) => m.get(id) ?? m.set(id, new Map()).get(id)!;
  return {
    load: (modelId) => [...of(modelId)],
    save: (modelId, liftId, s) => { if (s === undefined) of(modelId).delete(liftId); else of(modelId).set(liftId, s); },
    reset: (modelId) => { m.delete(modelId); },
    rows: () => [...m.values()].reduce((n, x) => n + x.size, 0),
  };
}
