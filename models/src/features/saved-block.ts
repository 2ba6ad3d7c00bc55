import { lwError } from '@liftwatch/contract';
import type { ChannelSpec, HistogramSpec } from './decay.js';
import { blockOf, clearBlock, H, SPECS, type StateBlock } from './layout.js';

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

type Spec = ChannelSpec | HistogramSpec;

/**
 * Converts `old`, a block of an earlier layout whose channels are `oldSpecs`, into the block whose
 * header view is `d`: the header and each channel's times are copied to their places now, and
 * `copySums` copies (or re-bins) the channel's sums from `was` in `old` to `spec` in `block`.
 */
export function convertChannels(old: StateBlock, d: Float64Array, oldSpecs: Readonly<Record<string, Spec>>, copySums: (was: Spec, spec: Spec, block: StateBlock) => void): void {
  clearBlock(d);
  d.set(old.d.subarray(0, H.size));
  const block = blockOf(d);
  const now = SPECS as Readonly<Record<string, Spec>>;
  for (const [name, was] of Object.entries(oldSpecs)) {
    const spec = now[name]!;
    d[spec.at] = old.d[was.at]!;
    d[spec.at + 1] = old.d[was.at + 1]!;
    copySums(was, spec, block);
  }
}

/**
 * A converter for an earlier layout that only lacks channels added at the end since: every channel
 * it kept is copied whole (times and sums), and the added ones start empty.
 */
export function copyingEveryChannel(oldSpecs: Readonly<Record<string, Spec>>): (old: StateBlock, d: Float64Array) => void {
  return (old, d) => convertChannels(old, d, oldSpecs, (was, spec, block) => {
    const size = 'bins' in was ? was.taus.length * was.bins.count : was.taus.length * was.metrics * (was.weights ? 2 : 1);
    block.f.set(old.f.subarray(old.fo + was.sums, old.fo + was.sums + size), block.fo + spec.sums);
  });
}
