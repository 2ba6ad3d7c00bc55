import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configFromProcess, CONFIG_KEYS, envOf, rolesOf } from '../src/config.js';

/*
 * There is no Docker engine here, so docker-compose.yml is checked against the code instead:
 * commands, ports, environment keys and values, health checks, restart policies,
 * resource limits, and HAProxy's backends.
 */
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Service {
  image?: string; build?: string; command?: string[]; entrypoint?: string[]; restart?: string; profiles?: string[]; ports?: string[];
  environment?: Record<string, string>; volumes?: string[]; healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string } } };
  networks?: Record<string, { ipv4_address?: string }>;
}
interface Network { ipam?: { config?: Array<{ subnet?: string; ip_range?: string }> } }
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown>; networks?: Record<string, Network> };
const services = Object.entries(compose.services);
const liftwatch = services.filter(([, s]) => s.image === 'liftwatch:latest');
const envExample = read('.env.example');
const exampleKeys = new Set([...envExample.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
const KNOWN_ENV = new Map(CONFIG_KEYS.map((k) => [envOf(k), k]));

/** Compose's ${VAR}, ${VAR:-default} and ${VAR:?message} with test values: the default, else a 12-character secret. */
const substitute = (value: string) => value.replace(/\$\{([A-Z0-9_]+)(?::[-?]([^}]*))?\}/g, (_m, _name: string, rest: string | undefined, offset: number, all: string) =>
  all.slice(offset).startsWith('${' + _name + ':-') ? rest ?? '' : 'secret-0123456789');

describe('docker-compose.yml', () => {
  it('has the services of the distributed deployment, and profiles sim and emqx', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['influxdb', 'redis', 'postgres', 'haproxy', 'broker-1', 'broker-2', 'ingest', 'alerting', 'dashboards', 'grafana', 'sim', 'emqx']));
    expect(compose.services['sim']?.profiles).toEqual(['sim']);
    expect(compose.services['ingest']?.profiles).toEqual(['emqx']);
  });

  it.each(services)('%s has a health check, a restart policy and resource limits', (_name, s) => {
    expect(s.healthcheck?.test.length).toBeGreaterThan(1);
    expect(['unless-stopped', 'always', 'on-failure']).toContain(s.restart);
    expect(s.deploy?.resources?.limits?.cpus).toMatch(/^\d+(\.\d+)?$/);
    expect(s.deploy?.resources?.limits?.memory).toMatch(/^\d+[MG]$/);
  });

  it.each(liftwatch)('%s runs the all-in-one entry point with settings the config schema accepts', (name, s) => {
    expect(s.command).toEqual(['node', '--max-semi-space-size=64', 'server/main.mjs']);
    expect(existsSync(new URL('server/main.mjs', root))).toBe(true);
    const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]));
    for (const key of Object.keys(env)) {
      expect(KNOWN_ENV.has(key), `${name}: ${key} is not a setting of server/src/config.ts`).toBe(true);
      expect(exampleKeys.has(key), `${name}: ${key} is not in .env.example`).toBe(true);
    }
    const config = configFromProcess([], env); // throws LW_ERR_CONFIG_INVALID on a wrong value
    const roles = rolesOf(config);
    expect(config.host).toBe('0.0.0.0');
    expect(config.stateUrl).toMatch(/^postgres:\/\/liftwatch:.*@postgres:5432\/liftwatch$/);
    // The health check asks the HTTP port the node listens on.
    expect(s.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${config.httpPort}/healthz`);
    // Published ports are ports the node listens on.
    for (const p of s.ports ?? []) expect([String(config.httpPort), ...(roles.has('broker') ? [String(config.mqttPort)] : [])]).toContain(p.split(':').at(-1));
    if (roles.has('broker')) expect(config.redisUrl).toBe('redis://redis:6379'); // broker nodes cluster through Redis
    if (roles.has('ingest') || roles.has('dashboards')) expect(config.telemetry).toBe('influxdb');
    if (config.simulate > 0) expect(config.simulateBrokerUrl).toBe('mqtt://haproxy:1883');
  });

  it('every variable it substitutes is in .env.example', () => {
    const used = new Set([...read('docker-compose.yml').matchAll(/(?<!\$)\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(3);
    for (const v of used) expect(exampleKeys.has(v), `${v} is not in .env.example`).toBe(true);
  });

  it('runs two broker nodes, an alerting worker, a dashboards node and ingest workers with the roles they need', () => {
    const rolesOfService = (name: string) => [...rolesOf({ roles: compose.services[name]?.environment?.['LIFTWATCH_ROLES'] ?? '' })];
    expect(rolesOfService('broker-1')).toEqual(expect.arrayContaining(['broker', 'ingest']));
    expect(rolesOfService('broker-2')).toEqual(rolesOfService('broker-1'));
    expect(rolesOfService('alerting')).toEqual(['alerting']);
    expect(rolesOfService('dashboards')).toEqual(['dashboards']);
    expect(rolesOfService('sim')).toEqual([]);
    expect(rolesOfService('ingest')).toContain('ingest');
    expect(compose.services['ingest']?.environment?.['LIFTWATCH_INGEST_FROM_MQTT_URL']).toBe('mqtt://emqx:1883');
    expect(compose.services['ingest']?.deploy?.replicas).toBeGreaterThan(1);
    // Two broker nodes must not share a data directory.
    expect(compose.services['broker-1']?.volumes).not.toEqual(compose.services['broker-2']?.volumes);
  });

  it('Redis never evicts and keeps an append-only file; InfluxDB gets its DBRP mapping; Grafana gets the Grafana dashboards (dashboards/grafana)', () => {
    const redis = compose.services['redis']!.command!.join(' ');
    expect(redis).toMatch(/--appendonly yes/);
    expect(redis).toMatch(/--maxmemory-policy noeviction/);
    const influx = compose.services['influxdb']!;
    expect(influx.image).toMatch(/^influxdb:2\./);
    const init = influx.volumes!.find((v) => v.includes('/docker-entrypoint-initdb.d/'))!;
    expect(read(init.split(':')[0]!.replace(/^\.\//, ''))).toMatch(/influx v1 dbrp create[\s\S]*--db "\$\{DOCKER_INFLUXDB_INIT_BUCKET\}"/);
    expect(influx.environment?.['DOCKER_INFLUXDB_INIT_BUCKET']).toBe(compose.services['broker-1']?.environment?.['LIFTWATCH_INFLUX_DATABASE']);
    const grafana = compose.services['grafana']!;
    expect(grafana.volumes).toContain('./dashboards/grafana:/liftwatch-dashboards:ro');
    for (const f of ['fleet.json', 'lift.json']) expect(read(`dashboards/grafana/${f}`)).toContain('${DS_INFLUXDB}');
    const datasource = parse(read('deploy/grafana/provisioning/datasources/influxdb.yaml')) as { datasources: Array<{ uid: string; jsonData: { dbName: string } }> };
    expect(grafana.entrypoint!.join(' ')).toContain(`s/$\${DS_INFLUXDB}/${datasource.datasources[0]!.uid}/g`);
    expect(datasource.datasources[0]!.jsonData.dbName).toBe('liftwatch');
    const provider = parse(read('deploy/grafana/provisioning/dashboards/liftwatch.yaml')) as { providers: Array<{ options: { path: string } }> };
    expect(grafana.entrypoint!.join(' ')).toContain(provider.providers[0]!.options.path);
  });

  it('Grafana\'s start-up substitution turns the Grafana dashboards (dashboards/grafana) into valid JSON on the provisioned data source', () => {
    const entry = compose.services['grafana']!.entrypoint!.join(' ').replaceAll('$$', '$');
    const [, from, to] = /sed 's\/([^/]+)\/([^/]+)\/g'/.exec(entry) ?? [];
    expect(from).toBe('${DS_INFLUXDB}');
    for (const f of ['fleet.json', 'lift.json']) {
      const text = read(`dashboards/grafana/${f}`).replaceAll(from!, to!);
      const uids = new Set([...text.matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]));
      expect(() => JSON.parse(text) as unknown).not.toThrow();
      expect(text).not.toContain('${DS_');
      expect(uids).toContain(to);
    }
  });

  it('HAProxy balances MQTT over TCP to exactly the broker nodes, on their MQTT port', () => {
    const cfg = read('deploy/haproxy/haproxy.cfg');
    expect(compose.services['haproxy']!.volumes).toContain('./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(cfg).toMatch(/^defaults[\s\S]*?^\s+mode tcp$/m);
    const backend = /^backend brokers\n((?:[ \t]+.*\n?)*)/m.exec(cfg)?.[1] ?? '';
    const servers = [...backend.matchAll(/^\s+server\s+(\S+)\s+([^:\s]+):(\d+)\s+check/gm)].map((m) => ({ host: m[2]!, port: Number(m[3]) }));
    const brokerNodes = liftwatch.filter(([, s]) => !s.profiles && rolesOf({ roles: s.environment?.['LIFTWATCH_ROLES'] ?? '' }).has('broker'));
    expect(servers.map((s) => s.host).sort()).toEqual(brokerNodes.map(([n]) => n).sort());
    for (const s of servers) expect(s.port).toBe(Number(compose.services[s.host]!.environment!['LIFTWATCH_MQTT_PORT']));
    const bind = /^frontend mqtt\n\s+bind :(\d+)/m.exec(cfg)?.[1];
    expect(compose.services['haproxy']!.ports).toContain(`${bind}:${bind}`);
    // Client and server timeouts outlast the longest MQTT keepalive the brokers allow (1.5 × 1200 s).
    expect(cfg).toMatch(/timeout client 30m/);
    expect(compose.services['haproxy']!.healthcheck!.test.join(' ')).toContain(`/dev/tcp/127.0.0.1/${/^frontend stats\n[\s\S]*?bind :(\d+)/m.exec(cfg)?.[1]}`);
  });

  it('HAProxy tells the broker nodes each terminal\'s address (PROXY protocol v2), and they believe only HAProxy\'s fixed address', () => {
    const backend = /^backend brokers\n((?:[ \t]+.*\n?)*)/m.exec(read('deploy/haproxy/haproxy.cfg'))?.[1] ?? '';
    expect(backend).toMatch(/^\s+default-server .*\bsend-proxy-v2\b/m);
    const address = compose.services['haproxy']!.networks?.['default']?.ipv4_address ?? '';
    const [net] = compose.networks?.['default']?.ipam?.config ?? [];
    const inBlock = (ip: string, cidr: string) => {
      const [base = '', bits = '32'] = cidr.split('/');
      const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
      return Math.floor(n(ip) / 2 ** (32 - Number(bits))) === Math.floor(n(base) / 2 ** (32 - Number(bits)));
    };
    expect(inBlock(address, net?.subnet ?? '')).toBe(true);
    expect(inBlock(address, net?.ip_range ?? '')).toBe(false); // Docker never hands HAProxy's address to another container
    const brokerNodes = liftwatch.filter(([, s]) => rolesOf({ roles: s.environment?.['LIFTWATCH_ROLES'] ?? '' }).has('broker') && !s.profiles);
    expect(brokerNodes.length).toBeGreaterThan(1);
    for (const [, s] of brokerNodes) {
      const config = configFromProcess([], Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, substitute(String(v))])));
      expect(config.mqttProxyProtocolFrom.split(',').map((a) => a.trim())).toEqual([address]);
    }
  });

  it('every named volume it mounts is declared', () => {
    for (const [name, s] of services) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(new URL(source.replace(/^\.\//, ''), root)), `${name}: ${source}`).toBe(true);
        else expect(compose.volumes, `${name}: ${source}`).toHaveProperty([source]);
      }
    }
  });
});

describe('Dockerfile', () => {
  it('runs the same entry point as the compose services, as a user that is not root', () => {
    const file = read('Dockerfile');
    expect(file).toContain('CMD ["node", "--max-semi-space-size=64", "server/main.mjs"]');
    expect(file).toMatch(/^ENV MALLOC_ARENA_MAX=2$/m);
    expect(file).toMatch(/^USER node$/m);
    expect(file).toMatch(/^FROM node:20/m);
  });
});
