import type { Awaitable, HealthView } from '@liftwatch/contract';
import type { HealthScore } from './health.js';
import { createServedScores } from './served-scores.js';

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
  /** Writes the appends it has gathered (at close). */
  flush?(): Promise<void>;
}

export interface HealthServiceOptions {
  /** Where the history is kept: stateHealthHistory (health-history.ts). */
  readonly history: HealthHistoryPort;
  /** With a shared history: how often the latest scores other nodes computed are read, ms. @defaultValue 10000 */
  readonly refreshMs?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /**
   * A history row is written when the grade changes, the score moves by at least this many points,
   * or a day has passed since the lift's last row; otherwise only the served score changes.
   * @defaultValue 1
   */
  readonly historyMinChange?: number;
}

/** A full score as the API shows it: components with their details, reasons and caps. */
export function healthView(h: HealthScore): HealthView {
  return {
    liftId: h.liftId, at: h.at, score: h.score, grade: h.grade ?? null, provisional: h.provisional, confidence: h.confidence, paramsVersion: h.paramsVersion,
    components: Object.fromEntries(h.components.map((c) => [c.id, c.score])),
    parts: h.components.map((c) => ({ id: c.id, weight: c.weight, score: c.score, pointsLost: c.pointsLost, key: c.key, params: c.params, detail: c.detail, evidence: c.evidence.slice(0, 5) })),
    reasons: h.reasons, caps: h.caps, recordsTo: h.recordsTo,
  };
}

/**
 * The served health score (the lift page and the district grades): the latest score per lift, kept
 * compactly (served-scores.ts) and in the history (`health_history`), so it survives a restart. Scores
 * are computed from each lift's streaming state by the model serving's rounds (`record`); a page that
 * asks for one lift gets it computed afresh from the state (`ensure`, through the function `attach`
 * gives), or the stored one when the state is on another node.
 */
export function createHealthService(o: HealthServiceOptions) {
  const now = o.now ?? Date.now;
  const minChange = o.historyMinChange ?? 1;
  const store = o.history;
  const served = createServedScores();
  let compute: ((liftId: string, at: number) => Awaitable<HealthScore | undefined>) | undefined;
  /** Newest score time read from the store: the next read of other nodes' scores starts there. */
  let readUpTo = -1;
  const adopt = (views: readonly HealthView[]) => {
    for (const v of views) {
      readUpTo = Math.max(readUpTo, v.at);
      if (served.set(v)) served.written(v);
    }
  };
  const fail = (what: string) => (err: unknown) => o.log?.(`health: ${what}: ${String(err)}`);
  const first = store.latest();
  const ready: Promise<void> = first instanceof Promise ? first.then(adopt, fail('reading the stored scores')) : Promise.resolve(adopt(first));
  let refreshing = false;
  const refreshTimer = store.shared ? setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    void Promise.resolve(store.latest(readUpTo)).then(adopt, fail('reading the scores of other nodes')).finally(() => { refreshing = false; });
  }, o.refreshMs ?? 10_000) : undefined;
  refreshTimer?.unref();
  const stats = { computed: 0, appended: 0 };

  function record(h: HealthScore): HealthView {
    return recordView(healthView(h), h.paramsSha256);
  }

  function recordView(view: HealthView, paramsSha256: string): HealthView {
    stats.computed++;
    if (!served.set(view)) return view; // a newer score is kept
    if (served.due(view, minChange, DAY)) {
      const { parts: _parts, ...row } = view; // the history keeps the score, its reasons and caps
      const appended = store.append(row, paramsSha256);
      if (appended instanceof Promise) appended.catch(fail(`storing the score of ${view.liftId}`));
      served.written(view);
      stats.appended++;
    }
    return view;
  }

  const api = {
    /** The latest score of a lift without its reasons (cheap: lists), or null when none has been computed yet. */
    score: (liftId: string): HealthView | null => served.get(liftId),
    /** The full score of a lift: computed now from its state when this node holds it, else the latest stored one. */
    async ensure(liftId: string): Promise<HealthView | null> {
      const h = await compute?.(liftId, now());
      if (h !== undefined) return record(h);
      const stored = await store.history(liftId, 1);
      return stored[0] ?? served.get(liftId);
    },
    /** Keeps a score computed by the serving (and appends it to the history when it changed enough). */
    record,
    /** The same, for a score whose view was made elsewhere (the serving's thread). */
    recordView,
    /** How this node computes a lift's score from its state (the model serving, on its thread or not); undefined for a lift it does not hold. */
    attach(fn: (liftId: string, at: number) => Awaitable<HealthScore | undefined>): void { compute = fn; },
    /** Grade counts over these lifts; `none`: no score yet or not enough data. */
    gradeCounts(liftIds: readonly string[]): Record<string, number> {
      const out: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0, none: 0 };
      for (const id of liftIds) out[served.grade(id)]!++;
      return out;
    },
    /** Lifts per grade and scores in 10-point bins over every lift (/metrics). */
    distribution: () => ({ ...served.distribution(), ...stats }),
    /** Stored history of a lift, newest first. */
    history: (liftId: string, limit = 100): Awaitable<HealthView[]> => store.history(liftId, limit),
    /** Resolves when the stored latest scores are loaded. */
    ready: () => ready,
    count: () => served.size(),
    async close(): Promise<void> { clearInterval(refreshTimer); await store.flush?.(); },
  };
  return api;
}
export type HealthService = ReturnType<typeof createHealthService>;
