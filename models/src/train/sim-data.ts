import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDataset } from '@liftwatch/simulator';

/**
 * The simulator scenarios (issue 3) used for training and evaluation: every scenario long enough
 * for the 28-day feature baseline and the 14-day warm-up. evening-power-outage (3 days) and
 * terminal-flapping-offline (6 days) are too short to give a single sample.
 */
export const SIM_SCENARIOS = ['healthy-baseline', 'door-wear-to-failure', 'landing-lock-intermittency', 'roller-flat-spot',
  'brake-spring-fatigue-ucm', 'rope-stretch-relevels', 'summer-machine-room-overheating'] as const;

export interface SimDataOptions { scenarios: readonly string[]; seeds: readonly number[]; lifts: number; days?: number }

/**
 * The simulator dataset in `dir`: used as it is when `dir/manifest.json` exists (the reader then
 * takes the scenarios and seeds asked for), otherwise written now with the dataset command's own
 * code (slow: the log line says how many lift-days per second).
 */
export function ensureSimDataset(dir: string, o: SimDataOptions, log: (line: string) => void = () => {}): string {
  if (existsSync(join(dir, 'manifest.json'))) {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { options: { scenarios: string[]; seeds: number[]; lifts: number } };
    log(`simulator dataset: using ${dir} (${m.options.scenarios.length} scenarios, seeds ${m.options.seeds.join(',')}, ${m.options.lifts} lifts each)`);
    return dir;
  }
  const r = writeDataset({ out: dir, scenarios: o.scenarios, seeds: o.seeds, lifts: o.lifts, ...(o.days !== undefined ? { days: o.days } : {}) }, log);
  log(`simulator dataset: ${r.files.length} lifts, ${r.liftDays} lift-days in ${r.seconds.toFixed(0)} s (${(r.liftDays / r.seconds).toFixed(1)} lift-days/s) → ${dir}`);
  return dir;
}
