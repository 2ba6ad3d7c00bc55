// Benchmark: time from a P1 event published by a terminal to the crew's webhook receiving the
// signed notification, p50 and p99, in the all-in-one mode (local SQLite queue) or with the
// BullMQ queue on Redis (--redis: a redis-server started here on a random loopback port); then
// notifications per second for a burst of P1 events on distinct lifts. Bounded in count and time.
//
// --postgres: the distributed mode's alerting, alerts and crews in a PostgreSQL server started here
// (--state-url) and the queue on Redis (implies --redis).
//
// --redis-outage S (implies --redis; instead of the latency and burst): --outages times, Redis is
// stopped, a P1 published, Redis started again S seconds later; the figure is the time from Redis
// answering again to the crew's webhook receiving the first notification (redis-outage.ts).
//
// --cpu-prof DIR: the platform process writes a V8 CPU profile (.cpuprofile) into DIR when it stops,
// to see where a P1's way to the webhook spends the event loop (the profiler slows it down: figures
// of such a run are not results).
//
//   npx tsx bench/alert-latency.ts [--samples 200] [--burst 500] [--redis] [--postgres] [--redis-outage 18 --outages 3] [--cpu-prof DIR]
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { startPostgres, startRedis, type RunningRedis } from '@liftwatch/test-kit/servers';
import { percentile } from './figures.js';
import { platformUrls } from './processes.js';
import { measureOutages } from './redis-outage.js';

const { values } = parseArgs({ options: {
  samples: { type: 'string', default: '200' }, burst: { type: 'string', default: '500' }, redis: { type: 'boolean', default: false }, postgres: { type: 'boolean', default: false },
  'redis-outage': { type: 'string', default: '0' }, outages: { type: 'string', default: '3' }, 'cpu-prof': { type: 'string', default: '' },
} });
const OUTAGE_S = Number(values['redis-outage']);
const OUTAGES = OUTAGE_S > 0 ? Number(values.outages) : 0;
const SAMPLES = OUTAGES > 0 ? 0 : Number(values.samples);
const BURST = OUTAGES > 0 ? 0 : Number(values.burst);
const POSTGRES = values.postgres === true;
const REDIS = values.redis === true || POSTGRES || OUTAGES > 0;
const DEADLINE_MS = 240_000 + OUTAGES * (OUTAGE_S * 1000 + 30_000);
/** Targets (docs/architecture.md#targets): p99 ≤ 100 ms all-in-one, ≤ 250 ms with Redis. Notifications/s: a city-wide power cut (E13 with passengers is P1) can open thousands of alerts in a minute; 100/s clears 6,000 a minute. */
const REFERENCE = { p99Ms: REDIS ? 250 : 100, notificationsPerS: 100 };

const root = new URL('../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'liftwatch-bench-alerts-'));
const children: ChildProcess[] = [];
const killer = setTimeout(() => { console.error('benchmark deadline reached'); for (const c of children) c.kill('SIGKILL'); void stopPostgres().finally(() => process.exit(2)); }, DEADLINE_MS);
let stopPostgres = () => Promise.resolve();

// The crew's webhook receiver: records when each alert's first notification arrives.
const arrived = new Map<string, number>();
const receiver = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => { raw += c.toString(); });
  req.on('end', () => {
    const at = performance.now();
    const liftId = (JSON.parse(raw) as { alert: { liftId: string } }).alert.liftId;
    if (!arrived.has(liftId)) arrived.set(liftId, at);
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const PASSWORD = 'bench-admin-password';
// One publisher for every lift: anonymous MQTT allowed (a terminal's token admits only its own lift).
// Sampled every 100 µs, not every 1 ms: a P1's way to the webhook takes a few milliseconds.
const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, '--cpu-prof-interval=100'] : [];
const args = [...profile, '--import', 'tsx', 'server/src/main.ts', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dataDir, '--mqtt-allow-anonymous', 'true'];
let redis: RunningRedis | undefined;
if (REDIS) {
  // Its append-only file fsynced once a second, as a deployment's Redis would run.
  redis = await startRedis({ persist: true, fsync: 'everysec' });
  process.on('exit', () => redis?.child()?.kill('SIGKILL'));
  args.push('--alert-redis-url', `redis://127.0.0.1:${redis.port}`);
}
const pg = POSTGRES ? await startPostgres() : undefined;
if (pg) {
  stopPostgres = () => pg.stop();
  args.push('--state-url', await pg.newDatabase('bench_alerts'));
  // A failed run stops the PostgreSQL server it started too.
  const fail = (err: unknown) => { console.error(err); for (const c of children) c.kill('SIGKILL'); void pg.stop().finally(() => process.exit(1)); };
  process.on('uncaughtException', fail).on('unhandledRejection', fail);
}
const server = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LIFTWATCH_ADMIN_PASSWORD: PASSWORD } });
children.push(server);
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); }); // also when the benchmark fails
const urls = await platformUrls(server);

const login = await fetch(`${urls.http}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
const { token } = (await login.json()) as { token: string };
const call = async (method: string, path: string, body: unknown) => {
  const res = await fetch(`${urls.http}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
};
await call('PUT', '/api/organisations/bench-unit', { kind: 'maintenanceUnit', name: 'bench unit' });
for (const id of ['crewA', 'crewB']) await call('PUT', `/api/people/${id}`, { name: id, orgId: 'bench-unit', channels: [{ kind: 'webhook', to: hookUrl, secret: 'bench' }] });
await call('POST', '/api/rota', { unitId: 'bench-unit', startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000, primary: 'crewA', backup: 'crewB' });
const lifts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
for (const liftId of [...lifts('LAT', SAMPLES), ...lifts('BURST', BURST), ...lifts('OUT', OUTAGES)]) await call('PUT', `/api/crew-lifts/${liftId}`, { maintenanceUnit: 'bench-unit' });

const pub = await mqtt.connectAsync(urls.mqtt, { clientId: 'BENCH-ALERTS', protocolVersion: 4 });
const alarm = (liftId: string) => JSON.stringify({ ...GOLDEN.alarm, liftId, seq: 1, ts: Date.now() });
const waitArrived = async (liftId: string) => { while (!arrived.has(liftId)) await new Promise((r) => setTimeout(r, 1)); return arrived.get(liftId)!; };

// Outages: Redis away while a P1 opens; from its return to the first on-call notification.
const outageDelays = redis && OUTAGES > 0 ? await measureOutages({
  redis, downMs: OUTAGE_S * 1000, liftIds: lifts('OUT', OUTAGES), arrival: waitArrived,
  publish: async (liftId) => { await pub.publishAsync(liftTopic(liftId, 'alarm'), alarm(liftId), { qos: 1 }); },
}) : [];

// Latency: one P1 at a time, from the publish call to the webhook receiving it.
const latencies: number[] = [];
for (const liftId of lifts('LAT', SAMPLES)) {
  const t = performance.now();
  await pub.publishAsync(liftTopic(liftId, 'alarm'), alarm(liftId), { qos: 1 });
  latencies.push((await waitArrived(liftId)) - t);
  await new Promise((r) => setTimeout(r, 10));
}

// Throughput: BURST P1 events on distinct lifts at once; notifications per second until the last arrives.
const burstStart = performance.now();
await Promise.all(lifts('BURST', BURST).map((liftId) => pub.publishAsync(liftTopic(liftId, 'alarm'), alarm(liftId), { qos: 1 })));
const lastAt = BURST > 0 ? Math.max(...await Promise.all(lifts('BURST', BURST).map(waitArrived))) : burstStart;
const notificationsPerS = BURST / ((lastAt - burstStart) / 1000);

await pub.endAsync();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
for (const c of children) c.kill('SIGTERM');
await redis?.stop();
await pg?.stop();
receiver.close();
clearTimeout(killer);
rmSync(dataDir, { recursive: true, force: true });

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
if (OUTAGES > 0) {
  const sorted = [...outageDelays].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const worst = sorted.at(-1)!;
  const command = `npx tsx bench/alert-latency.ts --redis-outage ${OUTAGE_S} --outages ${OUTAGES}`;
  const date = new Date().toISOString();
  /** The reconnect cap (--alert-redis-reconnect-max-ms): the notification should leave within it of Redis's return. */
  const reference = 1000;
  const results = [
    { metric: `Redis back after ${OUTAGE_S} s → first on-call webhook, median of ${OUTAGES} outages (BullMQ on Redis)`, unit: 'ms', value: +median.toFixed(1), reference, ratio: +(median / reference).toFixed(3), command, date },
    { metric: `Redis back after ${OUTAGE_S} s → first on-call webhook, worst of ${OUTAGES} outages (BullMQ on Redis)`, unit: 'ms', value: +worst.toFixed(1), reference, ratio: +(worst / reference).toFixed(3), command, date },
  ];
  console.log(`\nRedis back → first on-call webhook, per outage: ${outageDelays.map((d) => `${d.toFixed(0)} ms`).join(', ')}`);
  writeFileSync(join(root, 'bench/results/alert-redis-outage.json'), `${JSON.stringify(results, null, 2)}\n`);
  appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | Redis back → first on-call webhook: median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms (reconnect cap ${reference} ms) | Redis away ${OUTAGE_S} s while the P1 opened, ${OUTAGES} outages | ${machine} |\n`);
  process.exit(0);
}

latencies.sort((a, b) => a - b);
const pct = (p: number) => percentile(latencies, p) ?? NaN;
const mode = POSTGRES ? 'alerts in PostgreSQL, BullMQ on Redis' : REDIS ? 'BullMQ on Redis' : 'all-in-one, SQLite queue';
const command = `npx tsx bench/alert-latency.ts --samples ${SAMPLES} --burst ${BURST}${POSTGRES ? ' --postgres' : REDIS ? ' --redis' : ''}`;
const date = new Date().toISOString();
const results = [
  { metric: `P1 publish → crew webhook, p50 (${mode}, ${SAMPLES} samples)`, unit: 'ms', value: +pct(0.5).toFixed(1), reference: REFERENCE.p99Ms, ratio: +(pct(0.5) / REFERENCE.p99Ms).toFixed(3), command, date },
  { metric: `P1 publish → crew webhook, p99 (${mode}, ${SAMPLES} samples)`, unit: 'ms', value: +pct(0.99).toFixed(1), reference: REFERENCE.p99Ms, ratio: +(pct(0.99) / REFERENCE.p99Ms).toFixed(3), command, date },
  { metric: `notifications per second, burst of ${BURST} P1 events on distinct lifts (${mode})`, unit: 'notifications/s', value: Math.round(notificationsPerS), reference: REFERENCE.notificationsPerS, ratio: +(notificationsPerS / REFERENCE.notificationsPerS).toFixed(3), command, date },
];
console.log(`\n${'metric'.padEnd(84)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(84)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);

const name = POSTGRES ? 'alert-latency-postgres' : REDIS ? 'alert-latency-redis' : 'alert-latency';
if (profile.length > 0) {
  console.log(`(profiled run, results not written; the profile is in ${values['cpu-prof']})`);
  process.exit(0);
}
writeFileSync(join(root, `bench/results/${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${Math.round(notificationsPerS)} notifications/s (${(notificationsPerS / REFERENCE.notificationsPerS).toFixed(2)} × 100) | P1 → webhook p50 ${pct(0.5).toFixed(0)} ms, p99 ${pct(0.99).toFixed(0)} ms (target ${REFERENCE.p99Ms}) | ${machine} |\n`);
