// `npm run models:compare`: a candidate version of one family's model against the version served
// today, each as its manifest serves it (predictor, thresholds, rule), on the same validation lifts,
// with the paired bootstrap of version-choice.ts: whether the candidate should be served, and why.
// It writes nothing; publishing the candidate is copying its version directory into the registry.
import { join } from 'node:path';
import { lwError } from '@liftwatch/contract';
import { servedPredictor } from '../registry/manifest.js';
import { createRegistry, type LoadedModel } from '../registry/registry.js';
import { assertNoSharedFleet, intOption, numberOption, parseCli, runCli } from './cli.js';
import { familiesOption } from './families-option.js';
import { seedsText } from './fleet-split.js';
import { replaySlice } from './parallel-replay.js';
import type { LiftSeries } from './replay.js';
import { validationSlice, withValidationOverrides } from './validation-slice.js';
import { chooseVersion, servedOutcomes } from './version-choice.js';
import { MODEL_ID } from './families.js';
import { figures, emptyOutcome, addOutcome, type LiftOutcome } from '../evaluate/episodes.js';

const DAY = 86_400_000;

const options = {
  family: { help: 'the model id to compare, e.g. traction-ropes' },
  candidate: { help: 'registry directory whose latest version of the family is the candidate (chosen for with npm run models:choose)' },
  served: { default: join(import.meta.dirname, '..', '..', 'artifacts'), help: 'registry directory whose latest version of the family is served today' },
  'validation-mixes': { default: '', help: 'validation mixes, comma-separated; empty: the candidate manifest\'s own' },
  'validation-seeds': { default: '', help: 'validation seeds, e.g. 101-110; none may be a training seed of a training mix; empty: the candidate manifest\'s own' },
  'validation-lifts': { default: '', help: 'lifts per validation mix and seed; empty: the candidate manifest\'s own' },
  samples: { default: '1000', help: 'bootstrap resamples of the lifts' },
  seed: { default: '1', help: 'seed of the resampling' },
  workers: { default: '1', help: 'worker threads simulating and replaying the validation lifts (results are the same for any number)' },
} as const;

await runCli(async () => {
  const v = parseCli('npm run models:compare -- --family ID --candidate DIR [options]\n\nJudges a candidate version of one family\'s model and the version served today on the same validation lifts (never\nevaluation lifts), each served as its manifest says, and says whether to serve the candidate: only when a paired\nbootstrap over the lifts shows it surely better on failures predicted ≥ 72 h ahead or on false alerts, and not surely\nworse on the other. A tie keeps the served version. Nothing is written.', options);
  if (v['family'] === undefined || v['family'] === '') throw lwError('LW_ERR_CONFIG_INVALID', '--family: give the model id to compare, e.g. --family traction-ropes');
  if (v['candidate'] === undefined || v['candidate'] === '') throw lwError('LW_ERR_CONFIG_INVALID', '--candidate: give the registry directory that holds the candidate version');
  const families = familiesOption(v['family']);
  const family = families[0];
  if (families.length !== 1 || family === undefined) throw lwError('LW_ERR_CONFIG_INVALID', `--family: one model id, not ${v['family']}`);
  const candidate = await createRegistry(v['candidate']).load(MODEL_ID[family]);
  const served = await createRegistry(v['served']!).load(MODEL_ID[family]);
  try {
    const slice = withValidationOverrides(validationSlice([candidate.manifest]), v);
    for (const m of [candidate, served]) {
      const t = m.manifest.training;
      assertNoSharedFleet({ mixes: t.mixes, seeds: t.seeds, lifts: t.lifts, days: t.days }, `${m.id} v${m.version}'s training`, slice, 'validation');
    }
    console.log(`replaying the validation lifts: ${slice.mixes.join(', ')}; seeds ${seedsText(slice.seeds)}; ${slice.lifts} lifts × ${slice.days} days`);
    const series: LiftSeries[] = [];
    for await (const s of replaySlice(slice, {}, intOption('workers', v['workers']!))) series.push(s);
    const horizon = served.manifest.validation.horizonDays * DAY;
    const c = await servedOutcomes(series, family, candidate, horizon);
    const s = await servedOutcomes(series, family, served, horizon);
    for (const [name, m, o] of [['candidate', candidate, c], ['served', served, s]] as const) console.log(`${name}: ${line(m, o)}`);
    const choice = chooseVersion(c, s, { samples: intOption('samples', v['samples']!), seed: numberOption('seed', v['seed']!) });
    console.log(`${choice.serve === 'candidate' ? `serve ${candidate.id} v${candidate.version}` : `keep ${served.id} v${served.version}`} (${choice.reason})`);
  } finally {
    await candidate.classifier.close();
    await served.classifier.close();
  }
});

/** A version's pooled figures on the validation lifts, in words. */
function line(m: LoadedModel, outcomes: readonly LiftOutcome[]): string {
  const all = emptyOutcome();
  for (const o of outcomes) addOutcome(all, o);
  const f = figures(all);
  const predictor = servedPredictor(m.manifest);
  return `${m.id} v${m.version} (${predictor}): ${all.predicted72h} of ${all.failures} failures predicted ≥ 72 h ahead (${f.predicted72hPct.toFixed(1)} %), ${all.falseEpisodes} false alerts, ${f.falsePer100LiftMonths.toFixed(2)} per 100 lift-months`;
}

