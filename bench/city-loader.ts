// A loader process for bench/city-ingest.ts: publishes realistic records for a slice of a city's
// lifts over a few MQTT connections, at a paced rate, for a fixed time, then prints a JSON report.
// Status snapshots go at QoS 0 (as the contract allows); trips and door cycles at QoS 1, whose
// PUBACK comes only after the record is stored, so their round trip is publish → stored.
//
// It speaks MQTT 3.1.1 itself with mqtt-packet (the encoder and parser inside MQTT.js and aedes)
// and writes each tick's packets to a socket in one write: it stands in for 150,000 terminals far
// away, so it should take as little of this machine's two cores as it can from the server measured.
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import mqttPacket from 'mqtt-packet';
import { GOLDEN, liftTopic } from '@liftwatch/contract';

const { values: a } = parseArgs({ options: {
  url: { type: 'string' }, first: { type: 'string' }, count: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' },
  connections: { type: 'string', default: '20' }, name: { type: 'string', default: 'L' }, username: { type: 'string' }, password: { type: 'string' },
} });
const FIRST = Number(a.first); const COUNT = Number(a.count); const RATE = Number(a.rate); const SECONDS = Number(a.seconds); const CONNS = Number(a.connections);
const EVENT_SHARE = 0.1; // trips + door cycles among all records (a lift at 5 s status and ~20 starts an hour)
const url = new URL(a.url!);

const liftId = (i: number) => `CITY-${String(i).padStart(6, '0')}`;
const seqs = new Float64Array(COUNT).fill(Date.now() * 1000);
const statusTpl = JSON.stringify({ ...GOLDEN.status, liftId: '@L', seq: 1e15, ts: 2e12 });
const tripTpl = JSON.stringify({ ...GOLDEN.trip, liftId: '@L', seq: 1e15, ts: 2e12 });
const doorTpl = JSON.stringify({ ...GOLDEN.door, liftId: '@L', seq: 1e15, ts: 2e12 });
const fill = (tpl: string, id: string, seq: number, ts: number) => tpl.replace('@L', id).replace('1000000000000000', String(seq)).replace('2000000000000', String(ts));

interface Conn { socket: Socket; nextId: number; sentAt: Map<number, number>; out: Buffer[] }
let sent = 0; let acked = 0; let errors = 0; let qos1 = 0;
const latencies: number[] = [];

function open(k: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port), noDelay: true });
    const conn: Conn = { socket, nextId: 1, sentAt: new Map(), out: [] };
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p) => {
      if (p.cmd === 'connack') {
        if (p.returnCode === 0) resolve(conn);
        else reject(new Error(`connection ${k} refused: return code ${p.returnCode}`));
      } else if (p.cmd === 'puback') {
        const t0 = conn.sentAt.get(p.messageId!);
        if (t0 !== undefined) {
          conn.sentAt.delete(p.messageId!);
          acked++;
          if (latencies.length < 200_000) latencies.push(performance.now() - t0);
        }
      }
    });
    parser.on('error', () => { errors++; });
    socket.on('data', (b) => parser.parse(b));
    socket.on('error', (err) => { errors++; reject(err); });
    socket.on('close', () => { errors += conn.sentAt.size; conn.sentAt.clear(); });
    socket.write(mqttPacket.generate({
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 600, clientId: `${a.name}-${k}`,
      ...(a.username ? { username: a.username, password: Buffer.from(a.password ?? '') } : {}),
    }));
  });
}

// Connect in waves of 25 so that a loaded machine does not time connections out.
const conns: Conn[] = [];
for (let c = 0; c < CONNS; c += 25) conns.push(...await Promise.all(Array.from({ length: Math.min(25, CONNS - c) }, (_, k) => open(c + k))));

const started = performance.now();
const deadline = started + SECONDS * 1000;
const tickMs = 50;
let debt = 0;
let next = 0;
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
      const conn = conns[i % CONNS]!;
      const r = ((Math.imul(next, 2654435761) >>> 0) % 1000) / 1000; // deterministic mix per record (32-bit hash of the record number)
      if (r < EVENT_SHARE) {
        const stream = r < EVENT_SHARE / 2 ? 'trip' : 'door';
        const messageId = conn.nextId;
        conn.nextId = conn.nextId === 65535 ? 1 : conn.nextId + 1;
        conn.sentAt.set(messageId, performance.now());
        qos1++;
        conn.out.push(mqttPacket.generate({ cmd: 'publish', topic: liftTopic(id, stream), payload: fill(stream === 'trip' ? tripTpl : doorTpl, id, seq, ts), qos: 1, messageId, retain: false, dup: false }));
      } else {
        conn.out.push(mqttPacket.generate({ cmd: 'publish', topic: liftTopic(id, 'status'), payload: fill(statusTpl, id, seq, ts), qos: 0, retain: false, dup: false }));
      }
      sent++;
    }
    for (const c of conns) {
      if (c.out.length === 0) continue;
      c.socket.write(c.out.length === 1 ? c.out[0]! : Buffer.concat(c.out));
      c.out = [];
    }
  }, tickMs);
});
// Let the last QoS 1 messages be acknowledged (bounded).
const drainUntil = performance.now() + 30_000;
while (performance.now() < drainUntil && conns.some((c) => c.sentAt.size > 0 && !c.socket.destroyed)) await new Promise((r) => setTimeout(r, 100));
for (const c of conns) {
  errors += c.sentAt.size; // never acknowledged
  c.sentAt.clear();
  c.socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
}
latencies.sort((x, y) => x - y);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? null;
process.stdout.write(`${JSON.stringify({ sent, qos1, acked, errors, seconds: (performance.now() - started) / 1000, p50: pct(0.5), p99: pct(0.99), max: pct(1), samples: latencies.length })}\n`);
process.exit(0);
