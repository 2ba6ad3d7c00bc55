import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_VERSION, lwError } from '@liftwatch/contract';
import { createCommsChannel } from './comms.js';
import { createScenarioLift, loadScenario, scenarioNames, type Scenario } from './scenario.js';

const DAY_MS = 86_400_000;

export interface DatasetOptions {
  /** Output directory; created if missing. */
  readonly out: string;
  /** Scenario names, or ['all']. */
  readonly scenarios: readonly string[];
  readonly seeds: readonly number[];
  /** Lifts per scenario and seed. */
  readonly lifts: number;
  /** Simulated days per lift. @defaultValue each scenario's own `days` */
  readonly days?: number;
  /** @defaultValue 'fast' (accelerated time) */
  readonly fidelity?: 'full' | 'fast';
}

export interface DatasetFile { scenario: string; seed: number; lift: number; liftId: string; records: string; truth: string; recordCount: number; truthCount: number }

/** Parses "1-5", "1,3,7" or "4" into seeds. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw lwError('LW_ERR_SCENARIO_INVALID', `--seeds "${text}" is not a list of seeds; write e.g. 1-5 or 1,3,7.`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 100_000) throw lwError('LW_ERR_SCENARIO_INVALID', `--seeds range "${part}" is empty or too long; write e.g. 1-5.`);
    for (let s = a; s <= b; s++) seeds.push(s);
  }
  return seeds;
}

/**
 * Writes records plus ground truth for every scenario × seed × lift. Layout, one JSON object per line (JSON Lines):
 * `<out>/<scenario>/seed-<seed>/<liftId>.records.jsonl`: `{"stream","record"}` as the platform
 * receives them (after the scenario's data and comms faults), and `<liftId>.truth.jsonl`: the
 * ground-truth stream; `<out>/manifest.json` lists every file with its counts. Deterministic: the
 * same options give the same bytes.
 */
export function writeDataset(o: DatasetOptions, log: (line: string) => void = () => undefined): { files: DatasetFile[]; liftDays: number; seconds: number } {
  const names = o.scenarios.includes('all') ? scenarioNames() : [...o.scenarios];
  const scenarios: Scenario[] = names.map((n) => loadScenario(n));
  if (!Number.isInteger(o.lifts) || o.lifts < 1) throw lwError('LW_ERR_SCENARIO_INVALID', `--lifts ${o.lifts} must be a whole number ≥ 1.`);
  if (o.days !== undefined && !(o.days > 0)) throw lwError('LW_ERR_SCENARIO_INVALID', `--days ${o.days} must be > 0.`);
  const started = performance.now();
  const files: DatasetFile[] = [];
  let liftDays = 0;
  for (const s of scenarios) {
    const days = o.days ?? s.days;
    for (const seed of o.seeds) {
      const dir = join(o.out, s.name, `seed-${seed}`);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < o.lifts; i++) {
        const liftId = `${s.name.slice(0, 40)}-s${seed}-${String(i + 1).padStart(3, '0')}`;
        files.push(writeLift(s, { seed, index: i, liftId, days, dir, fidelity: o.fidelity ?? 'fast' }));
        liftDays += days;
      }
      log(`${s.name} seed ${seed}: ${o.lifts} lifts × ${days} days`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const manifest = { generator: '@liftwatch/simulator dataset', contractVersion: CONTRACT_VERSION, options: { ...o, scenarios: names }, liftDays, files };
  writeFileSync(join(o.out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return { files, liftDays, seconds };
}

function writeLift(s: Scenario, x: { seed: number; index: number; liftId: string; days: number; dir: string; fidelity: 'full' | 'fast' }): DatasetFile {
  const sim = createScenarioLift(s, { seed: x.seed, index: x.index, liftId: x.liftId, fidelity: x.fidelity, groundTruth: true });
  const start = Date.parse(s.start);
  const comms = s.comms ? createCommsChannel(s.comms, { seed: x.seed * 7919 + x.index, startMs: start, liftId: x.liftId }) : undefined;
  const recordsPath = join(x.dir, `${x.liftId}.records.jsonl`);
  const truthPath = join(x.dir, `${x.liftId}.truth.jsonl`);
  const rf = openSync(recordsPath, 'w');
  const tf = openSync(truthPath, 'w');
  let recordCount = 0;
  let truthCount = 0;
  try {
    for (let d = 1; d <= Math.ceil(x.days); d++) {
      const until = start + Math.min(d, x.days) * DAY_MS;
      const made = sim.advanceTo(until);
      const records = comms ? comms.pass(made, until) : made;
      const truth = [...sim.drainTruth(), ...(comms?.drainTruth() ?? [])];
      if (records.length) writeSync(rf, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      if (truth.length) writeSync(tf, truth.map((r) => JSON.stringify(r)).join('\n') + '\n');
      recordCount += records.length;
      truthCount += truth.length;
    }
  } finally {
    closeSync(rf);
    closeSync(tf);
  }
  return { scenario: s.name, seed: x.seed, lift: x.index + 1, liftId: x.liftId, records: recordsPath.slice(recordsPath.indexOf(s.name)), truth: truthPath.slice(truthPath.indexOf(s.name)), recordCount, truthCount };
}
