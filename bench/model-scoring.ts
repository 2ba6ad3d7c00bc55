// Batched model scoring: lifts scored per second and p99 per Run at batch sizes 1–256, through the
// models wrapper (OnnxClassifier.run: tensor, Run, class-1 column) against a raw session.run with a
// prebuilt tensor on the same model (target: wrapper ≤ 1.2× the raw time).
// Bounded: at most --runs Runs and --seconds per batch size and side. In-process, no network.
// npx tsx bench/model-scoring.ts [--runs 400] [--seconds 3] [--model door-system]
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { createRegistry, FEATURE_NAMES } from '@liftwatch/models';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '400' }, seconds: { type: 'string', default: '3' }, model: { type: 'string', default: 'door-system' } } });
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const BATCHES = [1, 4, 16, 64, 256];
const F = FEATURE_NAMES.length;

const model = await createRegistry(join(root, 'models', 'artifacts')).load(values.model);
const x = new Float32Array(256 * F).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.3);

/** Raw and wrapped Runs alternate, so that both sides see the same load on a shared machine. */
async function measurePair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  for (let i = 0; i < 20; i++) { await a(); await b(); } // warm-up
  const ta: number[] = [];
  const tb: number[] = [];
  const stop = performance.now() + SECONDS * 1000;
  while (ta.length < RUNS && performance.now() < stop) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  return [ta, tb];
}
const p = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))]!;
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
/** Median: the cost figure least moved by other processes' bursts on a shared machine. */
const med = (v: number[]) => p(v, 0.5);

const command = `npx tsx bench/model-scoring.ts --runs ${RUNS} --seconds ${SECONDS} --model ${values.model}`;
const date = new Date().toISOString();
const results: { metric: string; unit: string; value: number; reference: number; ratio: number; command: string; date: string }[] = [];
const summary: string[] = [];
for (const b of BATCHES) {
  const rows = x.subarray(0, b * F);
  const tensor = new ort.Tensor('float32', rows, [b, F]);
  const [raw, wrapped] = await measurePair(() => model.classifier.session.run({ features: tensor }), () => model.classifier.run(rows, b));
  const lifts = (t: number[]) => (b * 1000) / meanOf(t);
  results.push({ metric: `lifts scored per second, batch ${b} (wrapper vs raw session.run; ${wrapped.length}/${raw.length} Runs)`, unit: 'lifts/s', value: Math.round(lifts(wrapped)), reference: Math.round(lifts(raw)), ratio: +(lifts(wrapped) / lifts(raw)).toFixed(3), command, date });
  results.push({ metric: `p99 per Run, batch ${b} (wrapper vs raw session.run)`, unit: 'ms', value: +p(wrapped, 0.99).toFixed(3), reference: +p(raw, 0.99).toFixed(3), ratio: +(p(wrapped, 0.99) / p(raw, 0.99)).toFixed(3), command, date });
  results.push({ metric: `median time per Run, batch ${b}: wrapper cost (target ≤ 1.2×)`, unit: 'ms', value: +med(wrapped).toFixed(4), reference: +med(raw).toFixed(4), ratio: +(med(wrapped) / med(raw)).toFixed(3), command, date });
  summary.push(`b${b}: ${Math.round(lifts(wrapped))}/s, p99 ${p(wrapped, 0.99).toFixed(2)} ms, ×${(med(wrapped) / med(raw)).toFixed(2)}`);
}
await model.classifier.close();

console.log(`\n${'metric'.padEnd(84)} ${'value'.padStart(10)} ${'reference'.padStart(10)}  ratio`);
for (const r of results) console.log(`${r.metric.padEnd(84)} ${String(r.value).padStart(10)} ${String(r.reference).padStart(10)}  ${r.ratio}`);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/model-scoring.json'), `${JSON.stringify(results, null, 2)}\n`);
appendFileSync(join(root, 'bench/RESULTS.md'), `| ${date.slice(0, 10)} | \`${command}\` | ${summary.join('; ')} (wrapper vs raw session.run) | ${values.model} model | ${machine} |\n`);
