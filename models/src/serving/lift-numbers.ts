import type { LiftNumbers } from '@liftwatch/contract';

export type { LiftNumbers };

/**
 * A number for each lift the serving meets (0, 1, 2, …, never reused, not kept across restarts), so
 * that what it keeps per lift can be kept in arrays by that number: one Map of a city's 150,000 lift
 * ids for all of them, where a Map or Set of each (feature states, changed states, scoring clock)
 * costs 5 to 7 MiB of hash table.
 */
export function createLiftNumbers(): LiftNumbers {
  const numbers = new Map<string, number>();
  const ids: string[] = [];
  return {
    /** The lift's number, given at its first sight. */
    numberOf(liftId: string): number {
      let n = numbers.get(liftId);
      if (n === undefined) {
        numbers.set(liftId, (n = ids.length));
        ids.push(liftId);
      }
      return n;
    },
    /** The lift's number if it was met. */
    find: (liftId: string): number | undefined => numbers.get(liftId),
    /** The lift of a number. */
    idOf: (n: number): string => ids[n]!,
    is: (n: number, liftId: string): boolean => ids[n] === liftId,
  };
}

/**
 * The lift's number: `given` (a stored row's, from ingest's lift table) when it is the lift's here,
 * without a lookup among a city's 150,000 lift ids (a hash table too large for the caches), else
 * looked up (rows of an MQTT worker carry the worker's numbers, not these).
 */
export function numberIn(lifts: LiftNumbers, liftId: string, given: number | undefined): number {
  return given !== undefined && lifts.is(given, liftId) ? given : lifts.numberOf(liftId);
}

type Column = Float64Array | Float32Array | Int32Array | Uint8Array;

/**
 * A column by lift number of at least `size` lifts (`width` values each), `old`'s first, the rest
 * `fill` (grown by half: less unused room than doubling).
 */
export function grown<C extends Column>(old: C, size: number, fill: number, width = 1): C {
  const a = new (old.constructor as new (n: number) => C)(Math.max(1024, Math.ceil(size * 1.5)) * width);
  a.fill(fill, old.length);
  a.set(old);
  return a;
}

const NONE = -1;

/**
 * Values by lift number in the order they were set or touched (oldest first), as a Map's insertion
 * order with delete-and-set: a list linked through two Int32Arrays, each step in constant time.
 */
export function createNumberedLru<T>() {
  const values: Array<T | undefined> = [];
  let prev: Int32Array = new Int32Array(0);
  let next: Int32Array = new Int32Array(0);
  let head = NONE;
  let tail = NONE;
  let size = 0;
  const unlink = (n: number): void => {
    const p = prev[n]!, x = next[n]!;
    if (p === NONE) head = x; else next[p] = x;
    if (x === NONE) tail = p; else prev[x] = p;
  };
  const append = (n: number): void => {
    prev[n] = tail;
    next[n] = NONE;
    if (tail === NONE) head = n; else next[tail] = n;
    tail = n;
  };
  return {
    get: (n: number): T | undefined => values[n],
    /** Sets the value of `n`; a number that had none goes to the end of the order. */
    set(n: number, v: T): void {
      if (n >= prev.length) { prev = grown(prev, n + 1, NONE); next = grown(next, n + 1, NONE); }
      if (values[n] === undefined) { append(n); size++; }
      values[n] = v;
    },
    /** Moves `n` to the end of the order (the most recently used). */
    touch(n: number): void {
      if (values[n] === undefined || tail === n) return;
      unlink(n);
      append(n);
    },
    delete(n: number): boolean {
      if (values[n] === undefined) return false;
      unlink(n);
      values[n] = undefined;
      size--;
      return true;
    },
    /** The first number in the order, or undefined when empty. */
    oldest: (): number | undefined => (head === NONE ? undefined : head),
    /** The numbers with a value, in order. */
    *numbers(): IterableIterator<number> {
      for (let n = head; n !== NONE; n = next[n]!) yield n;
    },
    size: (): number => size,
  };
}

/**
 * A set of lift numbers iterated in the order they were added, as a Set's (deleted and added again:
 * at the end): each number's place in an array of them, the places it left skipped and compacted away
 * once they are half the array.
 */
export function createNumberedSet() {
  let order: number[] = [];
  /** The number's place in `order`, NONE: not in the set. */
  let place: Int32Array = new Int32Array(0);
  let size = 0;
  function compact(): void {
    const kept: number[] = [];
    for (let i = 0; i < order.length; i++) {
      const n = order[i]!;
      if (place[n] === i) { place[n] = kept.length; kept.push(n); }
    }
    order = kept;
  }
  return {
    add(n: number): void {
      if (n >= place.length) place = grown(place, n + 1, NONE);
      if (place[n] !== NONE) return;
      place[n] = order.length;
      order.push(n);
      size++;
    },
    has: (n: number): boolean => n < place.length && place[n] !== NONE,
    delete(n: number): boolean {
      if (n >= place.length || place[n] === NONE) return false;
      place[n] = NONE;
      size--;
      if (order.length > 64 && size < order.length / 2) compact();
      return true;
    },
    size: (): number => size,
    *[Symbol.iterator](): IterableIterator<number> {
      for (let i = 0; i < order.length; i++) {
        const n = order[i]!;
        if (place[n] === i) yield n;
      }
    },
  };
}
