import { createAlertActions } from '@liftwatch/ingest';
import { createRateLimit } from './rate-limit.js';
import { featuresAt } from '../features/definition.js';
import { FEATURE_STREAMS, type AnyRecord } from '../features/lift-state.js';
import type { HealthService } from '../health/health-service.js';
import type { RecordReader } from '../health/recompute.js';
import { createRegistry } from '../registry/registry.js';
import { createFeatureStates, type FeatureStatePort } from './feature-states.js';
import { FAMILIES, FAMILY_NAMES, type Family } from '../train/families.js';
import { createScorer, SCORING_STREAMS, type PredictedAlert } from './scorer.js';

/** The degradation code (packages/contract/src/codes.ts) a family's predicted alert is raised with. */
export const FAMILY_CODE: Readonly<Record<Family, string>> = Object.freeze(Object.fromEntries(FAMILY_NAMES.map((f) => [f, FAMILIES[f].code])) as Record<Family, string>);
/** The stream whose newest records are an alert's evidence. */
const FAMILY_STREAM: Readonly<Record<Family, 'door' | 'trip' | 'env'>> = { doorSystem: 'door', guidesRide: 'trip', brake: 'trip', tractionRopes: 'trip', driveThermal: 'env' };

/** Where predicted alerts go: the alerting service, structurally (models does not import alerting). */
export interface PredictedAlertSink {
  raise(req: { liftId: string; code: string; reason: string; evidence: { liftId: string; stream: string; seq: number; ts: number; values: Record<string, unknown> } }): unknown;
  conditionCleared(liftId: string, code: string, note: string): unknown;
}

export interface ModelServingOptions {
  /** The registry directory (models/artifacts layout). */
  readonly registryDir: string;
  /** Models to serve; @defaultValue every model in the registry */
  readonly modelIds?: readonly string[];
  /** A lift is scored at most once in this long, ms (its features are read from its streaming state). */
  readonly minIntervalMs: number;
  /** Look for new versions this often, ms; 0: never. */
  readonly autoReloadMs?: number;
  readonly maxBatch?: number;
  readonly maxDelayMs?: number;
  /** Health recomputations (store reads) per second at most, on the ingest's thread (models/src/serving/rate-limit.ts). @defaultValue 20 */
  readonly maxLiftsPerS?: number;
  /** Lifts first seen by this process that catch up from their stored records, per second at most. @defaultValue 500 */
  readonly catchUpLiftsPerS?: number;
  /** Feature states changed since the last checkpoint are saved this often, ms. @defaultValue 60000 */
  readonly checkpointMs?: number;
  /** Feature states kept in memory; beyond it the least recently used are saved and dropped. @defaultValue 50000 */
  readonly maxResidentStates?: number;
  /** Candidate versions to score in shadow beside the live ones, e.g. { 'door-system': '2' }. */
  readonly shadow?: Readonly<Record<string, string>>;
}

export interface ModelServingDeps {
  /** The telemetry store: a lift's stored records are replayed into its feature state when this process first sees it. */
  readonly store: RecordReader;
  readonly alerts: PredictedAlertSink;
  /** Where feature states are checkpointed (sqliteFeatureStates); without it they live in memory only. */
  readonly featureStates?: FeatureStatePort;
  /** Whether a lift had stored records before this process started (only those are replayed on first sight). @defaultValue every lift */
  readonly storedBefore?: (liftId: string) => boolean;
  /** When given, each scoring also recomputes the lift's health score from its stored records (paced). */
  readonly health?: HealthService;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

/** A predicted alert as /api/models lists it. */
export interface ServedAlert extends PredictedAlert { readonly code: string; readonly evidenceIds: readonly string[] }

const RECENT_LOG = 200;

/** A stored row as ingest's onStored gives it: the record itself, or its JSON when the writer thread has the object. */
export interface StoredRow { readonly liftId: string; readonly stream: string; readonly ts: number; readonly rx?: number; readonly record?: Record<string, unknown>; readonly body?: string | undefined }

/**
 * Fault prediction in the running platform: stored trip and door summaries mark their
 * lift; a lift is scored at most once per `minIntervalMs`; marked lifts are scored in micro-batches
 * (one onnxruntime Run per model per batch) with features read from each lift's streaming state
 * (updated by every stored trip, door, env and fault record, checkpointed); alerts
 * with hysteresis go to alerting as the family's degradation code; shadow versions are recorded.
 */
export async function createModelServing(o: ModelServingOptions, deps: ModelServingDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  // Raises in order per lift, retried while the alert store is away (the shared state store may answer later).
  const alertActions = createAlertActions({ log });
  const registry = createRegistry(o.registryDir);
  const modelIds = o.modelIds ?? registry.ids();
  const familyOfModel = new Map<string, Family>();
  /** Evidence of the latest scoring of each lift, per stream (bounded: the oldest entries are dropped). */
  const EVIDENCE_CACHE = 10_000;
  const evidence = new Map<string, Record<string, { ids: string[]; newest: { seq: number; ts: number } | undefined }>>();
  const recent: ServedAlert[] = [];
  const lastScored = new Map<string, number>();
  const deferred = new Map<string, number>();
  const stats = { stored: 0, scheduled: 0, deferred: 0, scored: 0, unreadable: 0 };

  /** Lifts handed to the scorer and not scored since: liftId → sequence number of the latest hand-over. */
  const queued = new Map<string, number>();
  let handovers = 0;
  const pace = createRateLimit(o.maxLiftsPerS ?? 20);
  // A lift first seen by this process catches up from its stored records at its own pace: a lift
  // with no history costs a few indexed reads, and a city's first minute meets every lift at once.
  const catchUpPace = createRateLimit(o.catchUpLiftsPerS ?? 500);
  const states = createFeatureStates({
    reader: deps.store, turn: () => catchUpPace.turn(), log, ...(deps.storedBefore ? { storedBefore: deps.storedBefore } : {}),
    ...(deps.featureStates ? { port: deps.featureStates } : {}), ...(o.maxResidentStates ? { maxResident: o.maxResidentStates } : {}),
  });
  const checkpointTimer = setInterval(() => saveStates(), o.checkpointMs ?? 60_000);
  checkpointTimer.unref();
  function saveStates(): void {
    try { states.checkpoint(); } catch (err) { log(`models: saving feature states: ${String(err)}`); }
  }

  async function features(liftId: string, at: number) {
    const started = handovers;
    try {
      return await featuresOf(liftId, at);
    } finally {
      if ((queued.get(liftId) ?? Infinity) <= started) queued.delete(liftId);
    }
  }

  async function featuresOf(liftId: string, at: number) {
    if (closed) throw new Error('model serving is closing'); // the batch is dropped; nothing is scored or cleared on missing data
    const state = await states.state(liftId);
    stats.scored++;
    if (deps.health !== undefined) scheduleHealth(liftId);
    const ev = (stream: 'door' | 'trip' | 'env') => {
      const l = state.evidence(stream);
      const newest = l.at(-1);
      return { ids: l.map(([seq]) => `${liftId}/${stream}/${seq}`), newest: newest === undefined ? undefined : { seq: newest[0], ts: newest[1] } };
    };
    evidence.delete(liftId);
    evidence.set(liftId, { door: ev('door'), trip: ev('trip'), env: ev('env') });
    if (evidence.size > EVIDENCE_CACHE) evidence.delete(evidence.keys().next().value!);
    return { liftId, at, values: featuresAt(state, at) };
  }

  /** Health scores are recomputed from the stored records, one lift at a time at the serving's pace. */
  const healthDue = new Set<string>();
  let healthRun: Promise<void> = Promise.resolve();
  function scheduleHealth(liftId: string): void {
    if (healthDue.has(liftId)) return;
    healthDue.add(liftId);
    healthRun = healthRun.then(async () => {
      await pace.turn();
      healthDue.delete(liftId);
      if (closed) return;
      try { await deps.health!.recompute(liftId, now()); } catch (err) { log(`models: health of ${liftId}: ${String(err)}`); }
    });
  }

  function onAlert(a: PredictedAlert): void {
    const family = familyOfModel.get(a.modelId);
    if (family === undefined) return;
    const code = FAMILY_CODE[family];
    const stream = FAMILY_STREAM[family];
    const ev = evidence.get(a.liftId)?.[stream] ?? evidence.get(a.liftId)?.['trip'];
    const served: ServedAlert = { ...a, code, evidenceIds: ev?.ids ?? [] };
    remember(recent, served);
    const top = a.topFeatures.map((f) => `${f.name} ${f.value} (z ${f.z})`).join(', ');
    if (a.state === 'raised') {
      alertActions.run(a.liftId, `predicted ${code} on ${a.liftId}`, () => deps.alerts.raise({
        liftId: a.liftId, code,
        reason: `model ${a.modelId} v${a.version} predicts a ${family} failure: score ${a.score.toFixed(3)}; top features ${top || 'none'}; anomaly ${a.anomaly}; evidence ${served.evidenceIds.join(', ') || 'none'}`,
        evidence: { liftId: a.liftId, stream: ev?.newest ? stream : 'model', seq: ev?.newest?.seq ?? 0, ts: ev?.newest?.ts ?? a.ts,
          values: { modelId: a.modelId, version: a.version, score: a.score, topFeatures: a.topFeatures, anomaly: a.anomaly, evidenceIds: served.evidenceIds } },
      }));
    } else {
      alertActions.run(a.liftId, `predicted ${code} cleared on ${a.liftId}`,
        () => deps.alerts.conditionCleared(a.liftId, code, `model ${a.modelId} v${a.version}: score ${a.score.toFixed(3)} stayed below the clear threshold`));
    }
  }

  const scorer = await createScorer({ modelIds, autoReloadMs: o.autoReloadMs ?? 0, ...(o.maxBatch ? { maxBatch: o.maxBatch } : {}), ...(o.maxDelayMs !== undefined ? { maxDelayMs: o.maxDelayMs } : {}) }, {
    registry, features, onAlert,
    onReloadError: (err) => log(`models: a new version was refused, the old one keeps serving: ${String(err)}`),
    onScoreError: (err) => log(`models: a batch of lifts was not scored (they are scored at their next record): ${String(err)}`),
  });
  const refreshFamilies = () => {
    for (const [id, m] of Object.entries(scorer.manifests())) {
      const f = m.live.family as Family;
      if (FAMILY_NAMES.includes(f)) familyOfModel.set(id, f);
    }
  };
  refreshFamilies();
  for (const [id, version] of Object.entries(o.shadow ?? {})) await scorer.setShadow(id, version);

  /** Hand a lift to the scorer, or defer it until its minimum interval has passed. */
  function mark(liftId: string, stream: string, ts: number): void {
    const last = lastScored.get(liftId);
    const t = now();
    if (last !== undefined && t - last < o.minIntervalMs) {
      if (!deferred.has(liftId)) stats.deferred++;
      deferred.set(liftId, Math.max(deferred.get(liftId) ?? 0, ts));
      return;
    }
    lastScored.set(liftId, t);
    deferred.delete(liftId);
    stats.scheduled++;
    queued.set(liftId, ++handovers);
    scorer.onRecord(stream, { liftId, ts });
  }

  let closed = false;
  const sweepMs = Math.max(1_000, Math.min(60_000, o.minIntervalMs / 4));
  /** Hand the deferred lifts whose minimum interval has passed to the scorer. */
  const sweepDeferred = () => {
    const t = now();
    for (const [liftId, ts] of deferred) if (t - (lastScored.get(liftId) ?? 0) >= o.minIntervalMs) mark(liftId, 'trip', ts);
  };
  const sweep = setInterval(sweepDeferred, sweepMs);
  sweep.unref();

  return {
    /**
     * Ingest's onStored: trip, door, env and fault records update their lift's feature state; trip
     * and door summaries also mark the lift for scoring; other streams are ignored.
     */
    onStored(rows: readonly StoredRow[]): void {
      if (closed) return;
      const newest = new Map<string, { stream: string; ts: number }>();
      for (const r of rows) {
        if (!FEATURE_STREAMS.has(r.stream)) continue;
        const record = recordOf(r);
        if (record === undefined) { stats.unreadable++; continue; }
        states.add(r.liftId, r.stream, record, r.rx);
        if (!SCORING_STREAMS.has(r.stream)) continue;
        stats.stored++;
        const n = newest.get(r.liftId);
        if (n === undefined || r.ts > n.ts) newest.set(r.liftId, { stream: r.stream, ts: r.ts });
      }
      for (const [liftId, n] of newest) mark(liftId, n.stream, n.ts);
    },
    /** Deferred lifts whose interval has passed are scheduled (runs by itself every min(interval / 4, 60 s)). */
    sweep: sweepDeferred,
    /** Score every marked lift now, and recompute their health (tests; the scorer flushes by itself after maxDelayMs). */
    async flush(): Promise<void> {
      await states.settled();
      await scorer.flush();
      await healthRun;
    },
    /** Save the feature states changed since the last checkpoint now (runs by itself every checkpointMs, and at close). */
    checkpoint: () => states.checkpoint(),
    async reload(): Promise<string[]> {
      const out = await scorer.reload();
      refreshFamilies();
      return out;
    },
    async setShadow(id: string, version: string): Promise<void> {
      await scorer.setShadow(id, version);
    },
    /** What GET /api/models shows: live and shadow versions, the comparison, recent live and shadow alerts. */
    status() {
      refreshFamilies();
      const manifests = scorer.manifests();
      const summary = (m: (typeof manifests)[string]['live'] | undefined) => m === undefined ? null : {
        version: m.version, family: m.family, createdAt: m.createdAt, featureVersion: m.featureVersion, training: { source: m.training.source, generator: m.training.generator, mixes: m.training.mixes, seeds: m.training.seeds, liftYears: m.training.liftYears, learner: m.training.learner },
        validation: { mixes: m.validation.mixes, seeds: m.validation.seeds, figures: m.validation.figures, rule: m.validation.rule },
        metrics: m.metrics, thresholds: m.thresholds, sha256: m.sha256,
      };
      return {
        registryDir: o.registryDir, minIntervalMs: o.minIntervalMs, autoReloadMs: o.autoReloadMs ?? 0,
        models: Object.entries(manifests).map(([id, m]) => ({ id, code: familyOfModel.has(id) ? FAMILY_CODE[familyOfModel.get(id)!] : null, live: summary(m.live), shadow: summary(m.shadow) })),
        comparison: scorer.comparison(),
        runs: scorer.stats(),
        scheduling: { ...stats, waiting: deferred.size, queued: queued.size },
        featureStates: states.stats(),
        recentAlerts: [...recent].reverse().slice(0, 50),
        shadowAlerts: scorer.shadowLog().slice(-50).reverse(),
      };
    },
    async close(): Promise<void> {
      closed = true;
      clearInterval(sweep);
      clearInterval(checkpointTimer);
      pace.stop();
      await scorer.close();
      await healthRun;
      await states.settled();
      saveStates();
      await alertActions.drain(5_000);
    },
  };
}
export type ModelServing = Awaited<ReturnType<typeof createModelServing>>;

function remember<T>(list: T[], x: T): void {
  list.push(x);
  if (list.length > RECENT_LOG) list.splice(0, list.length - RECENT_LOG);
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
