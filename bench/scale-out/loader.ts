// A loader process for bench/scale-out.ts: many simulated terminals behind a few MQTT connections,
// every record at QoS 1, and like a real terminal it keeps what is not yet acknowledged and sends it
// again after a reconnect (with the DUP flag). A lift's records have seq 1, 2, 3 … and strictly
// increasing timestamps, so the run can be checked record by record afterwards: every seq from 1 to
// `published` must be stored exactly once.
//
// Speaks MQTT 3.1.1 with mqtt-packet (the codec of MQTT.js and aedes) to stay light on the two cores
// it shares with the nodes it measures. Prints one JSON report on stdout when done.
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import mqttPacket from 'mqtt-packet';
import { liftTopic } from '@liftwatch/contract';
import { percentile } from '../figures.js';
import { fillRecord, paced, RECORD_TEMPLATES, recordMix } from '../paced.js';
import { scaleOutLiftId } from './lift-ids.js';

const { values: a } = parseArgs({ options: {
  url: { type: 'string' }, first: { type: 'string' }, count: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' },
  connections: { type: 'string', default: '20' }, name: { type: 'string', default: 'L' }, drain: { type: 'string', default: '60' },
} });
const FIRST = Number(a.first); const COUNT = Number(a.count); const RATE = Number(a.rate); const SECONDS = Number(a.seconds); const CONNS = Number(a.connections);
const url = new URL(a.url!);
const host = url.hostname.replace(/^\[|\]$/g, '');

const published = new Uint32Array(COUNT);
const lastTs = new Float64Array(COUNT);
const EVENT_SHARE = 0.1;

interface Pending { topic: string; payload: string; t0: number; key: string }
interface Conn {
  k: number; socket: Socket | undefined; up: boolean; nextId: number;
  /** Sent (or to be sent) and not acknowledged, in send order: what a terminal keeps for a reconnect. */
  inflight: Map<number, Pending>;
  out: Buffer[];
}
let acked = 0; let resent = 0; let reconnects = 0; let refused = 0;
/** `liftId#seq` of every record sent again after a reconnect (bounded): the only ones that may be stored twice. */
const resentKeys: string[] = [];
const latencies: number[] = [];
/** Round trips of the records sent after the first quarter of the run: the first sight of every lift left out. */
const steady: number[] = [];
let steadyFrom = Infinity;

function dial(c: Conn): void {
  const socket = connect({ host, port: Number(url.port), noDelay: true });
  c.socket = socket;
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', (p) => {
    if (p.cmd === 'connack') {
      if (p.returnCode !== 0) { refused++; socket.destroy(); return; }
      c.up = true;
      // Everything not acknowledged goes again, oldest first, marked DUP [MQTT-3.3.1-1].
      const again: Buffer[] = [];
      for (const [messageId, m] of c.inflight) {
        again.push(mqttPacket.generate({ cmd: 'publish', topic: m.topic, payload: m.payload, qos: 1, messageId, retain: false, dup: true }));
        if (resent++ < 200_000) resentKeys.push(m.key);
      }
      if (again.length > 0) socket.write(Buffer.concat(again));
    } else if (p.cmd === 'puback') {
      const m = c.inflight.get(p.messageId!);
      if (m) {
        c.inflight.delete(p.messageId!);
        acked++;
        if (latencies.length < 500_000) latencies.push(performance.now() - m.t0);
        if (m.t0 >= steadyFrom && steady.length < 500_000) steady.push(performance.now() - m.t0);
      }
    }
  });
  socket.on('data', (b) => parser.parse(b));
  socket.on('error', () => {});
  socket.on('close', () => {
    const wasUp = c.up;
    c.up = false;
    c.out = []; // their messages are in `inflight` and go again after the reconnect
    if (stopping) return;
    if (wasUp) reconnects++;
    setTimeout(() => dial(c), 100 + Math.random() * 400);
  });
  socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30, clientId: `${a.name}-${c.k}` }));
}

let stopping = false;
const conns: Conn[] = Array.from({ length: CONNS }, (_, k) => ({ k, socket: undefined, up: false, nextId: 1, inflight: new Map(), out: [] }));
for (const c of conns) dial(c);
const connectBy = performance.now() + 30_000;
while (conns.some((c) => !c.up)) {
  if (performance.now() > connectBy) throw new Error(`only ${conns.filter((c) => c.up).length} of ${CONNS} connections up after 30 s`);
  await new Promise((r) => setTimeout(r, 50));
}

const started = performance.now();
const deadline = started + SECONDS * 1000;
steadyFrom = started + SECONDS * 250;
let next = 0;
let sent = 0;
await paced(RATE, deadline, (n) => {
  const now = Date.now();
  for (let j = 0; j < n; j++) {
    const i = next++ % COUNT;
    const id = scaleOutLiftId(FIRST + i);
    const seq = ++published[i]!;
    const ts = (lastTs[i] = Math.max(now, lastTs[i]! + 1));
    const r = recordMix(next);
    const stream = r < EVENT_SHARE / 2 ? 'trip' : r < EVENT_SHARE ? 'door' : 'status';
    const c = conns[i % CONNS]!;
    let messageId = c.nextId;
    while (c.inflight.has(messageId)) messageId = messageId === 65535 ? 1 : messageId + 1; // still waiting for its PUBACK
    c.nextId = messageId === 65535 ? 1 : messageId + 1;
    const m: Pending = { topic: liftTopic(id, stream), payload: fillRecord(RECORD_TEMPLATES[stream], id, seq, ts), t0: performance.now(), key: `${id}#${seq}` };
    c.inflight.set(messageId, m);
    if (c.up) c.out.push(mqttPacket.generate({ cmd: 'publish', topic: m.topic, payload: m.payload, qos: 1, messageId, retain: false, dup: false }));
    sent++;
  }
  for (const c of conns) {
    if (c.out.length === 0 || !c.up) continue;
    c.socket!.write(c.out.length === 1 ? c.out[0]! : Buffer.concat(c.out));
    c.out = [];
  }
});
const sendSeconds = (performance.now() - started) / 1000;
// Wait (bounded) until every record is acknowledged, across reconnects.
const drainUntil = performance.now() + Number(a.drain) * 1000;
while (performance.now() < drainUntil && conns.some((c) => c.inflight.size > 0)) await new Promise((r) => setTimeout(r, 100));
stopping = true;
const unacked = conns.reduce((n, c) => n + c.inflight.size, 0);
for (const c of conns) if (c.socket && !c.socket.destroyed) c.socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
latencies.sort((x, y) => x - y);
steady.sort((x, y) => x - y);
const pct = (p: number, of = latencies) => percentile(of, p) ?? null;
process.stdout.write(`${JSON.stringify({
  sent, acked, unacked, resent, reconnects, refused, sendSeconds, seconds: (performance.now() - started) / 1000,
  p50: pct(0.5), p99: pct(0.99), max: pct(1), steadyP50: pct(0.5, steady), steadyP99: pct(0.99, steady), first: FIRST, published: Array.from(published), resentKeys,
})}\n`, () => process.exit(0)); // a large report: exit once the pipe has taken it
