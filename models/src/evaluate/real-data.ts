import { existsSync, readFileSync } from 'node:fs';
import { TAUS } from '../features/lift-state.js';

const DAY = 86_400_000;

/** The statistics the section compares (bench/sim-noise-calibration.ts writes more). */
const STATISTICS = ['dynamicRange', 'relativeNoiseA95', 'residualKurtosis', 'incrementAutocorrelation'] as const;
type Statistic = typeof STATISTICS[number];
/** One row of bench/results/sim-noise-calibration.json: one statistic of the Huawei file or of one simulator run. */
interface CalibrationRow { value: number; command: string; date: string; side: 'huawei' | 'simulator'; statistic: string; what: string; samples: number; seed?: number; vibrationNoiseScale?: number }
/** One side of the comparison: the file, or one simulator run. */
type Side = Record<Statistic, number> & { what: string; samples: number };
type Run = Side & { seed: number; vibrationNoiseScale: number };
interface Calibration { command: string; date: string; huawei: Side; simulator: { what: string; runs: Run[] } }

const RERUN = 'run `npx tsx bench/sim-noise-calibration.ts` to write it again';

/** The comparison from the rows bench/sim-noise-calibration.ts writes, grouped back into the file and the simulator's runs. */
function readCalibration(path: string): Calibration {
  const rows = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const isRow = (r: Partial<CalibrationRow>) => typeof r.value === 'number' && typeof r.statistic === 'string'
    && (r.side === 'huawei' || (r.side === 'simulator' && typeof r.seed === 'number' && typeof r.vibrationNoiseScale === 'number'));
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(isRow)) {
    throw new Error(`${path}: expected an array of rows each with a value, a statistic and a side (huawei, or simulator with its seed and noise scale); ${RERUN}`);
  }
  const groups = new Map<string, CalibrationRow[]>();
  for (const r of rows as CalibrationRow[]) {
    const key = r.side === 'huawei' ? 'huawei' : `seed ${r.seed}, noise scale ${r.vibrationNoiseScale}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const side = (name: string, group: readonly CalibrationRow[]): Side => {
    const value = (statistic: Statistic) => {
      const row = group.find((r) => r.statistic === statistic);
      if (row === undefined) throw new Error(`${path}: no ${statistic} for ${name}; ${RERUN}`);
      return row.value;
    };
    return { what: group[0]!.what, samples: group[0]!.samples, ...Object.fromEntries(STATISTICS.map((s) => [s, value(s)])) as Record<Statistic, number> };
  };
  const huawei = groups.get('huawei');
  const runs = [...groups].filter(([key]) => key !== 'huawei').map(([key, group]): Run => ({ ...side(key, group), seed: group[0]!.seed!, vibrationNoiseScale: group[0]!.vibrationNoiseScale! }));
  if (huawei === undefined || runs.length === 0) throw new Error(`${path}: the Huawei file's rows and at least one simulator run's are needed; ${RERUN}`);
  const first = rows[0] as CalibrationRow;
  return { command: first.command, date: first.date, huawei: side('the Huawei file', huawei), simulator: { what: runs[0]!.what, runs } };
}

const range = (v: readonly number[], d: number) => `${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}`;

/**
 * The real-data section of the evaluation: the Huawei elevator file against the simulator, from the
 * simulator's noise calibration (bench/results/sim-noise-calibration.json, written by
 * bench/sim-noise-calibration.ts), and what it means for the models' features. Undefined when that
 * file is not there.
 */
export function realDataSection(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const c = readCalibration(path);
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
