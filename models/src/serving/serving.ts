import { createAlertActions } from '@liftwatch/ingest';
import { createRateLimit } from './rate-limit.js';
import { computeFeatures } from '../features/compute.js';
import { FEATURE_WINDOWS } from '../features/definition.js';
import { between, evidenceId, type LiftRecords } from '../features/lift-records.js';
import type { HealthService } from '../health/health-service.js';
import { HEALTH_PARAMS } from '../health/params.js';
import { loadLiftRecords, type RecordReader } from '../health/recompute.js';
import { createRegistry } from '../registry/registry.js';
import { FAMILY_NAMES, type Family } from '../train/training-data.js';
import { createScorer, SCORING_STREAMS, type PredictedAlert } from './scorer.js';

const DAY = 86_400_000;

/** The degradation code (packages/contract/src/codes.ts) a family's predicted alert is raised with. */
export const FAMILY_CODE: Readonly<Record<Family, string>> = Object.freeze({
  doorSystem: 'D01', guidesRide: 'D03', brake: 'D05', tractionRopes: 'D06', driveThermal: 'D09',
});
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
  /** A lift is scored at most once in this long, ms (its features are recomputed from the store each time). */
  readonly minIntervalMs: number;
  /** Look for new versions this often, ms; 0: never. */
  readonly autoReloadMs?: number;
  readonly maxBatch?: number;
  readonly maxDelayMs?: number;
  /** Lifts scored per second at most, on the ingest's thread (models/src/serving/rate-limit.ts). @defaultValue 20 */
  readonly maxLiftsPerS?: number;
  /** Candidate versions to score in shadow beside the live ones, e.g. { 'door-system': '2' }. */
  readonly shadow?: Readonly<Record<string, string>>;
}

export interface ModelServingDeps {
  readonly store: RecordReader;
  readonly alerts: PredictedAlertSink;
  /** When given, each scoring also recomputes the lift's health score from the same records. */
  readonly health?: HealthService;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

/** A predicted alert as /api/models lists it. */
export interface ServedAlert extends PredictedAlert { readonly code: string; readonly evidenceIds: readonly string[] }

const RECENT_LOG = 200;
const EVIDENCE_CACHE = 10_000;

/**
 * Fault prediction in the running platform (issue 6 §4): stored trip and door summaries mark their
 * lift; a lift is scored at most once per `minIntervalMs`; marked lifts are scored in micro-batches
 * (one onnxruntime Run per model per batch) with features computed from the stored records; alerts
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
  const evidence = new Map<string, Record<string, { ids: string[]; newest: { seq: number; ts: number } | undefined }>>();
  const recent: ServedAlert[] = [];
  const lastScored = new Map<string, number>();
  const deferred = new Map<string, number>();
  const stats = { stored: 0, scheduled: 0, deferred: 0, scored: 0, featureErrors: 0 };
  const healthWindowMs = (HEALTH_PARAMS.rareWindowDays + HEALTH_PARAMS.recentDays) * DAY;

  /** Lifts handed to the scorer and not scored since: liftId → sequence number of the latest hand-over. */
  const queued = new Map<string, number>();
  let handovers = 0;
  const pace = createRateLimit(o.maxLiftsPerS ?? 20);

  async function features(liftId: string, at: number) {
    const started = handovers;
    try {
      return await featuresOf(liftId, at);
    } finally {
      if ((queued.get(liftId) ?? Infinity) <= started) queued.delete(liftId);
    }
  }

  async function featuresOf(liftId: string, at: number) {
    // Reading a lift's records is synchronous in SQLite and can take seconds for a busy lift
    // (bench/model-serving.ts): let ingest and the broker run between lifts, at a bounded pace.
    await pace.turn();
    if (closed) throw new Error('model serving is closing'); // the batch is dropped; nothing is scored or cleared on missing data
    const t = now();
    const from = Math.min(at - FEATURE_WINDOWS.baselineStartMs, t - healthWindowMs);
    const to = Math.max(at + 1, t);
    let records: LiftRecords;
    try {
      records = await loadLiftRecords(deps.store, liftId, from, to);
    } catch (err) {
      stats.featureErrors++;
      log(`models: records of ${liftId}: ${String(err)}`);
      records = { liftId, trips: [], doors: [], envs: [], faults: [] };
    }
    stats.scored++;
    if (deps.health !== undefined) {
      try { deps.health.fromRecords(slice(records, t - healthWindowMs, t), t); } catch (err) { log(`models: health of ${liftId}: ${String(err)}`); }
    }
    const recentFrom = at + 1 - FEATURE_WINDOWS.recentMs;
    const ev = (list: readonly { liftId: string; seq: number; ts: number }[], stream: string) => {
      const l = between(list, recentFrom, at + 1).slice(-5);
      return { ids: l.map((r) => evidenceId(stream, r)), newest: l.at(-1) === undefined ? undefined : { seq: l.at(-1)!.seq, ts: l.at(-1)!.ts } };
    };
    evidence.delete(liftId);
    evidence.set(liftId, { door: ev(records.doors, 'door'), trip: ev(records.trips, 'trip'), env: ev(records.envs, 'env') });
    if (evidence.size > EVIDENCE_CACHE) evidence.delete(evidence.keys().next().value!);
    // `at + 1`: the summary that triggered the scoring is inside the recent window
    return computeFeatures(records, at + 1);
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
    /** Ingest's onStored: trip and door summaries mark their lift for scoring; other streams are ignored. */
    onStored(rows: readonly { liftId: string; stream: string; ts: number }[]): void {
      if (closed) return;
      const newest = new Map<string, { stream: string; ts: number }>();
      for (const r of rows) {
        if (!SCORING_STREAMS.has(r.stream)) continue;
        stats.stored++;
        const n = newest.get(r.liftId);
        if (n === undefined || r.ts > n.ts) newest.set(r.liftId, { stream: r.stream, ts: r.ts });
      }
      for (const [liftId, n] of newest) mark(liftId, n.stream, n.ts);
    },
    /** Deferred lifts whose interval has passed are scheduled (runs by itself every min(interval / 4, 60 s)). */
    sweep: sweepDeferred,
    /** Score every marked lift now (tests; the scorer flushes by itself after maxDelayMs). */
    flush: () => scorer.flush(),
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
        version: m.version, family: m.family, createdAt: m.createdAt, featureVersion: m.featureVersion, training: { source: m.training.source, scenarios: m.training.scenarios, seeds: m.training.seeds, lifts: m.training.lifts },
        metrics: m.metrics, thresholds: m.thresholds, sha256: m.sha256,
      };
      return {
        registryDir: o.registryDir, minIntervalMs: o.minIntervalMs, autoReloadMs: o.autoReloadMs ?? 0,
        models: Object.entries(manifests).map(([id, m]) => ({ id, code: familyOfModel.has(id) ? FAMILY_CODE[familyOfModel.get(id)!] : null, live: summary(m.live), shadow: summary(m.shadow) })),
        comparison: scorer.comparison(),
        runs: scorer.stats(),
        scheduling: { ...stats, waiting: deferred.size, queued: queued.size },
        recentAlerts: [...recent].reverse().slice(0, 50),
        shadowAlerts: scorer.shadowLog().slice(-50).reverse(),
      };
    },
    async close(): Promise<void> {
      closed = true;
      clearInterval(sweep);
      pace.stop();
      await scorer.close();
      await alertActions.drain(5_000);
    },
  };
}
export type ModelServing = Awaited<ReturnType<typeof createModelServing>>;

function remember<T>(list: T[], x: T): void {
  list.push(x);
  if (list.length > RECENT_LOG) list.splice(0, list.length - RECENT_LOG);
}

/** The records of a lift with from ≤ ts < to. */
function slice(r: LiftRecords, from: number, to: number): LiftRecords {
  return { liftId: r.liftId, trips: between(r.trips, from, to), doors: between(r.doors, from, to), envs: between(r.envs, from, to), faults: between(r.faults, from, to) };
}
