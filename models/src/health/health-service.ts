import { createRateLimit } from '../serving/rate-limit.js';
import type { Awaitable, HealthView } from '@liftwatch/contract';
import type { LiftRecords } from '../features/lift-records.js';
import { computeHealth, type HealthScore } from './health.js';
import { HEALTH_PARAMS, type HealthParams } from './params.js';
import { loadLiftRecords, type RecordReader } from './recompute.js';

const DAY = 86_400_000;


/** Where scores are kept: the state store (health-history.ts), on the all-in-one's SQLite file or the PostgreSQL of several nodes. */
export interface HealthHistoryPort {
  /** The latest stored score of each lift computed after `since` (all when omitted). */
  latest(since?: number): Awaitable<HealthView[]>;
  /** Appends one score to the history. */
  append(view: HealthView, paramsSha256: string): Awaitable<void>;
  /** A lift's stored scores, newest first. */
  history(liftId: string, limit: number): Awaitable<HealthView[]>;
  /** Whether other nodes write here too: the service then reads their new scores every `refreshMs`. */
  readonly shared?: boolean;
}

export interface HealthServiceOptions {
  /** Where the history is kept: stateHealthHistory (health-history.ts). */
  readonly history: HealthHistoryPort;
  /** With a shared history: how often the latest scores other nodes computed are read, ms. @defaultValue 10000 */
  readonly refreshMs?: number;
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

const toView = (h: HealthScore): HealthView => ({
  liftId: h.liftId, at: h.at, score: h.score, grade: h.grade ?? null, confidence: h.confidence, paramsVersion: h.paramsVersion,
  components: Object.fromEntries(h.components.map((c) => [c.id, c.score])), reasons: h.reasons, caps: h.caps,
});

/**
 * The served health score (the lift page and the district grades): the latest score
 * per lift, kept in memory and in the history (`health_history`), so it survives a restart. Scores are
 * computed when a lift is scored by the models (`fromRecords`, on records already loaded) and, for
 * lifts without one, lazily from the stored records (`ensure`, `warmUp`).
 */
export function createHealthService(o: HealthServiceOptions) {
  const params = o.params ?? HEALTH_PARAMS;
  const now = o.now ?? Date.now;
  const minChange = o.historyMinChange ?? 1;
  const store = o.history;
  const latest = new Map<string, HealthView>();
  /** The last row written per lift: decides whether the next score is a new history row. */
  const written = new Map<string, { at: number; score: number; grade: string | null }>();
  /** Newest score time read from the store: the next read of other nodes' scores starts there. */
  let readUpTo = -1;
  /** Stored scores join the served ones; a score computed here meanwhile, if newer, stays. */
  const adopt = (views: readonly HealthView[]) => {
    for (const v of views) {
      readUpTo = Math.max(readUpTo, v.at);
      const have = latest.get(v.liftId);
      if (have !== undefined && have.at >= v.at) continue;
      latest.set(v.liftId, v);
      written.set(v.liftId, { at: v.at, score: v.score, grade: v.grade });
    }
  };
  const fail = (what: string) => (err: unknown) => o.log?.(`health: ${what}: ${String(err)}`);
  const first = store.latest();
  /** Resolves when the stored scores are loaded. */
  const ready: Promise<void> = first instanceof Promise ? first.then(adopt, fail('reading the stored scores')) : Promise.resolve(adopt(first));
  let refreshing = false;
  const refreshTimer = store.shared ? setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    void Promise.resolve(store.latest(readUpTo)).then(adopt, fail('reading the scores of other nodes')).finally(() => {
      refreshing = false;
    });
  }, o.refreshMs ?? 10_000) : undefined;
  refreshTimer?.unref();
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
      const appended = store.append(view, h.paramsSha256);
      if (appended instanceof Promise) appended.catch(fail(`storing the score of ${h.liftId}`));
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
    history: (liftId: string, limit = 100): Awaitable<HealthView[]> => store.history(liftId, limit),
    /** Resolves when the stored latest scores are loaded. */
    ready: () => ready,
    /**
     * In the background, one lift at a time, compute a score for each of these lifts that has none
     * (after a start on a store with records but no scores). Resolves when done or closed.
     */
    /** Scores lifts that have none, in the background, at most `perSecond` lifts a second. */
    async warmUp(liftIds: readonly string[], perSecond = 20): Promise<number> {
      await ready; // the stored scores first: a lift that has one is not scored again
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
      clearInterval(refreshTimer);
      for (const stop of stopWarmUp) stop();
      await Promise.allSettled([...inflight.values()]);
    },
  };
  return api;
}
export type HealthService = ReturnType<typeof createHealthService>;
