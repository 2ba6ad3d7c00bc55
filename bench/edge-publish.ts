// Benchmark: records per second one edge-agent process publishes: a spool holding a backlog is drained
// over MQTT QoS 1 to a bare aedes broker in another process (PUBACK at once), with records packed into
// arrays and at most --inflight messages waiting for PUBACK. Bounded in count and time; loopback only.
//
//   npx tsx bench/edge-publish.ts [--records 100000] [--inflight 16] [--per-message 100]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GOLDEN } from '@liftwatch/contract';
import { createPublisher, openSqliteSpool, type RecordDraft } from '@liftwatch/edge-agent';
import { machine, startSink } from './edge-sink.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '100000' }, inflight: { type: 'string', default: '16' }, 'per-message': { type: 'string', default: '100' } } });
const RECORDS = Number(values.records);
const INFLIGHT = Number(values.inflight);
const PER_MESSAGE = Number(values['per-message']);
const DEADLINE_MS = 180_000;
/** A terminal offline for a day holds about 86,400 records; draining it in a minute needs 1,440 records/s. */
const REFERENCE = 1_440;

const root = new URL('../', import.meta.url).pathname;
const sink = await startSink(root);
const killer = setTimeout(() => { console.error('benchmark deadline reached'); sink.child.kill('SIGKILL'); process.exit(2); }, DEADLINE_MS);
const dir = mkdtempSync(join(tmpdir(), 'liftwatch-publish-bench-'));
const spool = openSqliteSpool({ path: join(dir, 'spool.db') });
const liftId = 'BENCH-PUB-1';
const { seq: _seq, ...door } = { ...GOLDEN.door, liftId };
const drafts: RecordDraft[] = Array.from({ length: 1000 }, () => ({ stream: 'door', record: door }));
for (let n = 0; n < RECORDS; n += 1000) spool.accept(liftId, drafts.slice(0, Math.min(1000, RECORDS - n)));

const t0 = performance.now();
const publisher = createPublisher({ brokerUrl: sink.url, liftId, maxInflight: INFLIGHT, maxRecordsPerMessage: PER_MESSAGE }, { spool });
while (spool.stats(liftId).backlog > 0) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - t0) / 1000;
const messages = publisher.stats().messages;
await publisher.close();
spool.close();
const sinkOut = await sink.stop();
clearTimeout(killer);
rmSync(dir, { recursive: true, force: true });

const perS = Math.round(RECORDS / seconds);
const received = Number(/records (\d+)/.exec(sinkOut)?.[1] ?? NaN);
const command = `npx tsx bench/edge-publish.ts --records ${RECORDS} --inflight ${INFLIGHT} --per-message ${PER_MESSAGE}`;
const date = new Date().toISOString();
const results = [
  { metric: `records/s one agent drains from its spool to the broker (QoS 1, ≤${PER_MESSAGE} per message, ≤${INFLIGHT} in flight; ${messages} messages, broker got ${received})`, unit: 'records/s', value: perS, reference: REFERENCE, ratio: +(perS / REFERENCE).toFixed(2), command, date },
];
console.log(`\n${'metric'.padEnd(120)} ${'value'.padStart(8)} ${'reference'.padStart(9)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(120)} ${String(r.value).padStart(8)} ${String(r.reference).padStart(9)}  ${r.ratio}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/edge-publish${PER_MESSAGE === 1 ? '-single' : ''}.json`), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${perS} records/s published by one agent (${(perS / REFERENCE).toFixed(1)} × ${REFERENCE}) | – | ${machine()} |\n`);
