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
import { liftTopic } from '@liftwatch/contract';
import { percentile } from './figures.js';
import { fillRecord, paced, RECORD_TEMPLATES, recordMix } from './paced.js';

const { values: a } = parseArgs({ options: {
  url: { type: 'string' }, first: { type: 'string' }, count: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' },
  connections: { type: 'string', default: '20' }, 'warm-up-s': { type: 'string', default: '5' }, name: { type: 'string', default: 'L' }, username: { type: 'string' }, password: { type: 'string' },
} });
const FIRST = Number(a.first); const COUNT = Number(a.count); const RATE = Number(a.rate); const SECONDS = Number(a.seconds); const CONNS = Number(a.connections);
const EVENT_SHARE = 0.1; // trips + door cycles among all records (a lift at 5 s status and ~20 starts an hour)
const url = new URL(a.url!);

const liftId = (i: number) => `CITY-${String(i).padStart(6, '0')}`;
const seqs = new Float64Array(COUNT).fill(Date.now() * 1000);

interface Conn { socket: Socket; nextId: number; sentAt: Map<number, number>; out: Buffer[] }
let sent = 0; let acked = 0; let errors = 0; let qos1 = 0;
const latencies: number[] = [];
/** Those of messages sent after the warm-up (the first sight of every lift): the steady state's. */
const steadyLatencies: number[] = [];
let steadyFrom = Infinity;
let started = Infinity;
/** The slowest acknowledgement of the messages sent in each second of the load, ms: when a stall came. */
const worstBySecond: number[] = [];

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
          if (t0 >= steadyFrom && steadyLatencies.length < 200_000) steadyLatencies.push(performance.now() - t0);
          const second = Math.max(0, Math.floor((t0 - started) / 1000));
          worstBySecond[second] = Math.max(worstBySecond[second] ?? 0, Math.round(performance.now() - t0));
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

started = performance.now();
steadyFrom = started + Number(a['warm-up-s']) * 1000;
const deadline = started + SECONDS * 1000;
let next = 0;
await paced(RATE, deadline, (n) => {
  const ts = Date.now();
  for (let k = 0; k < n; k++) {
    const i = next++ % COUNT;
    const id = liftId(FIRST + i);
    const seq = ++seqs[i]!;
    const conn = conns[i % CONNS]!;
    const r = recordMix(next);
    if (r < EVENT_SHARE) {
      const stream = r < EVENT_SHARE / 2 ? 'trip' : 'door';
      const messageId = conn.nextId;
      conn.nextId = conn.nextId === 65535 ? 1 : conn.nextId + 1;
      conn.sentAt.set(messageId, performance.now());
      qos1++;
      conn.out.push(mqttPacket.generate({ cmd: 'publish', topic: liftTopic(id, stream), payload: fillRecord(RECORD_TEMPLATES[stream], id, seq, ts), qos: 1, messageId, retain: false, dup: false }));
    } else {
      conn.out.push(mqttPacket.generate({ cmd: 'publish', topic: liftTopic(id, 'status'), payload: fillRecord(RECORD_TEMPLATES.status, id, seq, ts), qos: 0, retain: false, dup: false }));
    }
    sent++;
  }
  for (const c of conns) {
    if (c.out.length === 0) continue;
    c.socket.write(c.out.length === 1 ? c.out[0]! : Buffer.concat(c.out));
    c.out = [];
  }
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
steadyLatencies.sort((x, y) => x - y);
const pct = (p: number, of = latencies) => percentile(of, p) ?? null;
process.stdout.write(`${JSON.stringify({ sent, qos1, acked, errors, seconds: (performance.now() - started) / 1000, p50: pct(0.5), p99: pct(0.99), max: pct(1), samples: latencies.length, p99Steady: pct(0.99, steadyLatencies), worstBySecond: Array.from(worstBySecond, (v) => v ?? 0) })}\n`);
process.exit(0);
