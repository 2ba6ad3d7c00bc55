import { parseArgs } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { lwError } from '@liftwatch/contract';

const Port = (description: string, dflt: number) => Type.Integer({ minimum: 0, maximum: 65535, default: dflt, description });

/** Every setting of the all-in-one process, with its default. `.env.example` lists the same keys. */
export const AllInOneConfig = Type.Object({
  host: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address the MQTT and HTTP servers listen on; 0.0.0.0 for every interface' }),
  mqttPort: Port('MQTT over TCP port; 0 picks a free one', 1883),
  httpPort: Port('HTTP port of the API and web page; 0 picks a free one', 8080),
  dataDir: Type.String({ default: './data', minLength: 1, description: 'Directory of the SQLite database' }),
  simulate: Type.Integer({ minimum: 0, maximum: 20_000, default: 0, description: 'Number of simulated terminals to run against the broker' }),
  simulateSeed: Type.Integer({ minimum: 0, default: 1, description: 'Seed of the simulated fleet' }),
  simulateP1PerMinute: Type.Number({ minimum: 0, maximum: 600, default: 2, description: 'Fleet-wide injected P1 events per minute' }),
  entrapmentS: Type.Number({ minimum: 5, maximum: 900, default: 60, description: 'Doors shut + passengers + no movement for this long is an entrapment (field: 45 s – 3 min) [M]' }),
  overspeedFactor: Type.Number({ minimum: 1, maximum: 2, default: 1.15, description: 'Overspeed above this × rated speed' }),
  creepAlertMm: Type.Number({ minimum: 1, maximum: 10_000, default: 50, description: 'Creep after stop above this is unintended movement [M]' }),
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
  alertRedisUrl: Type.String({ default: '', description: 'redis://host:port of Redis for the BullMQ alert queue; empty = the local durable queue in SQLite' }),
  alertSmtpUrl: Type.String({ default: '', description: 'SMTP server for e-mail alerts, e.g. smtp://user:pass@mail.example.org:587; empty = no e-mail' }),
  alertEmailFrom: Type.String({ default: 'liftwatch <alerts@liftwatch.local>', minLength: 3, description: 'Sender of e-mail alerts' }),
  alertSmsUrl: Type.String({ default: '', description: 'HTTP endpoint of the SMS gateway (POST {to, text, idempotencyKey}); empty = no SMS' }),
  alertSmsToken: Type.String({ default: '', description: 'Bearer token for the SMS gateway' }),
  maintenanceMaxMin: Type.Integer({ minimum: 1, maximum: 1440, default: 240, description: 'A maintenance visit keeps P2-P4 alerts quiet for at most this many minutes' }),
  adminPassword: Type.String({ default: '', description: 'Password of the first admin, created at first start when there are no users (at least 10 characters); empty = a random one-time password printed once' }),
  sessionHours: Type.Number({ minimum: 0.1, maximum: 720, default: 12, description: 'Hours a console or API login session lasts' }),
}, { additionalProperties: false });
export type AllInOneConfig = Static<typeof AllInOneConfig>;

/** CLI flag (kebab-case) and environment variable of each setting. */
const KEYS = Object.keys(AllInOneConfig.properties) as Array<keyof AllInOneConfig>;
const flagOf = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envOf = (key: string) => `LIFTWATCH_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function coerce(key: keyof AllInOneConfig, raw: string, source: string): string | number {
  const schema = AllInOneConfig.properties[key] as { type: string };
  if (schema.type === 'string') return raw;
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
  return Object.freeze(value as AllInOneConfig);
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
