// Benchmark: records per second that the all-in-one process acknowledges over MQTT (each one
// committed to SQLite before its PUBACK), and the time from a terminal's publish of a P1 event to
// the alert on the live feed, while that load runs. Bounded in count and time; loopback only.
//
//   npx tsx bench/ingest-throughput.ts [--messages 40000] [--clients 20] [--batch 1]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { GOLDEN, liftTopic } from '@liftwatch/contract';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '40000' }, clients: { type: 'string', default: '20' }, batch: { type: 'string', default: '1' } } });
const MESSAGES = Number(values.messages);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);
const P1_SAMPLES = 20;
const DEADLINE_MS = 180_000;
/** DESIGN.md scale targets: a city of 150,000 lifts is about 30,000 records/s; a P1 reaches a crew well under a second. */
const REFERENCE = { recordsPerS: 30_000, p1LatencyMs: 1_000 };

const root = new URL('../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'liftwatch-bench-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dataDir, '--mqtt-allow-anonymous', 'true', '--mqtt-publishes-per-second', '1000000', '--mqtt-max-inflight', '65535'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const killer = setTimeout(() => { console.error('benchmark deadline reached'); server.kill('SIGKILL'); process.exit(2); }, DEADLINE_MS);

const urls = await new Promise<{ mqtt: string; http: string }>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const m = /web (http:\S+)\s+MQTT (mqtt:\S+)/.exec(out);
    if (m) resolve({ http: m[1]!, mqtt: m[2]! });
  });
  server.once('exit', (code) => reject(new Error(`liftwatch exited with ${code}`)));
});

// Load: CLIENTS terminals, each publishing its share of MESSAGES at QoS 1 with BATCH records each.
const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => mqtt.connectAsync(urls.mqtt, { clientId: `BENCH-${i}`, protocolVersion: 4 })));
const ts0 = Date.now();
let seq = 0;
const load = async () => {
  const start = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    const liftId = `BENCH-${i}`;
    const per = Math.ceil(MESSAGES / CLIENTS);
    const window = 200; // in flight per terminal
    let next = 0;
    const sendOne = async (): Promise<void> => {
      while (next < per) {
        next++;
        const records = Array.from({ length: BATCH }, () => ({ ...GOLDEN.status, liftId, seq: ++seq, ts: ts0 + seq, speedMps: 1.2, doorZone: false }));
        await c.publishAsync(liftTopic(liftId, 'status'), JSON.stringify(BATCH === 1 ? records[0] : records), { qos: 1 });
      }
    };
    await Promise.all(Array.from({ length: window }, sendOne));
  }));
  return performance.now() - start;
};

// P1 latency: publish an alarm, wait for the alert on the server-sent events feed.
const p1Latencies: number[] = [];
const measureP1 = async () => {
  const res = await fetch(`${urls.http}/api/events`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const waiters = new Map<string, (t: number) => void>();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value);
      for (const [liftId, resolve] of waiters) if (buffer.includes(`"liftId":"${liftId}"`) && buffer.includes('"code":"E01"')) resolve(performance.now());
    }
  })();
  const pub = await mqtt.connectAsync(urls.mqtt, { clientId: 'BENCH-P1', protocolVersion: 4 });
  for (let i = 0; i < P1_SAMPLES; i++) {
    const liftId = `P1-${i}`;
    const seen = new Promise<number>((resolve) => waiters.set(liftId, resolve));
    const t = performance.now();
    await pub.publishAsync(liftTopic(liftId, 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId, seq: 1, ts: Date.now() }), { qos: 1 });
    p1Latencies.push((await seen) - t);
    waiters.delete(liftId);
    await new Promise((r) => setTimeout(r, 100));
  }
  await pub.endAsync();
  await reader.cancel();
};

const [elapsedMs] = await Promise.all([load(), measureP1()]);
await Promise.all(clients.map((c) => c.endAsync()));
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
clearTimeout(killer);
rmSync(dataDir, { recursive: true, force: true });

const records = Math.ceil(MESSAGES / CLIENTS) * CLIENTS * BATCH;
const recordsPerS = records / (elapsedMs / 1000);
p1Latencies.sort((a, b) => a - b);
const pct = (p: number) => p1Latencies[Math.min(p1Latencies.length - 1, Math.floor(p * p1Latencies.length))] ?? NaN;
const command = `npx tsx bench/ingest-throughput.ts --messages ${MESSAGES} --clients ${CLIENTS} --batch ${BATCH}`;
const date = new Date().toISOString();
const results = [
  { metric: `records acknowledged per second (QoS 1, ${BATCH} record(s) per message, ${CLIENTS} terminals)`, unit: 'records/s', value: Math.round(recordsPerS), reference: REFERENCE.recordsPerS, ratio: +(recordsPerS / REFERENCE.recordsPerS).toFixed(3), command, date },
  { metric: `P1 alarm publish → alert on the live feed, p50, during and after that load (${p1Latencies.length} samples)`, unit: 'ms', value: +pct(0.5).toFixed(1), reference: REFERENCE.p1LatencyMs, ratio: +(pct(0.5) / REFERENCE.p1LatencyMs).toFixed(3), command, date },
  { metric: `P1 alarm publish → alert on the live feed, max, during and after that load (${p1Latencies.length} samples)`, unit: 'ms', value: +pct(1).toFixed(1), reference: REFERENCE.p1LatencyMs, ratio: +(pct(1) / REFERENCE.p1LatencyMs).toFixed(3), command, date },
];
console.log(`\n${'metric'.padEnd(92)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(92)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const name = BATCH === 1 ? 'ingest-throughput' : `ingest-throughput-batch${BATCH}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${Math.round(recordsPerS)} records/s (${(recordsPerS / REFERENCE.recordsPerS).toFixed(2)} × 30,000) | P1 p50 ${pct(0.5).toFixed(0)} ms, max ${pct(1).toFixed(0)} ms | ${machine} |\n`);
