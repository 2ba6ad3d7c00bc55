import type { FeatureStats } from '../features/feature-stats.js';
import type { LiftFeatureState } from '../features/lift-state.js';
import { FAMILIES, type Family } from '../train/families.js';
import { precursorsOf, type PrecursorLimits } from './precursors.js';
import { createHeldRaises, type HeldRaisePort } from './held-raises.js';
import type { PredictedAlert } from './scorer.js';

/** A predicted alert's raise, as alerting takes it. */
export interface PredictedRaise {
  liftId: string; code: string; reason: string; reasonKey?: string; reasonParams?: Readonly<Record<string, unknown>>;
  evidence: { liftId: string; stream: string; seq: number; ts: number; values: Record<string, unknown> };
  /** When the condition began, for a raise from records scored late that opens now. */
  beganAt?: number;
}

/** Where predicted alerts go: the alerting service, structurally (models does not import alerting). */
export interface PredictedAlertSink {
  raise(req: PredictedRaise): unknown;
  conditionCleared(liftId: string, code: string, note: string): unknown;
  /** An alert that began and cleared in records scored after the fact: kept closed with its times, never notified. Without it, such an alert is raised and cleared as any other. */
  recordHistory?(req: PredictedRaise & { openedAt: number; clearedAt: number; clearNote: string }): unknown;
}

/** A predicted alert as /api/models lists it. */
export interface ServedAlert extends PredictedAlert { readonly code: string; readonly evidenceIds: readonly string[] }

/** The stream whose newest records are an alert's evidence. */
const FAMILY_STREAM: Readonly<Record<Family, 'door' | 'trip' | 'env'>> = { doorSystem: 'door', guidesRide: 'trip', brake: 'trip', tractionRopes: 'trip', driveThermal: 'env' };
const RECENT_LOG = 200;

/** What fired, in words: the model with its score and top features, or the rule with each condition over its limit and the measured value. */
function firedText(a: PredictedAlert, family: Family, top: string): string {
  const served = a.predictor === 'model' ? '' : ` (served: ${a.predictor})`;
  if (a.firedBy === 'rule' && a.rule !== undefined) {
    const over = a.rule.readings.filter((r) => r.over).map((r) => `${r.what} ${r.value} > limit ${r.limit}`).join(', ');
    return `rule (served by ${a.modelId} v${a.version} as ${a.predictor}) predicts a ${family} failure: ${over || a.rule.text} (rule score ${a.rule.score.toFixed(3)}; model score ${a.score.toFixed(3)})`;
  }
  return `model ${a.modelId} v${a.version} predicts a ${family} failure: score ${a.score.toFixed(3)}; top features ${top || 'none'}${served}`;
}

/** Actions run in order per lift, retried while the alert store is away (ingest's createAlertActions, structurally). */
export interface AlertActions { run(liftId: string, what: string, action: () => unknown): void; drain(ms: number): Promise<unknown> }

/**
 * Sends the live models' raises and clears to alerting as the family's degradation code, with the
 * evidence: the newest records of the family's stream, the top features and the precursors with the
 * lift's normal band. Counts raises per model version (/metrics) and keeps the latest alerts.
 */
export function predictedAlertSender(o: {
  sink: PredictedAlertSink; actions: AlertActions; limits: PrecursorLimits;
  stateOf: (liftId: string) => LiftFeatureState | undefined; statsOf: (liftId: string) => FeatureStats | undefined;
  /** A transition of records older than this when scored is history (a replay or catch-up), ms; with `now`. */
  staleMs?: number; now?: () => number;
  /** Where raises held back are kept across restarts (the node's SQLite); in memory without it. */
  heldStore?: HeldRaisePort;
}) {
  const recent: ServedAlert[] = [];
  const raised = new Map<string, number>();
  const held = createHeldRaises(o.sink, o.actions, { staleMs: o.staleMs ?? Infinity, now: o.now ?? Date.now, ...(o.heldStore ? { store: o.heldStore } : {}) });
  return {
    /** The lift was scored at `at`: raises held back from its history open now if `at` is recent. */
    scored: (liftId: string, at: number) => held.scored(liftId, at),
    /** Raises held back, from records scored late, waiting to know whether they clear within the history. */
    held: () => held.size(),
    send(a: PredictedAlert, family: Family | undefined): void {
      if (family === undefined) return;
      const code = FAMILIES[family].code;
      const stream = FAMILY_STREAM[family];
      const ev = o.stateOf(a.liftId)?.evidence(stream) ?? [];
      const newest = ev.at(-1);
      const evidenceIds = ev.map(([seq]) => `${a.liftId}/${stream}/${seq}`);
      recent.push({ ...a, code, evidenceIds });
      if (recent.length > RECENT_LOG) recent.splice(0, recent.length - RECENT_LOG);
      const s = o.statsOf(a.liftId);
      const precursors = s === undefined ? [] : precursorsOf(family, s, o.limits);
      const top = a.topFeatures.map((f) => `${f.name} ${f.value} (z ${f.z})`).join(', ');
      if (a.state === 'raised') {
        raised.set(`${a.modelId}@${a.version}`, (raised.get(`${a.modelId}@${a.version}`) ?? 0) + 1);
        const outside = precursors.filter((p) => p.outside).map((p) => `${p.feature} ${p.value} ${p.unit} (normal ${p.band?.low ?? '?'}–${p.band?.high ?? '?'})`).join(', ');
        const req: PredictedRaise = {
          liftId: a.liftId, code,
          reason: `${firedText(a, family, top)}; outside the lift's normal band: ${outside || 'none'}; evidence ${evidenceIds.join(', ') || 'none'}`,
          reasonKey: a.firedBy === 'rule' && a.rule !== undefined ? 'predicted.rule' : 'predicted',
          reasonParams: {
            modelId: a.modelId, version: a.version, family, score: a.score, outside: precursors.filter((p) => p.outside).length,
            ...(a.firedBy === 'rule' && a.rule !== undefined ? { ruleScore: a.rule.score, over: a.rule.readings.filter((r) => r.over).length } : {}),
          },
          evidence: { liftId: a.liftId, stream: newest ? stream : 'model', seq: newest?.[0] ?? 0, ts: newest?.[1] ?? a.ts,
            values: { modelId: a.modelId, version: a.version, family, predictor: a.predictor, firedBy: a.firedBy, ...(a.rule ? { rule: a.rule } : {}), score: a.score, topFeatures: a.topFeatures, anomaly: a.anomaly, evidenceIds, precursors } },
        };
        if (held.hold(req, a.ts)) return;
        o.actions.run(a.liftId, `predicted ${code} on ${a.liftId}`, () => o.sink.raise(req));
      } else {
        const why = a.predictor === 'model-or-rule' ? `the model (score ${a.score.toFixed(3)}) and the rule both stayed below their clear thresholds`
          : a.firedBy === 'rule' ? 'the rule stayed below its limits' : `score ${a.score.toFixed(3)} stayed below the clear threshold`;
        const note = `${a.firedBy} of ${a.modelId} v${a.version}: ${why}`;
        if (held.cleared(a.liftId, code, a.ts, note)) return;
        o.actions.run(a.liftId, `predicted ${code} cleared on ${a.liftId}`, () => o.sink.conditionCleared(a.liftId, code, note));
      }
    },
    /** Raises sent per `model@version`. */
    raisedByVersion: (): Record<string, number> => Object.fromEntries(raised),
    recent: (): readonly ServedAlert[] => recent,
    drain: () => o.actions.drain(5_000),
  };
}
