import { lwError } from '@liftwatch/contract';
import { setSums } from './decay.js';
import { FEATURE_VERSION } from './definition.js';
import { blockOf, clearBlock, H, SPECS } from './layout.js';

/**
 * Checkpoints of the second layout (every value a double, 3,992 bytes: the header, then each channel
 * and sketch as [t0, newest, sums…] in SPECS order), read so that an upgraded node goes on from its
 * lifts' states: the header is the same, the sums become 32-bit floats brought to their newest time.
 */
export const LAYOUT2 = `${FEATURE_VERSION}/2`;

const SIZES = Object.values(SPECS).map((s) => s.taus.length * ('metrics' in s ? (s.weights ? 2 : 1) * s.metrics : s.bins.count));
const LAYOUT2_DOUBLES = H.size + SIZES.reduce((a, n) => a + 2 + n, 0);

export const isLayout2 = (layout: string): boolean => layout === LAYOUT2;

/** Writes a second-layout checkpoint's block into the block whose header view is `d`. */
export function layout2Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  if (bytes.byteLength !== LAYOUT2_DOUBLES * 8) {
    throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved feature state of ${liftId} holds ${bytes.byteLength} bytes, its layout ${LAYOUT2_DOUBLES * 8}; the lift's features start afresh from its next records`);
  }
  const old = new Float64Array(LAYOUT2_DOUBLES);
  new Uint8Array(old.buffer).set(bytes);
  clearBlock(d);
  d.set(old.subarray(0, H.size));
  const block = blockOf(d);
  let at = H.size;
  Object.values(SPECS).forEach((spec, i) => {
    setSums(block, spec, old[at]!, old[at + 1]!, old.subarray(at + 2, at + 2 + SIZES[i]!));
    at += 2 + SIZES[i]!;
  });
}
