import { createAlertActions } from '@liftwatch/ingest';
import { featureVector } from '../features/definition.js';
import { ruleInputs } from '../evaluate/threshold-rules.js';
import { computeStats, type FeatureStats } from '../features/feature-stats.js';
import { FEATURE_STREAMS, type AnyRecord, type LiftFeatureState } from '../features/lift-state.js';
import { computeHealth, type HealthScore } from '../health/health.js';
import type { HealthService } from '../health/health-service.js';
import { createPlatformEvents, type AlertLike, type PlatformEvents } from '../health/platform-events.js';
import type { RecordReader } from '../health/recompute.js';
import { createRegistry } from '../registry/registry.js';
import { FAMILIES, FAMILY_NAMES, type Family } from '../train/families.js';
import type { AlertStatePort } from './alert-states.js';
import type { HeldRaisePort } from './held-raises.js';
import { createFeatureStates, type FeatureStatePort } from './feature-states.js';
import { liftRisk, type LiftRisk, type ServedModel } from './lift-risk.js';
import type { PrecursorLimits } from './precursors.js';
import { createRateLimit } from './rate-limit.js';
import { createRescoreLoop } from './rescore-loop.js';
import { createRiskTable } from './risk-table.js';
import { memoryRiskTrend, type RiskTrendPort } from './risk-trend.js';
import { createScorer, SCORING_STREAMS, type ScoredRow } from './scorer.js';
import { numberIn, type LiftNumbers } from './lift-numbers.js';
import { predictedAlertSender, type PredictedAlertSink } from './predicted-alerts.js';
import { createScoringClock } from './scoring-clock.js';
import { servingStatus } from './status.js';

export { type PredictedAlertSink, type ServedAlert } from './predicted-alerts.js';

/** The degradation code (packages/contract/src/codes.ts) a family's predicted alert is raised with. */
export const FAMILY_CODE: Readonly<Record<Family, string>> = Object.freeze(Object.fromEntries(FAMILY_NAMES.map((f) => [f, FAMILIES[f].code])) as Record<Family, string>);

export interface ModelServingOptions {
  /** The registry directory (models/artifacts layout). */
  readonly registryDir: string;
  /** Models to serve; @defaultValue every model in the registry */
  readonly modelIds?: readonly string[];
  /** A lift with new trip, door or env records is rescored once this long has passed since its last scoring, ms. */
  readonly minIntervalMs: number;
  /** Every lift is rescored at least this often, records or not, ms. @defaultValue 300000 */
  readonly roundMs?: number;
  /** Lifts scored per second at most (features, models and health, from the lift's state). @defaultValue 1000 */
  readonly maxLiftsPerS?: number;
  /** Look for new versions this often, ms; 0: never. */
  readonly autoReloadMs?: number;
  readonly maxBatch?: number;
  /** Lifts first seen by this process that catch up from their stored records, per second at most. @defaultValue 500 */
  readonly catchUpLiftsPerS?: number;
  /** Feature states changed since the last checkpoint are saved this often, ms. @defaultValue 300000 */
  readonly checkpointMs?: number;
  /** Feature states kept in memory (about 2.4 KB each); beyond it the least recently used are saved and dropped. @defaultValue 250000 */
  readonly maxResidentStates?: number;
  /** Candidate versions to score in shadow beside the live ones, e.g. { 'door-system': '2' }. */
  readonly shadow?: Readonly<Record<string, string>>;
  /** How long a family's score must hold above its raise threshold before its alert is raised, ms, by model id. @defaultValue each manifest's */
  readonly persistMs?: Readonly<Record<string, number>>;
  /** Limits set elsewhere that the precursor bands show. @defaultValue creep 50 mm */
  readonly limits?: PrecursorLimits;
  /** How often the rescoring loop looks for work, ms. @defaultValue 1000 */
  readonly tickMs?: number;
  /**
   * Records older than this when scored are history (a replay, a catch-up): a predicted alert that
   * raises and clears within them is kept closed with its real times and never notified, ms.
   * @defaultValue 3600000
   */
  readonly historyStaleMs?: number;
}

export interface ModelServingDeps {
  /** The telemetry store: a lift's stored records are replayed into its feature state when this process first sees it. */
  readonly store: RecordReader;
  readonly alerts: PredictedAlertSink;
  /** Where feature states are checkpointed (sqliteFeatureStates); without it they live in memory only. */
  readonly featureStates?: FeatureStatePort;
  /** Where the predicted alerts' hysteresis is kept across restarts (sqliteAlertStates). */
  readonly alertStates?: AlertStatePort;
  /** Where predicted raises from records scored late are held across restarts (sqliteHeldRaises). @defaultValue in memory */
  readonly heldRaises?: HeldRaisePort;
  /** Where each lift's daily risk is kept (sqliteRiskTrend). @defaultValue in memory */
  readonly riskTrend?: RiskTrendPort;
  /** Whether a lift had stored records before this process started (only those are replayed on first sight). @defaultValue every lift */
  readonly storedBefore?: (liftId: string) => boolean;
  /**
   * The lifts' numbers in this process (ingest's lift table, lift-numbers.ts), by which the feature
   * states and the scoring clock keep what they keep of each lift. @defaultValue numbers of its own
   */
  readonly liftNumbers?: LiftNumbers;
  /** When given, each scoring also computes the lift's health score from its state and the platform's events. */
  readonly health?: HealthSink;
  /** Called after each batch of lifts is scored (their risks are in `risk()`): the serving thread mirrors them to the event loop. */
  readonly onScored?: (liftIds: readonly string[]) => void;
  /** The platform's alerts and visits per lift (health); fed through onAlertChange and onVisit. @defaultValue empty */
  readonly events?: PlatformEvents;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

/**
 * Where the serving's health scores go: the health service (health-service.ts), or on the serving's
 * own thread the messages that carry them to it (serving-thread.ts).
 */
export interface HealthSink {
  record(h: HealthScore): unknown;
  /** How the sink gets a lift's score computed afresh from its state (the lift page's `ensure`). */
  attach(fn: (liftId: string, at: number) => HealthScore | undefined): void;
  distribution?(): ReturnType<HealthService['distribution']>;
}

/** A stored row as ingest's onStored gives it: the record itself, or its JSON when the writer thread has the object. */
export interface StoredRow {
  readonly liftId: string; readonly stream: string; readonly ts: number; readonly rx?: number; readonly record?: Record<string, unknown>; readonly body?: string | undefined;
  /** The lift's number in ingest's lift table (its record op's): the serving's own when it uses that table's numbers. */
  readonly lift?: number;
}

/**
 * Fault prediction and health in the running platform, from each lift's streaming feature state (no
 * history is read on the record path): stored records update the state; lifts whose features changed
 * are rescored once their minimum interval has passed, and every lift at least once a round
 * (rescore-loop.ts), in micro-batches (one onnxruntime Run per model per batch); alerts with
 * hysteresis (kept across restarts) go to alerting as the family's degradation code; each scoring also
 * computes the health score; shadow versions are recorded.
 */
export async function createModelServing(o: ModelServingOptions, deps: ModelServingDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  const events = deps.events ?? createPlatformEvents();
  const limits = o.limits ?? { creepAlertMm: 50 };
  const registry = createRegistry(o.registryDir);
  const modelIds = o.modelIds ?? registry.ids();
  const catchUpPace = createRateLimit(o.catchUpLiftsPerS ?? 500);
  const states = createFeatureStates({
    reader: deps.store, turn: () => catchUpPace.turn(), log, ...(deps.storedBefore ? { storedBefore: deps.storedBefore } : {}),
    ...(deps.featureStates ? { port: deps.featureStates } : {}), ...(o.maxResidentStates ? { maxResident: o.maxResidentStates } : {}),
    ...(deps.liftNumbers ? { lifts: deps.liftNumbers } : {}),
  });
  const trend = deps.riskTrend ?? memoryRiskTrend();
  const table = createRiskTable(modelIds, (liftId, day, highest) => {
    try { trend.append(liftId, day, modelIds, highest); } catch (err) { log(`models: keeping the risk of ${liftId}: ${String(err)}`); }
  }, states.lifts);
  const stats = { stored: 0, unreadable: 0, healthScored: 0 };
  /** The statistics of the lifts of the batch being scored: an alert raised in it cites its precursors. */
  const batchStats = new Map<string, FeatureStats>();
  const sender = predictedAlertSender({
    sink: deps.alerts, actions: createAlertActions({ log }), limits, stateOf: (id) => states.peek(id), statsOf: (id) => batchStats.get(id), staleMs: o.historyStaleMs ?? 3_600_000, now,
    ...(deps.heldRaises ? { heldStore: deps.heldRaises } : {}),
  });
  const clock = createScoringClock({ now, quietMs: o.roundMs ?? 300_000, lifts: states.lifts });
  const scorer = await createScorer({ modelIds, autoReloadMs: o.autoReloadMs ?? 0, ...(o.maxBatch ? { maxBatch: o.maxBatch } : {}), ...(o.persistMs ? { persistMs: o.persistMs } : {}) }, {
    registry, features: () => { throw new Error('the serving scores lifts itself'); }, onAlert: (a) => sender.send(a, familyOf(a.modelId)),
    onReloadError: (err) => log(`models: a new version was refused, the old one keeps serving: ${String(err)}`),
    ...(deps.alertStates ? { alertStates: safePort(deps.alertStates, log) } : {}),
  });
  const familyOf = (modelId: string): Family | undefined => {
    const f = scorer.manifests()[modelId]?.live.family as Family | undefined;
    return f !== undefined && FAMILY_NAMES.includes(f) ? f : undefined;
  };
  for (const [id, version] of Object.entries(o.shadow ?? {})) await scorer.setShadow(id, version);

  function healthOf(st: LiftFeatureState, at: number, s?: FeatureStats): HealthScore {
    return computeHealth(st, at, { events: events.of(st.liftId), ...(s ? { stats: s } : {}) });
  }
  deps.health?.attach((liftId, at) => { const st = states.peek(liftId); return st === undefined ? undefined : healthOf(st, Math.max(at, st.newestTs())); });

  /** Features, the five models and the health score of these lifts, at `at` (default: scoring-clock.ts, the time of their records). */
  async function scoreLifts(liftIds: readonly string[], at?: number): Promise<void> {
    if (closed) return;
    const rows: ScoredRow[] = [];
    const held: LiftFeatureState[] = [];
    for (const id of liftIds) {
      const st = states.peek(id) ?? await states.state(id);
      const t = clock.at(id, st.newestTs(), at);
      const s = computeStats(st, t);
      batchStats.set(id, s);
      rows.push({ liftId: id, at: t, values: featureVector(s), ruleInputs: ruleInputs(s) });
      held.push(st);
    }
    try {
      const scores = await scorer.score(rows);
      rows.forEach((r, i) => modelIds.forEach((id, m) => { const p = scores.get(id); if (p) table.set(r.liftId, m, r.at, p[i]!); }));
      if (deps.health) rows.forEach((r, i) => { deps.health!.record(healthOf(held[i]!, r.at, batchStats.get(r.liftId))); stats.healthScored++; });
      for (const r of rows) sender.scored(r.liftId, r.at);
      deps.onScored?.(liftIds);
    } finally {
      batchStats.clear();
    }
  }

  let closed = false;
  const loop = createRescoreLoop({ minIntervalMs: o.minIntervalMs, roundMs: o.roundMs ?? 300_000, maxPerS: o.maxLiftsPerS ?? 1_000, ...(o.tickMs ? { tickMs: o.tickMs } : {}) }, {
    now, lifts: () => states.liftIds(), scoredAt: (id) => clock.scoredAt(id), score: (ids) => scoreLifts(ids),
    onError: (err) => log(`models: a batch of lifts was not scored (they are scored again in the next round): ${String(err)}`),
  });
  const checkpoints = periodicCheckpoints(states, o.checkpointMs ?? 300_000, () => deps.featureStates?.settled?.() ?? Promise.resolve(), log);
  const served = (): ServedModel[] => Object.entries(scorer.manifests()).flatMap(([id, m]) => {
    const family = familyOf(id);
    return family === undefined ? [] : [{ id, family, code: FAMILY_CODE[family], manifest: m.live, hyst: scorer.hysteresis(id), served: scorer.served(id) }];
  }).sort((a, b) => FAMILY_NAMES.indexOf(a.family) - FAMILY_NAMES.indexOf(b.family));

  return {
    /** Ingest's onStored: trip, door, env, fault and status records update their lift's feature state; trip, door and env records mark the lift for rescoring. */
    onStored(rows: readonly StoredRow[]): void {
      if (closed) return;
      for (const r of rows) {
        if (!FEATURE_STREAMS.has(r.stream)) continue;
        const record = recordOf(r);
        if (record === undefined) { stats.unreadable++; continue; }
        const n = numberIn(states.lifts, r.liftId, r.lift);
        if (!states.add(r.liftId, r.stream, record, r.rx, n)) continue;
        clock.arrived(r.liftId, n);
        if (SCORING_STREAMS.has(r.stream) || r.stream === 'env') { stats.stored++; loop.mark(r.liftId); }
      }
    },
    /** Records into a lift's state without marking it (a history written before the lift goes live: the demo). */
    replay(liftId: string, rows: readonly StoredRow[]): void {
      for (const r of rows) { const record = recordOf(r); if (record !== undefined) states.add(liftId, r.stream, record, r.rx); }
    },
    /** Scores these lifts as of `at` (a simulated clock): models, hysteresis, alerts and health all at `at`. */
    scoreAt: (liftIds: readonly string[], at: number): Promise<void> => scoreLifts(liftIds, at),
    /** A platform alert opened, counted, cleared or closed: the lift's health is computed again now. */
    onAlertChange(a: AlertLike): void { events.alert(a); rescoreHealth(a.liftId); },
    /** A maintenance visit began on a lift. */
    onVisit(liftId: string, startedAt: number): void { events.visit(liftId, startedAt); rescoreHealth(liftId); },
    /**
     * Visits read together (the visits of a history, of a minute): all are known before each lift's health
     * is computed once, so that no score (and no history point) is taken with only the first of them.
     */
    onVisits(visits: ReadonlyArray<{ readonly liftId: string; readonly startedAt: number }>): void {
      for (const v of visits) events.visit(v.liftId, v.startedAt);
      for (const liftId of new Set(visits.map((v) => v.liftId))) rescoreHealth(liftId);
    },
    /** A visit of a history being replayed (the demo): known to the health score from `scoreAt` times after it, no score now. */
    replayVisit(liftId: string, startedAt: number): void { events.visit(liftId, startedAt); },
    /** Score every lift marked by its records whose interval has passed, now (tests; the loop does it by itself). */
    async flush(): Promise<void> {
      await states.settled();
      await scoreLifts(loop.due());
    },
    /** One tick of the rescoring loop now. */
    tick: () => loop.tick(),
    /** Save the feature states changed since the last checkpoint now (runs by itself every checkpointMs, and at close). */
    checkpoint: () => states.checkpoint(),
    /** A lift's risk per family, with its trend and precursors; null before it is scored. */
    async lift(liftId: string): Promise<LiftRisk | null> {
      if (table.get(liftId) === undefined) return null;
      const st = await states.state(liftId);
      return liftRisk(liftId, { models: served(), table, trend: trend.read(liftId), stats: computeStats(st, Math.max(now(), st.newestTs())), limits });
    },
    /** The highest family risk relative to its raise threshold (≥ 1: at or above it), or null: the riskiest list's sort. */
    risk: (liftId: string): number | null => table.relative(liftId, modelIds.map((id) => scorer.manifests()[id]?.live.thresholds.raise ?? 1)),
    reload: async (): Promise<string[]> => scorer.reload(),
    setShadow: (id: string, version: string): Promise<void> => scorer.setShadow(id, version),
    /** What GET /api/models shows. */
    status: () => servingStatus({ o, scorer, states, loop, stats, sender, table, familyOf, health: deps.health?.distribution?.() }),
    /** The figures of /metrics. */
    metrics: () => ({ loop: loop.stats(), alertsRaised: sender.raisedByVersion(), risk: table.distribution(), featureStates: states.stats(), health: deps.health?.distribution?.() }),
    async close(): Promise<void> {
      closed = true;
      loop.close();
      checkpoints.stop();
      catchUpPace.stop();
      await scorer.close();
      await states.settled();
      // In slices, each written before the next is copied: a city's states are 350 MB, not to be copied at once.
      try {
        while (states.checkpoint(CHECKPOINT_SLICE) === CHECKPOINT_SLICE) await deps.featureStates?.settled?.();
      } catch (err) { log(`models: saving feature states: ${String(err)}`); }
      await deps.featureStates?.settled?.();
      await sender.drain();
    },
  };

  function rescoreHealth(liftId: string): void {
    const st = states.peek(liftId);
    if (st === undefined || deps.health === undefined || closed) return;
    deps.health.record(healthOf(st, Math.max(now(), st.newestTs())));
    stats.healthScored++;
  }
}
export type ModelServing = Awaited<ReturnType<typeof createModelServing>>;

/** Feature states per checkpoint slice: the event loop copies them (about 2.4 KB each, a few ms for 500) before a thread writes them. */
const CHECKPOINT_SLICE = 500;

/**
 * Saves changed feature states every `everyMs`, in slices that leave the event loop to ingest between
 * them; the next slice is copied once the port has written the last (`written`), so that a round
 * holds one slice of copies at a time, not every changed state.
 */
function periodicCheckpoints(states: ReturnType<typeof createFeatureStates>, everyMs: number, written: () => Promise<void>, log: (line: string) => void) {
  let stopped = false;
  let running = false;
  const slice = () => {
    if (stopped) { running = false; return; }
    try {
      if (states.checkpoint(CHECKPOINT_SLICE) < CHECKPOINT_SLICE) { running = false; return; }
    } catch (err) {
      log(`models: saving feature states: ${String(err)}`);
      running = false;
      return;
    }
    void written().then(() => setImmediate(slice));
  };
  const timer = setInterval(() => {
    if (running) return; // the last round is still being written
    running = true;
    slice();
  }, everyMs);
  timer.unref();
  return { stop: () => { stopped = true; clearInterval(timer); } };
}

/** A port whose failures are logged, not thrown into the scoring. */
function safePort(p: AlertStatePort, log: (line: string) => void): AlertStatePort {
  return {
    load: (id) => { try { return p.load(id); } catch (err) { log(`models: reading the alert states of ${id}: ${String(err)}`); return []; } },
    save: (id, lift, s) => { try { p.save(id, lift, s); } catch (err) { log(`models: saving the alert state of ${id} on ${lift}: ${String(err)}`); } },
    reset: (id) => { try { p.reset(id); } catch (err) { log(`models: resetting the alert states of ${id}: ${String(err)}`); } },
  };
}

/** A status body's service mode, without parsing the whole record (status is the busiest stream). */
const SERVICE_MODE = /"serviceMode":"([A-Za-z]+)"/;
const SEQ = /"seq":(\d+)/;

/** The record of a stored row (parsed from its JSON when ingest's writer thread kept the object; of a status, only what the features read). */
function recordOf(r: StoredRow): AnyRecord | undefined {
  if (r.record !== undefined) return r.record as AnyRecord;
  if (r.body === undefined) return undefined;
  if (r.stream === 'status') {
    const mode = SERVICE_MODE.exec(r.body)?.[1];
    const seq = SEQ.exec(r.body)?.[1];
    return mode === undefined || seq === undefined ? undefined : { ts: r.ts, seq: Number(seq), serviceMode: mode };
  }
  try { return JSON.parse(r.body) as AnyRecord; } catch { return undefined; }
}
