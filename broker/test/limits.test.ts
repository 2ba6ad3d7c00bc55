import { describe, expect, it } from 'vitest';
import { createKeyedLimiter, TokenBucket } from '../src/limits.js';

describe('token bucket', () => {
  it('allows a burst, then the rate', () => {
    const b = new TokenBucket(10, 20, 0);
    let ok = 0;
    for (let i = 0; i < 100; i++) if (b.take(0)) ok++;
    expect(ok).toBe(20);
    expect(b.take(50)).toBe(false); // half a token after 50 ms
    expect(b.take(100)).toBe(true); // one token after 100 ms at 10/s
    expect(b.take(100)).toBe(false);
  });

  it('reserve() says how long a caller must wait to keep to the rate', () => {
    const b = new TokenBucket(100, 2, 0);
    expect(b.reserve(0)).toBe(0);
    expect(b.reserve(0)).toBe(0);
    expect(b.reserve(0)).toBe(10);
    expect(b.reserve(0)).toBe(20);
    expect(b.reserve(1000)).toBe(0); // refilled
  });

  it('keeps one bucket per address and forgets full ones', () => {
    const l = createKeyedLimiter(1, 2);
    expect([l.take('a', 0), l.take('a', 0), l.take('a', 0)]).toEqual([true, true, false]);
    expect(l.take('b', 0)).toBe(true);
    expect(l.size()).toBe(2);
    l.take('c', 20_000); // sweeps a and b: both full again by then
    expect(l.size()).toBe(1);
  });
});
