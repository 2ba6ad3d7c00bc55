import { describe, expect, it } from 'vitest';
import { filterMatches } from '../src/upstream-gate.js';

describe('topic filters of the records that go between broker processes', () => {
  it('matches single-level and multi-level wildcards as MQTT does', () => {
    expect(filterMatches('lift/v1/+/door', 'lift/v1/L-1/door')).toBe(true);
    expect(filterMatches('lift/v1/#', 'lift/v1/L-1/status')).toBe(true);
    expect(filterMatches('#', 'lift/v1/L-1/status')).toBe(true);
    expect(filterMatches('lift/v1/+', 'lift/v1/L-1/status')).toBe(false);
    expect(filterMatches('lift/v1/+/door', 'lift/v1/L-1/trip')).toBe(false);
    expect(filterMatches('lift/v1/L-1/status', 'lift/v1/L-1/status')).toBe(true);
    expect(filterMatches('lift/v1/L-1/status/#', 'lift/v1/L-1/status')).toBe(true); // "#" also matches the parent level [MQTT-4.7.1-2]
    expect(filterMatches('lift/v1/L-1/status/x', 'lift/v1/L-1/status')).toBe(false);
  });
});
