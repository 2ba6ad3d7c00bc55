import type { FeatureStats } from '../features/feature-stats.js';
import type { LiftFeatureState } from '../features/lift-state.js';
import { FAMILIES, type Family } from '../train/families.js';
import { precursorsOf, type PrecursorLimits } from './precursors.js';
import type { PredictedAlert } from './scorer.js';

/** Where predicted alerts go: the alerting service, structurally (models does not import alerting). */
export interface PredictedAlertSink {
  raise(req: { liftId: string; code: string; reason: string; reasonKey?: string; reasonParams?: Readonly<Record<string, unknown>>; evidence: { liftId: string; stream: string; seq: number; ts: number; values: Record<string, unknown> } }): unknown;
  conditionCleared(liftId: string, code: string, note: string): unknown;
}

/** A predicted alert as /api/models lists it. */
export interface ServedAlert extends PredictedAlert { readonly code: string; readonly evidenceIds: readonly string[] }

/** The stream whose newest records are an alert's evidence. */
const FAMILY_STREAM: Readonly<Record<Family, 'door' | 'trip' | 'env'>> = { doorSystem: 'door', guidesRide: 'trip', brake: 'trip', tractionRopes: 'trip', driveThermal: 'env' };
const RECENT_LOG = 200;

/** Actions run in order per lift, retried while the alert store is away (ingest's createAlertActions, structurally). */
interface AlertActions { run(liftId: string, what: string, action: () => unknown): void; drain(ms: number): Promise<unknown> }

/**
 * Sends the live models' raises and clears to alerting as the family's degradation code, with the
 * evidence: the newest records of the family's stream, the top features and the precursors with the
 * lift's normal band. Counts raises per model version (/metrics) and keeps the latest alerts.
 */
export function predictedAlertSender(o: {
  sink: PredictedAlertSink; actions: AlertActions; limits: PrecursorLimits;
  stateOf: (liftId: string) => LiftFeatureState | undefined; statsOf: (liftId: string) => FeatureStats | undefined;
}) {
  const recent: ServedAlert[] = [];
  const raised = new Map<string, number>();
  return {
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
        o.actions.run(a.liftId, `predicted ${code} on ${a.liftId}`, () => o.sink.raise({
          liftId: a.liftId, code,
          reason: `model ${a.modelId} v${a.version} predicts a ${family} failure: score ${a.score.toFixed(3)}; top features ${top || 'none'}; outside the lift's normal band: ${outside || 'none'}; evidence ${evidenceIds.join(', ') || 'none'}`,
          reasonKey: 'predicted', reasonParams: { modelId: a.modelId, version: a.version, family, score: a.score, outside: precursors.filter((p) => p.outside).length },
          evidence: { liftId: a.liftId, stream: newest ? stream : 'model', seq: newest?.[0] ?? 0, ts: newest?.[1] ?? a.ts,
            values: { modelId: a.modelId, version: a.version, family, score: a.score, topFeatures: a.topFeatures, anomaly: a.anomaly, evidenceIds, precursors } },
        }));
      } else {
        o.actions.run(a.liftId, `predicted ${code} cleared on ${a.liftId}`,
          () => o.sink.conditionCleared(a.liftId, code, `model ${a.modelId} v${a.version}: score ${a.score.toFixed(3)} stayed below the clear threshold`));
      }
    },
    /** Raises sent per `model@version`. */
    raisedByVersion: (): Record<string, number> => Object.fromEntries(raised),
    recent: (): readonly ServedAlert[] => recent,
    drain: () => o.actions.drain(5_000),
  };
}
