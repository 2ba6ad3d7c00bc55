import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../src/auth/login-throttle.js';

describe('login throttle (per address and account, doubling delays)', () => {
  it('delays the address that keeps failing at an account, never another address trying that account', () => {
    const t = createLoginThrottle({ freeFailures: 5, firstDelayMs: 1000, maxDelayMs: 8000 });
    for (let i = 0; i < 5; i++) {
      expect(t.waitFor('10.0.0.9', 'admin', i)).toBe(0);
      t.failed('10.0.0.9', 'admin', i);
    }
    expect(t.waitFor('10.0.0.9', 'admin', 4)).toBe(1); // the fifth failure earns a 1 s delay
    expect(t.waitFor('10.0.0.1', 'admin', 4)).toBe(0); // the crew's own address is not held up
    expect(t.waitFor('10.0.0.9', 'crew-1', 4)).toBe(0); // nor this address at another account
    t.failed('10.0.0.9', 'admin', 1004);
    expect(t.waitFor('10.0.0.9', 'admin', 1004)).toBe(2); // doubled
    for (let i = 0; i < 10; i++) t.failed('10.0.0.9', 'ADMIN', 2000 + i); // names are case-insensitive
    expect(t.waitFor('10.0.0.9', 'admin', 2009)).toBe(8); // capped at maxDelayMs
    t.succeeded('10.0.0.9', 'admin');
    expect(t.waitFor('10.0.0.9', 'admin', 2009)).toBe(0);
  });

  it('slows one address spraying many accounts, and forgets failures after a quiet while', () => {
    const t = createLoginThrottle({ freeFailures: 3, addressFreeFailures: 6, firstDelayMs: 1000, forgetAfterMs: 60_000 });
    for (let i = 0; i < 6; i++) t.failed('10.0.0.9', `user-${i}`, i);
    expect(t.waitFor('10.0.0.9', 'user-99', 6)).toBe(1);
    expect(t.waitFor('10.0.0.8', 'user-99', 6)).toBe(0);
    t.failed('10.0.0.7', 'ann', 0);
    t.failed('10.0.0.7', 'ann', 1);
    t.failed('10.0.0.7', 'ann', 2);
    expect(t.waitFor('10.0.0.7', 'ann', 3)).toBe(1);
    expect(t.waitFor('10.0.0.7', 'ann', 2 + 1000 + 60_001)).toBe(0); // forgotten
    t.failed('10.0.0.7', 'ann', 70_000);
    expect(t.waitFor('10.0.0.7', 'ann', 70_000)).toBe(0); // a fresh count: one failure
  });
});
