// A loader process for bench/city-ingest.ts: publishes realistic records for a slice of a city's
// lifts over a few MQTT connections, at a paced rate, for a fixed time, then prints a JSON report.
// Status snapshots go at QoS 0 (as the contract allows); trips and door cycles at QoS 1, whose
// PUBACK comes only after the record is stored, so their round trip is publish → stored.
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { GOLDEN, liftTopic } from '@liftwatch/contract';

const { values: a } = parseArgs({ options: {
  url: { type: 'string' }, first: { type: 'string' }, count: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' },
  connections: { type: 'string', default: '20' }, name: { type: 'string', default: 'L' }, username: { type: 'string' }, password: { type: 'string' },
} });
const FIRST = Number(a.first); const COUNT = Number(a.count); const RATE = Number(a.rate); const SECONDS = Number(a.seconds); const CONNS = Number(a.connections);
const EVENT_SHARE = 0.1; // trips + door cycles among all records (a lift at 5 s status and ~20 starts an hour)

const liftId = (i: number) => `CITY-${String(i).padStart(6, '0')}`;
const seqs = new Float64Array(COUNT).fill(Date.now() * 1000);
const statusTpl = JSON.stringify({ ...GOLDEN.status, liftId: '@L', seq: 1e15, ts: 2e12 });
const tripTpl = JSON.stringify({ ...GOLDEN.trip, liftId: '@L', seq: 1e15, ts: 2e12 });
const doorTpl = JSON.stringify({ ...GOLDEN.door, liftId: '@L', seq: 1e15, ts: 2e12 });
const fill = (tpl: string, id: string, seq: number, ts: number) => tpl.replace('@L', id).replace('1000000000000000', String(seq)).replace('2000000000000', String(ts));

let errors = 0;
// Connect in waves of 25 so that a loaded machine does not time connections out.
const clients: MqttClient[] = [];
for (let c = 0; c < CONNS; c += 25) {
  clients.push(...await Promise.all(Array.from({ length: Math.min(25, CONNS - c) }, (_, k) => mqtt.connectAsync(a.url!, {
    clientId: `${a.name}-${c + k}`, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 60_000,
    ...(a.username ? { username: a.username, password: a.password ?? '' } : {}),
  }))));
}
for (const c of clients) {
  (c.stream as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
  c.on('error', () => { errors++; }); // a server that goes away ends the run; it must not crash the loader
}

let sent = 0; let acked = 0; let next = 0; let qos1 = 0;
const latencies: number[] = [];
const started = performance.now();
const deadline = started + SECONDS * 1000;
const tickMs = 50;
let debt = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const now = performance.now();
    if (now >= deadline) { clearInterval(timer); resolve(); return; }
    debt += (RATE * tickMs) / 1000;
    const n = Math.floor(debt);
    debt -= n;
    const ts = Date.now();
    for (let k = 0; k < n; k++) {
      const i = next++ % COUNT;
      const id = liftId(FIRST + i);
      const seq = ++seqs[i]!;
      const client = clients[i % CONNS]!;
      const r = ((Math.imul(next, 2654435761) >>> 0) % 1000) / 1000; // deterministic mix per record (32-bit hash of the record number)
      if (r < EVENT_SHARE) {
        const stream = r < EVENT_SHARE / 2 ? 'trip' : 'door';
        const t0 = performance.now();
        qos1++;
        client.publish(liftTopic(id, stream), fill(stream === 'trip' ? tripTpl : doorTpl, id, seq, ts), { qos: 1 }, (err) => {
          if (err) errors++;
          else { acked++; if (latencies.length < 200_000) latencies.push(performance.now() - t0); }
        });
      } else {
        client.publish(liftTopic(id, 'status'), fill(statusTpl, id, seq, ts), { qos: 0 });
      }
      sent++;
    }
  }, tickMs);
});
// Let the last QoS 1 messages be acknowledged (bounded).
const drainUntil = performance.now() + 30_000;
while (performance.now() < drainUntil && clients.some((c) => (c as unknown as { queue: unknown[] }).queue?.length > 0 || Object.keys((c as unknown as { outgoing: object }).outgoing).length > 0)) {
  await new Promise((r) => setTimeout(r, 100));
}
await Promise.race([Promise.all(clients.map((c) => c.endAsync(true))), new Promise((r) => setTimeout(r, 5_000))]);
latencies.sort((x, y) => x - y);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? null;
process.stdout.write(`${JSON.stringify({ sent, qos1, acked, errors, seconds: (performance.now() - started) / 1000, p50: pct(0.5), p99: pct(0.99), max: pct(1), samples: latencies.length })}\n`);
