import { lwError } from '@liftwatch/contract';
import { FEATURE_VERSION } from './definition.js';
import { BLOCK_BYTES, bytesOf, LAYOUT_VERSION, newBlock } from './layout.js';
import { isLayout2, layout2Into } from './state-layout2.js';
import { isLayout3, layout3Into } from './state-layout3.js';
import { isLayout4, layout4Into } from './state-layout4.js';
import { isLayout5, layout5Into } from './state-layout5.js';
import { isLayout6, layout6Into } from './state-layout6.js';
import { LiftFeatureState } from './lift-state.js';

/** What a checkpoint holds: the feature version and block layout, and the block's bytes. */
export const STATE_LAYOUT = `${FEATURE_VERSION}/${LAYOUT_VERSION}`;

/** A lift's feature state as a checkpoint keeps it (binary: the block itself, about 2.4 KB). */
export interface SavedFeatureState {
  /** `<feature version>/<layout version>` of the code that saved it. */
  readonly layout: string;
  readonly block: Uint8Array;
  /** Open codes beyond the block's slots (rare), as [code, ts]. */
  readonly overflow?: ReadonlyArray<readonly [string, number]>;
}

/** A copy of a state for a checkpoint. */
export function saveState(st: LiftFeatureState): SavedFeatureState {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(bytesOf(st.d));
  return st.overflow === undefined || st.overflow.size === 0 ? { layout: STATE_LAYOUT, block } : { layout: STATE_LAYOUT, block, overflow: [...st.overflow] };
}

const invalid = (liftId: string, what: string) =>
  lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved feature state of ${liftId} ${what}; the lift's features start afresh from its next records`);

/**
 * A state from its checkpoint, written into `into` (a block of an arena) when given. A checkpoint of
 * an earlier layout (the second, all doubles, the third, feature version 2.0.0, the fourth, 2.1.0, or
 * the fifth, 2.3.0 and 2.4.0, or the sixth, 2.6.0) is converted; one of another feature version or layout, or of the wrong
 * size, is LW_ERR_FEATURE_STATE_INVALID: the caller starts that lift afresh.
 */
export function loadState(liftId: string, saved: SavedFeatureState, into?: Float64Array): LiftFeatureState {
  const d = into ?? newBlock();
  if (isLayout2(saved.layout)) layout2Into(liftId, saved.block, d);
  else if (isLayout3(saved.layout)) layout3Into(liftId, saved.block, d);
  else if (isLayout4(saved.layout)) layout4Into(liftId, saved.block, d);
  else if (isLayout5(saved.layout)) layout5Into(liftId, saved.block, d);
  else if (isLayout6(saved.layout)) layout6Into(liftId, saved.block, d);
  else if (saved.layout !== STATE_LAYOUT) {
    const [version] = saved.layout.split('/');
    throw invalid(liftId, version !== FEATURE_VERSION
      ? `is of feature version ${version} but the running code is ${FEATURE_VERSION}`
      : `has layout ${saved.layout} but the running code reads ${STATE_LAYOUT}`);
  } else if (saved.block.byteLength !== BLOCK_BYTES) throw invalid(liftId, `holds ${saved.block.byteLength} bytes, the code ${BLOCK_BYTES}`);
  else bytesOf(d).set(saved.block);
  const st = new LiftFeatureState(liftId, d);
  if (saved.overflow !== undefined && saved.overflow.length > 0) st.overflow = new Map(saved.overflow.map(([c, ts]) => [c, ts]));
  return st;
}
