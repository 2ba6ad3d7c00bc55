import type { SavedFeatureState } from '../features/state-codec.js';

/** One slice of a checkpoint as it goes to the writer thread: columns, the blocks views of a slab shared with it. */
export interface PostedStates {
  readonly id: number;
  readonly savedAt: number;
  readonly liftIds: string[];
  readonly layouts: string[];
  readonly blocks: Uint8Array[];
  readonly overflows: Array<string | null>;
}

export function postedStates(id: number, savedAt: number, entries: readonly (readonly [string, SavedFeatureState])[]): PostedStates {
  const m: PostedStates = { id, savedAt, liftIds: [], layouts: [], blocks: [], overflows: [] };
  for (const [liftId, s] of entries) {
    m.liftIds.push(liftId);
    m.layouts.push(s.layout);
    m.blocks.push(s.block);
    m.overflows.push(s.overflow === undefined ? null : JSON.stringify(s.overflow));
  }
  return m;
}
