// The scale-out run, as a library for the benchmark (bench/scale-out.ts) and its test
// (bench/test/scale-out.int.test.ts): separate processes, no containers.
//
//   loaders ──MQTT──▶ HAProxy (TCP, leastconn) ──▶ liftwatch node 1..N (--roles broker,ingest)
//                                                     │ rule state, broker cluster: Redis
//                                                     │ terminal registry, users:   PostgreSQL
//                                                     └ records:                     victoria-metrics
//
// Every record is published at QoS 1 with seq 1, 2, 3 … per lift; afterwards every stored record is
// read back from victoria-metrics and checked against what the loaders published: none missing, none
// twice, none that was never sent. With `killAtS`, node 1 is killed (SIGKILL) mid-run; its terminals
// reconnect through HAProxy to the other node and send again what was not acknowledged.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN, type RecordStream } from '@liftwatch/contract';
import { toLine } from '@liftwatch/ingest';
import { freePort, startHaproxy, startRedis, waitFor } from '@liftwatch/test-kit';
import { startPostgres, startVictoriaMetrics, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { scaleOutLiftId } from './lift-ids.js';

export interface ScaleOutOptions {
  readonly nodes: number;
  readonly lifts: number;
  /** Records a second offered by all loaders together. */
  readonly rate: number;
  readonly seconds: number;
  readonly loaders: number;
  /** MQTT connections per loader (each carries lifts/loaders/connections terminals). */
  readonly connections: number;
  /** Kill node 1 (SIGKILL) this many seconds after the loaders start. */
  readonly killAtS?: number;
  /**
   * Run victoria-metrics with InfluxDB's identity of a point (one sample per series and millisecond), as
   * a deployment should. Off by default here, so that a record stored twice shows as two samples.
   */
  readonly vmDedup?: boolean;
  /** A PostgreSQL server to make this run's database in; one is started (and stopped) otherwise. */
  readonly postgres?: RunningPostgres;
  readonly log?: (line: string) => void;
}

/** cpuS: the node's CPU seconds while the loaders ran (from their start to the last sample). */
export interface NodeFigures { stored: number; cpuS: number; rssMiB: number; killed: boolean }

export interface ScaleOutReport {
  nodes: number; lifts: number; offeredPerS: number; seconds: number;
  published: number; acked: number; unacked: number; resent: number; reconnects: number;
  /** Records stored per second by all nodes together, over the sending window (first 10 % left out). */
  storedPerS: number;
  /** Publish → PUBACK (stored) round trip of every record, ms. */
  p50Ms: number | null; p99Ms: number | null; maxMs: number | null;
  /** The same for records sent after the first quarter of the run (the first sight of every lift left out). */
  steadyP50Ms: number | null; steadyP99Ms: number | null;
  /** Found in victoria-metrics: distinct (lift, seq), and every sample. */
  storedDistinct: number; storedSamples: number;
  /** Published (seq 1…n of a lift) but not stored; stored more than once; stored but never published. */
  lost: number; doubled: number; unknown: number;
  /** Up to 20 of the lost records, `liftId#seq`, to look for. */
  lostExamples: string[];
  /**
   * Records stored twice that the terminal had NOT sent again. MQTT QoS 1 is at least once: a record a
   * node wrote just before it died, without its PUBACK, is sent again and written again by the other
   * node (InfluxDB, or victoria-metrics with -dedup.minScrapeInterval=1ms, keep it as one point). Any
   * other double would be liftwatch's fault, e.g. two nodes ingesting one message.
   */
  doubledNotResent: number;
  doubledExamples: string[];
  /** Store writes counted by the nodes: above storedDistinct when a record written by the killed node was sent again and written again (one point). */
  writes: number;
  perNode: NodeFigures[];
  /** With a kill: MQTT connections node 1 had just before, and the most the surviving nodes held together after it. */
  kill?: { atS: number; clientsOnKilled: number; clientsOnSurvivorsAfter: number; connections: number };
}

const root = new URL('../../', import.meta.url).pathname;

function cpuAndRss(pid: number): { cpuS: number; rssMiB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuS: (Number(stat[11]) + Number(stat[12])) / 100, rssMiB: Number(rss) / 1024 };
  } catch {
    return undefined;
  }
}

interface Node { child: ChildProcess; httpUrl: string; mqttPort: number; dataDir: string; killed: boolean; last: { cpuS: number; rssMiB: number }; stored: number; clients: number }

/** Reads the node's /metrics: records stored so far and MQTT clients connected now. */
async function storedBy(node: Node): Promise<number> {
  if (node.killed) return node.stored;
  const text = await (await fetch(`${node.httpUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  node.stored = Number(/^liftwatch_ingest_records_stored_total (\d+)/m.exec(text)?.[1] ?? node.stored);
  node.clients = Number(/^liftwatch_mqtt_clients (\d+)/m.exec(text)?.[1] ?? node.clients);
  return node.stored;
}

async function startNode(i: number, urls: { redis: string; state: string; vm: string }, children: Set<ChildProcess>, log: (l: string) => void): Promise<Node> {
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), `liftwatch-scale-node${i}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts',
    '--roles', 'broker,ingest', '--host', '127.0.0.1', '--mqtt-port', String(mqttPort), '--http-port', String(httpPort), '--data-dir', dataDir,
    '--redis-url', urls.redis, '--state-url', urls.state, '--telemetry', 'influxdb', '--influx-url', urls.vm, '--models', 'false',
    '--mqtt-allow-anonymous', 'true', '--mqtt-publishes-per-second', '1000000', '--mqtt-max-inflight', '65535', '--mqtt-connections-per-second', '100000',
    '--admin-password', 'scale-out-admin-pw',
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const keep = (b: Buffer) => { out = (out + b.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const node: Node = { child, httpUrl: `http://127.0.0.1:${httpPort}`, mqttPort, dataDir, killed: false, last: { cpuS: 0, rssMiB: 0 }, stored: 0, clients: 0 };
  await waitFor(`liftwatch node ${i} to start`, () => {
    if (child.exitCode !== null) throw new Error(`node ${i} exited (${child.exitCode}): ${out}`);
    return /liftwatch is running/.test(out);
  }, 60_000, 100);
  log(`node ${i}: MQTT 127.0.0.1:${mqttPort}, HTTP ${node.httpUrl}`);
  return node;
}

interface LoaderReport { sent: number; acked: number; unacked: number; resent: number; reconnects: number; p50: number | null; p99: number | null; max: number | null; steadyP50: number | null; steadyP99: number | null; first: number; published: number[]; resentKeys: string[] }

function runLoader(args: string[], children: Set<ChildProcess>): Promise<LoaderReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/scale-out/loader.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = ''; let err = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { err = (err + b.toString()).slice(-4000); });
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as LoaderReport);
      } catch {
        reject(new Error(`loader exited (${code}) without a report: ${err}`));
      }
    });
  });
}

/**
 * Creates every lift's series in victoria-metrics before the run: one record of seq 0 per lift and
 * stream, an hour old (left out of the check). Victoria-metrics keeps a series per field (about 87
 * per lift for status, trip and door) and makes new ones at some 60,000 a second here, so without
 * this a short run would measure the first sight of each series, not the nodes.
 */
async function warmSeries(vmUrl: string, lifts: number): Promise<void> {
  const streams: RecordStream[] = ['status', 'trip', 'door'];
  const at = Date.now() - 3_600_000;
  for (let first = 0; first < lifts; first += 1000) {
    const lines: string[] = [];
    for (let i = first; i < Math.min(lifts, first + 1000); i++) {
      const liftId = scaleOutLiftId(i);
      for (const stream of streams) lines.push(toLine({ liftId, stream, seq: 0, ts: at, rx: at, record: { ...GOLDEN[stream], liftId, seq: 0 } }));
    }
    const res = await fetch(`${vmUrl}/api/v2/write?precision=ms`, { method: 'POST', body: lines.join('\n') });
    if (!res.ok) throw new Error(`victoria-metrics refused the warm-up write: ${res.status} ${await res.text()}`);
  }
}

/** Every sample of the `seq` field of every lift's records, from victoria-metrics' export. */
async function readBack(vmUrl: string): Promise<Map<string, number[]>> {
  await fetch(`${vmUrl}/internal/force_flush`);
  const res = await fetch(`${vmUrl}/api/v1/export?${new URLSearchParams({ 'match[]': '{__name__=~"lift_(status|trip|door)_seq"}' })}`);
  if (!res.ok) throw new Error(`victoria-metrics export failed: ${res.status} ${await res.text()}`);
  const seqs = new Map<string, number[]>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '') continue;
    const s = JSON.parse(line) as { metric: { liftId: string }; values: number[] };
    const list = seqs.get(s.metric.liftId) ?? [];
    for (const v of s.values) if (v !== 0) list.push(v); // seq 0: the warm-up records
    seqs.set(s.metric.liftId, list);
  }
  return seqs;
}

/** One bounded run: start everything, load, (kill), drain, read back, stop everything. */
export async function runScaleOut(o: ScaleOutOptions): Promise<ScaleOutReport> {
  const log = o.log ?? (() => {});
  const children = new Set<ChildProcess>();
  const killAll = () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); };
  process.once('exit', killAll);
  const stops: Array<() => Promise<void>> = [];
  const nodes: Node[] = [];
  try {
    const redis = await startRedis();
    stops.push(redis.stop);
    const vm = await startVictoriaMetrics(undefined, undefined, o.vmDedup ? ['-dedup.minScrapeInterval=1ms'] : []);
    stops.push(() => vm.stop());
    const pg = o.postgres ?? await startPostgres();
    if (!o.postgres) stops.push(() => pg.stop());
    const warmStarted = performance.now();
    await warmSeries(vm.url, o.lifts);
    log(`victoria-metrics: series of ${o.lifts} lifts made in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`);
    const state = await pg.newDatabase(`scale_${o.nodes}_${Date.now() % 1_000_000}_${Math.floor(Math.random() * 1000)}`);
    for (let i = 1; i <= o.nodes; i++) nodes.push(await startNode(i, { redis: redis.url, state, vm: vm.url }, children, log));
    const lb = await startHaproxy(nodes.map((n) => n.mqttPort));
    stops.push(lb.stop);

    const per = Math.ceil(o.lifts / o.loaders);
    // CPU from here on: a node's start (compiling, migrations) is not the load's cost
    const cpuAtStart = nodes.map((n) => cpuAndRss(n.child.pid!)?.cpuS ?? 0);
    const loaders = Array.from({ length: o.loaders }, (_, k) => runLoader(['--url', lb.url, '--first', String(k * per), '--count', String(Math.min(per, o.lifts - k * per)),
      '--rate', String(o.rate / o.loaders), '--seconds', String(o.seconds), '--connections', String(o.connections), '--name', `load${k}`], children));

    // Stored records of all nodes, once a second; node 1 is killed on time.
    const t0 = performance.now();
    const samples: Array<{ t: number; stored: number }> = [];
    let killedAt: number | undefined;
    let storedByKilledAtKill = 0;
    let clientsOnKilled = 0;
    let clientsOnSurvivorsAfter = 0;
    let running = true;
    const sampler = (async () => {
      while (running) {
        await new Promise((r) => setTimeout(r, 1000));
        const t = (performance.now() - t0) / 1000;
        if (o.killAtS !== undefined && killedAt === undefined && t >= o.killAtS) {
          storedByKilledAtKill = await storedBy(nodes[0]!).catch(() => nodes[0]!.stored);
          clientsOnKilled = nodes[0]!.clients;
          nodes[0]!.child.kill('SIGKILL');
          nodes[0]!.killed = true;
          killedAt = t;
          log(`killed node 1 at ${t.toFixed(1)} s (it had stored ${storedByKilledAtKill})`);
        }
        for (const n of nodes) n.last = (n.killed ? undefined : cpuAndRss(n.child.pid!)) ?? n.last;
        const stored = (await Promise.all(nodes.map((n) => storedBy(n).catch(() => n.stored)))).reduce((x, y) => x + y, 0);
        samples.push({ t, stored });
        if (killedAt !== undefined) clientsOnSurvivorsAfter = Math.max(clientsOnSurvivorsAfter, nodes.filter((n) => !n.killed).reduce((x, n) => x + n.clients, 0));
      }
    })();
    const reports = await Promise.all(loaders);
    running = false;
    await sampler;

    const published = reports.reduce((n, r) => n + r.published.reduce((x, y) => x + y, 0), 0);
    const window = samples.filter((s) => s.t >= o.seconds * 0.1 && s.t <= o.seconds);
    const storedPerS = window.length >= 2 ? (window.at(-1)!.stored - window[0]!.stored) / (window.at(-1)!.t - window[0]!.t) : 0;

    // victoria-metrics makes the newest samples searchable a little later, even after a flush: read
    // until every published record is there or two reads a second apart agree.
    let found = await readBack(vm.url);
    const count = (m: Map<string, number[]>) => [...m.values()].reduce((n, v) => n + new Set(v).size, 0);
    for (let i = 0; i < 15 && count(found) < published; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const again = await readBack(vm.url);
      const same = count(again) === count(found);
      found = again;
      if (same && i >= 4) break;
    }
    let lost = 0; let doubled = 0; let unknown = 0; let storedDistinct = 0; let storedSamples = 0;
    const lostExamples: string[] = [];
    const doubledExamples: string[] = [];
    let doubledNotResent = 0;
    const resentKeys = new Set(reports.flatMap((r) => r.resentKeys));
    const expected = new Map<string, number>();
    for (const r of reports) r.published.forEach((n, i) => expected.set(scaleOutLiftId(r.first + i), n));
    for (const [liftId, seqs] of found) {
      const n = expected.get(liftId) ?? 0;
      const distinct = new Set(seqs);
      storedSamples += seqs.length;
      storedDistinct += distinct.size;
      doubled += seqs.length - distinct.size;
      if (seqs.length > distinct.size) {
        const seen = new Set<number>();
        for (const q of seqs) {
          if (!seen.has(q)) { seen.add(q); continue; }
          const key = `${liftId}#${q}`;
          if (!resentKeys.has(key)) doubledNotResent++;
          if (doubledExamples.length < 20) doubledExamples.push(key);
        }
      }
      for (const s of distinct) if (!(Number.isInteger(s) && s >= 1 && s <= n)) unknown++;
    }
    for (const [liftId, n] of expected) {
      const distinct = new Set(found.get(liftId) ?? []);
      for (let s = 1; s <= n; s++) {
        if (distinct.has(s)) continue;
        if (lost++ < 20) lostExamples.push(`${liftId}#${s}`);
      }
    }
    const writes = (await Promise.all(nodes.map((n) => storedBy(n).catch(() => n.stored)))).reduce((x, y) => x + y, 0);
    const lat = reports.filter((r) => r.p99 !== null);
    // The worst loader's percentile (the loaders carry equal shares).
    const worst = (k: 'p50' | 'p99' | 'max' | 'steadyP50' | 'steadyP99') => (lat.length ? Math.max(...lat.map((r) => r[k]!)) : null);
    const report: ScaleOutReport = {
      nodes: o.nodes, lifts: o.lifts, offeredPerS: o.rate, seconds: o.seconds,
      published, acked: reports.reduce((n, r) => n + r.acked, 0), unacked: reports.reduce((n, r) => n + r.unacked, 0),
      resent: reports.reduce((n, r) => n + r.resent, 0), reconnects: reports.reduce((n, r) => n + r.reconnects, 0),
      storedPerS, p50Ms: worst('p50'), p99Ms: worst('p99'), maxMs: worst('max'), steadyP50Ms: worst('steadyP50'), steadyP99Ms: worst('steadyP99'),
      storedDistinct, storedSamples, lost, doubled, unknown, lostExamples, doubledNotResent, doubledExamples, writes,
      perNode: nodes.map((n, i) => ({ stored: n.stored, cpuS: n.last.cpuS - cpuAtStart[i]!, rssMiB: n.last.rssMiB, killed: n.killed })),
    };
    if (killedAt !== undefined) report.kill = { atS: killedAt, clientsOnKilled, clientsOnSurvivorsAfter, connections: o.loaders * o.connections };
    return report;
  } finally {
    killAll();
    for (const n of nodes) rmSync(n.dataDir, { recursive: true, force: true });
    for (const stop of stops.reverse()) await stop().catch(() => {});
    process.off('exit', killAll);
  }
}
