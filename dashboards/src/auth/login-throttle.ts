/**
 * Failed-login throttle keyed by (client address, account), with delays that double, so that nobody
 * can lock anyone else out: wrong passwords from one address slow down that address's tries at that
 * account only; the right password from any other address always works. A second, looser key per
 * address slows one address trying many accounts (password spraying). Guessing one account from
 * many addresses at once is bounded by the strength check on every password instead (a lockout per
 * account would hand that account to whoever wants to lock it).
 *
 * In memory, per process: a restart forgets, which costs an attacker nothing they could not get by
 * waiting out the longest delay.
 */
export interface LoginThrottle {
  /** Seconds `address` must wait before trying `account` again; 0: go ahead. */
  waitFor(address: string, account: string, now?: number): number;
  failed(address: string, account: string, now?: number): void;
  /** The right password: this address's failures at this account are forgotten (not those across accounts). */
  succeeded(address: string, account: string): void;
}

export interface LoginThrottleOptions {
  /** Failures of one address at one account before the first delay. @defaultValue 5 */
  readonly freeFailures?: number;
  /** The first delay, ms; each further failure doubles it. @defaultValue 1000 */
  readonly firstDelayMs?: number;
  /** The longest delay, ms. @defaultValue 900 000 (15 minutes) */
  readonly maxDelayMs?: number;
  /** Failures of one address across all accounts before its delays start. @defaultValue 10 × freeFailures */
  readonly addressFreeFailures?: number;
  /** Failures are forgotten after this long without another one, on top of the delay they had earned, ms. @defaultValue 900 000 */
  readonly forgetAfterMs?: number;
}

interface Failures { count: number; lastAt: number }

/** Keys kept at most: a spray of made-up names cannot grow memory without bound. */
const MAX_KEYS = 100_000;

export function createLoginThrottle(o: LoginThrottleOptions = {}): LoginThrottle {
  const free = o.freeFailures ?? 5;
  const first = o.firstDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 900_000;
  const addressFree = o.addressFreeFailures ?? free * 10;
  const forget = o.forgetAfterMs ?? 900_000;
  const failures = new Map<string, Failures>();
  const pairKey = (address: string, account: string) => `${address}\n${account.toLowerCase()}`;
  const addressKey = (address: string) => address;

  const delayAfter = (count: number, allowed: number) => (count < allowed ? 0 : Math.min(max, first * 2 ** Math.min(30, count - allowed)));
  /** A key's failures, forgotten once its delay and `forget` have passed without another one. */
  const current = (key: string, allowed: number, now: number): Failures | undefined => {
    const f = failures.get(key);
    if (f && now - f.lastAt > delayAfter(f.count, allowed) + forget) {
      failures.delete(key);
      return undefined;
    }
    return f;
  };
  const wait = (key: string, allowed: number, now: number) => {
    const f = current(key, allowed, now);
    return f ? Math.max(0, f.lastAt + delayAfter(f.count, allowed) - now) : 0;
  };
  const add = (key: string, allowed: number, now: number) => {
    const f = current(key, allowed, now);
    failures.delete(key); // re-inserted last: the oldest key is the first in the map
    failures.set(key, { count: (f?.count ?? 0) + 1, lastAt: now });
    if (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value!);
  };

  return {
    waitFor(address, account, now = Date.now()) {
      const ms = Math.max(wait(pairKey(address, account), free, now), wait(addressKey(address), addressFree, now));
      return ms === 0 ? 0 : Math.ceil(ms / 1000);
    },
    failed(address, account, now = Date.now()) {
      add(pairKey(address, account), free, now);
      add(addressKey(address), addressFree, now);
    },
    succeeded(address, account) {
      failures.delete(pairKey(address, account));
    },
  };
}
