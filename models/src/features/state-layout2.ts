import { lwError } from '@liftwatch/contract';
import { setSums } from './decay.js';
import { H } from './layout.js';
import { convertLayout3, LAYOUT3_SPECS, newLayout3Block, PREVIOUS_FEATURE_VERSION } from './state-layout3.js';

/**
 * Checkpoints of the second layout (every value a double, 3,992 bytes: the header, then each channel
 * and sketch of the third layout as [t0, newest, sums…] in its order), read so that an upgraded node
 * goes on from its lifts' states: the sums become 32-bit floats brought to their newest time in a
 * block of the third layout, which is then converted as a checkpoint of that layout is.
 */
export const LAYOUT2 = `${PREVIOUS_FEATURE_VERSION}/2`;

const SPECS3 = Object.values(LAYOUT3_SPECS.specs);
const SIZES = SPECS3.map((s) => s.taus.length * ('metrics' in s ? (s.weights ? 2 : 1) * s.metrics : s.bins.count));
const LAYOUT2_DOUBLES = H.size + SIZES.reduce((a, n) => a + 2 + n, 0);

export const isLayout2 = (layout: string): boolean => layout === LAYOUT2;

/** Writes a second-layout checkpoint's block into the block whose header view is `d`. */
export function layout2Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  if (bytes.byteLength !== LAYOUT2_DOUBLES * 8) {
    throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved feature state of ${liftId} holds ${bytes.byteLength} bytes, its layout ${LAYOUT2_DOUBLES * 8}; the lift's features start afresh from its next records`);
  }
  const old = new Float64Array(LAYOUT2_DOUBLES);
  new Uint8Array(old.buffer).set(bytes);
  const block = newLayout3Block();
  block.d.set(old.subarray(0, H.size));
  let at = H.size;
  SPECS3.forEach((spec, i) => {
    setSums(block, spec, old[at]!, old[at + 1]!, old.subarray(at + 2, at + 2 + SIZES[i]!));
    at += 2 + SIZES[i]!;
  });
  convertLayout3(block, d);
}
