import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/channels/rate-limit.js';

describe('per-channel rate limit', () => {
  it('lets the limit through, makes the next wait for a free slot, and keeps addresses apart', async () => {
    const limiter = createRateLimiter({ dingtalk: { max: 2, perMs: 300 } });
    const t0 = Date.now();
    await limiter.acquire('dingtalk', 'robot-1');
    await limiter.acquire('dingtalk', 'robot-1');
    await limiter.acquire('dingtalk', 'robot-2'); // another robot: its own window
    expect(Date.now() - t0).toBeLessThan(100);
    await limiter.acquire('dingtalk', 'robot-1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await limiter.acquire('webhook', 'anything'); // no limit for webhooks
  });

  it('fails as retryable when the wait would be longer than allowed', async () => {
    const limiter = createRateLimiter({ wecom: { max: 1, perMs: 60_000 } }, 100);
    await limiter.acquire('wecom', 'robot');
    await expect(limiter.acquire('wecom', 'robot')).rejects.toMatchObject({ code: 'LW_ERR_CHANNEL_UNAVAILABLE', retryable: true });
  });
});
