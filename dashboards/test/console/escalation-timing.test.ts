import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the console, without types
import { AFTER_DUE_MS, BUSY_MS, NOBODY_YET_MS, nextReadIn } from '../../console/src/escalation-timing.js';

// When the inbox reads an alert's escalation again: an alert whose first notification has not gone
// out must keep being read, also when the inbox first saw it long after it opened (a loaded node).
const T = 1_800_000_000_000;
const view = (over: Record<string, unknown> = {}) => ({ notified: [], next: null, reminder: null, ...over });
const read = (v: unknown, openedAt: number, now: number, open?: boolean): number | null => nextReadIn(v, openedAt, now, open) as number | null;

describe('the inbox reads an escalation again', () => {
  it('every 2 s while a delivery is sending or retrying', () => {
    expect(read(view({ notified: [{ outcome: 'retrying' }], next: { at: T + 600_000 } }), T - 60_000, T)).toBe(BUSY_MS);
    expect(read(view({ notified: [{ outcome: 'sending' }] }), T - 60_000, T)).toBe(BUSY_MS);
  });

  it('every 2 s in an open alert\'s first 15 s with nobody notified yet', () => {
    expect(read(view(), T - 5_000, T)).toBe(BUSY_MS);
  });

  it('still, every 10 s, when nobody was notified yet after the first 15 s, even with the next step minutes away', () => {
    expect(read(view({ next: { at: T + 15 * 60_000 } }), T - 60_000, T)).toBe(NOBODY_YET_MS);
  });

  it('once notified: when the next step or reminder is due, whichever comes first', () => {
    const notified = [{ outcome: 'sent' }];
    expect(read(view({ notified, next: { at: T + 300_000 }, reminder: { at: T + 120_000 } }), T - 60_000, T)).toBe(120_000 + AFTER_DUE_MS);
    expect(read(view({ notified, next: { at: T - 1 } }), T - 60_000, T)).toBeNull();
  });

  it('not at all for a resolved alert that notified nobody', () => {
    expect(read(view(), T - 60_000, T, false)).toBeNull();
  });
});
