import { lwError } from '@liftwatch/contract';
import { FAMILY_NAMES, familyOfId, MODEL_ID, type Family } from './families.js';

/** The families named by a `--families` option (model ids, comma-separated); empty: every family. */
export function familiesOption(text: string): readonly Family[] {
  const ids = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (ids.length === 0) return FAMILY_NAMES;
  return ids.map((id) => familyOfId(id) ?? (() => { throw lwError('LW_ERR_CONFIG_INVALID', `--families: unknown model id ${id}; choose from ${FAMILY_NAMES.map((f) => MODEL_ID[f]).join(', ')}`); })());
}
