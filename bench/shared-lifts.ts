// Benchmark: what the shared lift summaries (server/src/shared-lifts.ts) cost
// PostgreSQL. A city of --lifts lifts sends one status every --period seconds; each ingest node merges
// a lift's changes in memory and, --flush seconds after its last write, writes one row per changed
// lift, in statements of 5,000 rows. Two nodes each write half of the changed lifts, at once, for
// --rounds writes; the median write time gives the period and PostgreSQL's share of it. The writer
// stretches its wait to 4 × a write's time, so for a city give --flush near that (32 for 150,000
// lifts here). PostgreSQL is Debian's, started here on a random loopback port with fsync off as in
// the tests: a server with fsync on is slower.
//
//   npx tsx bench/shared-lifts.ts [--lifts 150000] [--period 5] [--flush 5] [--rounds 3]
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStateStore, type LiftSummaryDelta } from '@liftwatch/state-store';
import { startPostgres } from '@liftwatch/test-kit/servers';
import { resultRow } from './figures.js';

const { values: a } = parseArgs({ options: { lifts: { type: 'string', default: '150000' }, period: { type: 'string', default: '5' }, flush: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } } });
const LIFTS = Number(a.lifts); const PERIOD_S = Number(a.period); const FLUSH_S = Number(a.flush); const ROUNDS = Number(a.rounds);
const root = new URL('../', import.meta.url).pathname;
const recordsPerS = LIFTS / PERIOD_S;
/** Lifts that sent something during one flush period: all of them when the period is at least a status period. */
const changedPerFlush = Math.min(LIFTS, Math.round(recordsPerS * FLUSH_S));

const statusBody = (liftId: string, ts: number) => JSON.stringify({ liftId, seq: ts % 1_000_000, ts, mode: 'normal', floor: 7, posMm: 21_345, speedMps: 1.2, direction: 'up', carDoor: 'closed', landingDoorLocked: true, safetyChainOk: true, doorLockChainOk: true, passengersPresent: true, loadKg: 320 });

const pg = await startPostgres();
let perFlushMs: number[] = [];
try {
  const url = await pg.newDatabase('bench_lifts');
  const nodes = [await openStateStore({ url }), await openStateStore({ url })];
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const at = 1_800_000_000_000 + round * FLUSH_S * 1000;
      const start = (round * changedPerFlush) % LIFTS;
      const batches: LiftSummaryDelta[][] = [[], []];
      for (let k = 0; k < changedPerFlush; k++) {
        const i = (start + k) % LIFTS;
        const liftId = `BL-${String(i).padStart(6, '0')}`;
        batches[i % 2]!.push({ liftId, firstSeenAt: at, lastSeenAt: at + k % 1000, records: Math.max(1, Math.round(FLUSH_S / PERIOD_S)), status: { body: statusBody(liftId, at), ts: at } });
      }
      const t0 = performance.now();
      await Promise.all(nodes.map((n, k) => n.lifts.putSummaries(batches[k]!)));
      const ms = performance.now() - t0;
      // Round 0 inserts the rows; the rounds after it update them, as in steady running.
      if (round > 0) perFlushMs.push(ms);
      console.log(`round ${round}: ${changedPerFlush} rows in ${Math.round(ms)} ms${round === 0 ? ' (first rows: inserts)' : ''}`);
    }
    const total = await nodes[0]!.lifts.count();
    if (total !== Math.min(LIFTS, changedPerFlush * (ROUNDS + 1))) console.log(`note: ${total} rows in the table`);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
} finally {
  await pg.stop();
}
perFlushMs = perFlushMs.sort((x, y) => x - y);
const median = perFlushMs[Math.floor(perFlushMs.length / 2)]!;
// The node waits --flush seconds after a write ends (server/src/shared-lifts.ts stretches that
// wait to 4 × the write's time when it is shorter: give --flush that value to see the steady state).
const periodS = FLUSH_S + median / 1000;
const rowsPerS = changedPerFlush / periodS;
// Each node writes its half in statements of 5,000 rows (PostgreSQL).
const statementsPerS = (2 * Math.ceil(changedPerFlush / 2 / 5000)) / periodS;
const dbShare = median / 1000 / periodS;
const command = `npx tsx bench/shared-lifts.ts --lifts ${LIFTS} --period ${PERIOD_S} --flush ${FLUSH_S} --rounds ${ROUNDS}`;
const date = new Date().toISOString();
// No reference run and no target: reference and ratio stay null.
const run = { command, date };
const results = [
  resultRow(`records/s the city sends (${LIFTS} lifts, one status per ${PERIOD_S} s)`, 'records/s', Math.round(recordsPerS), null, run),
  resultRow(`time of one write of ${changedPerFlush} rows from 2 nodes at once (median of ${ROUNDS})`, 'ms', Math.round(median), null, run),
  resultRow(`period between writes (${FLUSH_S} s wait + the write)`, 's', +periodS.toFixed(1), null, run),
  resultRow('PostgreSQL statements/s for the lift summaries (5,000 rows each)', 'statements/s', +statementsPerS.toFixed(2), null, run),
  resultRow('rows upserted/s', 'rows/s', Math.round(rowsPerS), null, run),
  resultRow('share of the time PostgreSQL spends on the writes', 'ratio', +dbShare.toFixed(3), null, run),
];
for (const r of results) console.log(`${r.metric.padEnd(100)} ${String(r.value).padStart(10)} ${r.unit}`);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, shared with other developers' tests`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/shared-lifts-${LIFTS}.json`), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${Math.round(recordsPerS)} records/s become ${statementsPerS.toFixed(2)} statements/s, ${Math.round(rowsPerS)} rows/s; one write of ${changedPerFlush} rows (2 nodes) ${Math.round(median)} ms, one every ${periodS.toFixed(1)} s: PostgreSQL busy ${(dbShare * 100).toFixed(0)} % | PostgreSQL fsync off | ${machine} |\n`);
