import { describe, expect, it } from 'vitest';
import { createHysteresis } from '../src/serving/hysteresis.js';

describe('hysteresis', () => {
  it('raises only after the score held above the raise threshold for the minimum duration', () => {
    const h = createHysteresis({ raise: 0.6, clear: 0.3, minDurationMs: 100 });
    expect(h.update('L1', 0.7, 0)).toBeUndefined();
    expect(h.update('L1', 0.5, 50)).toBeUndefined(); // dipped: the clock restarts
    expect(h.update('L1', 0.7, 60)).toBeUndefined();
    expect(h.update('L1', 0.7, 159)).toBeUndefined();
    expect(h.update('L1', 0.8, 160)).toBe('raised');
    expect(h.update('L1', 0.9, 300)).toBeUndefined(); // once, on the change
  });

  it('does not flap between the two thresholds and clears below the lower one', () => {
    const h = createHysteresis({ raise: 0.6, clear: 0.3, minDurationMs: 0 });
    expect(h.update('L1', 0.65, 0)).toBe('raised');
    const flips = [0.55, 0.62, 0.4, 0.61, 0.31].map((s, i) => h.update('L1', s, i + 1));
    expect(flips.every((t) => t === undefined)).toBe(true);
    expect(h.update('L1', 0.29, 10)).toBe('cleared');
    expect(h.isActive('L1')).toBe(false);
    expect(h.update('L2', 0.9, 10)).toBe('raised');
    expect(h.activeKeys()).toEqual(['L2']);
  });

  it('remembers only keys heading for a change or raised, reports each change of that memory, and goes on from a saved one', () => {
    const changes: Array<[string, unknown]> = [];
    const h = createHysteresis({ raise: 0.6, clear: 0.3, minDurationMs: 100 }, [], (k, st) => changes.push([k, st]));
    h.update('L1', 0.1, 0);
    expect(h.size()).toBe(0);
    h.update('L1', 0.7, 10);
    expect(changes).toEqual([['L1', { active: false, since: 10 }]]);
    // a new process from the saved memory: the 100 ms counted from 10 raise at 110
    const again = createHysteresis({ raise: 0.6, clear: 0.3, minDurationMs: 100 }, [['L1', { active: false, since: 10 }]]);
    expect(again.pendingSince('L1')).toBe(10);
    expect(again.update('L1', 0.7, 110)).toBe('raised');
    h.update('L1', 0.2, 20);
    expect(changes.at(-1)).toEqual(['L1', undefined]); // nothing left to remember
  });

  it('refuses a clear threshold that is not below the raise threshold', () => {
    expect(() => createHysteresis({ raise: 0.5, clear: 0.5, minDurationMs: 0 })).toThrow(/must be below/);
  });
});
