import { createRateLimit } from '../serving/rate-limit.js';
import type Database from 'better-sqlite3';
import type { HealthView } from '@liftwatch/contract';
import type { LiftRecords } from '../features/lift-records.js';
import { computeHealth, type HealthScore } from './health.js';
import { HEALTH_PARAMS, type HealthParams } from './params.js';
import { loadLiftRecords, type RecordReader } from './recompute.js';

const DAY = 86_400_000;

export interface HealthServiceOptions {
  readonly db: Database.Database;
  /** The telemetry store (ingest's TelemetryStore port, structurally). */
  readonly store: RecordReader;
  readonly params?: HealthParams;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /**
   * A history row is written when the grade changes, the score moves by at least this many points,
   * or a day has passed since the lift's last row; otherwise only the served score changes.
   * @defaultValue 1
   */
  readonly historyMinChange?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS health_history (
  lift_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  score REAL NOT NULL,
  grade TEXT,
  confidence REAL NOT NULL,
  params_version TEXT NOT NULL,
  params_sha256 TEXT NOT NULL,
  components TEXT NOT NULL,
  reasons TEXT NOT NULL,
  caps TEXT NOT NULL,
  PRIMARY KEY (lift_id, at)
) WITHOUT ROWID;`;

interface Row { lift_id: string; at: number; score: number; grade: string | null; confidence: number; params_version: string; components: string; reasons: string; caps: string }

const toView = (h: HealthScore): HealthView => ({
  liftId: h.liftId, at: h.at, score: h.score, grade: h.grade ?? null, confidence: h.confidence, paramsVersion: h.paramsVersion,
  components: Object.fromEntries(h.components.map((c) => [c.id, c.score])), reasons: h.reasons, caps: h.caps,
});

const fromRow = (r: Row): HealthView => ({
  liftId: r.lift_id, at: r.at, score: r.score, grade: (r.grade ?? null) as HealthView['grade'], confidence: r.confidence, paramsVersion: r.params_version,
  components: JSON.parse(r.components) as Record<string, number>, reasons: JSON.parse(r.reasons) as HealthView['reasons'], caps: JSON.parse(r.caps) as HealthView['caps'],
});

/**
 * The served health score (issue 6 §5, issue 8's lift page and district grades): the latest score
 * per lift, kept in memory and in SQLite (`health_history`), so it survives a restart. Scores are
 * computed when a lift is scored by the models (`fromRecords`, on records already loaded) and, for
 * lifts without one, lazily from the stored records (`ensure`, `warmUp`).
 */
export function createHealthService(o: HealthServiceOptions) {
  const params = o.params ?? HEALTH_PARAMS;
  const now = o.now ?? Date.now;
  const minChange = o.historyMinChange ?? 1;
  o.db.exec(SCHEMA);
  const insert = o.db.prepare(`INSERT OR REPLACE INTO health_history (lift_id, at, score, grade, confidence, params_version, params_sha256, components, reasons, caps)
    VALUES (@liftId, @at, @score, @grade, @confidence, @paramsVersion, @paramsSha256, @components, @reasons, @caps)`);
  const historyOf = o.db.prepare<[string, number], Row>('SELECT * FROM health_history WHERE lift_id = ? ORDER BY at DESC LIMIT ?');
  const latest = new Map<string, HealthView>();
  /** The last row written per lift: decides whether the next score is a new history row. */
  const written = new Map<string, { at: number; score: number; grade: string | null }>();
  for (const r of o.db.prepare<[], Row>(`SELECT h.* FROM health_history h
      JOIN (SELECT lift_id, MAX(at) AS at FROM health_history GROUP BY lift_id) m ON m.lift_id = h.lift_id AND m.at = h.at`).all()) {
    latest.set(r.lift_id, fromRow(r));
    written.set(r.lift_id, { at: r.at, score: r.score, grade: r.grade });
  }
  const inflight = new Map<string, Promise<HealthView>>();
  const stopWarmUp: Array<() => void> = [];
  let closed = false;

  function record(h: HealthScore): HealthView {
    const view = toView(h);
    const prev = latest.get(h.liftId);
    if (prev !== undefined && prev.at > view.at) return prev; // an older computation finished late
    latest.set(h.liftId, view);
    const w = written.get(h.liftId);
    if (w === undefined || w.grade !== view.grade || Math.abs(w.score - view.score) >= minChange || view.at - w.at >= DAY) {
      insert.run({ liftId: h.liftId, at: h.at, score: h.score, grade: h.grade ?? null, confidence: h.confidence, paramsVersion: h.paramsVersion, paramsSha256: h.paramsSha256,
        components: JSON.stringify(view.components), reasons: JSON.stringify(h.reasons), caps: JSON.stringify(h.caps) });
      written.set(h.liftId, { at: h.at, score: h.score, grade: view.grade });
    }
    return view;
  }

  /** The health window's records of one lift, as recompute loads them. */
  const windowMs = (params.rareWindowDays + params.recentDays) * DAY;

  const api = {
    /** The latest score of a lift, or null when none has been computed yet. */
    score: (liftId: string): HealthView | null => latest.get(liftId) ?? null,
    /** Score from records the caller already loaded (the model scorer's), at `at` (default now). */
    fromRecords(records: LiftRecords, at = now()): HealthView {
      return record(computeHealth(records, at, { params }));
    },
    /** Recompute from the stored records now (or at `at`); concurrent calls for one lift share the work. */
    recompute(liftId: string, at = now()): Promise<HealthView> {
      const running = inflight.get(liftId);
      if (running !== undefined) return running;
      const p = loadLiftRecords(o.store, liftId, at - windowMs, at)
        .then((r) => record(computeHealth(r, at, { params })))
        .finally(() => inflight.delete(liftId));
      inflight.set(liftId, p);
      return p;
    },
    /** The latest score, computed from the stored records first when the lift has none yet. */
    async ensure(liftId: string): Promise<HealthView | null> {
      return latest.get(liftId) ?? (closed ? null : api.recompute(liftId));
    },
    /** Grade counts over these lifts; `none`: no score yet or insufficient data. */
    gradeCounts(liftIds: readonly string[]): Record<string, number> {
      const out: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0, none: 0 };
      for (const id of liftIds) out[latest.get(id)?.grade ?? 'none']!++;
      return out;
    },
    /** Stored history of a lift, newest first. */
    history: (liftId: string, limit = 100): HealthView[] => historyOf.all(liftId, limit).map(fromRow),
    /**
     * In the background, one lift at a time, compute a score for each of these lifts that has none
     * (after a start on a store with records but no scores). Resolves when done or closed.
     */
    /** Scores lifts that have none, in the background, at most `perSecond` lifts a second. */
    async warmUp(liftIds: readonly string[], perSecond = 20): Promise<number> {
      const pace = createRateLimit(perSecond);
      stopWarmUp.push(() => pace.stop());
      let n = 0;
      for (const id of liftIds) {
        if (closed) break;
        if (latest.has(id)) continue;
        await pace.turn();
        if (closed) break;
        try { await api.recompute(id); n++; } catch (err) { o.log?.(`health: ${id}: ${String(err)}`); }
      }
      return n;
    },
    count: () => latest.size,
    async close(): Promise<void> {
      closed = true;
      for (const stop of stopWarmUp) stop();
      await Promise.allSettled([...inflight.values()]);
    },
  };
  return api;
}
export type HealthService = ReturnType<typeof createHealthService>;
