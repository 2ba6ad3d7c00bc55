import type { Alerting } from '@liftwatch/alerting';
import type { TelemetryStore } from '@liftwatch/ingest';
import {
  createHealthService, createModelServing, createPlatformEvents, createThreadedServing, DEFAULT_ARTIFACTS_DIR, sqliteAlertStates, sqliteHeldRaises, sqliteFeatureStates, sqliteRiskTrend,
  stateHealthHistory, threadedFeatureStates,
  type AlertLike, type HealthService, type ModelServingOptions, type ServingPort,
} from '@liftwatch/models';
import { afterTurn } from '../after-turn.js';
import type { AllInOneConfig } from '../config.js';
import { registerModelMetrics } from '../model-metrics.js';
import type { IngestPart } from './ingest.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

export interface ModelsPart { readonly health: HealthService; readonly serving: ServingPort }

const DAY = 86_400_000;
/** Alerts and visits older than this do not move a health score (its longest window is 90 days). */
const EVENTS_DAYS = 120;

/**
 * Fault prediction and the health score, from each lift's streaming feature state: with the ingest
 * role each commit's records update their lift's state and mark it for rescoring, and every lift is
 * rescored each round. The platform's alerts (every change, from any node) and maintenance visits
 * feed the health score. With a shared state the scores of every node are shared.
 */
export function startModels(config: Readonly<AllInOneConfig>, { log, node, alerting, ingest, records, metrics }: Shared & { node: NodeState; alerting: Alerting; ingest: IngestPart | undefined; records: TelemetryStore }):
  Promise<Part<ModelsPart>> {
  return part(log, async (defer) => {
    // Lifts with stored records from before this start catch up from them when first seen; the others
    // (new lifts, or every lift on a fresh node) have all their records pass through onStored.
    const known = ingest?.liftIds();
    const health = createHealthService({ log, history: stateHealthHistory(node.state.health, { shared: node.shared }) });
    defer(() => health.close());
    const read = await loadEvents(node, log);
    const options: ModelServingOptions = {
      registryDir: config.modelsDir || DEFAULT_ARTIFACTS_DIR, minIntervalMs: config.modelScoreMinIntervalMin * 60_000, maxLiftsPerS: config.modelScoreLiftsPerS,
      catchUpLiftsPerS: Math.max(1, config.modelScoreLiftsPerS / 2), roundMs: config.modelRescoreAllMin * 60_000,
      autoReloadMs: config.modelReloadS * 1000, shadow: parseShadow(config.modelShadow), persistMs: parsePersist(config.modelPersistH),
      limits: { creepAlertMm: config.creepAlertMm }, historyStaleMs: config.modelHistoryStaleMin * 60_000,
    };
    // On a thread of its own where the thread can read the stored records (SQLite in a file): the event
    // loop that takes the MQTT messages then only posts each commit's records to it.
    const threaded = config.modelThread && ingest !== undefined && config.telemetry !== 'influxdb' && !node.db.memory;
    let serving: ServingPort;
    if (threaded) {
      serving = await createThreadedServing(options, {
        db: node.db, alerts: alerting, health, log, eventsDays: EVENTS_DAYS,
        // Those read above at the first start; read again when the thread is started again after it stopped.
        events: (() => { let first: ReadEvents | undefined = read; return async () => { const r = first ?? await loadEvents(node, log); first = undefined; return r; }; })(),
        ...(known ? { storedBefore: known } : {}),
      });
    } else {
      const events = createPlatformEvents({ keepDays: EVENTS_DAYS });
      for (const a of read.alerts) events.alert(a);
      for (const v of read.visits) events.visit(v.liftId, v.startedAt);
      const knownSet = new Set(known ?? []);
      // Checkpoints of a database file are written on a thread of their own: never a stall of the event loop.
      const featureWriter = node.db.memory ? undefined : threadedFeatureStates(node.db, log);
      if (featureWriter) defer(() => featureWriter.close());
      const featureStates = featureWriter ?? sqliteFeatureStates(node.db);
      serving = await createModelServing(options, {
        store: records, alerts: alerting, health, events, featureStates, alertStates: sqliteAlertStates(node.db), heldRaises: sqliteHeldRaises(node.db), riskTrend: sqliteRiskTrend(node.db),
        ...(ingest ? { storedBefore: (liftId: string) => knownSet.has(liftId) } : {}), log,
        // Ingest's lift numbers when its pipeline runs here and meets every lift first; with MQTT worker
        // processes this process's lift table would hold the lifts for the serving alone.
        ...(ingest && config.mqttWorkers <= 1 ? { liftNumbers: ingest.ingest.liftNumbers } : {}),
      });
      const prune = setInterval(() => events.prune(Date.now()), DAY);
      prune.unref();
      defer(() => clearInterval(prune));
    }
    defer(() => serving.close());
    // After the turn that changed the alert: a P1's raise and notification do not wait for the health score.
    const alertChanges = afterTurn((a: AlertLike) => serving.onAlertChange(a), (err) => log(`liftwatch: health after an alert change: ${String(err)}`));
    defer(() => alertChanges.close());
    defer(node.feed.subscribe((c) => { if (c.kind === 'alert') alertChanges.push(c.alert); }));
    defer(followVisits(node, serving, read.lastVisit, log));
    if (ingest) ingest.onStored((rows) => serving.onStored(rows));
    registerModelMetrics(metrics.registry, () => serving.metrics());
    return { health, serving };
  });
}

interface ReadEvents { readonly alerts: readonly AlertLike[]; readonly visits: ReadonlyArray<{ liftId: string; startedAt: number }>; readonly lastVisit: number }

/** The alerts and visits of the last EVENTS_DAYS (and the alerts still active) from the state store, and the newest visit id read. */
async function loadEvents(node: NodeState, log: (line: string) => void): Promise<ReadEvents> {
  const since = Date.now() - EVENTS_DAYS * DAY;
  try {
    const alerts = await node.state.alerts.openedSince(since, 10_000_000);
    const visits = await node.state.visits.startedSince(since, 10_000_000);
    let lastVisit = 0;
    for (const v of visits) lastVisit = Math.max(lastVisit, v.id);
    return { alerts, visits: visits.map((v) => ({ liftId: v.liftId, startedAt: v.startedAt })), lastVisit };
  } catch (err) {
    log(`models: the platform's alerts and visits were not read (health scores go without them until they change): ${String(err)}`);
    return { alerts: [], visits: [], lastVisit: 0 };
  }
}

/** New maintenance visits, every minute, from any node; returns the stop. */
function followVisits(node: NodeState, serving: ServingPort, after: number, log: (line: string) => void): () => void {
  let last = after;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    node.state.visits.after(last, 10_000).then((visits) => {
      serving.onVisits(visits);
      for (const v of visits) last = Math.max(last, v.id);
    }, (err: unknown) => log(`models: new maintenance visits not read (tried again in a minute): ${String(err)}`)).finally(() => { busy = false; });
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** `door-system@2,brake@3` → { 'door-system': '2', brake: '3' } (the config pattern has checked the shape). */
function parseShadow(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').filter((x) => x !== '').map((x) => x.split('@') as [string, string]));
}

/** `door-system=12,brake=48` (hours) → { 'door-system': 43200000, brake: 172800000 } (the config pattern has checked the shape). */
export function parsePersist(text: string): Record<string, number> {
  return Object.fromEntries(text.split(',').filter((x) => x !== '').map((x) => { const [id, h] = x.split('='); return [id!, Number(h) * 3_600_000]; }));
}
