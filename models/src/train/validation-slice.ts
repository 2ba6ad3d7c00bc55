import { lwError } from '@liftwatch/contract';
import { parseSeeds } from '@liftwatch/simulator';
import type { ModelManifest } from '../registry/manifest.js';
import { intOption, numberOption } from './cli.js';
import type { FleetSlice } from './fleet-split.js';

/** The validation slice every family's manifest names (they were calibrated together). */
export function validationSlice(ms: readonly ModelManifest[]): FleetSlice {
  const key = (m: ModelManifest) => JSON.stringify([m.validation.mixes, m.validation.seeds, m.validation.lifts, m.validation.days]);
  const first = ms[0]!;
  const odd = ms.find((m) => key(m) !== key(first));
  if (odd !== undefined) throw lwError('LW_ERR_CONFIG_INVALID', `${odd.id} v${odd.version} was validated on other lifts than ${first.id} v${first.version}; retrain them together with npm run models:train`);
  return { mixes: first.validation.mixes, seeds: first.validation.seeds, lifts: first.validation.lifts, days: first.validation.days };
}

/** A validation slice with the mixes, seeds, lifts and days given on a command line (`--validation-*`; an empty or absent one keeps the slice's). */
export function withValidationOverrides(s: FleetSlice, v: Readonly<Record<string, string>>): FleetSlice {
  const given = (name: string) => v[name] !== undefined && v[name] !== '';
  return {
    ...s,
    ...(given('validation-mixes') ? { mixes: v['validation-mixes']!.split(',').map((m) => m.trim()).filter((m) => m.length > 0) } : {}),
    ...(given('validation-seeds') ? { seeds: parseSeeds(v['validation-seeds']!) } : {}),
    ...(given('validation-lifts') ? { lifts: intOption('validation-lifts', v['validation-lifts']!) } : {}),
    ...(given('validation-days') ? { days: numberOption('validation-days', v['validation-days']!) } : {}),
  };
}
