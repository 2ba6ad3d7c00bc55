import { CLOSE_BINS, LANDING_SLOTS, layoutOf, LOCK_BINS, type StateBlock } from './layout.js';
import { convertChannels, savedBlockInto } from './saved-block.js';

/**
 * Checkpoints of the fifth layout (feature versions 2.3.0 and 2.4.0: the same header, channels and
 * sketches, without the stops far from the landing), read so that an upgraded node goes on from its
 * lifts' states: every time and sum is copied to its channel's place now, and the far stops start
 * empty, filling from the lift's next trips (a day after the upgrade the day's share counts as a
 * lift started afresh would, a week after the week's).
 */
export const LAYOUT5_FEATURE_VERSIONS: readonly string[] = Object.freeze(['2.3.0', '2.4.0']);

/** Where the fifth layout kept each channel and sketch. */
export const LAYOUT5_SPECS = layoutOf({ close: CLOSE_BINS, lock: LOCK_BINS, landings: LANDING_SLOTS, slowLockWeek: true });
export const LAYOUT5_BYTES = LAYOUT5_SPECS.doubles * 8 + LAYOUT5_SPECS.floats * 4;

export const isLayout5 = (layout: string): boolean => LAYOUT5_FEATURE_VERSIONS.some((v) => layout === `${v}/5`);

/** Writes a fifth-layout checkpoint's bytes into the block whose header view is `d`. */
export function layout5Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  savedBlockInto(liftId, bytes, d, { bytes: LAYOUT5_BYTES, doubles: LAYOUT5_SPECS.doubles }, convertLayout5);
}

/** Converts a block of the fifth layout into the block whose header view is `d`: each channel's sums are copied whole. */
export function convertLayout5(old: StateBlock, d: Float64Array): void {
  convertChannels(old, d, LAYOUT5_SPECS.specs, (was, spec, block) => {
    const size = 'bins' in was ? was.taus.length * was.bins.count : was.taus.length * was.metrics * (was.weights ? 2 : 1);
    block.f.set(old.f.subarray(old.fo + was.sums, old.fo + was.sums + size), block.fo + spec.sums);
  });
}
