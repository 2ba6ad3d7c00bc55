import type { FeatureRow } from '../features/definition.js';
import { anomalyScore } from '../features/anomaly.js';
import { FEATURE_NAMES } from '../features/definition.js';
import type { LoadedModel, Registry } from '../registry/registry.js';
import type { AlertStatePort } from './alert-states.js';
import { createHysteresis, type Hysteresis } from './hysteresis.js';
import { createServedAlert, servedStep, ruleStateKey, type FiredRule, type ServedAlertState } from './served-alert.js';
import type { Predictor } from '../train/predictor-choice.js';
import { topFeatures, type TopFeature } from './top-features.js';

/** A predicted alert: raised or cleared, on the change of state only. */
export interface PredictedAlert {
  readonly liftId: string;
  readonly modelId: string;
  readonly version: string;
  readonly state: 'raised' | 'cleared';
  readonly ts: number;
  readonly score: number;
  readonly topFeatures: readonly TopFeature[];
  /** The unsupervised anomaly score of the lift against its own baseline at the same time (features/anomaly.ts). */
  readonly anomaly: number;
  /** True for a shadow (candidate) model: recorded, never sent. */
  readonly shadow: boolean;
  /** What serves this family's alert (the manifest's choice on its validation lifts): model, rule or model-or-rule. */
  readonly predictor: Predictor;
  /** Which of them raised (or cleared) it. */
  readonly firedBy: 'model' | 'rule';
  /** When the rule fired: its text, score, and each condition's limit and measured value. */
  readonly rule?: FiredRule;
}

/** A row to score: the features and, for families that serve their rule, the rule inputs of the same statistics (evaluate/threshold-rules.ts ruleInputs). */
export interface ScoredRow extends FeatureRow { readonly ruleInputs?: ArrayLike<number> }

/** Options of createScorer. */
export interface ScorerOptions {
  /** Model ids to serve (their latest versions are live). */
  modelIds: readonly string[];
  /** Rows per onnxruntime Run, across lifts. @defaultValue 256 */
  maxBatch?: number;
  /** Longest a touched lift waits for its batch, ms. @defaultValue 200 */
  maxDelayMs?: number;
  /** Look for newer versions in the registry this often and load them without a restart, ms; 0 = only on reload(). @defaultValue 0 */
  autoReloadMs?: number;
  /** How long a model's score must hold above its raise threshold before the alert is raised, ms, by model id. @defaultValue each manifest's */
  persistMs?: Readonly<Record<string, number>>;
}

export interface ScorerDeps {
  registry: Registry;
  /** The lift's features at `at` (from its streaming feature state). */
  features(liftId: string, at: number): ScoredRow | Promise<ScoredRow>;
  /** A live alert changed state: send it. */
  onAlert?(a: PredictedAlert): void;
  /** A newer version was refused (feature mismatch, sha256, golden): the old one keeps serving. */
  onReloadError?(err: unknown): void;
  /** A batch that could not be scored (its lifts are scored again at their next record); never thrown at the caller. */
  onScoreError?(err: unknown): void;
  /** Where the live models' hysteresis is kept across restarts; without it, in memory only. */
  alertStates?: AlertStatePort;
}

interface Slot { live: LoadedModel; shadow: LoadedModel | undefined; served: ServedAlertState; shadowHyst: Hysteresis | undefined }

/** What a served alert's memory depends on: the model's thresholds, the predictor, the rule's scale and thresholds. */
const servingOf = (m: LoadedModel) => JSON.stringify([m.manifest.thresholds, m.manifest.serving?.predictor ?? 'model', m.manifest.validation.rule.scale, m.manifest.validation.rule.thresholds]);

/** Shadow alerts kept in memory (the oldest are dropped). */
const MAX_SHADOW_LOG = 10_000;

/** Streams whose arrival triggers scoring: trip and door summaries, never status. */
export const SCORING_STREAMS: ReadonlySet<string> = new Set(['trip', 'door']);

/**
 * Batched scoring with hysteresis. `onRecord` marks a lift dirty when a trip or door summary
 * arrives; dirty lifts are scored together, one session.run per model per micro-batch.
 */
export async function createScorer(o: ScorerOptions, deps: ScorerDeps) {
  const maxBatch = o.maxBatch ?? 256;
  const maxDelayMs = o.maxDelayMs ?? 200;
  const slots = new Map<string, Slot>();
  const dirty = new Map<string, number>();
  const shadowLog: PredictedAlert[] = [];
  const compare = { rows: 0, sumAbsDiff: 0, bothAlerting: 0, liveOnly: 0, shadowOnly: 0 };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const stats = { runs: 0, rows: 0 };

  const thresholds = (id: string, m: LoadedModel) => ({ ...m.manifest.thresholds, ...(o.persistMs?.[id] === undefined ? {} : { minDurationMs: o.persistMs[id] }) });
  const hystOf = (id: string, m: LoadedModel) => createHysteresis(thresholds(id, m));
  const liveServed = (id: string, m: LoadedModel) => createServedAlert(id, m, thresholds(id, m), deps.alertStates);
  for (const id of o.modelIds) {
    const live = await deps.registry.load(id);
    slots.set(id, { live, shadow: undefined, served: liveServed(id, live), shadowHyst: undefined });
  }

  /** Scores rows (one Run per model), applies the hysteresis, sends alerts; returns each live model's scores. */
  async function scoreBatch(rows: readonly ScoredRow[]): Promise<Map<string, Float32Array>> {
    const x = new Float32Array(rows.length * FEATURE_NAMES.length);
    rows.forEach((r, i) => x.set(r.values, i * FEATURE_NAMES.length));
    const out = new Map<string, Float32Array>();
    for (const [id, slot] of slots) {
      const p = await slot.live.classifier.run(x, rows.length);
      stats.runs++; stats.rows += rows.length;
      out.set(id, p);
      emitServed(slot, rows, p, id);
      if (slot.shadow !== undefined && slot.shadowHyst !== undefined) {
        const q = await slot.shadow.classifier.run(x, rows.length);
        emit(slot.shadow, slot.shadowHyst, rows, q, true, id);
        rows.forEach((r, i) => {
          compare.rows++;
          compare.sumAbsDiff += Math.abs(p[i]! - q[i]!);
          const a = slot.served.model.isActive(r.liftId); const b = slot.shadowHyst!.isActive(r.liftId);
          if (a && b) compare.bothAlerting++; else if (a) compare.liveOnly++; else if (b) compare.shadowOnly++;
        });
      }
    }
    return out;
  }

  const alertOf = (m: LoadedModel, id: string, r: FeatureRow, score: number, state: 'raised' | 'cleared', shadow: boolean): PredictedAlert =>
    ({ liftId: r.liftId, modelId: id, version: m.version, state, ts: r.at, score, topFeatures: topFeatures(m.manifest, r.values), anomaly: Math.round(anomalyScore(r) * 1000) / 1000, shadow, predictor: 'model', firedBy: 'model' });

  /** The live alert of each row, from the predictor the manifest serves. */
  function emitServed(slot: Slot, rows: readonly ScoredRow[], p: Float32Array, id: string): void {
    rows.forEach((r, i) => {
      const step = servedStep(slot.served, slot.live, r.liftId, p[i]!, r.ruleInputs, r.at);
      if (step.transition === undefined) return;
      deps.onAlert?.({ ...alertOf(slot.live, id, r, p[i]!, step.transition, false), predictor: slot.served.predictor, firedBy: step.firedBy, ...(step.rule ? { rule: step.rule } : {}) });
    });
  }

  /** A shadow version's alerts from its model alone, recorded only. */
  function emit(m: LoadedModel, h: Hysteresis, rows: readonly FeatureRow[], p: Float32Array, shadow: boolean, id: string): void {
    rows.forEach((r, i) => {
      const t = h.update(r.liftId, p[i]!, r.at);
      if (t === undefined) return;
      shadowLog.push(alertOf(m, id, r, p[i]!, t, shadow));
      if (shadowLog.length > MAX_SHADOW_LOG) shadowLog.splice(0, shadowLog.length - MAX_SHADOW_LOG);
    });
  }

  /** Score every dirty lift now, in batches of maxBatch. */
  async function flush(): Promise<void> {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    const work = [...dirty];
    dirty.clear();
    const next = running.then(async () => {
      for (let i = 0; i < work.length && !closing; i += maxBatch) {
        let rows;
        try {
          rows = await Promise.all(work.slice(i, i + maxBatch).map(([lift, at]) => deps.features(lift, at)));
        } catch (err) {
          if (closing) return; // closing: the batch is dropped, not scored on missing data
          throw err;
        }
        await scoreBatch(rows);
      }
    });
    running = next.catch(() => undefined);
    return next;
  }

  let closing = false;
  let reloading = false;
  const refused = new Set<string>();
  const poll = (o.autoReloadMs ?? 0) > 0 ? setInterval(() => {
    if (reloading) return;
    reloading = true;
    api.reload().catch((err: unknown) => deps.onReloadError?.(err)).finally(() => { reloading = false; });
  }, o.autoReloadMs) : undefined;
  poll?.unref();

  const api = {
    /** A record arrived: trip and door summaries schedule the lift for the next batch; others are ignored. */
    onRecord(stream: string, rec: { liftId: string; ts: number }): boolean {
      if (!SCORING_STREAMS.has(stream)) return false;
      dirty.set(rec.liftId, Math.max(dirty.get(rec.liftId) ?? 0, rec.ts));
      if (dirty.size >= maxBatch) flush().catch((err: unknown) => deps.onScoreError?.(err));
      else timer ??= setTimeout(() => flush().catch((err: unknown) => deps.onScoreError?.(err)), maxDelayMs);
      return true;
    },
    flush,
    /** Score these rows now (after any batch already running), in Runs of at most maxBatch rows; each live model's scores, in row order. */
    async score(rows: readonly ScoredRow[]): Promise<Map<string, Float32Array>> {
      const next = running.then(async () => {
        const out = new Map<string, Float32Array>();
        for (let i = 0; i < rows.length; i += maxBatch) {
          const part = await scoreBatch(rows.slice(i, i + maxBatch));
          for (const [id, p] of part) { const all = out.get(id) ?? out.set(id, new Float32Array(rows.length)).get(id)!; all.set(p, i); }
        }
        return out;
      });
      running = next.catch(() => undefined);
      return next;
    },
    /** A live model's hysteresis (its thresholds and each lift's memory). */
    hysteresis: (id: string): Hysteresis | undefined => slots.get(id)?.served.model,
    /** A live model's served alert: its predictor and the model's and rule's hysteresis. */
    served: (id: string): ServedAlertState | undefined => slots.get(id)?.served,
    /** Load the newest version of each model without a restart; the alerts' memory is kept when the thresholds, the predictor and the rule are unchanged. */
    async reload(): Promise<string[]> {
      const out: string[] = [];
      for (const [id, slot] of slots) {
        const latest = deps.registry.latest(id);
        if (latest === undefined || latest === slot.live.version || refused.has(`${id}@${latest}`)) continue;
        // a refused version throws once and is not retried; the old model stays
        const next = await deps.registry.load(id, latest).catch((err: unknown) => { refused.add(`${id}@${latest}`); throw err; });
        await running;
        const old = slot.live;
        slot.live = next;
        if (servingOf(old) !== servingOf(next)) { deps.alertStates?.reset(id); deps.alertStates?.reset(ruleStateKey(id)); slot.served = liveServed(id, next); }
        await old.classifier.close();
        out.push(`${id}@${latest}`);
      }
      return out;
    },
    /** Score a candidate version beside the live one: its alerts are recorded in shadowLog, not sent. */
    async setShadow(id: string, version: string): Promise<void> {
      const slot = slots.get(id);
      if (slot === undefined) throw new RangeError(`model ${id} is not served; serve one of ${[...slots.keys()].join(', ')}`);
      const m = await deps.registry.load(id, version);
      await running;
      await slot.shadow?.classifier.close();
      slot.shadow = m;
      slot.shadowHyst = hystOf(id, m);
    },
    versions: () => Object.fromEntries([...slots].map(([id, s]) => [id, { live: s.live.version, shadow: s.shadow?.version }])),
    shadowLog: (): readonly PredictedAlert[] => shadowLog,
    /** The manifests of the live and shadow versions of each served model. */
    manifests: () => Object.fromEntries([...slots].map(([id, s]) => [id, { live: s.live.manifest, shadow: s.shadow?.manifest }])),
    comparison: () => ({ ...compare, meanAbsDiff: compare.rows === 0 ? 0 : compare.sumAbsDiff / compare.rows }),
    stats: () => ({ ...stats }),
    async close(): Promise<void> {
      closing = true; // batches not started are dropped: their lifts are scored again after a restart
      if (timer !== undefined) clearTimeout(timer);
      if (poll !== undefined) clearInterval(poll);
      await running;
      for (const s of slots.values()) { await s.live.classifier.close(); await s.shadow?.classifier.close(); }
    },
  };
  return api;
}
export type Scorer = Awaited<ReturnType<typeof createScorer>>;
