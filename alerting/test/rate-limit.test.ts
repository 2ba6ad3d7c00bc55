import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from '../src/channels/rate-limit.js';

describe('per-channel rate limit', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('lets the limit through, makes the next wait for a free slot, and keeps addresses apart', async () => {
    // The limiter's clock (Date.now, setTimeout) is a fake one: the wait is read off it, not off a loaded machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const limiter = createRateLimiter({ dingtalk: { max: 2, perMs: 300 } });
    const t0 = Date.now();
    await limiter.acquire('dingtalk', 'robot-1');
    await limiter.acquire('dingtalk', 'robot-1');
    await limiter.acquire('dingtalk', 'robot-2'); // another robot: its own window
    expect(Date.now() - t0).toBe(0); // none of the three waited
    let third = false;
    const thirdOfRobot1 = limiter.acquire('dingtalk', 'robot-1').then(() => { third = true; });
    await vi.advanceTimersByTimeAsync(299);
    expect(third).toBe(false); // its window is full until the first send is 300 ms old
    await vi.advanceTimersByTimeAsync(1);
    await thirdOfRobot1;
    expect(third).toBe(true);
    await limiter.acquire('webhook', 'anything'); // no limit for webhooks
  });

  it('fails as retryable when the wait would be longer than allowed', async () => {
    const limiter = createRateLimiter({ wecom: { max: 1, perMs: 60_000 } }, 100);
    await limiter.acquire('wecom', 'robot');
    await expect(limiter.acquire('wecom', 'robot')).rejects.toMatchObject({ code: 'LW_ERR_CHANNEL_UNAVAILABLE', retryable: true });
  });
});
