// Benchmark: spool throughput of the edge agent: records/s accepted (numbered and committed to SQLite
// in WAL mode) and then removed after a simulated PUBACK, with fsync at every commit ('full') and
// without ('normal', safe against kill -9 but not a power cut). Bounded in count; no network.
//
//   npx tsx bench/edge-spool.ts [--records 50000] [--batch 1,10,100]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GOLDEN } from '@liftwatch/contract';
import { openSqliteSpool, type RecordDraft } from '@liftwatch/edge-agent';

const { values } = parseArgs({ options: { records: { type: 'string', default: '50000' }, batch: { type: 'string', default: '1,10,100' } } });
const RECORDS = Number(values.records);
const BATCHES = values.batch.split(',').map(Number);
/** A terminal offline for a day holds about 86,400 records (about 1 a second); draining it in a minute needs 1,440 records/s. */
const REFERENCE = 1_440;

const root = new URL('../', import.meta.url).pathname;
const { seq: _seq, ...door } = GOLDEN.door;
const draft: RecordDraft = { stream: 'door', record: door };
const command = `npx tsx bench/edge-spool.ts --records ${RECORDS} --batch ${values.batch}`;
const date = new Date().toISOString();
const results: Array<Record<string, unknown>> = [];

for (const synchronous of ['full', 'normal'] as const) {
  for (const batch of BATCHES) {
    const dir = mkdtempSync(join(tmpdir(), 'liftwatch-spool-bench-'));
    const spool = openSqliteSpool({ path: join(dir, 'spool.db'), synchronous });
    const drafts = Array.from({ length: batch }, () => draft);
    const t0 = performance.now();
    let cursor = -1;
    for (let done = 0; done < RECORDS; done += batch) {
      spool.accept('BENCH-1', drafts);
      const rows = spool.peek('BENCH-1', cursor, batch);
      cursor = rows[rows.length - 1]!.seq;
      spool.ack('BENCH-1', rows.map((r) => r.seq));
    }
    const seconds = (performance.now() - t0) / 1000;
    spool.close();
    rmSync(dir, { recursive: true, force: true });
    const perS = Math.round(RECORDS / seconds);
    results.push({ metric: `spool accept + send + ack, synchronous=${synchronous}, ${batch} record(s) per transaction`, unit: 'records/s', value: perS, reference: REFERENCE, ratio: +(perS / REFERENCE).toFixed(2), command, date });
  }
}

console.log(`\n${'metric'.padEnd(80)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${String(r['metric']).padEnd(80)} ${String(r['value']).padStart(10)} ${String(r['reference']).padStart(10)}  ${String(r['ratio'])}`);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/edge-spool.json'), `${JSON.stringify(results, null, 2)}\n`);
const summary = results.map((r) => `${String(r['metric']).replace('spool accept + send + ack, ', '')}: ${String(r['value'])}`).join('; ');
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | spool records/s (reference ${REFERENCE}): ${summary} | – | ${machine} |\n`);
