// Benchmark: API p99 of the regulator console's two heavy routes, the district overview and the
// riskiest-lifts list, with 150,000 lifts in the store (issue 8 target: ≤ 200 ms). Bounded in count
// and time; loopback only. The lifts are written straight into the SQLite lifts table (the ingest
// path is measured by ingest-throughput.ts); the server is the real all-in-one process.
//
//   npx tsx bench/district-api.ts [--lifts 150000] [--areas 15] [--requests 50]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { GOLDEN } from '@liftwatch/contract';

const { values } = parseArgs({ options: { lifts: { type: 'string', default: '150000' }, areas: { type: 'string', default: '15' }, requests: { type: 'string', default: '50' } } });
const LIFTS = Number(values.lifts);
const AREAS = Number(values.areas);
const REQUESTS = Number(values.requests);
const DEADLINE_MS = 300_000;
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
  db.exec(`CREATE TABLE IF NOT EXISTS lifts (
    lift_id TEXT PRIMARY KEY, first_seen_rx INTEGER NOT NULL, last_seen_rx INTEGER NOT NULL, records_total INTEGER NOT NULL DEFAULT 0,
    status_json TEXT, status_ts INTEGER, registry_json TEXT, registry_ts INTEGER, presence TEXT NOT NULL DEFAULT 'unknown', presence_rx INTEGER)`);
  const insert = db.prepare(`INSERT INTO lifts (lift_id, first_seen_rx, last_seen_rx, records_total, status_json, status_ts, registry_json, registry_ts, presence, presence_rx)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < LIFTS; i++) {
      const liftId = `HZ-${String(i).padStart(6, '0')}`;
      // One lift in 50 silent for an hour, so the overview has something to count.
      const seen = i % 50 === 0 ? now - 3_600_000 : now - (i % 10_000);
      insert.run(liftId, now - 86_400_000, seen, 1000, JSON.stringify({ ...GOLDEN.status, liftId, seq: 2, ts: seen }), seen,
        JSON.stringify({ ...GOLDEN.registry, liftId, seq: 1, ts: now - 86_400_000, areaCode: areaOf(i), name: `Block ${i}` }), now - 86_400_000, i % 50 === 0 ? 'offline' : 'online', seen);
    }
  })();
  db.close();
}
const seedMs = performance.now() - seedStart;

const server = spawn(process.execPath, ['--import', 'tsx', 'all-in-one/src/main.ts', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dataDir],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LIFTWATCH_ADMIN_PASSWORD: PASSWORD } });
const killer = setTimeout(() => { console.error('benchmark deadline reached'); server.kill('SIGKILL'); process.exit(2); }, DEADLINE_MS);
const http = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const m = /web (http:\S+)\s+MQTT/.exec(out);
    if (m) resolve(m[1]!);
  });
  server.once('exit', (code) => reject(new Error(`liftwatch exited with ${code}`)));
});

// 2. Log in as admin (sees every lift: the heaviest case) and time the routes one request at a time.
const login = await fetch(`${http}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
const { token } = (await login.json()) as { token: string };
const time = async (path: string) => {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const res = await fetch(`${http}${path.replace('{area}', areaOf(i))}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { p50: pct(0.5), p99: pct(0.99) };
};
// The first request loads the in-memory fleet index (dashboards/src/fleet-index.ts): timed on its own.
const warm = performance.now();
await fetch(`${http}/api/overview`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
const indexLoadMs = performance.now() - warm;
const overview = await time('/api/overview?areaCode={area}');
const riskiest = await time('/api/riskiest?areaCode={area}&sort=risk&limit=50');
const overviewAll = await time('/api/overview');
clearTimeout(killer);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

const command = `npx tsx bench/district-api.ts --lifts ${LIFTS} --areas ${AREAS} --requests ${REQUESTS}`;
const date = new Date().toISOString();
const row = (metric: string, value: number) => ({ metric, unit: 'ms', value: +value.toFixed(1), reference: REFERENCE_P99_MS, ratio: +(value / REFERENCE_P99_MS).toFixed(3), command, date });
const results = [
  row(`GET /api/overview?areaCode (one district of ${Math.round(LIFTS / AREAS)} lifts, ${LIFTS} in the store), p99`, overview.p99),
  row(`GET /api/riskiest?areaCode&limit=50 (one district, ${LIFTS} in the store), p99`, riskiest.p99),
  row(`GET /api/overview (all ${LIFTS} lifts, admin), p99`, overviewAll.p99),
];
console.log(`seeded ${LIFTS} lifts in ${(seedMs / 1000).toFixed(1)} s; first request (loads the fleet index) ${(indexLoadMs / 1000).toFixed(1)} s`);
console.log(`\n${'metric'.padEnd(84)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'reference'.padStart(10)}  ratio`);
for (const [r, p] of [[results[0]!, overview], [results[1]!, riskiest], [results[2]!, overviewAll]] as const) {
  console.log(`${r.metric.padEnd(84)} ${p.p50.toFixed(1).padStart(8)} ${String(r.value).padStart(8)} ${String(r.reference).padStart(10)}  ${r.ratio}`);
}
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/district-api.json'), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | overview p99 ${overview.p99.toFixed(0)} ms (${(overview.p99 / REFERENCE_P99_MS).toFixed(2)} × 200) | riskiest p99 ${riskiest.p99.toFixed(0)} ms (${(riskiest.p99 / REFERENCE_P99_MS).toFixed(2)} × 200); all-lifts overview p99 ${overviewAll.p99.toFixed(0)} ms; index load ${(indexLoadMs / 1000).toFixed(1)} s once | ${machine} |\n`);
