import { describe, expect, it } from 'vitest';
import { createRateLimit } from '../src/serving/rate-limit.js';

describe('the pace of scoring on the ingest thread', () => {
  it('spreads turns evenly at the given rate, however many ask at once', async () => {
    const pace = createRateLimit(50); // one turn every 20 ms
    const started = performance.now();
    const at: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => pace.turn().then(() => at.push(performance.now() - started))));
    expect(at[0]).toBeLessThan(15);
    expect(at[5]).toBeGreaterThanOrEqual(95); // five gaps of 20 ms
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(15);
  });
});
