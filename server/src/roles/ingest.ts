import { hostname } from 'node:os';
import type { Alerting } from '@liftwatch/alerting';
import { createSubscriberFrontDoor } from '@liftwatch/broker';
import type { DashboardDeps, Readiness } from '@liftwatch/dashboards';
import { createInfluxTelemetry, createIngest, createRedisRuleState, createSqliteTelemetry, type Ingest, type IngestConfig, type IngestDeps, type LiftsSeen, type TelemetryStore } from '@liftwatch/ingest';
import type { AllInOneConfig } from '../config.js';
import { createSharedLifts } from '../shared-lifts.js';
import { deviceAnswers } from '../terminal-config.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

export interface IngestPart {
  /** The pipeline: what the broker hands each message to. */
  readonly ingest: Ingest;
  /** Where records are stored and read: SQLite in the data dir, or InfluxDB. */
  readonly telemetry: TelemetryStore;
  readonly deadLetters: DashboardDeps['deadLetters'];
  /** Ready while the store takes writes: a full disk takes the node out of service, not only its acknowledgements. */
  readiness(): Readiness;
  /** The lifts this node has records of. */
  liftIds(): string[];
  /** Adds a listener of the records each commit stored (fault prediction marks their lifts for scoring; device records answer remote configs). */
  onStored(listener: NonNullable<IngestDeps['onStored']>): void;
}

/** Shortest period of the writes of lift summaries to the shared state store (longer when one takes long: shared-lifts.ts). */
const SHARED_LIFTS_FLUSH_MS = 2000;

/**
 * The ingest role: decode, check, deduplicate, detect and store every message the broker (or another
 * broker, with --ingest-from-mqtt-url) hands over, raising alerts through alerting. With a shared
 * state its lift summaries go to the shared table (coalesced), and the console hears of a lift's
 * change once its summary is there for every node to read.
 */
export function startIngest(config: Readonly<AllInOneConfig>, { log, hooks, metrics, node, alerting }: Shared & { node: NodeState; alerting: Alerting }): Promise<Part<IngestPart>> {
  return part(log, async (defer) => {
    const { db, state, feed } = node;
    const publish = (liftIds: string[]) => feed.publish({ kind: 'lifts', liftIds });
    const sharedLifts = node.shared ? createSharedLifts({ lifts: state.lifts, flushMs: SHARED_LIFTS_FLUSH_MS, onWritten: publish, log }) : undefined;
    if (sharedLifts) defer(() => sharedLifts.close());
    // Several nodes (broker cluster mode): a lift's rule state follows its terminal from node to node.
    const sharedRuleState = config.redisUrl === '' ? undefined : createRedisRuleState({ url: config.redisUrl, node: `${hostname()}:${process.pid}`, log });
    if (sharedRuleState) defer(() => sharedRuleState.close());
    const stored: Array<NonNullable<IngestDeps['onStored']>> = [deviceAnswers(state, log)];
    const ingest = createIngest({
      db, alerts: alerting, log, onBatch: (b) => metrics.onBatch(b),
      ...(hooks.now ? { now: hooks.now } : {}), ...(hooks.monotonic ? { monotonic: hooks.monotonic } : {}),
      ...(config.telemetry === 'influxdb' ? { telemetry: influxTelemetry(config, log) } : {}), ...(sharedRuleState ? { sharedRuleState } : {}),
      onLiftsChanged: (liftIds) => {
        if (!sharedLifts) publish(liftIds);
      },
      // The fleet index takes last-seen times and presence from the commit, without reading the lifts again.
      ...(sharedLifts ? {} : { onLiftsSeen: (seen: LiftsSeen) => feed.publish({ kind: 'liftsSeen', ...seen }) }),
      ...(sharedLifts ? { onLiftSummaries: sharedLifts.add } : {}),
      // With --state-url, dead letters go to the shared state too: every dashboards node shows those of
      // every node. Without it they stay on the writer thread's path, in the all-in-one's own table.
      ...(node.shared ? { deadLetters: state.deadLetters } : {}),
      // Quiet during maintenance: the terminal's serviceMode "inspection" starts a visit.
      onServiceMode: (liftId, mode) => alerting.terminalMode(liftId, mode),
      onStored: (rows) => {
        for (const listener of stored) listener(rows);
      },
    }, ingestConfigOf(config));
    defer(() => ingest.close());
    metrics.from({ ingest: () => ingest.stats(), pendingRecords: () => ingest.writer.pending(), lifts: () => ingest.lifts.count() });
    const everyLift = () => ingest.lifts.list({ limit: 1_000_000, offset: 0 }, new Map());
    node.later.localLift = (liftId) => ingest.lifts.get(liftId, 0);
    for (const lift of everyLift()) if (lift.registry) ingest.detector.setRatedSpeed(lift.liftId, lift.registry.ratedSpeedMps);

    if (config.ingestFromMqttUrl !== '') {
      const frontDoor = createSubscriberFrontDoor({
        url: config.ingestFromMqttUrl, clientId: `liftwatch-ingest-${hostname()}`.slice(0, 64),
        username: config.ingestFromMqttUsername || undefined, password: config.ingestFromMqttPassword || undefined,
        shareGroup: config.ingestFromMqttShareGroup || undefined,
      }, { onPublish: ingest.handle, log });
      defer(() => frontDoor.close());
      await frontDoor.start();
    }
    return {
      ingest, telemetry: ingest.telemetry,
      deadLetters: ingest.deadLetters,
      readiness: () => storeReadiness(ingest.storeHealth()),
      liftIds: () => everyLift().map((l) => l.liftId),
      onStored: (listener) => { stored.push(listener); },
    };
  });
}

/** The pipeline's settings, the same in this process and in its MQTT workers. */
export function ingestConfigOf(config: Readonly<AllInOneConfig>): Partial<IngestConfig> {
  return {
    limits: { maxBytes: config.maxPayloadBytes, maxRecords: config.maxRecordsPerMessage, maxDepth: config.maxJsonDepth },
    retention: { rawDays: config.rawDays, minuteDays: config.rollupMinuteDays, hourDays: config.rollupHourDays },
    maxPendingRecords: config.maxPendingRecords,
    deadLetters: { days: config.deadLetterDays, maxPerTerminal: config.deadLetterMaxPerTerminal, maxBytesPerTerminal: config.deadLetterMaxBytesPerTerminal, keepBytes: config.deadLetterKeepBytes },
    detector: { entrapmentS: config.entrapmentS, overspeedFactor: config.overspeedFactor, creepAlertMm: config.creepAlertMm, clockMaxAheadS: config.clockMaxAheadS, clockAlertS: config.clockAlertS },
  };
}

function influxTelemetry(config: Readonly<AllInOneConfig>, log: (line: string) => void) {
  return createInfluxTelemetry({
    writeUrl: config.influxUrl, writeApi: config.influxWriteApi, database: config.influxDatabase, org: config.influxOrg, log,
    ...(config.influxQueryUrl ? { queryUrl: config.influxQueryUrl } : {}), ...(config.influxToken ? { token: config.influxToken } : {}),
  });
}

function storeReadiness(h: ReturnType<Ingest['storeHealth']>): Readiness {
  const detail = h.writable ? 'the store takes writes'
    : `the store cannot write since ${new Date(h.failingSince ?? 0).toISOString()}: ${h.error ?? 'unknown error'}; terminals keep their messages (no acknowledgement) until it can`;
  return { ready: h.writable, checks: [{ name: 'store', ok: h.writable, detail }] };
}

/**
 * Where a node without the ingest role reads stored records (the console's charts, the health
 * score): InfluxDB with --telemetry influxdb, else its SQLite file.
 */
export function startRecordsReader(config: Readonly<AllInOneConfig>, { log, node }: Shared & { node: NodeState }): Promise<Part<TelemetryStore>> {
  return part(log, (defer) => {
    const telemetry = config.telemetry === 'influxdb' ? influxTelemetry(config, log) : createSqliteTelemetry(node.db);
    defer(() => telemetry.close());
    return telemetry;
  });
}
