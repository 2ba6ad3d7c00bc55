import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../src/publisher.js';

describe('the publisher\'s pause between reconnects', () => {
  it('doubles from the base after each failed try and stops at the longest pause', () => {
    const middle = () => 0.5; // no spread
    expect([1, 2, 3, 4, 5, 6, 7, 40].map((n) => reconnectDelayMs(n, 1000, 30_000, middle))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('spreads each pause by at most 20 % either way, so a fleet refused at once comes back spread out', () => {
    expect(reconnectDelayMs(3, 1000, 30_000, () => 0)).toBe(3200);
    expect(reconnectDelayMs(3, 1000, 30_000, () => 0.999_999)).toBe(4800);
    expect(reconnectDelayMs(99, 1000, 30_000, () => 0.999_999)).toBe(36_000);
  });
});
