// `npx tsx models/src/evaluate/oracle-curve-main.ts`: the oracle's curve on the validation lifts
// (oracle.ts): per family and false-alert budget, the share of failures an oracle that reads the
// simulator's true component state predicts ≥ 72 h ahead, calibrated as the models are. Only the
// ground truth is replayed (no features, no model): a few minutes for the shipped validation lifts.
import { join } from 'node:path';
import { parseSeeds } from '@liftwatch/simulator';
import { createRegistry } from '../registry/registry.js';
import { intOption, parseCli, runCli } from '../train/cli.js';
import { FAMILY_NAMES, MODEL_ID } from '../train/families.js';
import { seedsText, type FleetSlice } from '../train/fleet-split.js';
import { replaySlice } from '../train/parallel-replay.js';
import type { LiftSeries } from '../train/replay.js';
import { validationSlice } from '../train/validation-slice.js';
import { episodesOf, judgeEpisodes, judgedFrom } from './episodes.js';
import { calibrateOracle, ORACLE_BUDGETS, oracleScored, type OracleCalibration } from './oracle.js';
import { ORACLE_STATES } from './oracle-state.js';

const options = {
  artifacts: { default: join(import.meta.dirname, '..', '..', 'artifacts'), help: 'model registry: the oracle is calibrated on the validation lifts its latest manifests name' },
  budgets: { default: ORACLE_BUDGETS.join(','), help: 'false-alert budgets per 100 lift-months, comma-separated' },
  'validation-mixes': { default: '', help: 'validation mixes, comma-separated; empty: the manifests\' own' },
  'validation-seeds': { default: '', help: 'validation seeds; empty: the manifests\' own' },
  'validation-lifts': { default: '', help: 'lifts per validation mix and seed; empty: the manifests\' own' },
  workers: { default: '1', help: 'worker threads simulating lifts (results are the same for any number)' },
} as const;

await runCli(async () => {
  const v = parseCli('npx tsx models/src/evaluate/oracle-curve-main.ts -- [options]\n\nPrints, per family and false-alert budget, what an oracle reading the simulator\'s true component state predicts\n≥ 72 h ahead on the validation lifts, calibrated as the models are (never served).', options);
  const registry = createRegistry(v['artifacts']!);
  const manifests = [];
  for (const f of FAMILY_NAMES) manifests.push((await registry.load(MODEL_ID[f])).manifest);
  const own = validationSlice(manifests);
  const slice: FleetSlice = {
    ...own,
    ...(v['validation-mixes'] !== '' ? { mixes: v['validation-mixes']!.split(',').map((m) => m.trim()) } : {}),
    ...(v['validation-seeds'] !== '' ? { seeds: parseSeeds(v['validation-seeds']!) } : {}),
    ...(v['validation-lifts'] !== '' ? { lifts: intOption('validation-lifts', v['validation-lifts']!) } : {}),
  };
  const budgets = v['budgets']!.split(',').map(Number);
  console.log(`validation lifts: ${slice.mixes.join(', ')}; seeds ${seedsText(slice.seeds)}; ${slice.lifts} lifts × ${slice.days} days`);
  const series: LiftSeries[] = [];
  for await (const s of replaySlice(slice, { features: false }, intOption('workers', v['workers']!))) series.push(s);
  const c = calibrateOracle(series, budgets);
  const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));
  console.log(`\n| Family | Failures | Budget / 100 lift-months | ${ORACLE_STATES.map((s) => `${s}: ≥ 72 h %, false, worst mix`).join(' | ')} | Kept |`);
  console.log(`|---|---|---|${ORACLE_STATES.map(() => '---').join('|')}|---|`);
  for (const f of FAMILY_NAMES) {
    for (const st of c.settings[f]) {
      const cells = ORACLE_STATES.map((s) => { const x = st.byState[s]; return `${pct(x.figures.predicted72hPct)}, ${x.figures.falsePer100LiftMonths.toFixed(2)}, ${(x.worstFalsePer100 ?? 0).toFixed(2)}`; });
      console.log(`| ${MODEL_ID[f]} | ${st.calibration.figures.failures} | ${st.budget} | ${cells.join(' | ')} | ${st.state} |`);
    }
  }
  console.log('\nBy failure mode, at each budget: failures predicted ≥ 72 h ahead / failures (the kept state)\n');
  for (const f of FAMILY_NAMES) console.log(`- ${MODEL_ID[f]}: ${byMode(series, c, f)}`);
});

/** Per failure mode of a family, how many of its failures the oracle predicted ≥ 72 h ahead at each budget. */
function byMode(series: readonly LiftSeries[], c: OracleCalibration, f: (typeof FAMILY_NAMES)[number]): string {
  const modes = [...new Set(series.flatMap((s) => s.failures.filter((x) => x.family === f).map((x) => x.mode)))].sort();
  return modes.map((mode) => `${mode} ${c.settings[f].map((st) => {
    const lifts = oracleScored(series, f, st.state);
    let hit = 0; let n = 0;
    lifts.forEach((l, i) => {
      const e = episodesOf(l.times, l.scores, st.calibration.thresholds);
      for (const x of series[i]!.failures.filter((y) => y.family === f && y.mode === mode)) {
        const o = judgeEpisodes(e, [x.ts], judgedFrom(l.times, l.from), l.to);
        n += o.failures; hit += o.predicted72h;
      }
    });
    return `${hit}/${n} at ${st.budget}`;
  }).join(', ')}`).join('; ');
}
