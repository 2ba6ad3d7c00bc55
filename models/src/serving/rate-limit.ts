/**
 * At most `perSecond` turns a second, spread evenly: model scoring and health recomputation read a
 * lift's records and compute on the ingest's thread, so at city scale they take their turn at this
 * pace and never crowd out the records and alarms coming in (the backlog waits instead).
 */
export function createRateLimit(perSecond: number) {
  const gapMs = perSecond > 0 ? 1000 / perSecond : 0;
  let next = 0;
  let stopped = false;
  const waiting = new Map<NodeJS.Timeout, () => void>();
  return {
    /** Resolves when the caller may take its turn (at once after `stop`). */
    async turn(): Promise<void> {
      if (stopped) return;
      const t = performance.now();
      const at = Math.max(t, next);
      next = at + gapMs;
      if (at <= t) {
        await new Promise((r) => setImmediate(r));
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(timer);
          resolve();
        }, at - t);
        timer.unref();
        waiting.set(timer, resolve);
      });
    },
    /** Ends the pacing: every waiting turn is given now (the callers see they are closing and stop). */
    stop(): void {
      stopped = true;
      for (const [timer, resolve] of waiting) {
        clearTimeout(timer);
        resolve();
      }
      waiting.clear();
    },
  };
}

export type RateLimit = ReturnType<typeof createRateLimit>;
