// Benchmark: API p99 of the regulator console's two heavy routes, the district overview and the
// riskiest-lifts list, with 150,000 lifts in the store (target ≤ 200 ms). Bounded in count
// and time; loopback only. The lifts are written straight into the SQLite lifts table (the ingest
// path is measured by ingest-throughput.ts); alerts (1 % of the lifts, entrapments with rescue
// times) and 10,000 maintenance visits go through the alerting module; the server is the real
// all-in-one process. Timed as admin (every lift: the heaviest case) and as a regulator of one
// district (scoped through their area code and crew assignments).
//
//   npx tsx bench/district-api.ts [--lifts 150000] [--areas 15] [--requests 50] [--deadline-s 300] [--reminders] [--cpu-prof DIR]
//
// --cpu-prof DIR writes a V8 CPU profile of the server to DIR (open it in Chrome DevTools).
// The seeded alerts are weeks old; left open, their escalation reminders (due until acknowledged)
// all catch up at start-up, one SQLite transaction each, and block the event loop for up to ~0.5 s
// at a time while the routes are timed. So the alerts still active are acknowledged, unless
// --reminders is given (to see that catch-up's effect).
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { GOLDEN } from '@liftwatch/contract';
import { createAlerting, createSqliteJobQueue } from '@liftwatch/alerting';
import { openStateStore } from '@liftwatch/state-store';
import { percentile } from './figures.js';
import { platformUrls } from './processes.js';

const { values } = parseArgs({ options: { lifts: { type: 'string', default: '150000' }, areas: { type: 'string', default: '15' }, requests: { type: 'string', default: '50' }, 'deadline-s': { type: 'string', default: '300' }, reminders: { type: 'boolean', default: false }, 'cpu-prof': { type: 'string' } } });
const LIFTS = Number(values.lifts);
const AREAS = Number(values.areas);
const REQUESTS = Number(values.requests);
const DEADLINE_MS = Number(values['deadline-s']) * 1000;
const REFERENCE_P99_MS = 200;
const PASSWORD = 'bench-admin-password';

const root = new URL('../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'liftwatch-bench-district-'));
const areaOf = (i: number) => String(330101 + (i % AREAS));

// 1. The store: LIFTS lifts over AREAS districts (Hangzhou has about 150,000 lifts), each with a registry and a status.
const seedStart = performance.now();
{
  const db = new Database(join(dataDir, 'liftwatch.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // seeding: no fsync per write
  // The state store's tables (migrations), on the file the server opens next.
  const state = await openStateStore({ url: `sqlite:${db.name}`, connection: db });
  const insert = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total, status_json, status_ts, registry_json, registry_ts, presence, presence_rx)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The platform's registry, as admins import it: the area that decides a regulator's scope.
  const register = db.prepare(`INSERT INTO lift_registry (lift_id, area_code, updated_at, updated_by) VALUES (?, ?, ?, 'bench')`);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < LIFTS; i++) {
      const liftId = `HZ-${String(i).padStart(6, '0')}`;
      // One lift in 50 silent for an hour, so the overview has something to count.
      const seen = i % 50 === 0 ? now - 3_600_000 : now - (i % 10_000);
      insert.run(liftId, now - 86_400_000, seen, 1000, JSON.stringify({ ...GOLDEN.status, liftId, seq: 2, ts: seen }), seen,
        JSON.stringify({ ...GOLDEN.registry, liftId, seq: 1, ts: now - 86_400_000, areaCode: areaOf(i), name: `Block ${i}` }), now - 86_400_000, i % 50 === 0 ? 'offline' : 'online', seen);
      register.run(liftId, areaOf(i), now - 86_400_000);
    }
  })();
  // Alerts: 1 in 100 lifts has one (a third of them closed), 1 in 500 an entrapment in the last 30
  // days (two thirds with a crew on site 10–50 min later); 10,000 maintenance visits in 20 days.
  let clock = now;
  const alerting = createAlerting({ state, queue: createSqliteJobQueue(db, { table: 'alert_jobs' }), now: () => clock, backend: { soleNode: true } });
  const codes = ['E07', 'E09', 'D01', 'E02', 'E08'];
  {
    for (let k = 0; k < Math.floor(LIFTS / 100); k++) {
      const liftId = `HZ-${String((k * 97) % LIFTS).padStart(6, '0')}`;
      clock = now - ((k * 7_919_000) % (40 * 86_400_000));
      const { alert } = await alerting.raise({ liftId, code: codes[k % codes.length]!, reason: 'bench', evidence: { liftId, stream: 'event', seq: k + 10, ts: clock, values: {} } });
      if (alert && k % 3 === 0) await alerting.transition(alert.id, 'resolved', 'bench', 'fixed', { outcome: 'confirmed', component: 'doorOperator' });
      else if (alert && !values.reminders) await alerting.transition(alert.id, 'acknowledged', 'bench');
    }
    for (let k = 0; k < Math.floor(LIFTS / 500); k++) {
      const liftId = `HZ-${String((k * 389 + 11) % LIFTS).padStart(6, '0')}`;
      clock = now - ((k * 8_311_000) % (30 * 86_400_000)) - 3_600_000;
      const { alert } = await alerting.raise({ liftId, code: 'E01', reason: 'bench', evidence: { liftId, stream: 'event', seq: k + 1_000_000, ts: clock, values: {} } });
      if (alert && k % 3 === 0 && !values.reminders) await alerting.transition(alert.id, 'acknowledged', 'bench');
      if (!alert || k % 3 === 0) continue;
      clock += 600_000 + (k % 5) * 600_000;
      await alerting.transition(alert.id, 'onSite', 'bench');
      clock += 600_000;
      await alerting.transition(alert.id, 'resolved', 'bench', 'released');
    }
    for (let k = 0; k < 10_000; k++) {
      const liftId = `HZ-${String((k * 13) % LIFTS).padStart(6, '0')}`;
      clock = now - ((k * 172_800) % (20 * 86_400_000));
      await alerting.crews.checkIn(liftId, 'bench');
      clock += 1_800_000;
      await alerting.crews.checkOut(liftId, 'bench');
    }
  }
  clock = now;
  await alerting.close(); // once the escalations are planned
  await state.close();
  db.close();
}
const seedMs = performance.now() - seedStart;

const server = spawn(process.execPath, [...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : []), '--import', 'tsx', 'server/src/main.ts', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dataDir],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LIFTWATCH_ADMIN_PASSWORD: PASSWORD } });
process.on('exit', () => { // also when the benchmark fails
  server.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});
const killer = setTimeout(() => { console.error('benchmark deadline reached'); server.kill('SIGKILL'); process.exit(2); }, DEADLINE_MS);
const { http } = await platformUrls(server);

// 2. Log in as admin (sees every lift: the heaviest case) and time the routes one request at a time.
const login = await fetch(`${http}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
const { token } = (await login.json()) as { token: string };
const regulatorArea = areaOf(0);
const asAdmin = async (method: string, path: string, body: unknown) => {
  const res = await fetch(`${http}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
};
await asAdmin('PUT', '/api/users/bench-regulator', { name: 'Bench regulator', role: 'regulator', orgId: 'd-bench', areaCode: regulatorArea, password: PASSWORD });
await asAdmin('PUT', '/api/organisations/mu-bench', { kind: 'maintenanceUnit', name: 'Bench maintenance unit' });
await asAdmin('PUT', '/api/organisations/d-bench', { kind: 'district', name: 'Bench district' });
// Ten lifts of other areas are assigned to the regulator's district organisation (scope by assignment).
for (let i = 1; i <= 10; i++) await asAdmin('PUT', `/api/crew-lifts/HZ-${String(i).padStart(6, '0')}`, { maintenanceUnit: 'mu-bench', useUnit: null, district: 'd-bench' });
const regLogin = await fetch(`${http}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-regulator', password: PASSWORD }) });
const { token: regulatorToken } = (await regLogin.json()) as { token: string };
const time = async (path: string, as = token) => {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const res = await fetch(`${http}${path.replace('{area}', areaOf(i))}`, { headers: { authorization: `Bearer ${as}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => percentile(samples, p)!;
  return { p50: pct(0.5), p99: pct(0.99) };
};
// The in-memory fleet index (dashboards/src/fleet-index.ts) loads at start-up; the first request waits for what is left of it: timed on its own.
const warm = performance.now();
await fetch(`${http}/api/overview`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
const indexLoadMs = performance.now() - warm;
const overview = await time('/api/overview?areaCode={area}');
const riskiest = await time('/api/riskiest?areaCode={area}&sort=risk&limit=50');
const overviewAll = await time('/api/overview');
const riskiestAll = await time('/api/riskiest?sort=risk&limit=50');
const overviewRegulator = await time('/api/overview', regulatorToken);
const riskiestRegulator = await time('/api/riskiest?sort=risk&limit=50', regulatorToken);
clearTimeout(killer);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

const command = `npx tsx bench/district-api.ts --lifts ${LIFTS} --areas ${AREAS} --requests ${REQUESTS}${values.reminders ? ' --reminders' : ''}`;
const date = new Date().toISOString();
const row = (metric: string, value: number) => ({ metric, unit: 'ms', value: +value.toFixed(1), reference: REFERENCE_P99_MS, ratio: +(value / REFERENCE_P99_MS).toFixed(3), command, date });
const results = [
  row(`GET /api/overview?areaCode (one district of ${Math.round(LIFTS / AREAS)} lifts, ${LIFTS} in the store), p99`, overview.p99),
  row(`GET /api/riskiest?areaCode&limit=50 (one district, ${LIFTS} in the store), p99`, riskiest.p99),
  row(`GET /api/overview (all ${LIFTS} lifts, admin), p99`, overviewAll.p99),
  row(`GET /api/riskiest?limit=50 (all ${LIFTS} lifts, admin), p99`, riskiestAll.p99),
  row(`GET /api/overview (regulator of one district, ${LIFTS} in the store), p99`, overviewRegulator.p99),
  row(`GET /api/riskiest?limit=50 (regulator of one district, ${LIFTS} in the store), p99`, riskiestRegulator.p99),
];
console.log(`seeded ${LIFTS} lifts in ${(seedMs / 1000).toFixed(1)} s; first request (waits for the fleet index to load) ${(indexLoadMs / 1000).toFixed(1)} s`);
console.log(`\n${'metric'.padEnd(84)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'reference'.padStart(10)}  ratio`);
for (const [r, p] of [[results[0]!, overview], [results[1]!, riskiest], [results[2]!, overviewAll], [results[3]!, riskiestAll], [results[4]!, overviewRegulator], [results[5]!, riskiestRegulator]] as const) {
  console.log(`${r.metric.padEnd(84)} ${p.p50.toFixed(1).padStart(8)} ${String(r.value).padStart(8)} ${String(r.reference).padStart(10)}  ${r.ratio}`);
}
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} (shared)`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/district-api.json'), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | overview p99 ${overview.p99.toFixed(0)} ms (${(overview.p99 / REFERENCE_P99_MS).toFixed(2)} × 200) | riskiest p99 ${riskiest.p99.toFixed(0)} ms (${(riskiest.p99 / REFERENCE_P99_MS).toFixed(2)} × 200); all lifts (admin): overview p99 ${overviewAll.p99.toFixed(0)} ms, riskiest p99 ${riskiestAll.p99.toFixed(0)} ms; regulator: overview p99 ${overviewRegulator.p99.toFixed(0)} ms, riskiest p99 ${riskiestRegulator.p99.toFixed(0)} ms; index load ${(indexLoadMs / 1000).toFixed(1)} s once | ${machine} |\n`);
