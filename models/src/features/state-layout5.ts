import { CLOSE_BINS, LANDING_SLOTS, layoutOf, LOCK_BINS, type StateBlock } from './layout.js';
import { copyingEveryChannel, savedBlockInto } from './saved-block.js';

/**
 * Checkpoints of the fifth layout (feature versions 2.3.0 and 2.4.0: the same header, channels and
 * sketches, without the sink under load and the motor's heat), read so that an upgraded node goes on
 * from its lifts' states: every time and sum is copied to its channel's place now, and what the
 * layout did not keep starts empty, filling from the lift's next records.
 */
export const LAYOUT5_FEATURE_VERSIONS: readonly string[] = Object.freeze(['2.3.0', '2.4.0']);

/** Where the fifth layout kept each channel and sketch. */
export const LAYOUT5_SPECS = layoutOf({ close: CLOSE_BINS, lock: LOCK_BINS, landings: LANDING_SLOTS, slowLockWeek: true });
export const LAYOUT5_BYTES = LAYOUT5_SPECS.doubles * 8 + LAYOUT5_SPECS.floats * 4;

export const isLayout5 = (layout: string): boolean => LAYOUT5_FEATURE_VERSIONS.some((v) => layout === `${v}/5`);

/** Converts a block of the fifth layout into the block whose header view is `d`: each channel's sums are copied whole. */
export const convertLayout5: (old: StateBlock, d: Float64Array) => void = copyingEveryChannel(LAYOUT5_SPECS.specs);

/** Writes a fifth-layout checkpoint's bytes into the block whose header view is `d`. */
export function layout5Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  savedBlockInto(liftId, bytes, d, { bytes: LAYOUT5_BYTES, doubles: LAYOUT5_SPECS.doubles }, convertLayout5);
}
