import { lwError } from '@liftwatch/contract';
import type { StateBlock } from './layout.js';

/**
 * Reads a lift's checkpoint saved in an earlier layout (`layout.bytes` bytes: its first
 * `layout.doubles` values doubles, the rest 32-bit sums) and converts it with `convert` into the
 * block whose header view is `d`. A checkpoint of another size is refused, and the lift's features
 * start afresh.
 */
export function savedBlockInto(liftId: string, bytes: Uint8Array, d: Float64Array, layout: { readonly bytes: number; readonly doubles: number }, convert: (old: StateBlock, d: Float64Array) => void): void {
  if (bytes.byteLength !== layout.bytes) {
    throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved feature state of ${liftId} holds ${bytes.byteLength} bytes, its layout ${layout.bytes}; the lift's features start afresh from its next records`);
  }
  const copy = new Uint8Array(layout.bytes);
  copy.set(bytes);
  convert({ d: new Float64Array(copy.buffer, 0, layout.doubles), f: new Float32Array(copy.buffer), fo: layout.doubles * 2 }, d);
}
