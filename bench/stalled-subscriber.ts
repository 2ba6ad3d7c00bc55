// Benchmark: resident memory of the liftwatch broker while a service account subscribed to lift/# stops
// reading, under a steady flood of terminal messages. Before the subscriber backlog was bounded, RSS
// went from 268 MB to 2.6 GB in 25 s and the process died when that subscriber went away. The broker
// runs in its own process (default limits; ingest is a no-op); this process publishes, runs a healthy
// subscriber beside the stalled one, and samples the broker's RSS once a second. A stalled subscriber
// that the broker disconnects comes back and stalls again, so the pressure lasts the whole run; at the
// end the stalled subscriber drops its connection itself and the broker must still answer.
//
//   npx tsx bench/stalled-subscriber.ts [--terminals 100] [--rate 5000] [--payload 2048] [--seconds 60]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import Database from 'better-sqlite3';
import { createBroker, createTerminalRegistry, DEFAULT_LIMITS } from '@liftwatch/broker';

const root = new URL('../', import.meta.url).pathname;
/** The figure before the bound: 2.6 GB after 25 s with one stalled subscriber. */
const REFERENCE_PEAK_MIB = 2600;

if (process.argv[2] === 'broker') {
  const db = new Database(':memory:');
  const registry = createTerminalRegistry(db);
  const terminals = await registry.addMany(Array.from({ length: Number(process.argv[3]) }, (_, i) => ({ liftId: `S-${i}` })));
  const accounts = await Promise.all(['svc-stalled', 'svc-healthy'].map((terminalId) => registry.add({ role: 'ingest', terminalId })));
  writeFileSync(process.argv[4]!, JSON.stringify(Object.fromEntries([...terminals, ...accounts].map((t) => [t.terminal.terminalId, t.token]))));
  const broker = createBroker({ host: '127.0.0.1', port: 0, limits: { connectionsPerSecondPerAddress: 1_000_000 } }, { registry, onPublish: async () => {}, log: (l) => console.log(l) });
  console.log(`READY ${(await broker.start()).port}`);
  setInterval(() => console.log(`METRICS ${JSON.stringify(broker.metrics())}`), 1000).unref();
} else {
  await run();
}

async function run(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: {
    terminals: { type: 'string', default: '100' }, rate: { type: 'string', default: '5000' },
    payload: { type: 'string', default: '2048' }, seconds: { type: 'string', default: '60' },
  } });
  const [terminals, rate, payloadBytes, seconds] = [values.terminals, values.rate, values.payload, values.seconds].map(Number) as [number, number, number, number];
  const command = `npx tsx bench/stalled-subscriber.ts --terminals ${terminals} --rate ${rate} --payload ${payloadBytes} --seconds ${seconds}`;
  const tokensFile = join(mkdtempSync(join(tmpdir(), 'liftwatch-bench-stalled-')), 'tokens.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/stalled-subscriber.ts', 'broker', String(terminals), tokensFile], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const killer = setTimeout(() => { child.kill('SIGKILL'); process.exit(2); }, (seconds + 120) * 1000);
  let metrics: { outgoingDropped: number; disconnectedForLimit: Record<string, number> } = { outgoingDropped: 0, disconnectedForLimit: {} };
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out = (out + c.toString()).split('\n').slice(-50).join('\n');
      const ready = /READY (\d+)/.exec(out);
      if (ready) resolve(Number(ready[1]));
      for (const m of out.matchAll(/^METRICS (.*)$/gm)) metrics = JSON.parse(m[1]!) as typeof metrics;
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
  const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>;
  const url = `mqtt://127.0.0.1:${port}`;
  const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  const login = (id: string) => ({ clientId: id, username: id, password: tokens[id]!, protocolVersion: 4 as const, reconnectPeriod: 0 });

  const healthy = await mqtt.connectAsync(url, login('svc-healthy'));
  let delivered = 0;
  healthy.on('message', () => void delivered++);
  await healthy.subscribeAsync('lift/#', { qos: 0 });
  const publishers: MqttClient[] = [];
  for (let i = 0; i < terminals; i += 50) publishers.push(...await Promise.all(Array.from({ length: Math.min(50, terminals - i) }, (_, k) => mqtt.connectAsync(url, { ...login(`T-S-${i + k}`), keepalive: 600 }))));
  const rssBefore = rssMiB();

  let stalled = await stallOnce(port, tokens['svc-stalled']!);
  let comebacks = 0;
  const payload = Buffer.alloc(payloadBytes, 0x61);
  let published = 0;
  const tick = setInterval(() => { // rate/20 messages every 50 ms, spread over the terminals
    for (let k = 0; k < rate / 20; k++, published++) publishers[published % terminals]!.publish(`lift/v1/S-${published % terminals}/status`, payload, { qos: 0 });
  }, 50);
  const samples: number[] = [];
  const t0 = Date.now();
  for (let s = 1; s <= seconds; s++) {
    await new Promise((r) => setTimeout(r, t0 + s * 1000 - Date.now()));
    samples.push(rssMiB());
    const cuts = Object.values(metrics.disconnectedForLimit).reduce((a, b) => a + b, 0);
    if (cuts > comebacks) { // the broker cut it (it cannot tell, it reads nothing): it comes back and stalls again
      stalled.destroy();
      stalled = await stallOnce(port, tokens['svc-stalled']!);
      comebacks = cuts;
    }
    if (s % 10 === 0) console.log(`${s} s: broker RSS ${samples.at(-1)!.toFixed(0)} MiB, published ${published}, healthy subscriber got ${delivered}, stalled subscriber came back ${comebacks} times`);
  }
  clearInterval(tick);
  stalled.destroy(); // the stalled subscriber goes away by itself
  await new Promise((r) => setTimeout(r, 2000));
  const deliveredBefore = delivered; // the probe below is delivered too
  const probe = await mqtt.connectAsync(url, login('T-S-0')).then(async (c) => { await c.publishAsync('lift/v1/S-0/status', 'alive', { qos: 1 }); await c.endAsync(); return 1; }, () => 0);
  const half = samples.slice(Math.floor(samples.length / 2));
  const growth = half.at(-1)! - half[0]!;
  const peak = Math.max(...samples);
  const boundMiB = DEFAULT_LIMITS.maxOutgoingBytesPerClient / 2 ** 20;
  const date = new Date().toISOString();
  const rows = [
    { metric: `broker RSS growth over the second half of ${seconds} s with a stalled lift/# subscriber (${rate} messages/s of ${payloadBytes} B), vs its byte bound`, unit: 'MiB', value: +growth.toFixed(1), reference: boundMiB, ratio: +(growth / boundMiB).toFixed(3) },
    { metric: `broker peak RSS (before the stall ${rssBefore.toFixed(0)} MiB), vs 2.6 GB before the bound`, unit: 'MiB', value: +peak.toFixed(1), reference: REFERENCE_PEAK_MIB, ratio: +(peak / REFERENCE_PEAK_MIB).toFixed(3) },
    { metric: 'messages at the healthy subscriber, vs messages published', unit: 'messages', value: deliveredBefore, reference: published, ratio: +(deliveredBefore / published).toFixed(3) },
    { metric: `broker answers after the stalled subscriber left (QoS 0 dropped for it: ${metrics.outgoingDropped}; disconnected at the bound ${Object.values(metrics.disconnectedForLimit).reduce((a, b) => a + b, 0)} times)`, unit: '1 = yes', value: probe, reference: 1, ratio: probe },
  ].map((r) => ({ ...r, command, date }));
  console.log(`\n${'metric'.padEnd(130)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
  for (const r of rows) console.log(`${r.metric.padEnd(130)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`;
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/stalled-subscriber.json'), `${JSON.stringify(rows, null, 2)}\n`);
  appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | stalled lift/# subscriber: broker RSS ${rssBefore.toFixed(0)} → peak ${peak.toFixed(0)} MiB (reference 2600 before the bound), second-half growth ${growth.toFixed(1)} MiB (bound ${boundMiB} MiB); healthy subscriber got ${deliveredBefore} of ${published}; broker alive after it left: ${probe ? 'yes' : 'no'} | – | ${machine} |\n`);
  clearTimeout(killer);
  for (const p of [...publishers, healthy]) p.end(true);
  child.kill('SIGTERM');
  process.exit(0);
}

/** The stalled service account: CONNECT, SUBSCRIBE lift/# at QoS 0, read the answers, then never read again. */
async function stallOnce(port: number, token: string): Promise<Socket> {
  const s = tcpConnect(port, '127.0.0.1');
  s.on('error', () => {});
  s.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'svc-stalled', username: 'svc-stalled', password: Buffer.from(token), keepalive: 600, clean: true }));
  s.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'lift/#', qos: 0 }] }));
  await new Promise<void>((resolve) => {
    let got = 0;
    const onData = (d: Buffer) => {
      got += d.length;
      if (got < 9) return; // CONNACK (4) and SUBACK (5)
      s.removeListener('data', onData);
      s.pause();
      resolve();
    };
    s.on('data', onData);
  });
  return s;
}
