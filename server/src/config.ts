import { parseArgs } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseTargets } from '@liftwatch/alerting';
import { lwError } from '@liftwatch/contract';

/** The parts of liftwatch one process can run (setting `roles`): all of them in the all-in-one, one or two per node in docker-compose.yml. */
export const ROLES = ['broker', 'ingest', 'alerting', 'dashboards'] as const;
export type Role = (typeof ROLES)[number];

const Port = (description: string, dflt: number) => Type.Integer({ minimum: 0, maximum: 65535, default: dflt, description });

/** Every setting of the all-in-one process, with its default. `.env.example` lists the same keys. */
export const AllInOneConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address the MQTT and HTTP servers listen on; 0.0.0.0 for every interface' }),
  mqttPort: Port('MQTT over TCP port; 0 picks a free one', 1883),
  httpPort: Port('HTTP port of the API and web page; 0 picks a free one', 8080),
  dataDir: Type.String({ default: './data', minLength: 1, description: 'Directory of the SQLite database' }),
  simulate: Type.Integer({ minimum: 0, maximum: 20_000, default: 0, description: 'Number of simulated terminals to run against the broker' }),
  simulateSeed: Type.Integer({ minimum: 0, default: 1, description: 'Seed of the simulated fleet' }),
  simulateBrokerUrl: Type.String({ default: '', description: 'MQTT URL the simulated terminals dial, e.g. mqtt://haproxy:1883 (their tokens go to the shared registry of --state-url); empty = this process\'s broker' }),
  simulateP1PerMinute: Type.Number({ minimum: 0, maximum: 600, default: 2, description: 'Fleet-wide injected P1 events per minute' }),
  entrapmentS: Type.Number({ minimum: 5, maximum: 900, default: 60, description: 'Doors shut + passengers + no movement for this long is an entrapment (field: 45 s – 3 min; unverified)' }),
  overspeedFactor: Type.Number({ minimum: 1, maximum: 2, default: 1.15, description: 'Overspeed above this × rated speed' }),
  creepAlertMm: Type.Number({ minimum: 1, maximum: 10_000, default: 50, description: 'Creep after stop above this is unintended movement (unverified)' }),
  maxPayloadBytes: Type.Integer({ minimum: 1024, maximum: 16 * 1024 * 1024, default: 256 * 1024, description: 'Largest MQTT payload accepted' }),
  maxRecordsPerMessage: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'Most records in one message' }),
  telemetry: Type.Union([Type.Literal('sqlite'), Type.Literal('influxdb')], { default: 'sqlite', description: 'Where records are stored: sqlite (in the data dir) or influxdb' }),
  influxUrl: Type.String({ default: 'http://127.0.0.1:8086', description: 'InfluxDB base URL for writes (with --telemetry influxdb)' }),
  influxWriteApi: Type.Union([Type.Literal('v2'), Type.Literal('v1')], { default: 'v2', description: 'v2 (/api/v2/write: InfluxDB 1.8+, 2.x, 3.x) or v1 (/write: InfluxDB 1.x)' }),
  influxQueryUrl: Type.String({ default: '', description: 'InfluxQL /query base URL if not the write URL' }),
  influxDatabase: Type.String({ default: 'liftwatch', minLength: 1, description: 'InfluxDB database (v1, InfluxQL) and bucket (v2)' }),
  influxOrg: Type.String({ default: 'liftwatch', description: 'InfluxDB v2 organisation' }),
  influxToken: Type.String({ default: '', description: 'InfluxDB token (v2) or user:password (v1)' }),
  rawDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 90, description: 'Days raw records are kept (SQLite); rollups keep the charts after that' }),
  rollupMinuteDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 400, description: 'Days 1-minute rollups are kept (SQLite)' }),
  rollupHourDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 3650, description: 'Days 1-hour rollups are kept (SQLite)' }),
  maxPendingRecords: Type.Integer({ minimum: 1000, maximum: 10_000_000, default: 200_000, description: 'Records waiting for the store before new messages are refused (not acknowledged); bounds memory' }),
  alertRedisUrl: Type.String({ default: '', description: 'redis://host:port of Redis for the BullMQ alert queue; empty = redisUrl when the state is in PostgreSQL, else the local durable queue in SQLite' }),
  alertSmtpUrl: Type.String({ default: '', description: 'SMTP server for e-mail alerts, e.g. smtp://user:pass@mail.example.org:587; empty = no e-mail' }),
  alertEmailFrom: Type.String({ default: 'liftwatch <alerts@liftwatch.local>', minLength: 3, description: 'Sender of e-mail alerts' }),
  alertSmsUrl: Type.String({ default: '', description: 'HTTP endpoint of the SMS gateway (POST {to, text, idempotencyKey}); empty = no SMS' }),
  alertSmsToken: Type.String({ default: '', description: 'Bearer token for the SMS gateway' }),
  maintenanceMaxMin: Type.Integer({ minimum: 1, maximum: 1440, default: 240, description: 'A maintenance visit keeps P2-P4 alerts quiet for at most this many minutes' }),
  mqttAllowAnonymous: Type.Boolean({ default: false, description: 'Let MQTT clients without a token or client certificate publish the up streams of any lift (trials only)' }),
  mqttTlsPort: Type.Integer({ minimum: -1, maximum: 65535, default: -1, description: 'MQTT over TLS port; -1: no TLS listener; needs --mqtt-tls-key and --mqtt-tls-cert' }),
  mqttTlsKey: Type.String({ default: '', description: 'PEM file of the TLS private key' }),
  mqttTlsCert: Type.String({ default: '', description: 'PEM file of the TLS certificate (chain)' }),
  mqttTlsCa: Type.String({ default: '', description: 'PEM file of the CA that signs terminals\' client certificates; empty: tokens only' }),
  mqttWsPort: Type.Integer({ minimum: -1, maximum: 65535, default: -1, description: 'MQTT over WebSocket port; -1: no WebSocket listener' }),
  mqttMaxPacketBytes: Type.Integer({ minimum: 1024, maximum: 256 * 1024 * 1024, default: 1024 * 1024, description: 'Largest MQTT packet the broker reads; a larger one closes the connection' }),
  mqttConnectionsPerSecond: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 200, description: 'New MQTT connections a second from one address (bursts up to 5×)' }),
  mqttPublishesPerSecond: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 200, description: 'Messages a second one MQTT client may publish (bursts up to 2×)' }),
  mqttMaxInflight: Type.Integer({ minimum: 1, maximum: 65535, default: 100, description: 'Messages of one MQTT client being stored at once' }),
  mqttKeepaliveLimitS: Type.Integer({ minimum: 0, maximum: 65535, default: 1200, description: 'Longest an MQTT client may stay silent, seconds: a keepalive of 0 (off) or above this is let in and held to this (closed after 1.5 × this without a packet); 0: no limit' }),
  redisUrl: Type.String({ default: '', description: 'Redis URL for broker cluster mode (several processes share subscriptions and retained messages); empty: one process' }),
  ingestFromMqttUrl: Type.String({ default: '', description: 'Also ingest from another broker (Mosquitto, EMQX) as a subscriber, e.g. mqtt://broker:1883; empty: off' }),
  ingestFromMqttUsername: Type.String({ default: '', description: 'User name of the ingest account on that broker' }),
  ingestFromMqttPassword: Type.String({ default: '', description: 'Password of the ingest account on that broker' }),
  ingestFromMqttShareGroup: Type.String({ default: 'liftwatch-ingest', description: 'Shared-subscription group on that broker, so several liftwatch processes split the messages; empty: plain subscription' }),
  adminPassword: Type.String({ default: '', description: 'Password of the first admin, created at first start when there are no users (at least 10 characters and hard to guess); empty = a random one-time password printed once on the terminal, to be changed at the first login' }),
  sessionHours: Type.Number({ minimum: 0.1, maximum: 720, default: 12, description: 'Hours a console or API login session lasts' }),
  stateUrl: Type.String({ default: '', description: 'Shared state of several nodes: postgres://user:password@host:5432/liftwatch keeps users, sessions, the audit of writes, the terminal registry and alerting (alerts, audit, visits, crews, policies, notification log) in PostgreSQL (migrations run at start; alerting and ingest nodes then need redisUrl or alertRedisUrl); empty = the SQLite database in the data dir' }),
  roles: Type.String({ default: ROLES.join(','), minLength: 1, description: `Parts this process runs, comma-separated, of ${ROLES.join(', ')}, or none (a simulator node); without broker no MQTT listener, without ingest messages are routed but not stored, without alerting no escalation timers, without dashboards only /healthz and /metrics answer` }),
  models: Type.Boolean({ default: true, description: 'Serve the fault-prediction models and the health score; false: neither' }),
  modelsDir: Type.String({ default: '', description: 'Model registry directory (<id>/<version>/model.onnx, manifest.json, golden.json); empty = the models shipped in models/artifacts' }),
  modelScoreMinIntervalMin: Type.Number({ minimum: 0, maximum: 10_080, default: 1, description: 'A lift with new trip, door or env records is rescored (features, models and health score, from its streaming state) once this many minutes have passed since its last scoring' }),
  modelScoreLiftsPerS: Type.Number({ minimum: 0.1, maximum: 100_000, default: 1000, description: 'Lifts scored per second at most (lifts with new records first, then the round), so that scoring keeps to its share of the CPU beside ingest; also the pace of lifts first seen after a start that catch up from their stored records is half of it' }),
  modelRescoreAllMin: Type.Number({ minimum: 0.1, maximum: 10_080, default: 5, description: 'Every lift is rescored at least once in this many minutes, with or without new records (its features, risk and health move with time)' }),
  modelPersistH: Type.String({ default: '', pattern: '^([a-z0-9-]+=[0-9]+(\\.[0-9]+)?(,[a-z0-9-]+=[0-9]+(\\.[0-9]+)?)*)?$', description: 'Hours a family\'s predicted risk must stay above its raise threshold before its alert is raised, per model, e.g. door-system=12,brake=48; a model not named keeps the time of its manifest' }),
  modelThread: Type.Boolean({ default: false, description: 'Run the model serving (feature states, rescoring, the models and health scores) on a thread of its own, beside the event loop that takes the MQTT messages, when the records are stored in SQLite in the data dir (otherwise it stays on the event loop); on 2 cores it costs more than it saves (docs/operations.md)' }),
  modelReloadS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60, description: 'Look for new model versions this often, seconds, and serve them without a restart; 0: never' }),
  modelShadow: Type.String({ default: '', pattern: '^([a-z0-9-]+@[0-9]+(,[a-z0-9-]+@[0-9]+)*)?$', description: 'Candidate versions scored in shadow beside the live ones, e.g. door-system@2,brake@3: alerts recorded (GET /api/models), not sent' }),
  maxJsonDepth: Type.Integer({ minimum: 4, maximum: 1000, default: 32, description: 'Deepest nesting of JSON arrays and objects in an MQTT payload or HTTP body; deeper ones are refused before parsing (contract v1 records nest 3 levels in an array of records)' }),
  clockMaxAheadS: Type.Integer({ minimum: 10, maximum: 86_400, default: 300, description: 'A record whose device time is more than this many seconds ahead of the server\'s clock is refused (dead letter LW_ERR_CLOCK_AHEAD) and never becomes the lift\'s latest status; its safety content is still checked' }),
  deadLetterDays: Type.Integer({ minimum: 1, maximum: 3650, default: 14, description: 'Days dead letters (rejected messages with their reason) are kept' }),
  deadLetterMaxPerTerminal: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1000, description: 'Dead letters kept per terminal; past it a terminal\'s further rejections are counted (metric liftwatch_ingest_dead_letters_dropped_total, GET /api/dead-letters/terminals), not kept' }),
  deadLetterMaxBytesPerTerminal: Type.Integer({ minimum: 65_536, maximum: 1e12, default: 16 * 1024 * 1024, description: 'Bytes of dead letters (payload heads and reasons) kept per terminal; past it further ones are counted, not kept' }),
  deadLetterKeepBytes: Type.Integer({ minimum: 64, maximum: 16 * 1024 * 1024, default: 4096, description: 'First bytes of each rejected payload kept with its reason and true size' }),
  clockAlertS: Type.Integer({ minimum: 5, maximum: 86_400, default: 120, description: 'A terminal clock off by more than this many seconds raises Q02 for the lift\'s crew (ahead: at once; behind: after 10 minutes of records that say so)' }),
  alertRedisReconnectMaxMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000, description: 'Longest wait between reconnects to the alert queue\'s Redis, ms: a P1 raised while Redis is away goes out at most this long after it is back' }),
  simulateCrew: Type.Boolean({ default: true, description: 'With --simulate: at first start create two maintenance units with people, a 24/7 on-call rota and console notifications, and assign the simulated lifts to them, so escalation is seen working' }),
  mqttProxyProtocolFrom: Type.String({ default: '', description: 'Load balancers whose MQTT connections (TCP and TLS ports) start with a PROXY protocol v1 or v2 header naming the client, e.g. HAProxy with send-proxy-v2: addresses and CIDR blocks, comma-separated; limits and logs then see each client\'s address; empty: no PROXY protocol' }),
  mqttMaxOutgoingMessages: Type.Integer({ minimum: 10, maximum: 10_000_000, default: 10_000, description: 'Messages the broker holds for one MQTT subscriber that reads slower than they come; past this or --mqtt-max-outgoing-bytes its QoS 0 messages are dropped and a QoS 1 or 2 message disconnects it' }),
  mqttMaxOutgoingBytes: Type.Integer({ minimum: 64 * 1024, maximum: 4 * 1024 * 1024 * 1024, default: 16 * 1024 * 1024, description: 'Bytes the broker holds for one MQTT subscriber that reads slower than they come (see --mqtt-max-outgoing-messages)' }),
  mqttSlowSubscriberGraceS: Type.Number({ minimum: 0.1, maximum: 86_400, default: 10, description: 'Seconds an MQTT subscriber may stay at its outgoing bound, losing QoS 0 messages, before it is disconnected' }),
  adminOneTimePasswordHours: Type.Number({ exclusiveMinimum: 0, maximum: 720, default: 24, description: 'Hours the printed one-time password of the first admin stays valid (it must be changed at the first login; each start prints a new one until it is)' }),
  passwordMinScore: Type.Integer({ minimum: 0, maximum: 4, default: 3, description: 'Least zxcvbn strength (0-4) of a new password: 3 refuses common ones, sequences, repetitions and the user\'s own name' }),
  loginFreeFailures: Type.Integer({ minimum: 1, maximum: 1000, default: 5, description: 'Wrong passwords from one address for one account before its next tries there wait (delays double); other addresses are never held up' }),
  loginMaxDelayS: Type.Integer({ minimum: 1, maximum: 86_400, default: 900, description: 'Longest wait between login tries of one address for one account, seconds' }),
  registrationCodePattern: Type.String({ default: '', maxLength: 500, description: 'Registration codes of another region: a regular expression the whole code must match; empty = the Chinese 20-digit code (docs/lift-registry.md)' }),
  registryImportMaxRows: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 50_000, description: 'Most lines of lifts in one CSV import of the lift registry' }),
  photoDir: Type.String({ default: '', description: 'Directory of the photos of work orders; empty = photos/ in the data dir. With several dashboards nodes, a directory they share' }),
  photoMaxBytes: Type.Integer({ minimum: 10_000, maximum: 100 * 1024 * 1024, default: 10 * 1024 * 1024, description: 'Largest photo of a work order, bytes' }),
  maintenanceItemsFile: Type.String({ default: '', description: 'JSON file of the maintenance checklist items per item set (traction, hydraulic, escalator), replacing the built-in ones (docs/maintenance.md#item-sets); empty = built in' }),
  simulateHistoryDays: Type.Integer({ minimum: 0, maximum: 365, default: 60, description: 'With --simulate: days of history each simulated lift gets at first start, drawn from --simulate-mix and simulated fast (the most degrading lifts first; the newest 2 days kept record by record, older days as the hourly rollups the charts read), so grades, charts and predicted alerts show at once; then each lift goes on live from where its history ends; 0: new healthy lifts' }),
  simulateMix: Type.String({ default: 'old-stock', minLength: 1, description: 'With --simulate: the scenario mix the simulated lifts are drawn from (traffic, age, crews, faults and how they degrade): old-stock (the ageing residential lifts a district retrofits with terminals), city-mixed, busy-offices, residential-quiet, or a path to a mix JSON file (packages/simulator/README.md)' }),
  simulateSpeed: Type.Number({ minimum: 1, maximum: 3600, default: 1, description: 'With --simulate: simulated seconds per second for the last --simulate-fast-hours of the history, which the lifts then live through faster than real time (records with their own times), so that predicted failures happen during a demo; 1: the history ends now' }),
  simulateFastHours: Type.Number({ minimum: 0, maximum: 720, default: 24, description: 'With --simulate-speed above 1: hours of simulated time the lifts live through fast before they run in real time (at 60x, 24 hours take 24 minutes)' }),
  timeZone: Type.String({ default: 'Asia/Shanghai', minLength: 1, description: 'IANA time zone of local times: the months of the regulator\'s statistics and reports, the local times sent to the government platform and the times in notifications' }),
  exchangeUrl: Type.String({ default: '', pattern: '^(https://.+)?$', description: 'HTTPS URL of the government or provincial lift-safety platform that takes liftwatch\'s messages (lifts, faults, rescues, maintenance: docs/government-exchange.md), sent by nodes with the alerting role; empty: no exchange' }),
  exchangeToken: Type.String({ default: '', description: 'Bearer token the platform issued; or give exchangeTokenUrl for OAuth 2.0 client credentials' }),
  exchangeTokenUrl: Type.String({ default: '', pattern: '^(https://.+)?$', description: 'OAuth 2.0 token endpoint of the platform (client credentials grant, RFC 6749 section 4.4); empty: the fixed exchangeToken' }),
  exchangeClientId: Type.String({ default: '', description: 'OAuth 2.0 client id at exchangeTokenUrl' }),
  exchangeClientSecret: Type.String({ default: '', description: 'OAuth 2.0 client secret at exchangeTokenUrl' }),
  exchangeCaFile: Type.String({ default: '', description: 'PEM file of the CA that signs the platform\'s certificate, when the system does not trust it; empty: the system\'s CAs' }),
  exchangeTypes: Type.String({ default: 'lift,fault,rescue,maintenance', pattern: '^((lift|fault|rescue|maintenance)(,(lift|fault|rescue|maintenance))*)?$', description: 'Messages sent to the platform, comma-separated: lift (the registry), fault, rescue (entrapments and their stages), maintenance (visits)' }),
  exchangeRetryFirstS: Type.Number({ minimum: 0.1, maximum: 3600, default: 5, description: 'Seconds before a message the platform did not take is sent again; doubled each time up to exchangeRetryMaxS' }),
  exchangeRetryMaxS: Type.Number({ minimum: 1, maximum: 86_400, default: 600, description: 'Longest wait between two sends of a message the platform did not take, seconds; it is sent again until it is taken' }),
  exchangeTimeoutS: Type.Number({ minimum: 1, maximum: 300, default: 10, description: 'Longest wait for the platform\'s answer, seconds' }),
  exchangeKeepDays: Type.Integer({ minimum: 1, maximum: 3650, default: 30, description: 'Days a delivered message stays in the outbox (GET /api/exchange/outbox)' }),
  rescueLineToken: Type.String({ default: '', description: 'Token the rescue line\'s system (96333) sends as "Authorization: Bearer <token>" to POST /api/rescue-line/calls; empty: only logged-in users record calls' }),
  rescueArrivalLimitMin: Type.Number({ minimum: 1, maximum: 1440, default: 30, description: 'Minutes from the alarm to a crew on site that rescues are reported against (30 in cities: TSG T5001-2009, unverified)' }),
  rescueTargetsMin: Type.String({ default: '1,3,5', pattern: '^( *[0-9.]+ *, *[0-9.]+ *, *[0-9.]+ *)?$', description: 'Minutes to respond, to be on site and to release the passengers that rescues are also timed against (the 1-3-5 preset, unverified); empty: none' }),
  residentReportsPerHour: Type.Integer({ minimum: 1, maximum: 1000, default: 5, description: 'Problem reports a lift\'s public page (its QR code) takes from one client address an hour, and ten times that about one lift; more get 429' }),
  consoleUrl: Type.String({ default: '', pattern: '^(https?://[^#?]+)?$', description: 'Address of the console as the people notified open it, e.g. https://lifts.example.org: notifications link to the alert there; empty: http://<host>:<http-port> of this node' }),
  terminalSilentMin: Type.Number({ minimum: 1, maximum: 10_080, default: 30, description: 'Minutes without any record after which the terminal health view counts a terminal as silent' }),
  terminalBacklogMax: Type.Integer({ minimum: 0, maximum: 100_000_000, default: 1_000, description: 'Records waiting in a terminal\'s spool (its device record) over which the terminal health view counts it as behind' }),
  terminalSelfTestH: Type.Number({ minimum: 0, maximum: 8_760, default: 72, description: 'Hours between the self-tests of the alarm device the platform sends every terminal (EN 81-28: at least every 3 days); 0: none sent unasked' }),
  terminalClockOffsetMaxMs: Type.Number({ minimum: 1, maximum: 86_400_000, default: 2_000, description: 'Clock offset of a terminal (either sign, its device record) over which the terminal health view counts it as behind, ms' }),
  mqttWorkers: Type.Integer({ minimum: 1, maximum: 64, default: 1, description: 'Processes that share the MQTT listeners, each running the broker, decoding and the safety rules for its connections, while this process stores for all of them (one writer) and runs the rest; above 1 needs redisUrl (the workers share subscriptions, retained messages and sessions through it) and the broker and ingest roles; 1: the broker runs in this process' }),
  modelHistoryStaleMin: Type.Number({ minimum: 1, maximum: 525_600, default: 60, description: 'Records older than this many minutes when scored are history (a replay, a demo\'s past, a terminal catching up): a predicted alert raised and cleared within them is kept closed with its real times, never notified; one still raised when the lift is scored at a recent time opens then, saying when it began' }),
}, { additionalProperties: false });
export type AllInOneConfig = Static<typeof AllInOneConfig>;

/** CLI flag (kebab-case) and environment variable of each setting. */
const KEYS = Object.keys(AllInOneConfig.properties) as Array<keyof AllInOneConfig>;
const flagOf = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envOf = (key: string) => `LIFTWATCH_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function coerce(key: keyof AllInOneConfig, raw: string, source: string): string | number | boolean {
  const schema = AllInOneConfig.properties[key] as { type?: string; anyOf?: unknown[] };
  // A union (telemetry, influxWriteApi) is a choice of words: the schema check names the choices.
  if (schema.type === 'string' || schema.anyOf) return raw;
  if (schema.type === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) {
    throw lwError('LW_ERR_CONFIG_INVALID', `${source} is ${JSON.stringify(raw)}: expected a number`);
  }
  return n;
}

/** Validates and freezes a config; a wrong value stops start-up with a line that names it. */
export function makeConfig(input: Partial<Record<keyof AllInOneConfig, unknown>>, sources: Partial<Record<string, string>> = {}): Readonly<AllInOneConfig> {
  const value = Value.Default(AllInOneConfig, structuredClone(input)) as Record<string, unknown>;
  for (const error of Value.Errors(AllInOneConfig, value)) {
    const key = error.path.slice(1);
    const source = sources[key] ?? `setting ${key}`;
    const schema = (AllInOneConfig.properties as Record<string, { description?: string }>)[key];
    throw lwError('LW_ERR_CONFIG_INVALID', `${source} is ${JSON.stringify(error.value)}: ${error.message.toLowerCase()}${schema?.description ? ` (${schema.description})` : ''}`);
  }
  rolesOf(value as AllInOneConfig, sources['roles'] ?? 'setting roles');
  checkRelated(value as AllInOneConfig, sources);
  return Object.freeze(value as AllInOneConfig);
}

/** Settings a schema cannot check alone: a time zone the system knows, a token for the exchange, three increasing rescue targets. */
function checkRelated(c: AllInOneConfig, sources: Partial<Record<string, string>>): void {
  const name = (key: keyof AllInOneConfig) => sources[key] ?? `setting ${key}`;
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.timeZone });
  } catch {
    throw lwError('LW_ERR_CONFIG_INVALID', `${name('timeZone')} is ${JSON.stringify(c.timeZone)}: not a time zone this system knows; give an IANA name such as Asia/Shanghai`);
  }
  if (c.exchangeUrl !== '' && c.exchangeToken === '' && c.exchangeTokenUrl === '') {
    throw lwError('LW_ERR_CONFIG_INVALID', `${name('exchangeUrl')} is set but no token is: give the platform's token (exchangeToken), or its OAuth 2.0 token endpoint with a client id and secret (exchangeTokenUrl, exchangeClientId, exchangeClientSecret)`);
  }
  if (c.exchangeTokenUrl !== '' && (c.exchangeClientId === '' || c.exchangeClientSecret === '')) {
    throw lwError('LW_ERR_CONFIG_INVALID', `${name('exchangeTokenUrl')} is set without exchangeClientId and exchangeClientSecret: give both, as the platform issued them`);
  }
  if (c.mqttWorkers > 1) checkMqttWorkers(c, name);
  try {
    parseTargets(c.rescueTargetsMin);
  } catch (err) {
    throw lwError('LW_ERR_CONFIG_INVALID', `${name('rescueTargetsMin')}: ${(err as Error).message}`);
  }
}

/** MQTT workers share the broker through Redis and store through this process's ingest. */
function checkMqttWorkers(c: AllInOneConfig, name: (key: keyof AllInOneConfig) => string): void {
  if (c.redisUrl === '') {
    throw lwError('LW_ERR_CONFIG_INVALID', `${name('mqttWorkers')} is ${c.mqttWorkers} but redisUrl is empty: give --redis-url, through which the workers share subscriptions, retained messages, sessions and last wills, or set ${name('mqttWorkers')} 1`);
  }
  const roles = rolesOf(c);
  if (!roles.has('broker') || !roles.has('ingest')) {
    throw lwError('LW_ERR_CONFIG_INVALID', `${name('mqttWorkers')} is ${c.mqttWorkers} but roles is ${JSON.stringify(c.roles)}: MQTT workers run the broker and hand what they ingest to this process, so add broker and ingest to roles, or set ${name('mqttWorkers')} 1`);
  }
}

/** The roles a config asks for; an unknown or empty one stops start-up with a line that names it. */
export function rolesOf(config: Pick<AllInOneConfig, 'roles'>, source = 'setting roles'): ReadonlySet<Role> {
  if (config.roles.trim() === 'none') return new Set();
  const asked = config.roles.split(',').map((r) => r.trim());
  const bad = asked.find((r) => !(ROLES as readonly string[]).includes(r));
  if (bad !== undefined) throw lwError('LW_ERR_CONFIG_INVALID', `${source} is ${JSON.stringify(config.roles)}: ${JSON.stringify(bad)} is not a role; give a comma-separated list of ${ROLES.join(', ')}, or none`);
  return new Set(asked as Role[]);
}

/** Reads settings from command-line flags, then the environment, then defaults. Only main.ts calls this. */
export function configFromProcess(argv: string[], env: NodeJS.ProcessEnv): Readonly<AllInOneConfig> {
  const parsed = parseArgs({
    args: argv, strict: true, allowPositionals: false,
    options: Object.fromEntries([...KEYS.map((k) => [flagOf(k), { type: 'string' as const }]), ['help', { type: 'boolean' as const, short: 'h' }]]),
  });
  const input: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const key of KEYS) {
    const flag = (parsed.values as Record<string, unknown>)[flagOf(key)];
    const fromEnv = env[envOf(key)];
    if (typeof flag === 'string') {
      sources[key] = `--${flagOf(key)}`;
      input[key] = coerce(key, flag, sources[key]);
    } else if (fromEnv !== undefined) {
      sources[key] = envOf(key);
      input[key] = coerce(key, fromEnv, sources[key]);
    }
  }
  return makeConfig(input, sources);
}

export function helpText(): string {
  const lines = ['Usage: npm start -- [options]', '', 'Options (each also as an environment variable):'];
  for (const key of KEYS) {
    const s = AllInOneConfig.properties[key] as { default?: unknown; description?: string };
    lines.push(`  --${flagOf(key).padEnd(24)} ${envOf(key).padEnd(36)} ${s.description ?? ''} (default ${JSON.stringify(s.default)})`);
  }
  return lines.join('\n');
}

export const CONFIG_KEYS = KEYS;
export { envOf, flagOf };
