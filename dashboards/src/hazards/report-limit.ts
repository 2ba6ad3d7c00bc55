/**
 * How many reports the public page takes: at most `perAddress` from one client address and
 * `perLift` about one lift in a sliding window, so a script cannot bury a lift's real reports.
 * Kept in memory per node (a restart forgets it); the addresses tracked are capped.
 */
export interface ReportLimit {
  /** Seconds to wait before this address may report on this lift again; 0: it may now (and it is counted). */
  take(address: string, liftId: string, now: number): number;
}

const MAX_KEYS = 20_000;

export function createReportLimit(opts: { perAddress: number; perLift: number; windowMs: number }): ReportLimit {
  const seen = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const times = (seen.get(key) ?? []).filter((t) => now - t < opts.windowMs);
    if (times.length === 0) seen.delete(key);
    else seen.set(key, times);
    return times;
  };
  const waitS = (times: number[], limit: number, now: number) => (times.length < limit ? 0 : Math.max(1, Math.ceil((times[times.length - limit]! + opts.windowMs - now) / 1000)));
  return {
    take(address, liftId, now) {
      const byAddress = recent(`a:${address}`, now);
      const byLift = recent(`l:${liftId}`, now);
      const wait = Math.max(waitS(byAddress, opts.perAddress, now), waitS(byLift, opts.perLift, now));
      if (wait > 0) return wait;
      // Past the cap the oldest keys go first (a Map keeps insertion order).
      while (seen.size >= MAX_KEYS) seen.delete(seen.keys().next().value!);
      seen.set(`a:${address}`, [...byAddress, now]);
      seen.set(`l:${liftId}`, [...byLift, now]);
      return 0;
    },
  };
}
