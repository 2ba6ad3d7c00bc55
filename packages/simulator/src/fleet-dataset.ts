import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_VERSION } from '@liftwatch/contract';
import type { DatasetFile } from './dataset.js';
import { simulateFleet } from './fleet.js';
import { loadMix } from './mix.js';

export interface MixDatasetOptions {
  readonly out: string;
  /** A shipped mix's name or a path to a mix JSON file. */
  readonly mix: string;
  readonly seeds: readonly number[];
  /** Lifts per seed. */
  readonly lifts: number;
  readonly days: number;
  /** @defaultValue 'summary' */
  readonly fidelity?: 'summary' | 'full';
}

/**
 * Writes a scenario mix's fleet to files, the same events as `simulateFleet`:
 * `<out>/<mix>/seed-<seed>/<liftId>.records.jsonl` (`{"stream","record"}` per line) and
 * `<liftId>.truth.jsonl` (ground truth, first line the lift's `draw`), plus `<out>/manifest.json`.
 */
export function writeMixDataset(o: MixDatasetOptions, log: (line: string) => void = () => undefined): { files: DatasetFile[]; liftDays: number; seconds: number } {
  const mix = loadMix(o.mix);
  const started = performance.now();
  const files: DatasetFile[] = [];
  for (const seed of o.seeds) {
    const dir = join(o.out, mix.name, `seed-${seed}`);
    mkdirSync(dir, { recursive: true });
    for (const lift of simulateFleet({ mix, seed, lifts: o.lifts, days: o.days, fidelity: o.fidelity ?? 'summary' })) {
      const records = join(dir, `${lift.liftId}.records.jsonl`);
      const truth = join(dir, `${lift.liftId}.truth.jsonl`);
      const rf = openSync(records, 'w');
      const tf = openSync(truth, 'w');
      let recordCount = 0;
      let truthCount = 0;
      const rLines: string[] = [];
      const tLines: string[] = [];
      try {
        for (const e of lift.events()) {
          if (e.stream === 'truth') { tLines.push(JSON.stringify(e.record)); truthCount++; } else { rLines.push(JSON.stringify(e)); recordCount++; }
          if (rLines.length >= 5_000) writeSync(rf, rLines.splice(0).join('\n') + '\n');
          if (tLines.length >= 1_000) writeSync(tf, tLines.splice(0).join('\n') + '\n');
        }
        if (rLines.length) writeSync(rf, rLines.join('\n') + '\n');
        if (tLines.length) writeSync(tf, tLines.join('\n') + '\n');
      } finally {
        closeSync(rf);
        closeSync(tf);
      }
      const rel = (p: string) => p.slice(p.indexOf(`${mix.name}/seed-`));
      files.push({ scenario: mix.name, seed, lift: lift.index + 1, liftId: lift.liftId, records: rel(records), truth: rel(truth), recordCount, truthCount });
    }
    log(`${mix.name} seed ${seed}: ${o.lifts} lifts × ${o.days} days`);
  }
  const liftDays = o.seeds.length * o.lifts * o.days;
  const manifest = { generator: '@liftwatch/simulator dataset', contractVersion: CONTRACT_VERSION, options: { ...o, mix: mix.name }, liftDays, files };
  writeFileSync(join(o.out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  return { files, liftDays, seconds: (performance.now() - started) / 1000 };
}
