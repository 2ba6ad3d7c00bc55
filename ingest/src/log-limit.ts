/**
 * A log line that may repeat thousands of times a second (every message refused while the disk is
 * full) is written at most once per `intervalMs`: the first at once, then one per interval that says
 * how many like it were left out. The count of every occurrence goes to a counter elsewhere.
 */
export function createLogLimit(log: ((line: string) => void) | undefined, intervalMs = 10_000, now: () => number = Date.now) {
  let lastAt = -Infinity;
  let leftOut = 0;
  /** `times`: occurrences this line stands for (messages refused together); the others count as left out. */
  return (line: string, times = 1): void => {
    const t = now();
    if (t - lastAt < intervalMs) {
      leftOut += times;
      return;
    }
    const more = leftOut > 0 ? ` (and ${leftOut} more like it in the last ${Math.round((t - lastAt) / 1000)} s, not logged)` : '';
    lastAt = t;
    leftOut = times - 1;
    log?.(line + more);
  };
}
