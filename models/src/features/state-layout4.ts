import { CLOSE_BINS, LANDING_SLOTS, layoutOf, LOCK_BINS, type StateBlock } from './layout.js';
import { convertChannels, savedBlockInto } from './saved-block.js';

/**
 * Checkpoints of the fourth layout (feature version 2.1.0: the same header, channels and sketches,
 * but the slow lock-makes per landing slot kept over the day only), read so that an upgraded node
 * goes on from its lifts' states: every sum and time is copied to the same place of its channel,
 * and the week's slow lock-makes per landing start empty, filling from the lift's next door cycles
 * (a week after the upgrade they count as a lift started afresh would).
 */
export const LAYOUT4_FEATURE_VERSION = '2.1.0';
export const LAYOUT4 = `${LAYOUT4_FEATURE_VERSION}/4`;

/** Where the fourth layout kept each channel and sketch. */
export const LAYOUT4_SPECS = layoutOf({ close: CLOSE_BINS, lock: LOCK_BINS, landings: LANDING_SLOTS, slowLockWeek: false });
export const LAYOUT4_BYTES = LAYOUT4_SPECS.doubles * 8 + LAYOUT4_SPECS.floats * 4;

export const isLayout4 = (layout: string): boolean => layout === LAYOUT4;

/** Writes a fourth-layout checkpoint's bytes into the block whose header view is `d`. */
export function layout4Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  savedBlockInto(liftId, bytes, d, { bytes: LAYOUT4_BYTES, doubles: LAYOUT4_SPECS.doubles }, convertLayout4);
}

/** Converts a block of the fourth layout into the block whose header view is `d`. */
export function convertLayout4(old: StateBlock, d: Float64Array): void {
  convertChannels(old, d, LAYOUT4_SPECS.specs, (was, spec, block) => {
    // the time constants this layout kept are the first ones of the channel now, in the same order
    const per = 'bins' in was ? was.bins.count : was.metrics;
    const arrays = 'bins' in was || !was.weights ? 1 : 2;
    for (let a = 0; a < arrays; a++) {
      for (let i = 0; i < was.taus.length * per; i++) {
        block.f[block.fo + spec.sums + a * spec.taus.length * per + i] = old.f[old.fo + was.sums + a * was.taus.length * per + i]!;
      }
    }
  });
}
