import { describe, expect, it } from 'vitest';
import { createScoringClock } from '../src/serving/scoring-clock.js';

function clockAt(start: number) {
  let now = start;
  const clock = createScoringClock({ now: () => now, quietMs: 1_000 });
  return { clock, set: (t: number) => { now = t; } };
}

describe('scoring clock', () => {
  it('scores new records at the newest record, never going back', () => {
    const { clock } = clockAt(10_000);
    expect(clock.scoredAt('L1')).toBe(-Infinity);
    expect(clock.at('L1', 5_000)).toBe(5_000);
    expect(clock.scoredAt('L1')).toBe(10_000);
    expect(clock.at('L1', 6_000, 4_000)).toBe(5_000); // an earlier simulated time keeps the lift's time
  });

  it('rescores at the wall clock once its records are quiet, at its last time while they arrive', () => {
    const { clock, set } = clockAt(10_000);
    clock.arrived('L1');
    expect(clock.at('L1', 5_000)).toBe(5_000);
    set(10_500);
    expect(clock.at('L1', 5_000)).toBe(5_000); // records arrived 500 ms ago: still a replay
    set(12_000);
    expect(clock.at('L1', 5_000)).toBe(12_000);
    expect(clock.scoredAt('L1')).toBe(12_000);
  });

  it('a lift never scored and never arrived is scored at the wall clock', () => {
    const { clock } = clockAt(7_000);
    expect(clock.at('L1', -Infinity)).toBe(7_000);
  });

  it('keeps every lift apart, beyond the first thousands of lifts', () => {
    const { clock, set } = clockAt(1_000);
    for (let i = 0; i < 5_000; i++) clock.at(`L${i}`, 100 + i);
    set(10_000);
    for (let i = 0; i < 5_000; i += 999) {
      expect(clock.scoredAt(`L${i}`)).toBe(1_000);
      expect(clock.at(`L${i}`, 100 + i)).toBe(10_000);
    }
    expect(clock.scoredAt('L1')).toBe(1_000);
  });
});
