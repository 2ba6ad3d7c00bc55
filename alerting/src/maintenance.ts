import type Database from 'better-sqlite3';
import { lwError, type MaintenanceVisit } from '@liftwatch/contract';

/**
 * Quiet during maintenance (issue 7 §5; DESIGN.md, Alerts): a visit starts when the terminal
 * reports serviceMode "inspection" or a technician checks in through the API, and ends at
 * check-out, when the terminal leaves inspection, or at its time limit. While it lasts, P2–P4
 * alerts on the lift are not opened (the visit's fault bursts) but counted on the visit; P1 always opens.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS maintenance_visits (
  id INTEGER PRIMARY KEY AUTOINCREMENT, lift_id TEXT NOT NULL, technician TEXT NOT NULL, source TEXT NOT NULL,
  started_at INTEGER NOT NULL, ends_by INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT, suppressed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS maintenance_visits_by_lift ON maintenance_visits (lift_id, ended_at);
`;

type Row = { id: number; lift_id: string; technician: string; source: MaintenanceVisit['source']; started_at: number; ends_by: number; ended_at: number | null; end_reason: string | null; suppressed: number };
const toView = (r: Row): MaintenanceVisit => ({ id: r.id, liftId: r.lift_id, technician: r.technician, source: r.source, startedAt: r.started_at, endsBy: r.ends_by, endedAt: r.ended_at, endReason: r.end_reason, suppressed: r.suppressed });

export interface MaintenanceOptions {
  /** Longest visit; after it the lift is watched normally again. @defaultValue 14400000 (4 h) */
  readonly maxVisitMs?: number;
}

export function createMaintenance(db: Database.Database, now: () => number, options: MaintenanceOptions = {}) {
  db.exec(SCHEMA);
  const maxVisitMs = options.maxVisitMs ?? 4 * 3_600_000;
  const open = db.prepare<[string], Row>(`SELECT * FROM maintenance_visits WHERE lift_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1`);
  const insert = db.prepare(`INSERT INTO maintenance_visits (lift_id, technician, source, started_at, ends_by) VALUES (?, ?, ?, ?, ?)`);
  const end = db.prepare(`UPDATE maintenance_visits SET ended_at = ?, end_reason = ? WHERE id = ?`);
  const bump = db.prepare(`UPDATE maintenance_visits SET suppressed = suppressed + 1 WHERE id = ?`);
  const byId = db.prepare<[number], Row>(`SELECT * FROM maintenance_visits WHERE id = ?`);
  const list = db.prepare<[string, string, number], Row>(`SELECT * FROM maintenance_visits WHERE (? = '' OR lift_id = ?) ORDER BY id DESC LIMIT ?`);

  /** The visit going on now on a lift; one past its time limit is ended first. */
  function active(liftId: string): MaintenanceVisit | undefined {
    const r = open.get(liftId);
    if (!r) return undefined;
    if (r.ends_by <= now()) {
      end.run(r.ends_by, `time limit of ${Math.round((r.ends_by - r.started_at) / 60_000)} min reached`, r.id);
      return undefined;
    }
    return toView(r);
  }

  function start(liftId: string, technician: string, source: MaintenanceVisit['source'], limitMs = maxVisitMs): MaintenanceVisit {
    const current = active(liftId);
    if (current) return current;
    const at = now();
    return toView(byId.get(Number(insert.run(liftId, technician, source, at, at + Math.min(limitMs, maxVisitMs)).lastInsertRowid))!);
  }

  function stop(liftId: string, reason: string): MaintenanceVisit | undefined {
    const current = active(liftId);
    if (!current) return undefined;
    end.run(now(), reason, current.id);
    return toView(byId.get(current.id)!);
  }

  return {
    active,
    /** A technician checks in through the API. */
    checkIn: (liftId: string, technician: string, limitMs?: number) => start(liftId, technician, 'checkIn', limitMs),
    /** A technician checks out; it is an error when no visit is going on. */
    checkOut(liftId: string, technician: string): MaintenanceVisit {
      const v = stop(liftId, `checked out by ${technician}`);
      if (!v) throw lwError('LW_ERR_NOT_FOUND', `lift ${liftId} has no maintenance visit going on to check out of; check in first with POST /api/lifts/${liftId}/check-in`);
      return v;
    },
    /** The terminal's serviceMode: "inspection" starts a visit, any other mode ends one the terminal started. */
    terminalMode(liftId: string, mode: string): void {
      const current = active(liftId);
      if (mode === 'inspection' && !current) start(liftId, 'terminal (inspection mode)', 'terminal');
      else if (mode !== 'inspection' && current?.source === 'terminal') stop(liftId, `terminal left inspection mode (${mode})`);
    },
    countSuppressed: (visitId: number) => { bump.run(visitId); },
    list: (liftId: string | undefined, limit = 100) => list.all(liftId ?? '', liftId ?? '', limit).map(toView),
  };
}

export type Maintenance = ReturnType<typeof createMaintenance>;
