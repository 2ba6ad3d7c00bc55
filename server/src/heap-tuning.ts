import { setFlagsFromString } from 'node:v8';

/**
 * V8 collects the old generation again once it has grown by this share of what the last collection
 * left alive, instead of by V8's own factor (up to 4 when collections are fast). Under a city's load
 * what a record holds until its group commit (body, promises) is promoted and dies soon after, so
 * V8's factor let ~300 MiB of live objects reach ~700 MiB of heap; with 50 % it stays near 500 MiB
 * for a few more collections. V8 reads the flag at each collection, so setting it at start is enough.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Semi-space of the young generation of the threads this process starts (the SQLite writer,
 * the feature-state writer, model training), MiB: V8's own default. `--max-semi-space-size=64` on
 * the command line is meant for the main thread, where a record waits for its group commit; V8 gives
 * the flag to every thread it starts and lets it override a thread's `resourceLimits`, so the SQLite
 * writer, whose batches survive their transaction, grew the main thread's young generation too.
 */
export const THREAD_SEMI_SPACE_MIB = 16;

/**
 * Sets the V8 flags of the all-in-one process (docs/operations.md, memory): to be called once at
 * start, before any worker thread. The main thread's heap is already made and keeps the
 * semi-space the command line gave it; threads made from now on get THREAD_SEMI_SPACE_MIB.
 */
export function tuneHeaps(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString(`--max-semi-space-size=${THREAD_SEMI_SPACE_MIB}`);
}
