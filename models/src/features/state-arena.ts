import { BLOCK_BYTES, clearBlock, HEADER_DOUBLES } from './layout.js';

/**
 * Blocks of feature state for many lifts, carved from large shared buffers: one lift costs its block
 * (layout.ts), one small view object (its header; the sums are read through one view of the whole
 * buffer) and its state object, never an ArrayBuffer of its own, so a city's states are a few hundred
 * large allocations that the garbage collector does not have to trace one by one. Blocks given back
 * are reused.
 */
export function createStateArena(blocksPerChunk = 512) {
  const chunks: ArrayBuffer[] = [];
  const free: Float64Array[] = [];
  let used = 0;
  let carved = blocksPerChunk; // blocks taken from the newest chunk

  function carve(): Float64Array {
    if (carved === blocksPerChunk) {
      chunks.push(new ArrayBuffer(blocksPerChunk * BLOCK_BYTES));
      carved = 0;
    }
    const chunk = chunks[chunks.length - 1]!;
    return new Float64Array(chunk, carved++ * BLOCK_BYTES, HEADER_DOUBLES);
  }

  return {
    /** A fresh block (no record yet): its header view. */
    take(): Float64Array {
      const d = free.pop() ?? carve();
      clearBlock(d);
      used++;
      return d;
    },
    /** Gives a block back (its lift was evicted); it must not be used after. */
    give(d: Float64Array): void {
      free.push(d);
      used--;
    },
    /** Blocks in use, and the bytes the arena holds. */
    stats: () => ({ blocks: used, bytes: chunks.length * blocksPerChunk * BLOCK_BYTES, blockBytes: BLOCK_BYTES }),
  };
}
export type StateArena = ReturnType<typeof createStateArena>;
