/**
 * A token bucket: `ratePerS` tokens a second, at most `burst` saved up. `take()` spends one token and
 * says whether there was one. Time comes from the caller, so tests need no clock.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly ratePerS: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerS);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Spends one token even if there is none yet, and returns how many ms until it would have been there:
   * 0 if one was available. Callers that wait that long before acting keep to the rate.
   */
  reserve(now: number): number {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerS) - 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerS) * 1000);
  }

  /** True when the bucket is full again, so a keeper of many buckets may forget it. */
  idle(now: number): boolean {
    return this.tokens + (Math.max(0, now - this.last) / 1000) * this.ratePerS >= this.burst;
  }
}

/**
 * One token bucket per key (a remote address), forgotten once full again, so an attacker cycling
 * addresses cannot grow the map without bound for longer than `burst / rate` seconds.
 */
export function createKeyedLimiter(ratePerS: number, burst: number) {
  const buckets = new Map<string, TokenBucket>();
  let lastSweep = 0;
  return {
    take(key: string, now: number): boolean {
      if (now - lastSweep > 10_000) {
        lastSweep = now;
        for (const [k, b] of buckets) if (b.idle(now)) buckets.delete(k);
      }
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = new TokenBucket(ratePerS, burst, now)));
      return b.take(now);
    },
    size: () => buckets.size,
  };
}

/** Limits of the broker; each broken limit is logged with the client and the limit's name. */
export interface BrokerLimits {
  /** Largest MQTT packet (so, payload) the broker reads; a larger one closes the connection before it is buffered. @defaultValue 1048576 */
  readonly maxPacketBytes: number;
  /** New connections a second from one remote address; bursts up to 5× (a gateway's terminals reconnecting at once). @defaultValue 200 */
  readonly connectionsPerSecondPerAddress: number;
  /**
   * Messages a second one client may publish (bursts up to 2×). Above it, messages wait for their turn
   * (the broker reads nothing more from that client meanwhile, so a terminal emptying its spool is slowed,
   * not cut off); a client so far ahead that a message would wait over 10 s is disconnected. @defaultValue 200
   */
  readonly publishesPerSecondPerClient: number;
  /** Messages of one client being stored at once; more wait their turn, unacknowledged (backpressure). @defaultValue 100 */
  readonly maxInflightPerClient: number;
  /**
   * Longest a client may stay silent, seconds. A client asking for keepalive 0 (off) or a longer one is
   * let in and held to this: closed after 1.5 × this without a packet [MQTT-3.1.2-24]. 0: no limit. @defaultValue 1200
   */
  readonly keepaliveLimitS: number;
  /** Messages the broker holds for one subscriber that reads slower than they come; past it its QoS 0 messages are dropped. @defaultValue 10000 */
  readonly maxOutgoingMessagesPerClient: number;
  /** Bytes the broker holds for one such subscriber, likewise. @defaultValue 16777216 */
  readonly maxOutgoingBytesPerClient: number;
  /** Seconds a subscriber may stay at its outgoing bound before it is disconnected; a QoS 1 or 2 message past the bound disconnects it at once. @defaultValue 10 */
  readonly slowSubscriberGraceS: number;
}

export const DEFAULT_LIMITS: BrokerLimits = Object.freeze({
  maxPacketBytes: 1024 * 1024,
  connectionsPerSecondPerAddress: 200,
  publishesPerSecondPerClient: 200,
  maxInflightPerClient: 100,
  keepaliveLimitS: 1200,
  maxOutgoingMessagesPerClient: 10_000,
  maxOutgoingBytesPerClient: 16 * 1024 * 1024,
  slowSubscriberGraceS: 10,
});
