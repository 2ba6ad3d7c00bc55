import type { Alerting } from '@liftwatch/alerting';
import type { TelemetryStore } from '@liftwatch/ingest';
import { createHealthService, createModelServing, DEFAULT_ARTIFACTS_DIR, sqliteFeatureStates, stateHealthHistory, type HealthService, type ModelServing } from '@liftwatch/models';
import type { AllInOneConfig } from '../config.js';
import type { IngestPart } from './ingest.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

export interface ModelsPart { readonly health: HealthService; readonly serving: ModelServing }

/**
 * Fault prediction and the health score, over the stored records (`records`). With the ingest role
 * each commit's trip and door summaries mark their lift for scoring, and lifts with records but no
 * score yet get one in the background. With a shared state the scores of every node are shared.
 */
export function startModels(config: Readonly<AllInOneConfig>, { log, node, alerting, ingest, records }: Shared & { node: NodeState; alerting: Alerting; ingest: IngestPart | undefined; records: TelemetryStore }):
  Promise<Part<ModelsPart>> {
  return part(log, async (defer) => {
    // Lifts with stored records from before this start catch up from them when first scored; the others
    // (new lifts, or every lift on a fresh node) have all their records pass through onStored.
    const known = new Set(ingest?.liftIds() ?? []);
    const health = createHealthService({ store: records, log, history: stateHealthHistory(node.state.health, { shared: node.shared }) });
    defer(() => health.close());
    const serving = await createModelServing({
      registryDir: config.modelsDir || DEFAULT_ARTIFACTS_DIR, minIntervalMs: config.modelScoreMinIntervalMin * 60_000, maxLiftsPerS: config.modelScoreLiftsPerS,
      autoReloadMs: config.modelReloadS * 1000, shadow: parseShadow(config.modelShadow),
      // Each lift's streaming feature state, checkpointed in this node's own SQLite file (a lift that moves
      // to another node rebuilds it there from the stored records).
    }, { store: records, alerts: alerting, health, featureStates: sqliteFeatureStates(node.db), ...(ingest ? { storedBefore: (liftId: string) => known.has(liftId) } : {}), log });
    defer(() => serving.close());
    if (ingest) {
      ingest.onStored((rows) => serving.onStored(rows));
      void health.warmUp(ingest.liftIds(), config.modelScoreLiftsPerS);
    }
    return { health, serving };
  });
}

/** `door-system@2,brake@3` → { 'door-system': '2', brake: '3' } (the config pattern has checked the shape). */
function parseShadow(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').filter((x) => x !== '').map((x) => x.split('@') as [string, string]));
}
