import { lwError } from '@liftwatch/contract';
import type { ModelManifest } from '../registry/manifest.js';
import type { FleetSlice } from './fleet-split.js';

/** The validation slice every family's manifest names (they were calibrated together). */
export function validationSlice(ms: readonly ModelManifest[]): FleetSlice {
  const key = (m: ModelManifest) => JSON.stringify([m.validation.mixes, m.validation.seeds, m.validation.lifts, m.validation.days]);
  const first = ms[0]!;
  const odd = ms.find((m) => key(m) !== key(first));
  if (odd !== undefined) throw lwError('LW_ERR_CONFIG_INVALID', `${odd.id} v${odd.version} was validated on other lifts than ${first.id} v${first.version}; retrain them together with npm run models:train`);
  return { mixes: first.validation.mixes, seeds: first.validation.seeds, lifts: first.validation.lifts, days: first.validation.days };
}
