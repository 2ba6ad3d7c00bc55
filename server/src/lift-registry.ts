import type Database from 'better-sqlite3';
import { lwError, type LiftRegistryEntry } from '@liftwatch/contract';
import type { LiftRegistryPort } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';

type Entry = LiftRegistryEntry & { liftId: string };

/** The same table as the state store's migration 0004, so that `npm run state:copy` carries it. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS lift_registry (lift_id TEXT PRIMARY KEY, area_code TEXT, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS lift_registry_by_area ON lift_registry(area_code, lift_id);
CREATE INDEX IF NOT EXISTS lift_registry_by_update ON lift_registry(updated_at);
`;
const AREA = /^[0-9]{6}$/;

/**
 * The platform's lift registry of the all-in-one process, in its SQLite database and mirrored in
 * memory (one process writes it), so that every lift summary carries its entry (`registered`) and a
 * district's lifts are found without a query per lift.
 */
export function createSqliteLiftRegistry(db: Database.Database): LiftRegistryPort & { registered(liftId: string): Entry | undefined; inArea(areaCode: string): string[] } {
  db.exec(SCHEMA);
  const upsert = db.prepare(`INSERT INTO lift_registry (lift_id, area_code, updated_at, updated_by) VALUES (@liftId, @areaCode, @updatedAt, @updatedBy)
    ON CONFLICT (lift_id) DO UPDATE SET area_code = excluded.area_code, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
  type Row = { lift_id: string; area_code: string | null; updated_at: number; updated_by: string };
  const entries = new Map<string, Entry>();
  for (const r of db.prepare<[], Row>('SELECT * FROM lift_registry').all()) entries.set(r.lift_id, { liftId: r.lift_id, areaCode: r.area_code, updatedAt: r.updated_at, updatedBy: r.updated_by });
  const putAll = db.transaction((rows: Entry[]) => {
    for (const e of rows) upsert.run(e);
  });
  return {
    get: (liftId) => entries.get(liftId),
    registered: (liftId) => entries.get(liftId),
    async put(list, actor) {
      for (const e of list) {
        if (e.areaCode !== null && !AREA.test(e.areaCode)) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: area code ${JSON.stringify(e.areaCode)} is not a GB/T 2260 code: give six digits, e.g. "330106", or null`);
      }
      const now = Date.now();
      const rows = list.map((e) => ({ liftId: e.liftId, areaCode: e.areaCode, updatedAt: now, updatedBy: actor }));
      putAll(rows);
      for (const r of rows) entries.set(r.liftId, r);
      return rows;
    },
    inArea: (areaCode) => [...entries.values()].filter((e) => e.areaCode === areaCode).map((e) => e.liftId).sort(),
  };
}

/** The lift registry of a deployment of several nodes: in the shared state store, read there by every node. */
export function stateLiftRegistry(registry: StateStore['liftRegistry']): LiftRegistryPort {
  return { get: (liftId) => registry.get(liftId), put: (entries, actor) => registry.put(entries, actor) };
}
