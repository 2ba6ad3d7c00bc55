import type { Bins, ChannelSpec, HistogramSpec } from './decay.js';
import { clearBlock, H, layoutOf, newBlock, type StateBlock } from './layout.js';
import { convertChannels, savedBlockInto } from './saved-block.js';

/**
 * Checkpoints of the third layout (feature version 2.0.0: the same header and channels, the close
 * and lock sketches in 32 bins over 1–16 s and 20 ms–20 s, no landing slots and no obstructed
 * closes), read so that an upgraded node goes on from its lifts' states: every sum is copied, each
 * sketch bin goes to the bin of this layout that covers it (the bins are the same width, so none is
 * split), and what this layout added starts empty, filling from the lift's next door cycles.
 */
export const PREVIOUS_FEATURE_VERSION = '2.0.0';
export const LAYOUT3 = `${PREVIOUS_FEATURE_VERSION}/3`;

/** Where the third layout kept each channel and sketch. */
export const LAYOUT3_SPECS = layoutOf({
  close: Object.freeze({ lo: 1, hi: 16, count: 32 }),
  lock: Object.freeze({ lo: 20, hi: 20_000, count: 32 }),
  landings: 0,
});
export const LAYOUT3_BYTES = LAYOUT3_SPECS.doubles * 8 + LAYOUT3_SPECS.floats * 4;

export const isLayout3 = (layout: string): boolean => layout === LAYOUT3;

/** A fresh block of the third layout (its header that of a fresh block of this one), to fill from an older checkpoint before converting it. */
export function newLayout3Block(): StateBlock {
  const buffer = new ArrayBuffer(LAYOUT3_BYTES);
  const d = new Float64Array(buffer, 0, LAYOUT3_SPECS.doubles);
  const fresh = newBlock();
  clearBlock(fresh);
  d.set(fresh.subarray(0, H.size));
  for (const s of Object.values(LAYOUT3_SPECS.specs)) { d[s.at] = NaN; d[s.at + 1] = -Infinity; }
  return { d, f: new Float32Array(buffer), fo: LAYOUT3_SPECS.doubles * 2 };
}

/** Writes a third-layout checkpoint's bytes into the block whose header view is `d`. */
export function layout3Into(liftId: string, bytes: Uint8Array, d: Float64Array): void {
  savedBlockInto(liftId, bytes, d, { bytes: LAYOUT3_BYTES, doubles: LAYOUT3_SPECS.doubles }, convertLayout3);
}

/** Converts a block of the third layout into the block whose header view is `d`. */
export function convertLayout3(old: StateBlock, d: Float64Array): void {
  convertChannels(old, d, LAYOUT3_SPECS.specs, (was, spec, block) => {
    if ('bins' in was && 'bins' in spec) rebin(old, was, block, spec);
    else for (let i = 0; i < sumsOf(was); i++) block.f[block.fo + spec.sums + i] = old.f[old.fo + was.sums + i]!;
  });
}

const sumsOf = (c: ChannelSpec | HistogramSpec): number => c.taus.length * ('bins' in c ? c.bins.count : (c.weights ? 2 : 1) * c.metrics);

/** Adds each old bin's weight to the new bin over the same values (the first and last new bins take what lies beyond them). */
function rebin(old: StateBlock, was: HistogramSpec, block: StateBlock, spec: HistogramSpec): void {
  const offset = binOffset(was.bins, spec.bins);
  for (let k = 0; k < was.taus.length; k++) {
    for (let i = 0; i < was.bins.count; i++) {
      const j = Math.min(spec.bins.count - 1, Math.max(0, i - offset));
      block.f[block.fo + spec.sums + k * spec.bins.count + j] = block.f[block.fo + spec.sums + k * spec.bins.count + j]! + old.f[old.fo + was.sums + k * was.bins.count + i]!;
    }
  }
}

/** How many bins of `was` lie below the first of `now`; both must have bins of the same width on the same grid. */
function binOffset(was: Bins, now: Bins): number {
  const width = Math.log(was.hi / was.lo) / was.count;
  const offset = Math.log(now.lo / was.lo) / width;
  if (Math.abs(Math.log(now.hi / now.lo) / now.count - width) > 1e-9 || Math.abs(offset - Math.round(offset)) > 1e-6) throw new RangeError('sketch bins of another width or grid cannot be converted');
  return Math.round(offset);
}
