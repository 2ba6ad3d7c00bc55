import { existsSync, readFileSync } from 'node:fs';
import { TAUS } from '../features/lift-state.js';

const DAY = 86_400_000;

/** One side of the comparison, as bench/sim-noise-calibration.ts writes it. */
interface Side { what: string; samples: number; p05: number; p50: number; p95: number; dynamicRange: number; relativeNoiseA95: number; residualKurtosis: number; incrementAutocorrelation: number }
interface Calibration { command: string; date: string; huawei: Side; simulator: { what: string; runs: Array<Side & { seed: number; vibrationNoiseScale: number }> } }

const range = (v: readonly number[], d: number) => `${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}`;

/**
 * The real-data section of the evaluation: the Huawei elevator file against the simulator, from the
 * simulator's noise calibration (bench/results/sim-noise-calibration.json, written by
 * bench/sim-noise-calibration.ts), and what it means for the models' features. Undefined when that
 * file is not there.
 */
export function realDataSection(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const c = JSON.parse(readFileSync(path, 'utf8')) as Calibration;
  const h = c.huawei; const runs = c.simulator.runs;
  const hours = h.samples / 4 / 3600;
  return [
    `From \`${c.command}\` (${c.date.slice(0, 10)}): the repaired Huawei GRC file (${h.what}) against the simulator (${c.simulator.what}, noise scales ${range(runs.map((r) => r.vibrationNoiseScale), 1)}), both through the same ride-quality code.`, '',
    '| | Huawei file | Simulator |', '|---|---|---|',
    `| p95 / p05 of the level | ${h.dynamicRange.toFixed(1)} | ${range(runs.map((r) => r.dynamicRange), 1)} |`,
    `| noise around the trend (A95 of the residual / level) | ${(100 * h.relativeNoiseA95).toFixed(3)} % | ${range(runs.map((r) => 100 * r.relativeNoiseA95), 0)} % |`,
    `| residual kurtosis | ${h.residualKurtosis.toFixed(1)} | ${range(runs.map((r) => r.residualKurtosis), 1)} |`,
    `| lag-1 autocorrelation of increments | ${h.incrementAutocorrelation.toFixed(2)} | ${range(runs.map((r) => r.incrementAutocorrelation), 2)} |`, '',
    `What it means for the models: the file covers ${hours.toFixed(1)} hours of one door, while the features compare a day's level with baselines of weeks (time constants ${TAUS.map((t) => `${t / DAY} d`).join(', ')}), so its drift features are all undefined (no baseline) and cannot be compared with the simulator's. `
    + `What can be compared is how far a degrading level travels: the file's ${h.dynamicRange.toFixed(0)}-fold, the simulator's wearing roller ${range(runs.map((r) => r.dynamicRange), 0)}-fold from new to failure. On this one file, vibration wear may be easier to see in the simulator than in the field, and the guides-ride figures above may be optimistic. `
    + 'The file has no noise at all around its ramps (it is synthetic or heavily smoothed): it cannot say how noisy a real sensor is, and the figures here are measured on the simulator\'s own trip-to-trip scatter (noise scale drawn per lift).',
  ].join('\n');
}
