import type { FastifyInstance } from 'fastify';
import type { TerminalRegistry } from '@liftwatch/broker';
import type { SimulatedFleet } from '@liftwatch/edge-agent';
import { rolesOf, type AllInOneConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { startAlerting } from './roles/alerting.js';
import { startBroker } from './roles/broker.js';
import { startExchange } from './roles/exchange.js';
import { startHttp } from './roles/dashboards.js';
import { startIngest, startRecordsReader } from './roles/ingest.js';
import { startModels } from './roles/models.js';
import { startMqttWorkers } from './mqtt-workers/primary.js';
import type { Part, Shared, StartHooks } from './roles/part.js';
import { startSimulation, type SimulationPart } from './roles/simulation.js';
import { startState } from './roles/state.js';

export type { StartHooks } from './roles/part.js';

export interface Running {
  /** mqtt://host:port of the broker; empty without the broker role. */
  readonly mqttUrl: string;
  readonly httpUrl: string;
  readonly dataDir: string;
  readonly fleet: SimulatedFleet | undefined;
  /** With --simulate and a history: done when every simulated lift has its history and is live. */
  readonly demoHistory: SimulationPart['history'] | undefined;
  /** Terminals and service accounts that may connect to the broker. */
  readonly terminals: TerminalRegistry;
  /** MQTT over TLS and WebSocket URLs, when those listeners are on. */
  readonly mqttTlsUrl: string | undefined;
  readonly mqttWsUrl: string | undefined;
  /** fastify's inject() on the dashboards app: HTTP requests without the network, for tests. */
  readonly inject: FastifyInstance['inject'];
  /** The MQTT worker processes (--mqtt-workers above 1) by index with their process ids; empty otherwise. */
  readonly mqttWorkers: () => Array<{ index: number; pid: number; listening: boolean }>;
  close(): Promise<void>;
}

/**
 * A liftwatch node: the parts its roles name (src/roles), each started when the parts it uses are,
 * and closed in the reverse order; on any failure, what was started is closed again before the
 * error is thrown. Every node keeps its state and serves HTTP (without the dashboards role only
 * /healthz, /readyz and /metrics); alerting is built where alerts are raised or shown, and runs
 * escalations with the alerting role. `log` takes the JSON log's lines.
 */
export async function startLiftwatch(config: Readonly<AllInOneConfig>, log: (line: string) => void = () => {}, hooks: StartHooks = {}): Promise<Running> {
  const roles = rolesOf(config);
  const shared: Shared = { roles, log, hooks, metrics: createMetrics() };
  const started: Array<Part<unknown>> = [];
  const start = async <Api>(p: Promise<Part<Api>>): Promise<Api> => {
    const x = await p;
    started.push(x);
    return x.api;
  };
  const close = async () => {
    for (const p of started.splice(0).reverse()) await p.close();
  };
  try {
    const node = await start(startState(config, shared));
    const alerting = roles.has('alerting') || roles.has('ingest') || roles.has('dashboards') ? await start(startAlerting(config, { ...shared, node })) : undefined;
    if (roles.has('alerting') && config.exchangeUrl !== '') await start(startExchange(config, { ...shared, node }));
    const ingest = roles.has('ingest') ? await start(startIngest(config, { ...shared, node, alerting: alerting! })) : undefined;
    const records = ingest?.telemetry ?? (roles.has('dashboards') ? await start(startRecordsReader(config, { ...shared, node })) : undefined);
    const models = config.models && alerting && records ? await start(startModels(config, { ...shared, node, alerting, ingest, records })) : undefined;
    const broker = !roles.has('broker') ? undefined
      : config.mqttWorkers > 1 && ingest && alerting ? await start(startMqttWorkers(config, { ...shared, node, ingest, alerting }))
        : await start(startBroker(config, { ...shared, node, ingest }));
    const http = await start(startHttp(config, { ...shared, node, alerting, ingest, models, broker, records }));
    const simulation = config.simulate > 0 ? await start(startSimulation(config, { ...shared, node, broker, ingest, models })) : undefined;
    return {
      mqttUrl: broker?.mqttUrl ?? '', mqttTlsUrl: broker?.mqttTlsUrl, mqttWsUrl: broker?.mqttWsUrl, httpUrl: http.httpUrl, inject: http.inject,
      dataDir: config.dataDir, fleet: simulation?.fleet, demoHistory: simulation?.history, terminals: node.terminals, close,
      mqttWorkers: () => broker?.workers?.() ?? [],
    };
  } catch (err) {
    await close();
    throw err;
  }
}
