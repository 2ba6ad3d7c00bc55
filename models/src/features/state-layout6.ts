import { CLOSE_BINS, LANDING_SLOTS, layoutOf, LOCK_BINS, type StateBlock } from './layout.js';
import { copyingEveryChannel, savedBlockInto } from './saved-block.js';

/**
 * Checkpoints of the sixth layout (feature version 2.6.0: the fifth's channels and the sink under
 * load, without the motor's heat), read so that an upgraded node goes on from its lifts' states: every
 * time and sum is copied to its channel's place now, and the motor's thermal resistance starts unknown,
 * filling from the lift's next trips and environment records (a day after the upgrade the day's
 * resistance counts as a lift started afresh would).
 */
export const LAYOUT6_FEATURE_VERSIONS: readonly string[] = Object.freeze(['2.6.0']);

/** Where the sixth layout kept each channel and sketch. */
export const LAYOUT6_SPECS = layoutOf({ close: CLOSE_BINS, lock: LOCK_BINS, landings: LANDING_SLOTS, slowLockWeek: true, sinkUnderLoad: true });
export const LAYOUT6_BYTES = LAYOUT6_SPECS.doubles * 8 + LAYOUT6_SPECS.floats * 4;

export const isLayout6 = (layout: string): boolean => LAYOUT6_FEATURE_VERSIONS.some((v) => layout === `${v}/6`);

/** Converts a block of the sixth layout into the block whose header view is `d`: each channel's sums are copied whole. */
export const convertLayout6: (old: StateBlock, d: Float64Array) => void = copyingEveryChannel(LAYOUT6_SPECS.specs);

/** Writes a sixth-layout checkpoint's bytes into the block whose header view is `d`. */
export function layout6Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  savedBlockInto(liftId, bytes, d, { bytes: LAYOUT6_BYTES, doubles: LAYOUT6_SPECS.doubles }, convertLayout6);
}
