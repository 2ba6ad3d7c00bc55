/**
 * A small number for each lift a process has met (0, 1, 2, …, never reused, not kept across
 * restarts), so that parts keeping something per lift can keep it in arrays by that number instead
 * of a Map of their own by lift id (5 to 7 MiB of hash table each for a city's 150,000 lifts).
 * Ingest's lift table gives these numbers; the model serving uses the same ones when it runs in the
 * same process, or numbers of its own (createLiftNumbers in the models package) when it does not.
 */
export interface LiftNumbers {
  /** The lift's number, given at its first sight. */
  numberOf(liftId: string): number;
  /** The lift's number if it was met. */
  find(liftId: string): number | undefined;
  /** The lift of a number. */
  idOf(n: number): string;
  /**
   * Whether `n` is this lift's number here: a number carried with a lift's id (a record op's)
   * stands in for a lookup by the id, one of a city's 150,000 (a hash table too large for the
   * processor's caches: a cache miss or two each), only when it is the lift's in this table, not
   * another process's.
   */
  is(n: number, liftId: string): boolean;
}
