import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimit } from '../src/serving/rate-limit.js';

describe('the pace of scoring on the ingest thread', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('spreads turns evenly at the given rate, however many ask at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const pace = createRateLimit(50); // one turn every 20 ms
    const started = performance.now();
    const at: number[] = [];
    const all = Promise.all(Array.from({ length: 6 }, () => pace.turn().then(() => at.push(performance.now() - started))));
    await vi.advanceTimersByTimeAsync(99);
    expect(at).toEqual([0, 20, 40, 60, 80]); // the first at once, then one every 20 ms
    await vi.advanceTimersByTimeAsync(1);
    await all;
    expect(at).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('gives every waiting turn at once when stopped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const pace = createRateLimit(1); // one a second
    const done: number[] = [];
    const all = Promise.all(Array.from({ length: 3 }, (_, i) => pace.turn().then(() => done.push(i))));
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toEqual([0]);
    pace.stop();
    await all;
    expect(done.sort()).toEqual([0, 1, 2]);
    await pace.turn(); // after stop: at once
  });
});
