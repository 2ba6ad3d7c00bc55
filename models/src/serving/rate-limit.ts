/**
 * At most `perSecond` turns a second, spread evenly: model scoring and health recomputation read a
 * lift's records and compute on the ingest's thread, so at city scale they take their turn at this
 * pace and never crowd out the records and alarms coming in (the backlog waits instead).
 */
export function createRateLimit(perSecond: number) {
  const gapMs = perSecond > 0 ? 1000 / perSecond : 0;
  let next = 0;
  return {
    /** Resolves when the caller may take its turn. */
    async turn(): Promise<void> {
      const t = performance.now();
      const at = Math.max(t, next);
      next = at + gapMs;
      if (at > t) await new Promise((r) => setTimeout(r, at - t).unref());
      else await new Promise((r) => setImmediate(r));
    },
  };
}

export type RateLimit = ReturnType<typeof createRateLimit>;
