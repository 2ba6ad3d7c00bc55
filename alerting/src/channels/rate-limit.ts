import { lwError, type ChannelKind } from '@liftwatch/contract';

export interface RateLimit {
  /** Messages allowed … */
  readonly max: number;
  /** … per this window, ms. */
  readonly perMs: number;
}

/** The robots' documented limits: a DingTalk or WeCom group robot takes 20 messages a minute (errcode 130101 / 45009 beyond). */
export const DEFAULT_RATE_LIMITS: Readonly<Partial<Record<ChannelKind, RateLimit>>> = Object.freeze({
  dingtalk: { max: 20, perMs: 60_000 },
  wecom: { max: 20, perMs: 60_000 },
});

/**
 * Rate limits per channel and address (one robot, one gateway), as a sliding window in this
 * process. A send that would pass the limit waits for a free slot when that is at most `maxWaitMs`
 * away; otherwise it fails as retryable, so the queue's backoff spreads the rest.
 */
export function createRateLimiter(limits: Readonly<Partial<Record<ChannelKind, RateLimit>>>, maxWaitMs = 3000) {
  const windows = new Map<string, number[]>();
  async function acquire(kind: ChannelKind, address: string): Promise<void> {
    const limit = limits[kind];
    if (!limit) return;
    const key = `${kind} ${address}`;
    let sent = windows.get(key);
    if (!sent) windows.set(key, (sent = []));
    for (;;) {
      const now = Date.now();
      while (sent.length > 0 && sent[0]! <= now - limit.perMs) sent.shift();
      if (sent.length < limit.max) { sent.push(now); return; }
      const wait = sent[0]! + limit.perMs - now;
      if (wait > maxWaitMs) throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `${kind} rate limit of ${limit.max} per ${limit.perMs / 1000} s reached for this address; sending again in ${Math.ceil(wait / 1000)} s or later`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  return { acquire };
}
