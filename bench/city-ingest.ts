// Benchmark: can one 2-core node carry a city? Loader processes publish realistic records (status
// snapshots at QoS 0, trips and door cycles at QoS 1) for 150,000 distinct lifts over MQTT to the
// all-in-one process (SQLite), paced at a target rate, and we measure the records it stores per
// second, the publish → stored round trip of QoS 1 records (PUBACK waits for the commit), and the
// server's CPU and resident memory. The same load then goes to a reference pipeline made of the same
// parts without liftwatch's logic (bench/reference-pipeline.ts). Bounded in time; loopback only.
//
//   npx tsx bench/city-ingest.ts [--lifts 150000] [--rate 30000] [--seconds 30] [--loaders 2] [--profile]
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { waitLine } from './processes.js';

const { values: a } = parseArgs({ options: {
  lifts: { type: 'string', default: '150000' }, rate: { type: 'string', default: '30000' }, seconds: { type: 'string', default: '30' },
  loaders: { type: 'string', default: '2' }, connections: { type: 'string', default: '100' }, profile: { type: 'boolean', default: false }, only: { type: 'string', default: 'both' },
  models: { type: 'string', default: 'true' }, 'profile-dir': { type: 'string', default: '' },
} });
const LIFTS = Number(a.lifts); const RATE = Number(a.rate); const SECONDS = Number(a.seconds); const LOADERS = Number(a.loaders); const CONNECTIONS = Number(a.connections);
const root = new URL('../', import.meta.url).pathname;
const TARGET = { recordsPerS: 30_000, p99Ms: 1_000, rssMiB: 2_048 };
/** Every child process, so that a deadline or a crash never leaves a server or loader running. */
const children = new Set<ChildProcess>();
const killAll = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); };
process.on('exit', killAll);
const hardStop = setTimeout(() => { console.error('benchmark deadline reached'); killAll(); process.exit(2); }, (SECONDS * 3 + 300) * 1000);

interface Sample { t: number; cpuS: number; rssMiB: number }
function sampleProcess(pid: number): Sample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { t: performance.now(), cpuS: ticks / 100, rssMiB: Number(rss) / 1024 };
  } catch { return undefined; }
}

async function run(kind: 'liftwatch' | 'reference') {
  const dataDir = mkdtempSync(join(tmpdir(), `liftwatch-city-${kind}-`));
  const profDir = a['profile-dir'] ? join(a['profile-dir'], kind) : join(dataDir, 'prof');
  const args = kind === 'liftwatch'
    ? [...(a.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', 'tsx', 'server/src/main.ts', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dataDir, '--mqtt-allow-anonymous', 'true', '--mqtt-publishes-per-second', '1000000', '--mqtt-max-inflight', '65535', '--mqtt-connections-per-second', '100000', '--models', a.models]
    : ['--import', 'tsx', 'bench/reference-pipeline.ts', '--data-dir', dataDir];
  const server = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(server);
  const m = kind === 'liftwatch' ? await waitLine(server, /web (http:\S+)\s+MQTT (mqtt:\S+)/) : await waitLine(server, /READY (mqtt:\S+) (http:\S+)/);
  const [mqttUrl, httpUrl] = kind === 'liftwatch' ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
  const stored = async (): Promise<number> => {
    if (kind === 'reference') return ((await (await fetch(`${httpUrl}/count`)).json()) as { stored: number }).stored;
    const text = await (await fetch(`${httpUrl}/metrics`)).text();
    return Number(/^liftwatch_ingest_records_stored_total (\d+)/m.exec(text)?.[1] ?? 0);
  };

  const samples: Sample[] = [];
  const sampler = setInterval(() => { const s = sampleProcess(server.pid!); if (s) samples.push(s); }, 500);
  const per = Math.ceil(LIFTS / LOADERS);
  const loaders = Array.from({ length: LOADERS }, (_, i) => spawn(process.execPath, ['--import', 'tsx', 'bench/city-loader.ts',
    '--url', mqttUrl, '--first', String(1 + i * per), '--count', String(Math.min(per, LIFTS - i * per)), '--rate', String(RATE / LOADERS),
    '--seconds', String(SECONDS), '--connections', String(CONNECTIONS), '--name', `${kind}-L${i}`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }));
  for (const l of loaders) children.add(l);
  const loaderSamples: Sample[][] = loaders.map(() => []);
  const loaderSampler = setInterval(() => loaders.forEach((l, i) => { const s = sampleProcess(l.pid!); if (s) loaderSamples[i]!.push(s); }), 500);
  const reports = loaders.map((l) => waitLine(l, /^(\{.*\})$/m, 'loader').then((r) => JSON.parse(r[1]!) as { sent: number; acked: number; errors: number; p50: number; p99: number; max: number }));

  // Stored rate over the steady middle of the run (after a 5 s warm-up).
  await new Promise((r) => setTimeout(r, 5_000));
  const c0 = await stored(); const t0 = performance.now();
  await new Promise((r) => setTimeout(r, (SECONDS - 7) * 1000));
  const c1 = await stored(); const t1 = performance.now();
  const results = await Promise.all(reports);
  console.log(`${kind}: loaders reported ${JSON.stringify(results)}`);
  let last = await stored();
  for (let i = 0; i < 40; i++) { await new Promise((r) => setTimeout(r, 250)); const n = await stored(); if (n === last) break; last = n; }
  clearInterval(sampler);
  clearInterval(loaderSampler);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));

  const window = samples.filter((s) => s.t >= t0 && s.t <= t1);
  const coresOf = (w: Sample[]) => (w.length > 1 ? (w.at(-1)!.cpuS - w[0]!.cpuS) / ((w.at(-1)!.t - w[0]!.t) / 1000) : NaN);
  const cpu = coresOf(window);
  const loaderCpu = loaderSamples.reduce((sum, ls) => sum + coresOf(ls.filter((x) => x.t >= t0 && x.t <= t1)), 0);
  let profile: string[] = [];
  if (a.profile && kind === 'liftwatch') profile = summariseProfile(profDir);
  rmSync(dataDir, { recursive: true, force: true });
  const sent = results.reduce((s, r) => s + r.sent, 0);
  return {
    kind, storedPerS: (c1 - c0) / ((t1 - t0) / 1000), storedTotal: last, sent,
    p50: Math.max(...results.map((r) => r.p50 ?? 0)), p99: Math.max(...results.map((r) => r.p99 ?? 0)),
    cpuCores: cpu, loaderCores: loaderCpu, cpuUsPerRecord: (cpu * 1e6) / ((c1 - c0) / ((t1 - t0) / 1000)), rssMaxMiB: Math.max(...samples.map((s) => s.rssMiB)), errors: results.reduce((s, r) => s + r.errors, 0), profile,
  };
}

/** Top self-time functions of each thread's CPU profile (the main thread, the writer thread), to see where the time goes. */
function summariseProfile(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return ['(no profile written)'];
  return files.flatMap((f) => summariseThread(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile));
}

interface CpuProfile { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>; startTime: number; endTime: number }

function summariseThread(prof: CpuProfile): string[] {
  const total = prof.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const idle = prof.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(`file://${root}`, '');
  const by = new Map<string, number>();
  for (const n of prof.nodes) {
    const key = `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    by.set(key, (by.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)} %`;
  const top = [...by.entries()].sort((x, y) => y[1] - x[1]).slice(0, 15).map(([k, v]) => `${pct(v)}  ${k}`);
  // The same self time grouped by where the code lives: which part of the process to work on.
  const part = (url: string, fn: string): string => {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (pkg) return pkg;
    const ws = /^([^/]+(?:\/[^/]+)?)\/src\//.exec(short(url))?.[1];
    if (ws) return ws;
    if (url.startsWith('node:')) return 'node internals';
    return fn.startsWith('(') ? fn : 'native / V8';
  };
  const parts = new Map<string, number>();
  for (const n of prof.nodes) parts.set(part(n.callFrame.url, n.callFrame.functionName), (parts.get(part(n.callFrame.url, n.callFrame.functionName)) ?? 0) + (n.hitCount ?? 0));
  const grouped = [...parts.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([k, v]) => `${pct(v)}  ${k}`);
  const writer = prof.nodes.some((n) => n.callFrame.url.includes('sqlite-writer-thread'));
  const name = writer ? 'writer thread' : prof.nodes.some((n) => n.callFrame.url.includes('server/src/main.ts')) ? 'main thread' : 'other thread';
  return [`--- ${name}: busy ${(100 - (100 * idle) / total).toFixed(0)} % of ${((prof.endTime - prof.startTime) / 1e6).toFixed(0)} s`, ...top, '', 'by part of the process:', ...grouped, ''];
}

const kinds = a.only === 'both' ? (['liftwatch', 'reference'] as const) : ([a.only as 'liftwatch' | 'reference']);
const out: Awaited<ReturnType<typeof run>>[] = [];
for (const k of kinds) out.push(await run(k));
clearTimeout(hardStop);
const lw = out.find((r) => r.kind === 'liftwatch');
const ref = out.find((r) => r.kind === 'reference');
console.log(`\n${LIFTS} lifts, offered ${RATE} records/s for ${SECONDS} s by ${LOADERS} loader processes × ${CONNECTIONS} connections (10 % trips and door cycles at QoS 1, status at QoS 0)`);
console.log(`${'metric'.padEnd(44)} ${'liftwatch'.padStart(12)} ${'reference'.padStart(12)} ${'ratio'.padStart(7)} ${'target'.padStart(8)}`);
const line = (name: string, f: (r: typeof out[number]) => number, target: number | string, digits = 0) =>
  console.log(`${name.padEnd(44)} ${(lw ? f(lw).toFixed(digits) : '-').padStart(12)} ${(ref ? f(ref).toFixed(digits) : '-').padStart(12)} ${(lw && ref ? (f(lw) / f(ref)).toFixed(2) : '-').padStart(7)} ${String(target).padStart(8)}`);
line('records stored per second (steady window)', (r) => r.storedPerS, TARGET.recordsPerS);
line('QoS 1 publish → stored, p50 ms', (r) => r.p50, '-', 1);
line('QoS 1 publish → stored, p99 ms', (r) => r.p99, TARGET.p99Ms, 1);
line('server CPU, cores', (r) => r.cpuCores, '≤ 2', 2);
line('server CPU per stored record, µs', (r) => r.cpuUsPerRecord, '-', 1);
line('loader processes CPU, cores (same machine)', (r) => r.loaderCores, '-', 2);
line('server resident memory, max MiB', (r) => r.rssMaxMiB, TARGET.rssMiB);
line('records sent by loaders', (r) => r.sent, '-');
line('records stored in all', (r) => r.storedTotal, '-');
if (lw?.profile.length) console.log(`\nwhere liftwatch's time goes (self time, top 15):\n${lw.profile.join('\n')}`);

const command = `npx tsx bench/city-ingest.ts --lifts ${LIFTS} --rate ${RATE} --seconds ${SECONDS} --loaders ${LOADERS} --connections ${CONNECTIONS}`;
const date = new Date().toISOString();
if (lw) {
  const results = [
    { metric: `records stored per second, ${LIFTS} lifts, offered ${RATE}/s`, unit: 'records/s', value: Math.round(lw.storedPerS), reference: ref ? Math.round(ref.storedPerS) : null, ratio: ref ? +(lw.storedPerS / ref.storedPerS).toFixed(3) : null, command, date },
    { metric: 'QoS 1 publish → stored, p99', unit: 'ms', value: +lw.p99.toFixed(1), reference: ref ? +ref.p99.toFixed(1) : null, ratio: ref ? +(lw.p99 / ref.p99).toFixed(3) : null, command, date },
    { metric: 'server resident memory, max', unit: 'MiB', value: Math.round(lw.rssMaxMiB), reference: ref ? Math.round(ref.rssMaxMiB) : null, ratio: ref ? +(lw.rssMaxMiB / ref.rssMaxMiB).toFixed(3) : null, command, date },
    { metric: 'server CPU per stored record', unit: 'µs', value: +lw.cpuUsPerRecord.toFixed(1), reference: ref ? +ref.cpuUsPerRecord.toFixed(1) : null, ratio: ref ? +(lw.cpuUsPerRecord / ref.cpuUsPerRecord).toFixed(3) : null, command, date },
    { metric: 'server CPU during the steady window', unit: 'cores', value: +lw.cpuCores.toFixed(2), reference: ref ? +ref.cpuCores.toFixed(2) : null, ratio: ref ? +(lw.cpuCores / ref.cpuCores).toFixed(3) : null, command, date },
  ];
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/city-ingest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${Math.round(lw.storedPerS)} records/s stored${ref ? ` (${(lw.storedPerS / ref.storedPerS).toFixed(2)} × reference ${Math.round(ref.storedPerS)})` : ''}; RSS ${Math.round(lw.rssMaxMiB)} MiB; ${lw.cpuUsPerRecord.toFixed(0)} µs CPU per record${ref ? ` (reference ${ref.cpuUsPerRecord.toFixed(0)})` : ''}, loaders ${lw.loaderCores.toFixed(2)} cores | QoS 1 p50 ${lw.p50.toFixed(0)} ms, p99 ${lw.p99.toFixed(0)} ms | ${machine} |\n`);
}
