import type { Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Alerting } from '@liftwatch/alerting';
import { compileRegistrationPattern, lwError } from '@liftwatch/contract';
import { buildDashboards, type DashboardDeps, type Readiness } from '@liftwatch/dashboards';
import { sharedDeadLetterReader, type TelemetryStore } from '@liftwatch/ingest';
import type { AllInOneConfig } from '../config.js';
import { exchangePort, rescueLinePort, statisticsPort } from '../exchange-ports.js';
import { ensureFirstAdmin } from '../first-admin.js';
import { hazardsPort } from '../hazards-port.js';
import { startSelfTests, terminalConfigPort, type DownlinkPublish } from '../terminal-config.js';
import { cachedLiftRegistry, stateLiftRegistry } from '../lift-registry.js';
import { createMaintenancePort, loadItemSets } from '../maintenance.js';
import { createLiftsPort, ingestLiftSource, stateLiftSource } from '../lifts.js';
import { createOpsServer } from '../ops-server.js';
import { pollSharedLifts } from '../shared-lifts.js';
import type { BrokerPart } from './broker.js';
import type { IngestPart } from './ingest.js';
import type { ModelsPart } from './models.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

export interface HttpPart {
  readonly httpUrl: string;
  /** fastify's inject() on the dashboards app: HTTP requests without the network, for tests. */
  readonly inject: FastifyInstance['inject'];
}

interface Parts {
  node: NodeState; alerting: Alerting | undefined; ingest: IngestPart | undefined; models: ModelsPart | undefined; broker: BrokerPart | undefined; records: TelemetryStore | undefined;
}

/**
 * The node's HTTP server. With the dashboards role: the REST API and the console over the other
 * parts (the first admin made at first start); without it only /healthz, /readyz and /metrics.
 */
export function startHttp(config: Readonly<AllInOneConfig>, shared: Shared & Parts): Promise<Part<HttpPart>> {
  const { roles, log, metrics, ingest } = shared;
  return part(log, async (defer) => {
    const readiness = (): Readiness => withMqttWorkers(ingest?.readiness() ?? { ready: true, checks: [] }, shared.broker?.workers?.(), config.mqttWorkers);
    const { alerting, records } = shared;
    if (!roles.has('dashboards') || !alerting || !records) {
      const ops = createOpsServer(metrics, readiness);
      defer(() => new Promise<void>((resolve) => ops.close(() => resolve())));
      await listen(config, () => new Promise<void>((resolve, reject) => ops.once('error', reject).listen(config.httpPort, config.host, resolve)));
      return { httpUrl: urlOf(config, ops), inject: withoutDashboards };
    }
    const deps = await dashboardDeps({ ...shared, records }, alerting, readiness, config);
    await ensureFirstAdmin(deps.users, { configured: config.adminPassword, oneTimeHours: config.adminOneTimePasswordHours, passwordMinScore: config.passwordMinScore }, log,
      shared.hooks.tell ?? ((text) => void process.stderr.write(text)));
    // Without Redis, this node hears of other nodes' lifts by reading the shared table's recent changes.
    if (shared.node.shared && config.redisUrl === '') {
      const poll = pollSharedLifts(shared.node.state.lifts, (liftIds) => shared.node.feed.publish({ kind: 'lifts', liftIds }), log);
      defer(() => poll.stop());
    }
    // The alarm devices' self-tests go out through this node's broker, like pushed configs.
    if (shared.broker && config.terminalSelfTestH > 0) {
      const selfTests = startSelfTests({
        state: shared.node.state, terminals: () => shared.node.state.terminals.list(), publish: downlink(shared.broker),
        periodMs: config.terminalSelfTestH * 3_600_000, log, ...(shared.hooks.now ? { now: shared.hooks.now } : {}),
      });
      defer(() => selfTests.stop());
    }
    const http = buildDashboards(deps, {
      sessionTtlMs: config.sessionHours * 3_600_000, passwordMinScore: config.passwordMinScore, maxJsonDepth: config.maxJsonDepth, timeZone: config.timeZone,
      loginFreeFailures: config.loginFreeFailures, loginMaxDelayMs: config.loginMaxDelayS * 1000, residentReportsPerHour: config.residentReportsPerHour,
      registrationCodePattern: compileRegistrationPattern(config.registrationCodePattern), registryImportMaxRows: config.registryImportMaxRows, photoMaxBytes: config.photoMaxBytes,
    });
    defer(() => http.close());
    await listen(config, () => http.listen({ host: config.host, port: config.httpPort }));
    shared.node.later.httpUrl = urlOf(config, http.server);
    return { httpUrl: shared.node.later.httpUrl, inject: http.inject.bind(http) };
  });
}

/** The dashboards' ports, each made once over the parts this node runs. */
async function dashboardDeps({ node, ingest, models, broker, metrics, records, hooks }: Parts & Pick<Shared, 'metrics' | 'hooks'> & { records: TelemetryStore }, alerting: Alerting, readiness: () => Readiness, config: Readonly<AllInOneConfig>): Promise<DashboardDeps> {
  const { state } = node;
  // The all-in-one reads its lifts from its ingest, with what is not yet written to their rows.
  const local = !node.shared && ingest ? await cachedLiftRegistry(state) : undefined;
  const source = local && ingest ? ingestLiftSource(ingest.ingest.lifts, local) : stateLiftSource(state);
  const lifts = createLiftsPort(source, alerting.openAlerts, records);
  return {
    users: node.users,
    liftRegistry: local ?? stateLiftRegistry(state),
    maintenance: createMaintenancePort(state, config.photoDir || join(config.dataDir, 'photos'), await loadItemSets(config.maintenanceItemsFile)),
    lifts,
    // Ingest's lift numbers when its pipeline runs here (not with MQTT worker processes: see roles/models.ts).
    ...(ingest && config.mqttWorkers <= 1 ? { liftNumbers: ingest.ingest.liftNumbers } : {}),
    alerts: alerting,
    crews: alerting.crews,
    findings: alerting.findings,
    telemetry: records,
    // A node without ingest reads every node's dead letters from the shared store (none in an all-in-one without ingest).
    deadLetters: ingest?.deadLetters ?? (node.shared ? sharedDeadLetterReader(state.deadLetters, deadLetterLimits(config)) : { list: () => [], count: () => 0 }),
    stats: () => ({ ...(ingest ? { ingest: ingest.ingest.stats() } : {}), ...(broker ? { mqttClients: broker.broker.clients(), broker: broker.broker.metrics() } : {}) }),
    readiness,
    metrics: { text: metrics.text, contentType: metrics.contentType },
    terminals: node.terminals,
    changes: node.feed,
    ...(models ? { health: models.health, models: models.serving, predictions: models.serving } : {}),
    exchange: exchangePort(state, config),
    rescueLine: rescueLinePort(state, alerting, config, hooks.now),
    statistics: statisticsPort(state, config),
    hazards: hazardsPort(state, lifts, models?.health),
    // The retained config goes out through this node's broker; a node without one offers no pushes.
    ...(broker ? { terminalConfig: terminalConfigPort(state, downlink(broker), fleetLimits(config), hooks.now) } : {}),
  };
}

function fleetLimits(config: Readonly<AllInOneConfig>) {
  return { silentMin: config.terminalSilentMin, backlogMax: config.terminalBacklogMax, clockOffsetMaxMs: config.terminalClockOffsetMaxMs };
}

/** Publishes from the broker itself (no client: not subject to the terminals' ACL), QoS 1; with MQTT workers through one of them. */
function downlink(broker: BrokerPart): DownlinkPublish {
  return broker.publish;
}

async function listen(config: Readonly<AllInOneConfig>, start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw lwError('LW_ERR_PORT_IN_USE', `HTTP port ${config.httpPort} on ${config.host} is already in use: stop the program using it or choose another with --http-port`, err);
    }
    throw err;
  }
}

function urlOf(config: Readonly<AllInOneConfig>, server: Server): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

const withoutDashboards = (() => Promise.reject(lwError('LW_ERR_NOT_FOUND', 'this node runs without the dashboards role: it serves only /healthz, /readyz and /metrics'))) as unknown as FastifyInstance['inject'];

function deadLetterLimits(config: Readonly<AllInOneConfig>) {
  return { days: config.deadLetterDays, maxPerTerminal: config.deadLetterMaxPerTerminal, maxBytesPerTerminal: config.deadLetterMaxBytesPerTerminal, keepBytes: config.deadLetterKeepBytes };
}

/** With MQTT workers, the node takes terminals while at least one of them listens. */
function withMqttWorkers(r: Readiness, workers: Array<{ listening: boolean }> | undefined, asked: number): Readiness {
  if (workers === undefined) return r;
  const listening = workers.filter((w) => w.listening).length;
  const ok = listening > 0;
  const detail = `${listening} of ${asked} MQTT workers listening${ok ? '' : '; a worker is starting in place of each that died, and terminals retry meanwhile'}`;
  return { ready: r.ready && ok, checks: [...r.checks, { name: 'mqtt-workers', ok, detail }] };
}
