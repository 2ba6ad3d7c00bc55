import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rejectedMessageCounts, type IngestStats } from '@liftwatch/contract';

/** What the metrics read at scrape time; each part of the node adds its own (`from`), those it does not run read as 0. */
export interface MetricSources {
  ingest: () => IngestStats;
  pendingRecords: () => number;
  mqttClients: () => number;
  lifts: () => number;
  /** The broker's counters (its `metrics()`). */
  broker: () => { outgoingDropped: number; disconnectedForLimit: Record<string, number>; connectionsRefused: Record<string, number> };
  /** The government exchange's outbox (a node with the alerting role and exchangeUrl). */
  exchange: () => Promise<{ pending: number; failing: number; rejected: number; oldestPendingAt: number | null }>;
}

/**
 * /metrics in the Prometheus text format: the process (CPU, resident memory, heap, event-loop lag,
 * from prom-client's defaults), ingest and broker counters read at scrape time, and per-batch store figures.
 */
export function createMetrics() {
  const src: Partial<MetricSources> = {};
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const counter = (name: string, help: string, read: (s: IngestStats) => number) =>
    new Counter({ name, help, registers: [registry], collect() {
      this.reset();
      const stats = src.ingest?.();
      this.inc(stats ? read(stats) : 0);
    } });
  counter('liftwatch_ingest_messages_total', 'MQTT messages handled by ingest', (s) => s.messages);
  counter('liftwatch_ingest_records_stored_total', 'Records stored (new, not replays)', (s) => s.recordsAccepted);
  counter('liftwatch_ingest_duplicates_total', 'Replayed records dropped (same lift and seq)', (s) => s.duplicates);
  counter('liftwatch_ingest_refused_busy_total', 'Messages refused without acknowledgement because the store was behind', (s) => s.refusedBusy);
  counter('liftwatch_ingest_dropped_qos0_total', 'QoS 0 messages that could not be stored (store failure or behind); QoS 1 messages are never dropped', (s) => s.droppedQos0);
  counter('liftwatch_ingest_dead_letters_dropped_total', 'Dead letters not kept because their terminal was past its quota (deadLetterMaxPerTerminal, deadLetterMaxBytesPerTerminal)', (s) => s.deadLettersDropped ?? 0);
  counter('liftwatch_ingest_dead_letter_bytes_dropped_total', 'Payload bytes of the dead letters not kept', (s) => s.deadLetterBytesDropped ?? 0);
  counter('liftwatch_ingest_refused_store_failed_total', 'Messages not acknowledged because the store could not write them (full disk, store down); the sender keeps them', (s) => s.refusedStoreFailed ?? 0);
  counter('liftwatch_alerts_raised_total', 'Alerts opened by ingest rules', (s) => s.alertsRaised);
  new Counter({
    name: 'liftwatch_ingest_rejected_total', help: 'Records and messages rejected into dead letters, by error code', labelNames: ['code'], registers: [registry],
    collect() {
      this.reset();
      for (const [code, n] of Object.entries(src.ingest?.().rejectedByCode ?? {})) this.inc({ code }, n);
    },
  });
  const brokerCounter = (name: string, help: string, label: string, read: (b: ReturnType<MetricSources['broker']>) => Record<string, number>) =>
    new Counter({ name, help, labelNames: [label], registers: [registry], collect() {
      this.reset();
      for (const [key, n] of Object.entries(src.broker ? read(src.broker()) : {})) this.inc({ [label]: key }, n);
    } });
  new Counter({ name: 'liftwatch_mqtt_outgoing_dropped_total', help: 'QoS 0 messages not sent to a subscriber whose outgoing backlog was at its bound', registers: [registry], collect() {
    this.reset();
    this.inc(src.broker?.().outgoingDropped ?? 0);
  } });
  brokerCounter('liftwatch_mqtt_disconnected_for_limit_total', 'MQTT clients disconnected for breaking a broker limit, by limit', 'limit', (b) => b.disconnectedForLimit);
  brokerCounter('liftwatch_mqtt_connections_refused_total', 'MQTT connections refused, by reason (credentials, limits, malformed CONNECT, PROXY header)', 'reason', (b) => b.connectionsRefused);
  new Counter({ name: 'liftwatch_messages_rejected_total', help: 'Messages between nodes dropped because they did not match their schema (LW_ERR_MESSAGE_INVALID), by channel', labelNames: ['channel'], registers: [registry], collect() {
    this.reset();
    for (const [channel, n] of Object.entries(rejectedMessageCounts())) this.inc({ channel }, n);
  } });
  new Gauge({ name: 'liftwatch_ingest_pending_records', help: 'Records waiting for the store (queue depth)', registers: [registry], collect() { this.set(src.pendingRecords?.() ?? 0); } });
  new Gauge({ name: 'liftwatch_mqtt_clients', help: 'Connected MQTT clients', registers: [registry], collect() { this.set(src.mqttClients?.() ?? 0); } });
  new Gauge({ name: 'liftwatch_lifts', help: 'Lifts known', registers: [registry], collect() { this.set(src.lifts?.() ?? 0); } });
  const outbox = { at: 0, backlog: undefined as Awaited<ReturnType<MetricSources['exchange']>> | undefined };
  /** The backlog once per scrape, for the gauges below. */
  const backlog = async () => {
    if (src.exchange && Date.now() - outbox.at > 1000) {
      outbox.backlog = await src.exchange().catch(() => outbox.backlog);
      outbox.at = Date.now();
    }
    return outbox.backlog;
  };
  new Gauge({ name: 'liftwatch_exchange_messages', help: 'Messages in the government exchange\'s outbox: pending (failing: pending whose tries failed so far), rejected by the platform', labelNames: ['state'], registers: [registry], async collect() {
    const b = await backlog();
    for (const state of ['pending', 'failing', 'rejected'] as const) this.set({ state }, b?.[state] ?? 0);
  } });
  new Gauge({ name: 'liftwatch_exchange_oldest_pending_seconds', help: 'Age of the oldest message waiting for the government platform; 0: none waits', registers: [registry], async collect() {
    const at = (await backlog())?.oldestPendingAt;
    this.set(at ? (Date.now() - at) / 1000 : 0);
  } });
  const batchSize = new Histogram({ name: 'liftwatch_store_batch_records', help: 'Records per store batch', buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000], registers: [registry] });
  const batchSeconds = new Histogram({ name: 'liftwatch_store_batch_seconds', help: 'Time to write one batch', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], labelNames: ['ok'], registers: [registry] });
  return {
    /** Sources of a part of the node, read at each scrape. */
    from(sources: Partial<MetricSources>): void {
      Object.assign(src, sources);
    },
    onBatch(info: { records: number; ms: number; ok: boolean }): void {
      batchSize.observe(info.records);
      batchSeconds.observe({ ok: String(info.ok) }, info.ms / 1000);
    },
    text: (): Promise<string> => registry.metrics(),
    contentType: registry.contentType,
    /** The registry, for a part that adds metrics of its own (model-metrics.ts). */
    registry,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
