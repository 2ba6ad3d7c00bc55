import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { createAlerting, createBullmqJobQueue, createDingtalkChannel, createEmailChannel, createSmsChannel, createWebhookChannel, createWecomChannel, type AlertChannel } from '@liftwatch/alerting';
import { createBroker, createSubscriberFrontDoor, createTerminalRegistry, type TerminalRegistry } from '@liftwatch/broker';
import { lwError, type LiftSummary, type RecordStream } from '@liftwatch/contract';
import { buildDashboards, createUserStore, type Change, type DashboardDeps, type Readiness } from '@liftwatch/dashboards';
import { startSimulatedFleet, type SimulatedFleet } from '@liftwatch/edge-agent';
import { createInfluxTelemetry, createIngest, createRedisRuleState, type IngestDeps } from '@liftwatch/ingest';
import { createHealthService, createModelServing, DEFAULT_ARTIFACTS_DIR, sqliteFeatureStates, type HealthService, type ModelServing } from '@liftwatch/models';
import { openStateStore, type LiftRecord } from '@liftwatch/state-store';
import { createChangeFeed } from './change-feed.js';
import { ensureFirstAdmin } from './first-admin.js';
import { createSqliteLiftRegistry, stateLiftRegistry } from './lift-registry.js';
import { stateHealthHistory } from './shared-health.js';
import { createSharedLifts, pollSharedLifts } from './shared-lifts.js';
import { provisionSimulatedCrew } from './simulated-crew.js';
import { rolesOf, type AllInOneConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { openDatabase } from './sqlite.js';
import { createOpsServer, stateUserStore } from './state.js';

/** What tests and the command line may put in place of the defaults. */
export interface StartHooks {
  /** The wall clock, ms. @defaultValue Date.now */
  readonly now?: () => number;
  /** The monotonic clock the safety rules measure durations on, ms. @defaultValue performance.now */
  readonly monotonic?: () => number;
  /** Where what only the operator at the terminal may read goes (the first admin's one-time password). @defaultValue stderr */
  readonly tell?: (text: string) => void;
}

export interface Running {
  /** mqtt://host:port of the broker; empty without the broker role. */
  readonly mqttUrl: string;
  readonly httpUrl: string;
  readonly dataDir: string;
  readonly fleet: SimulatedFleet | undefined;
  /** Terminals and service accounts that may connect to the broker. */
  readonly terminals: TerminalRegistry;
  /** MQTT over TLS and WebSocket URLs, when those listeners are on. */
  readonly mqttTlsUrl: string | undefined;
  readonly mqttWsUrl: string | undefined;
  /** fastify's inject() on the dashboards app: HTTP requests without the network, for tests. */
  readonly inject: FastifyInstance['inject'];
  close(): Promise<void>;
}

/**
 * The all-in-one process: broker, ingest, alerting and dashboards over one SQLite database, and a
 * simulated fleet on request. Started in dependency order; on any failure, what was started is closed
 * again before the error is thrown. `log` takes the JSON log's lines; `tell` what only the operator
 * at the terminal may read (the first admin's one-time password), stderr by default.
 */
export async function startLiftwatch(config: Readonly<AllInOneConfig>, log: (line: string) => void = () => {}, hooks: StartHooks = {}): Promise<Running> {
  const clocks: Pick<IngestDeps, 'now' | 'monotonic'> = { ...(hooks.now ? { now: hooks.now } : {}), ...(hooks.monotonic ? { monotonic: hooks.monotonic } : {}) };
  const tell = hooks.tell ?? ((text: string) => void process.stderr.write(text));
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        log(`liftwatch: while closing: ${String(err)}`);
      }
    }
  };
  try {
    const roles = rolesOf(config);
    const db = openDatabase(config.dataDir);
    closers.push(() => {
      db.close();
    });
    // With --state-url, users, sessions, the audit of writes, the terminal registry and alerting
    // (alerts, audit, visits, crews, policies, notification log) are shared by every node.
    const state = config.stateUrl === '' ? undefined : await openStateStore({ url: config.stateUrl });
    if (state) {
      closers.push(() => state.close());
      log(`liftwatch: shared state in ${state.dialect} (users, sessions, audit of writes, terminal registry, alerts and crews)`);
    }
    const alertRedisUrl = alertQueueUrl(config, state?.dialect, roles);

    // The console's live changes; with Redis, those of every node (change-feed.ts).
    const feed = createChangeFeed({ redisUrl: config.redisUrl || undefined, log });
    closers.push(() => feed.close());
    const publish = (c: Change) => feed.publish(c);
    // With a state store, this node's lift summaries go to the shared table (coalesced), and the
    // console hears of a lift's change once its new summary is there for every node to read.
    const sharedLifts = state && roles.has('ingest')
      ? createSharedLifts({ lifts: state.lifts, flushMs: SHARED_LIFTS_FLUSH_MS, onWritten: (liftIds) => publish({ kind: 'lifts', liftIds }), log })
      : undefined;
    if (sharedLifts) closers.push(() => sharedLifts.close());
    // Without Redis, a dashboards node hears of other nodes' lifts by reading the shared table's recent changes.
    if (state && config.redisUrl === '' && roles.has('dashboards')) {
      const poll = pollSharedLifts(state.lifts, (liftIds) => publish({ kind: 'lifts', liftIds }), log);
      closers.push(() => poll.stop());
    }
    // Open alerts per lift, kept in memory (the console reads it for every lift it shows), read again
    // after any alert changed here, and every few seconds with shared state (changes on other nodes).
    let activeCounts = new Map<string, number>();
    let countsReading: Promise<void> | undefined;
    let countsNext: Promise<void> | undefined;
    /** Reads the counts; while a read runs, one more follows it (it may have missed the change that asked). */
    const refreshCounts = (): Promise<void> => {
      if (countsReading) {
        countsNext ??= countsReading.then(() => { countsNext = undefined; return refreshCounts(); });
        return countsNext;
      }
      countsReading = alerting.activeCountsByLift().then((m) => { activeCounts = m; }, (err: unknown) => log(`liftwatch: open alert counts not read: ${String(err)}`))
        .finally(() => { countsReading = undefined; });
      return countsReading;
    };
    const activeAlertCounts = () => activeCounts;
    const users = state ? stateUserStore(state.users) : createUserStore(db);
    const alerting = createAlerting({ db, ...(state ? { state } : {}), admins: () => enabledAdmins(users), onChange: (alert) => {
      publish({ kind: 'alert', alert });
      void refreshCounts().then(() => publish({ kind: 'lifts', liftIds: [alert.liftId] }));
    }, ...alertingOptions(config, alertRedisUrl, log), log });
    closers.push(() => alerting.close());
    await refreshCounts();
    if (state) {
      // Alerts changed on another node reach this one through the feed (Redis): the counts follow at once
      // (this node's own changes refresh them in onChange).
      const unsubscribe = feed.subscribeRemote((c) => { if (c.kind === 'alert') void refreshCounts(); });
      closers.push(unsubscribe);
      const countsTimer = setInterval(() => void refreshCounts(), 5_000);
      countsTimer.unref();
      closers.push(() => clearInterval(countsTimer));
    }
    const telemetry = config.telemetry === 'influxdb'
      ? createInfluxTelemetry({ writeUrl: config.influxUrl, writeApi: config.influxWriteApi, database: config.influxDatabase, org: config.influxOrg, log,
        ...(config.influxQueryUrl ? { queryUrl: config.influxQueryUrl } : {}), ...(config.influxToken ? { token: config.influxToken } : {}) })
      : undefined;
    // Several nodes (broker cluster mode): a lift's rule state follows its terminal from node to node.
    const sharedRuleState = config.redisUrl === '' ? undefined : createRedisRuleState({ url: config.redisUrl, node: `${hostname()}:${process.pid}`, log });
    if (sharedRuleState) closers.push(() => sharedRuleState.close());
    let serving: ModelServing | undefined;
    let health: HealthService | undefined;
    // Sources are read at scrape time, when ingest and the broker exist.
    const metrics = createMetrics({ ingest: () => ingest.stats(), pendingRecords: () => ingest.writer.pending(), mqttClients: () => broker.clients() || 0, lifts: () => ingest.store.liftCount(), broker: () => broker.metrics() });
    const ingest = createIngest({
      db, alerts: alerting, log, ...clocks, onBatch: (b) => metrics.onBatch(b), ...(telemetry ? { telemetry } : {}), ...(sharedRuleState ? { sharedRuleState } : {}),
      onLiftsChanged: (liftIds) => {
        if (!sharedLifts) publish({ kind: 'lifts', liftIds });
      },
      ...(sharedLifts ? { onLiftState: sharedLifts.add } : {}),
      // Quiet during maintenance: the terminal's serviceMode "inspection" starts a visit (issue 7 §5).
      onServiceMode: (liftId, mode) => alerting.maintenance.terminalMode(liftId, mode),
      // Fault prediction (issue 6 §4): stored trip and door summaries mark their lift for scoring.
      onStored: (rows) => serving?.onStored(rows),
    }, {
      limits: { maxBytes: config.maxPayloadBytes, maxRecords: config.maxRecordsPerMessage, maxDepth: config.maxJsonDepth },
      retention: { rawDays: config.rawDays, minuteDays: config.rollupMinuteDays, hourDays: config.rollupHourDays },
      maxPendingRecords: config.maxPendingRecords,
      deadLetters: { days: config.deadLetterDays, maxPerTerminal: config.deadLetterMaxPerTerminal, maxBytesPerTerminal: config.deadLetterMaxBytesPerTerminal, keepBytes: config.deadLetterKeepBytes },
      detector: { entrapmentS: config.entrapmentS, overspeedFactor: config.overspeedFactor, creepAlertMm: config.creepAlertMm, clockMaxAheadS: config.clockMaxAheadS, clockAlertS: config.clockAlertS },
    });
    closers.push(() => ingest.close());
    /** Ready while the store takes writes (with the ingest role): a full disk takes the node out of service, not only its acknowledgements. */
    const readiness = (): Readiness => {
      if (!roles.has('ingest')) return { ready: true, checks: [] };
      const h = ingest.storeHealth();
      const detail = h.writable ? 'the store takes writes'
        : `the store cannot write since ${new Date(h.failingSince ?? 0).toISOString()}: ${h.error ?? 'unknown error'}; terminals keep their messages (no acknowledgement) until it can`;
      return { ready: h.writable, checks: [{ name: 'store', ok: h.writable, detail }] };
    };
    for (const lift of ingest.store.listLifts({ limit: 1_000_000, offset: 0 }, new Map())) {
      if (lift.registry) ingest.detector.setRatedSpeed(lift.liftId, lift.registry.ratedSpeedMps);
    }

    if (roles.has('alerting')) alerting.start();
    else if (roles.has('ingest') && !state) {
      log('liftwatch: warning: ingest without alerting and without --state-url: alerts raised here stay in this node\'s SQLite and nobody escalates them; add alerting to --roles, or share the state (--state-url, --redis-url) with an alerting node');
    }

    // Fault prediction and the health score (issue 6), over the records ingest stored.
    if (config.models) {
      // With a state store the scores of every node are shared (shared-health.ts).
      const h = createHealthService({ db, store: ingest.telemetry, log, ...(state ? { history: stateHealthHistory(state.health) } : {}) });
      health = h;
      closers.push(() => h.close());
      serving = await createModelServing({
        registryDir: config.modelsDir || DEFAULT_ARTIFACTS_DIR, minIntervalMs: config.modelScoreMinIntervalMin * 60_000, maxLiftsPerS: config.modelScoreLiftsPerS,
        autoReloadMs: config.modelReloadS * 1000, shadow: parseShadow(config.modelShadow),
      }, { store: ingest.telemetry, alerts: alerting, health: h, featureStates: sqliteFeatureStates(db), log });
      const s = serving;
      closers.push(() => s.close());
      // Lifts with records but no score yet (first start with models, or a new parameters version) get one in the background.
      void h.warmUp(ingest.store.listLifts({ limit: 1_000_000, offset: 0 }, new Map()).map((l) => l.liftId), config.modelScoreLiftsPerS);
    }

    const terminals = createTerminalRegistry(state ? state.terminals : db);
    const broker = createBroker({
      host: config.host, port: config.mqttPort,
      allowAnonymous: config.mqttAllowAnonymous,
      tlsPort: config.mqttTlsPort >= 0 ? config.mqttTlsPort : undefined,
      tls: config.mqttTlsPort >= 0 ? readTls(config) : undefined,
      wsPort: config.mqttWsPort >= 0 ? config.mqttWsPort : undefined,
      redisUrl: config.redisUrl === '' ? undefined : config.redisUrl,
      limits: {
        maxPacketBytes: config.mqttMaxPacketBytes, connectionsPerSecondPerAddress: config.mqttConnectionsPerSecond,
        publishesPerSecondPerClient: config.mqttPublishesPerSecond, maxInflightPerClient: config.mqttMaxInflight, keepaliveLimitS: config.mqttKeepaliveLimitS,
        maxOutgoingMessagesPerClient: config.mqttMaxOutgoingMessages, maxOutgoingBytesPerClient: config.mqttMaxOutgoingBytes, slowSubscriberGraceS: config.mqttSlowSubscriberGraceS,
      },
      proxyProtocolFrom: config.mqttProxyProtocolFrom === '' ? undefined : config.mqttProxyProtocolFrom,
    }, {
      registry: terminals,
      // Without the ingest role the broker only routes messages (to an ingest node subscribed through the cluster).
      onPublish: roles.has('ingest') ? ingest.handle : () => Promise.resolve(),
      onClientGone: (clientId) => void ingest.clientGone(clientId).catch((err: unknown) => log(`liftwatch: presence of ${clientId}: ${String(err)}`)),
      log,
    });
    closers.push(() => broker.close());
    const mqtt = roles.has('broker') ? await broker.start() : undefined;

    if (config.ingestFromMqttUrl !== '' && roles.has('ingest')) {
      const frontDoor = createSubscriberFrontDoor({
        url: config.ingestFromMqttUrl, clientId: `liftwatch-ingest-${hostname()}`.slice(0, 64),
        username: config.ingestFromMqttUsername || undefined, password: config.ingestFromMqttPassword || undefined,
        shareGroup: config.ingestFromMqttShareGroup || undefined,
      }, { onPublish: ingest.handle, log });
      closers.push(() => frontDoor.close());
      await frontDoor.start();
    }

    await ensureFirstAdmin(users, { configured: config.adminPassword, oneTimeHours: config.adminOneTimePasswordHours, passwordMinScore: config.passwordMinScore }, log, tell);
    // The platform's lift registry (set by admins): each lift's area, which decides who sees it; what terminals report is only shown.
    const sqliteRegistry = state ? undefined : createSqliteLiftRegistry(db);
    const withRegistered = (l: LiftSummary): LiftSummary => Object.assign(l, { registered: sqliteRegistry?.registered(l.liftId) ?? null });
    const deps: DashboardDeps = {
      users,
      liftRegistry: state ? stateLiftRegistry(state.liftRegistry) : sqliteRegistry!,
      lifts: state ? {
        // Every node's lifts, from the shared table (each ingest node writes its own there).
        list: async (opts) => (await state.lifts.list(opts)).map((l) => summaryOf(l, activeAlertCounts())),
        get: async (liftId) => {
          const l = await state.lifts.get(liftId);
          return l ? summaryOf(l, activeAlertCounts()) : undefined;
        },
        getMany: async (liftIds) => (await state.lifts.getMany(liftIds)).map((l) => summaryOf(l, activeAlertCounts())),
        count: () => state.lifts.count(),
        inArea: (areaCode) => state.liftRegistry.inArea(areaCode),
        records: async (liftId, opts) => (await ingest.telemetry.recent(liftId, { stream: opts.stream as RecordStream | undefined, limit: opts.limit }))
          .map((r) => ({ stream: r.stream, seq: r.seq, ts: r.ts, receivedAt: r.rx, record: r.record })),
      } : {
        list: (opts) => ingest.store.listLifts(opts, activeAlertCounts()).map(withRegistered),
        get: (liftId) => {
          const lift = ingest.store.getLift(liftId, activeAlertCounts().get(liftId) ?? 0);
          return lift && withRegistered(lift);
        },
        count: () => ingest.store.liftCount(),
        inArea: (areaCode) => sqliteRegistry!.inArea(areaCode),
        records: async (liftId, opts) => (await ingest.telemetry.recent(liftId, { stream: opts.stream as RecordStream | undefined, limit: opts.limit }))
          .map((r) => ({ stream: r.stream, seq: r.seq, ts: r.ts, receivedAt: r.rx, record: r.record })),
      },
      alerts: alerting,
      telemetry: ingest.telemetry,
      crews: {
        ...alerting.crew,
        onCall: (liftId, at) => alerting.crew.resolve(liftId, ['primary', 'backup'], at),
        listPolicies: alerting.policies.list,
        setPolicy: alerting.policies.set,
        checkIn: alerting.maintenance.checkIn,
        checkOut: alerting.maintenance.checkOut,
        visits: alerting.maintenance.list,
        notifications: alerting.notifications,
        escalation: alerting.escalation,
        notificationsAfter: alerting.notificationsAfter,
        assign: alerting.assign,
        addNote: alerting.addNote,
      },
      deadLetters: { list: (opts) => ingest.store.deadLetters(opts), count: () => ingest.store.deadLetterCount(), terminals: (limit) => ingest.store.deadLetterTerminals(limit) },
      stats: () => ({ ingest: ingest.stats(), mqttClients: broker.clients(), broker: broker.metrics() }),
      readiness,
      metrics: { text: metrics.text, contentType: metrics.contentType },
      terminals,
      changes: feed,
      ...(health ? { health } : {}),
      ...(serving ? { models: serving } : {}),
    };
    const http = buildDashboards(deps, {
      sessionTtlMs: config.sessionHours * 3_600_000, passwordMinScore: config.passwordMinScore, maxJsonDepth: config.maxJsonDepth,
      loginFreeFailures: config.loginFreeFailures, loginMaxDelayMs: config.loginMaxDelayS * 1000,
    });
    closers.push(() => http.close());
    const ops = roles.has('dashboards') ? undefined : createOpsServer(metrics, readiness);
    if (ops) closers.push(() => new Promise<void>((resolve) => ops.close(() => resolve())));
    try {
      if (ops) await new Promise<void>((resolve, reject) => ops.once('error', reject).listen(config.httpPort, config.host, resolve));
      else await http.listen({ host: config.host, port: config.httpPort });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw lwError('LW_ERR_PORT_IN_USE', `HTTP port ${config.httpPort} on ${config.host} is already in use: stop the program using it or choose another with --http-port`, err);
      }
      throw err;
    }
    const httpPort = ((ops ?? http.server).address() as AddressInfo).port;
    const boundHost = mqtt?.host ?? config.host;
    const hostForUrl = boundHost.includes(':') ? `[${boundHost}]` : boundHost;
    const mqttUrl = mqtt ? `mqtt://${hostForUrl}:${mqtt.port}` : '';

    let fleet: SimulatedFleet | undefined;
    if (config.simulate > 0) {
      if (!mqtt && config.simulateBrokerUrl === '') throw lwError('LW_ERR_CONFIG_INVALID', `--simulate ${config.simulate} needs a broker: add broker to --roles (now ${JSON.stringify(config.roles)}) or give --simulate-broker-url`);
      const dialHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
      const url = config.simulateBrokerUrl || `mqtt://${dialHost.includes(':') ? `[${dialHost}]` : dialHost}:${mqtt?.port ?? 0}`;
      const tokens = await provisionSimulatedTerminals(terminals, config.simulate);
      // Crews, a 24/7 rota and console notifications for the simulated lifts: escalation seen working.
      if (config.simulateCrew) closers.push(await provisionSimulatedCrew(alerting, [...tokens.keys()], log));
      fleet = startSimulatedFleet({ brokerUrl: url, count: config.simulate, seed: config.simulateSeed, p1PerMinute: config.simulateP1PerMinute, log, tokens });
      const f = fleet;
      closers.push(() => f.stop());
    }
    const mqttTlsUrl = mqtt?.tlsPort === undefined ? undefined : `mqtts://${hostForUrl}:${mqtt.tlsPort}`;
    const mqttWsUrl = mqtt?.wsPort === undefined ? undefined : `ws://${hostForUrl}:${mqtt.wsPort}`;
    return { mqttUrl, mqttTlsUrl, mqttWsUrl, httpUrl: `http://${hostForUrl}:${httpPort}`, dataDir: config.dataDir, fleet, terminals, inject: http.inject.bind(http), close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Shortest period of the writes of lift summaries to the shared state store (longer when one takes long: shared-lifts.ts). */
const SHARED_LIFTS_FLUSH_MS = 2000;

/** A lift of the shared table as the console shows it. */
function summaryOf(l: LiftRecord, openAlerts: ReadonlyMap<string, number>): LiftSummary {
  return {
    liftId: l.liftId, firstSeenAt: l.firstSeenAt, lastSeenAt: l.lastSeenAt, presence: l.presence, recordsTotal: l.recordsTotal, openAlerts: openAlerts.get(l.liftId) ?? 0,
    status: l.status as LiftSummary['status'], registry: l.registry as LiftSummary['registry'], registered: l.registered,
  };
}

/** `door-system@2,brake@3` → { 'door-system': '2', brake: '3' } (the config pattern has checked the shape). */
function parseShadow(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').filter((x) => x !== '').map((x) => x.split('@') as [string, string]));
}

/**
 * Where escalation timers and deliveries wait. Several nodes (shared state on PostgreSQL) that raise
 * or escalate alerts need BullMQ on Redis: the local queue in SQLite is per node, so each node
 * would fire each timer. `alertRedisUrl`, else `redisUrl`; empty = the local queue.
 */
export function alertQueueUrl(config: Pick<AllInOneConfig, 'alertRedisUrl' | 'redisUrl'>, dialect: 'sqlite' | 'postgres' | undefined, roles: ReadonlySet<string>): string {
  if (dialect !== 'postgres') return config.alertRedisUrl;
  const url = config.alertRedisUrl || config.redisUrl;
  const raising = [...roles].filter((r) => r === 'alerting' || r === 'ingest');
  if (url === '' && raising.length > 0) {
    throw lwError('LW_ERR_CONFIG_INVALID', `the state is shared in PostgreSQL (--state-url) and this node runs ${raising.join(' and ')}, but no Redis is given for the alert queue: `
      + 'give --redis-url (or --alert-redis-url) so that escalation timers and deliveries are shared by the nodes; the local queue in SQLite is per node, so every node would fire every timer');
  }
  return url;
}

/** Alert channels and queue from the settings: webhook and robots always; e-mail, SMS and BullMQ when configured. */
function alertingOptions(config: Readonly<AllInOneConfig>, alertRedisUrl: string, log: (line: string) => void) {
  const channels: Record<string, AlertChannel> = { webhook: createWebhookChannel(), dingtalk: createDingtalkChannel(), wecom: createWecomChannel() };
  if (config.alertSmtpUrl) channels.email = createEmailChannel({ smtpUrl: config.alertSmtpUrl, from: config.alertEmailFrom });
  if (config.alertSmsUrl) channels.sms = createSmsChannel({ url: config.alertSmsUrl, token: config.alertSmsToken || undefined });
  let queue;
  if (alertRedisUrl) {
    const u = new URL(alertRedisUrl);
    const db = Number(u.pathname.slice(1) || 0);
    queue = createBullmqJobQueue({
      host: u.hostname, port: Number(u.port || 6379), db, reconnectMaxMs: config.alertRedisReconnectMaxMs,
      onReconnect: (attempt, delayMs) => {
        // Once when a connection is lost, then once a minute or so: an outage must be seen, not flood the log.
        if (attempt === 1 || attempt % 60 === 0) log(`liftwatch: alert queue: Redis at ${u.host} unreachable (reconnect ${attempt}, next in ${delayMs} ms); escalations and deliveries wait and go out when it is back`);
      },
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}), ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    });
  }
  return { channels, maintenance: { maxVisitMs: config.maintenanceMaxMin * 60_000 }, ...(queue ? { queue } : {}) };
}

function readTls(config: Readonly<AllInOneConfig>): { key: Buffer; cert: Buffer; ca?: Buffer } {
  const read = (file: string, flag: string) => {
    if (file === '') throw lwError('LW_ERR_CONFIG_INVALID', `--mqtt-tls-port is set but ${flag} is empty: give the PEM file, or set --mqtt-tls-port -1`);
    try {
      return readFileSync(file);
    } catch (err) {
      throw lwError('LW_ERR_CONFIG_INVALID', `${flag} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a readable PEM file`, err);
    }
  };
  const key = read(config.mqttTlsKey, '--mqtt-tls-key');
  const cert = read(config.mqttTlsCert, '--mqtt-tls-cert');
  return config.mqttTlsCa === '' ? { key, cert } : { key, cert, ca: read(config.mqttTlsCa, '--mqtt-tls-ca') };
}

/** Gives the simulated terminals T-SIM-0001… fresh tokens (new ones are added, known ones rotated). */
async function provisionSimulatedTerminals(terminals: TerminalRegistry, count: number, prefix = 'SIM'): Promise<Map<string, string>> {
  const liftIds = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
  const tokens = new Map<string, string>();
  const known = new Set((await terminals.list()).map((t) => t.terminalId));
  const fresh = liftIds.filter((liftId) => !known.has(`T-${liftId}`));
  for (const issued of await terminals.addMany(fresh.map((liftId) => ({ liftId })))) tokens.set(issued.terminal.liftId ?? '', issued.token);
  for (const liftId of liftIds.filter((l) => !tokens.has(l))) tokens.set(liftId, (await terminals.rotate(`T-${liftId}`)).token);
  return tokens;
}

/** The admins who may use the console now: the last fallback of a P1 that reaches nobody else. */
async function enabledAdmins(users: ReturnType<typeof createUserStore>): Promise<Array<{ id: string; name: string }>> {
  return (await users.list()).filter((u) => u.role === 'admin' && !u.disabled).map((u) => ({ id: u.id, name: u.name }));
}
