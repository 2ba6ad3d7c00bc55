// Benchmark: the liftwatch broker (authentication, ACLs, limits; ingest replaced by a no-op) side by side,
// in the same run, with bare aedes (no hooks) and Debian's Mosquitto 2. Each broker runs in its own
// process; this process is the load generator. Loopback only, bounded in count and time.
//
//   npx tsx bench/broker-throughput.ts [--terminals 1000] [--per-terminal 20] [--idle 10000] [--rtt-seconds 3]
//
// 1. messages/s in: `terminals` mqtt.js terminals each publish `per-terminal` messages as fast as they
//    can, at QoS 0 and QoS 1, with 200 B and 2 KB payloads. "In" ends at the last PUBACK; at QoS 0 each
//    terminal ends with one QoS 1 message, whose PUBACK means the broker has read all before it (TCP order).
//    One untimed warm-up pass first.
// 2. QoS 1 round trip (publish → PUBACK) at a paced 1,000 messages/s from 10 terminals: p50 and p99.
// 3. memory per idle connected terminal: RSS of the broker process before and after `idle` raw MQTT
//    connections (CONNECT → CONNACK accepted), divided by `idle`.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { percentile } from './figures.js';

const { values } = parseArgs({ options: {
  terminals: { type: 'string', default: '1000' }, 'per-terminal': { type: 'string', default: '20' },
  idle: { type: 'string', default: '10000' }, 'rtt-seconds': { type: 'string', default: '3' },
} });
const TERMINALS = Number(values.terminals);
const PER = Number(values['per-terminal']);
const IDLE = Number(values.idle);
const RTT_S = Number(values['rtt-seconds']);
const DEADLINE_MS = 600_000;
/** Targets (docs/architecture.md#targets): ≥ 0.8 × bare aedes, ≥ 1.0 × Mosquitto; QoS 1 round trip p99 ≤ 2 ms at 1,000 messages/s. */
const TARGET = { vsAedes: 0.8, vsMosquitto: 1.0, rttP99Ms: 2 };

const root = new URL('../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'liftwatch-bench-brokers-'));
const children = new Set<ChildProcess>();
const killer = setTimeout(() => {
  console.error('benchmark deadline reached');
  for (const c of children) c.kill('SIGKILL');
  process.exit(2);
}, DEADLINE_MS);

type Kind = 'liftwatch' | 'aedes' | 'mosquitto';
interface Node { kind: Kind; port: number; pid: number; tokens: Record<string, string>; stop(): Promise<void> }

async function startNode(kind: Kind, terminals: number): Promise<Node> {
  const tokensFile = join(work, `tokens-${kind}-${terminals}.json`);
  let proc: ChildProcess;
  let port: number;
  if (kind === 'mosquitto') {
    port = 20000 + Math.floor(Math.random() * 10000);
    const conf = join(work, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nmax_connections -1\nset_tcp_nodelay true\n`);
    proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = tcpConnect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
        s.on('error', () => resolve(false));
      });
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } else {
    proc = spawn(process.execPath, ['--import', 'tsx', 'bench/broker-node.ts', kind, String(terminals), tokensFile], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc.once('exit', (code) => reject(new Error(`${kind} broker exited with ${code}`)));
    });
  }
  children.add(proc);
  const tokens = kind === 'liftwatch' ? JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string> : {};
  return {
    kind, port, pid: proc.pid!, tokens,
    stop: () => new Promise<void>((resolve) => {
      children.delete(proc);
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const creds = (node: Node, i: number) => {
  const clientId = `T-B-${i}`;
  const password = node.tokens[clientId];
  return password ? { clientId, username: clientId, password } : { clientId };
};
const topic = (i: number) => `lift/v1/B-${i}/status`;

async function connectAll(node: Node, n: number): Promise<MqttClient[]> {
  const out: MqttClient[] = [];
  for (let i = 0; i < n; i += 100) {
    out.push(...await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => mqtt.connectAsync(`mqtt://127.0.0.1:${node.port}`, { ...creds(node, i + k), protocolVersion: 4, reconnectPeriod: 0, keepalive: 600 }))));
  }
  return out;
}

async function messagesIn(clients: MqttClient[], qos: 0 | 1, bytes: number): Promise<number> {
  const payload = Buffer.alloc(bytes, 0x61);
  const t0 = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    const sends: Array<Promise<unknown>> = [];
    for (let k = 0; k < PER; k++) sends.push(c.publishAsync(topic(i), payload, { qos }));
    if (qos === 0) sends.push(c.publishAsync(topic(i), payload, { qos: 1 })); // its PUBACK: all before it were read
    await Promise.all(sends);
  }));
  const s = (performance.now() - t0) / 1000;
  return (clients.length * (PER + (qos === 0 ? 1 : 0))) / s;
}

async function roundTrip(clients: MqttClient[]): Promise<{ p50: number; p99: number; n: number }> {
  const pubs = clients.slice(0, 10);
  const payload = Buffer.alloc(200, 0x61);
  const times: number[] = [];
  const waits: Array<Promise<void>> = [];
  const t0 = performance.now();
  const total = RTT_S * 1000;
  for (let k = 0; k < total; k++) {
    const due = t0 + k; // one message a millisecond: 1,000 messages/s
    const now = performance.now();
    if (due > now) await new Promise((r) => setTimeout(r, Math.max(0, due - now)));
    const t = performance.now();
    waits.push(pubs[k % pubs.length]!.publishAsync(topic(k % pubs.length), payload, { qos: 1 }).then(() => { times.push(performance.now() - t); }));
  }
  await Promise.all(waits);
  times.sort((a, b) => a - b);
  const pct = (p: number) => percentile(times, p) ?? NaN;
  return { p50: pct(0.5), p99: pct(0.99), n: times.length };
}

async function idleMemory(node: Node, n: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 500));
  const before = rssKiB(node.pid);
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, k) => new Promise<void>((resolve, reject) => {
      const c = creds(node, i + k);
      const s = tcpConnect(node.port, '127.0.0.1', () => s.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 600, clientId: c.clientId, ...('password' in c ? { username: c.username, password: Buffer.from(c.password!) } : {}) })));
      s.once('data', (d: Buffer) => (d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error(`CONNACK refused for ${c.clientId}: ${d.toString('hex')}`))));
      s.on('error', reject);
      sockets.push(s);
    })));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = rssKiB(node.pid);
  for (const s of sockets) s.destroy();
  return ((after - before) * 1024) / n;
}

const results: Record<Kind, { in: Record<string, number>; rtt: { p50: number; p99: number; n: number }; bytesPerIdle: number }> = {} as never;
for (const kind of ['liftwatch', 'aedes', 'mosquitto'] as const) {
  console.log(`\n== ${kind}`);
  const node = await startNode(kind, TERMINALS);
  const clients = await connectAll(node, TERMINALS);
  const rates: Record<string, number> = {};
  await messagesIn(clients, 1, 200); // warm-up, not counted: the JIT and the sockets' buffers
  for (const qos of [0, 1] as const) {
    for (const bytes of [200, 2048]) {
      rates[`QoS ${qos}, ${bytes} B`] = await messagesIn(clients, qos, bytes);
      console.log(`  in, QoS ${qos}, ${bytes} B: ${Math.round(rates[`QoS ${qos}, ${bytes} B`]!)} messages/s`);
    }
  }
  const rtt = await roundTrip(clients);
  console.log(`  QoS 1 round trip at 1,000/s: p50 ${rtt.p50.toFixed(2)} ms, p99 ${rtt.p99.toFixed(2)} ms (${rtt.n} samples)`);
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await node.stop();

  const idleNode = await startNode(kind, IDLE);
  const bytesPerIdle = await idleMemory(idleNode, IDLE);
  console.log(`  memory per idle connected terminal (${IDLE}): ${(bytesPerIdle / 1024).toFixed(1)} KiB`);
  await idleNode.stop();
  results[kind] = { in: rates, rtt, bytesPerIdle };
}
clearTimeout(killer);
rmSync(work, { recursive: true, force: true });

const command = `npx tsx bench/broker-throughput.ts --terminals ${TERMINALS} --per-terminal ${PER} --idle ${IDLE} --rtt-seconds ${RTT_S}`;
const date = new Date().toISOString();
const rows: Array<{ metric: string; unit: string; value: number; reference: number; ratio: number; command: string; date: string }> = [];
const lw = results.liftwatch;
for (const key of Object.keys(lw.in)) {
  const v = Math.round(lw.in[key]!);
  const a = Math.round(results.aedes.in[key]!);
  const m = Math.round(results.mosquitto.in[key]!);
  rows.push({ metric: `messages/s in, ${key}, ${TERMINALS} terminals, vs bare aedes (target ≥ ${TARGET.vsAedes}×)`, unit: 'messages/s', value: v, reference: a, ratio: +(v / a).toFixed(3), command, date });
  rows.push({ metric: `messages/s in, ${key}, ${TERMINALS} terminals, vs Mosquitto (target ≥ ${TARGET.vsMosquitto}×)`, unit: 'messages/s', value: v, reference: m, ratio: +(v / m).toFixed(3), command, date });
}
rows.push({ metric: 'QoS 1 round trip p99 at 1,000 messages/s (target ≤ 2 ms)', unit: 'ms', value: +lw.rtt.p99.toFixed(2), reference: TARGET.rttP99Ms, ratio: +(lw.rtt.p99 / TARGET.rttP99Ms).toFixed(3), command, date });
rows.push({ metric: 'QoS 1 round trip p99 at 1,000 messages/s, bare aedes beside it', unit: 'ms', value: +results.aedes.rtt.p99.toFixed(2), reference: TARGET.rttP99Ms, ratio: +(results.aedes.rtt.p99 / TARGET.rttP99Ms).toFixed(3), command, date });
rows.push({ metric: 'QoS 1 round trip p99 at 1,000 messages/s, Mosquitto beside it', unit: 'ms', value: +results.mosquitto.rtt.p99.toFixed(2), reference: TARGET.rttP99Ms, ratio: +(results.mosquitto.rtt.p99 / TARGET.rttP99Ms).toFixed(3), command, date });
rows.push({ metric: `memory per idle connected terminal (${IDLE}), vs bare aedes`, unit: 'KiB', value: +(lw.bytesPerIdle / 1024).toFixed(1), reference: +(results.aedes.bytesPerIdle / 1024).toFixed(1), ratio: +(lw.bytesPerIdle / results.aedes.bytesPerIdle).toFixed(3), command, date });
rows.push({ metric: `memory per idle connected terminal (${IDLE}), vs Mosquitto`, unit: 'KiB', value: +(lw.bytesPerIdle / 1024).toFixed(1), reference: +(results.mosquitto.bytesPerIdle / 1024).toFixed(1), ratio: +(lw.bytesPerIdle / results.mosquitto.bytesPerIdle).toFixed(3), command, date });

console.log(`\n${'metric'.padEnd(96)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of rows) console.log(`${r.metric.padEnd(96)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, shared with other developers' tests`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/broker-throughput.json'), `${JSON.stringify(rows, null, 2)}\n`);
const q = (k: string) => `${Math.round(lw.in[k]!)}/s (${(lw.in[k]! / results.aedes.in[k]!).toFixed(2)}× aedes, ${(lw.in[k]! / results.mosquitto.in[k]!).toFixed(2)}× Mosquitto)`;
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | broker in: QoS 0 200 B ${q('QoS 0, 200 B')}; QoS 0 2 KB ${q('QoS 0, 2048 B')}; QoS 1 200 B ${q('QoS 1, 200 B')}; QoS 1 2 KB ${q('QoS 1, 2048 B')}; ${(lw.bytesPerIdle / 1024).toFixed(1)} KiB per idle terminal (aedes ${(results.aedes.bytesPerIdle / 1024).toFixed(1)}, Mosquitto ${(results.mosquitto.bytesPerIdle / 1024).toFixed(1)}) | QoS 1 round trip at 1,000/s: p50 ${lw.rtt.p50.toFixed(2)} ms, p99 ${lw.rtt.p99.toFixed(2)} ms (aedes p99 ${results.aedes.rtt.p99.toFixed(2)}, Mosquitto p99 ${results.mosquitto.rtt.p99.toFixed(2)}) | ${machine} |\n`);
process.exit(0);
