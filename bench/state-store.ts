// Benchmark: the shared state store (packages/state-store) under the writes a distributed deployment
// makes, on SQLite and on PostgreSQL (Debian's, started here on a random loopback port, fsync off as
// in the tests: figures are an upper bound for a server with fsync on). Two "nodes" (two connections
// or pools) write at once: alert raises on distinct lifts, then acknowledgements of the same alerts
// from both nodes (exactly one must win each), then health-history appends. Prints operations per
// second and, on PostgreSQL, bytes on disk per alert and per health point, for docs/operations.md.
//
//   npx tsx bench/state-store.ts [--alerts 3000] [--health 20000] [--concurrency 16]
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { tempDir } from '@liftwatch/test-kit';
import { startPostgres } from '@liftwatch/test-kit/servers';

const { values: a } = parseArgs({ options: { alerts: { type: 'string', default: '3000' }, health: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '16' } } });
const ALERTS = Number(a.alerts); const HEALTH = Number(a.health); const CONCURRENCY = Number(a.concurrency);
const root = new URL('../', import.meta.url).pathname;
/** A storm: 5 % of a city's 150,000 lifts raising in one minute; hourly health scores of the city. */
const REFERENCE = { raisesPerS: 125, acksPerS: 125, healthPerS: 150_000 / 3600 };

/** Runs `count` tasks, `CONCURRENCY` at a time on each of the two nodes; returns operations per second. */
async function run(count: number, task: (i: number, node: StateStore) => Promise<unknown>, nodes: [StateStore, StateStore]): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (node: StateStore) => {
    for (let i = next++; i < count; i = next++) await task(i, node);
  };
  await Promise.all(nodes.flatMap((n) => Array.from({ length: CONCURRENCY }, () => worker(n))));
  return count / ((performance.now() - started) / 1000);
}

async function measure(label: string, url: string) {
  const nodes: [StateStore, StateStore] = [await openStateStore({ url }), await openStateStore({ url })];
  try {
    const ids: number[] = [];
    const raises = await run(ALERTS, async (i, node) => {
      const liftId = `B-${i}`;
      const r = await node.alerts.raise({ liftId, code: 'ENTRAPMENT', severity: 'P1', reason: 'bench', at: Date.now(), evidence: { liftId, stream: 'alarm', seq: i, ts: Date.now(), values: { i } } });
      ids[i] = r.alertId;
    }, nodes);
    let won = 0;
    const acks = await run(ALERTS, async (i) => {
      const results = await Promise.all(nodes.map((n, k) => n.alerts.transition(ids[i]!, 'acknowledged', { from: ['open'], actor: `node-${k}`, note: '', at: Date.now() })));
      won += results.filter(Boolean).length;
    }, [nodes[0], nodes[0]]); // each task already writes from both nodes
    if (won !== ALERTS) throw new Error(`${label}: ${won} acknowledgements won for ${ALERTS} alerts; exactly one each was expected`);
    const health = await run(HEALTH, (i, node) => node.health.append({
      liftId: `B-${i % 1000}`, at: 1_700_000_000_000 + i, score: 80, grade: 'B', confidence: 0.9, paramsVersion: 'h1', components: { doors: 70, ride: 90 }, reasons: [{ text: 'doors slow' }],
    }), nodes);
    let bytesPerAlert: number | undefined;
    let bytesPerHealth: number | undefined;
    if (nodes[0].dialect === 'postgres') {
      const size = async (t: string) => Number((await sql<{ n: string }>`SELECT pg_total_relation_size(${t}) AS n`.execute(nodes[0].db)).rows[0]!.n);
      bytesPerAlert = Math.round(((await size('alerts')) + (await size('alert_occurrences')) + (await size('alert_audit'))) / ALERTS);
      bytesPerHealth = Math.round((await size('health_history')) / HEALTH);
    }
    return { label, raises, acks, health, bytesPerAlert, bytesPerHealth };
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
}

const dir = tempDir('liftwatch-bench-state-');
const pg = await startPostgres();
const out: Array<Awaited<ReturnType<typeof measure>>> = [];
try {
  out.push(await measure('SQLite', `sqlite:${join(dir.path, 'state.db')}`));
  out.push(await measure('PostgreSQL', await pg.newDatabase('bench')));
} finally {
  await pg.stop();
  dir.remove();
}

const command = `npx tsx bench/state-store.ts --alerts ${ALERTS} --health ${HEALTH} --concurrency ${CONCURRENCY}`;
const date = new Date().toISOString();
const results = out.flatMap((r) => [
  { metric: `${r.label}: alert raises/s, 2 nodes × ${CONCURRENCY} writers, distinct lifts`, unit: 'raises/s', value: Math.round(r.raises), reference: REFERENCE.raisesPerS, ratio: +(r.raises / REFERENCE.raisesPerS).toFixed(2), command, date },
  { metric: `${r.label}: contended acknowledgements/s (both nodes ack each alert at once, one wins)`, unit: 'alerts/s', value: Math.round(r.acks), reference: REFERENCE.acksPerS, ratio: +(r.acks / REFERENCE.acksPerS).toFixed(2), command, date },
  { metric: `${r.label}: health-history appends/s`, unit: 'points/s', value: Math.round(r.health), reference: Math.round(REFERENCE.healthPerS), ratio: +(r.health / REFERENCE.healthPerS).toFixed(2), command, date },
  ...(r.bytesPerAlert === undefined ? [] : [
    { metric: `${r.label}: bytes on disk per alert (row, one occurrence, two audit lines, indexes)`, unit: 'bytes', value: r.bytesPerAlert, reference: null, ratio: null, command, date },
    { metric: `${r.label}: bytes on disk per health point (row and primary key)`, unit: 'bytes', value: r.bytesPerHealth, reference: null, ratio: null, command, date },
  ]),
]);
console.log(`\n${'metric'.padEnd(96)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(96)} ${String(r.value).padStart(10)} ${String(r.reference ?? '–').padStart(10)}  ${r.ratio ?? '–'}`);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, shared with other developers' tests`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/state-store.json'), `${JSON.stringify(results, null, 2)}\n`);
const f = (r: (typeof out)[number]) => `${r.label} ${Math.round(r.raises)} raises/s, ${Math.round(r.acks)} contended acks/s, ${Math.round(r.health)} health points/s`;
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${out.map(f).join('; ')} (references ${REFERENCE.raisesPerS}, ${REFERENCE.acksPerS}, ${Math.round(REFERENCE.healthPerS)}) | PostgreSQL ${out[1]?.bytesPerAlert ?? '?'} B per alert, ${out[1]?.bytesPerHealth ?? '?'} B per health point | ${machine} |\n`);
