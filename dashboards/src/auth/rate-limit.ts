/**
 * Failed-login limiter: at most `max` failures per key (client address, and user name) in a sliding
 * window of `windowMs`. A success clears the user-name key. In memory: a restart forgets, which costs
 * an attacker nothing they could not get by waiting one window.
 */
export interface LoginLimiter {
  /** Seconds to wait if the key is blocked now, else 0. */
  blockedFor(key: string, now?: number): number;
  fail(key: string, now?: number): void;
  clear(key: string): void;
}

export function createLoginLimiter(opts: { max: number; windowMs: number }): LoginLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - opts.windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    blockedFor(key, now = Date.now()) {
      const list = recent(key, now);
      if (list.length < opts.max) return 0;
      return Math.max(1, Math.ceil((list[0]! + opts.windowMs - now) / 1000));
    },
    fail(key, now = Date.now()) {
      const list = recent(key, now);
      list.push(now);
      failures.set(key, list);
      if (failures.size > 100_000) failures.delete(failures.keys().next().value!); // bound memory under a spray of names
    },
    clear(key) {
      failures.delete(key);
    },
  };
}
