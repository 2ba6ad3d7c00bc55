import type Database from 'better-sqlite3';
import type { SavedRuleState } from '../detect/detector.js';

/** Per-lift rule state (last status, open conditions, entrapment timers) kept across restarts. */
export function createSqliteRuleState(db: Database.Database) {
  db.exec(`CREATE TABLE IF NOT EXISTS lift_rule_state (lift_id TEXT PRIMARY KEY, state_json TEXT NOT NULL, saved_at INTEGER NOT NULL) WITHOUT ROWID`);
  const upsert = db.prepare(`INSERT INTO lift_rule_state (lift_id, state_json, saved_at) VALUES (?, ?, ?) ON CONFLICT (lift_id) DO UPDATE SET state_json = excluded.state_json, saved_at = excluded.saved_at`);
  const all = db.prepare<[], { lift_id: string; state_json: string }>(`SELECT lift_id, state_json FROM lift_rule_state`);
  const one = db.prepare<[string], { state_json: string; saved_at: number }>(`SELECT state_json, saved_at FROM lift_rule_state WHERE lift_id = ?`);
  const saveTx = db.transaction((entries: Array<[string, SavedRuleState]>, at: number) => {
    for (const [id, state] of entries) upsert.run(id, JSON.stringify(state), at);
  });
  return {
    save: (entries: Array<[string, SavedRuleState]>, at: number): void => saveTx(entries, at),
    load: (): Array<[string, SavedRuleState]> => all.all().map((r) => [r.lift_id, JSON.parse(r.state_json) as SavedRuleState]),
    /** One lift's saved state and when it was saved (wall clock, ms). */
    get(liftId: string): { state: SavedRuleState; savedAt: number } | undefined {
      const r = one.get(liftId);
      return r ? { state: JSON.parse(r.state_json) as SavedRuleState, savedAt: r.saved_at } : undefined;
    },
  };
}
