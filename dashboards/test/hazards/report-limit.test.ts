import { describe, expect, it } from 'vitest';
import { createReportLimit } from '../../src/hazards/report-limit.js';

const HOUR = 3_600_000;

describe('the public page\'s report limit', () => {
  it('takes a few reports an hour from one address, says how long to wait, and takes them again as the hour slides', () => {
    const limit = createReportLimit({ perAddress: 2, perLift: 100, windowMs: HOUR });
    expect(limit.take('10.0.0.1', 'L1', 0)).toBe(0);
    expect(limit.take('10.0.0.1', 'L2', 600_000)).toBe(0);
    expect(limit.take('10.0.0.1', 'L3', 1_200_000)).toBe(2_400); // the first report leaves the window at 60 min
    expect(limit.take('10.0.0.2', 'L3', 1_200_000)).toBe(0); // another address is not held up
    expect(limit.take('10.0.0.1', 'L3', HOUR)).toBe(0);
    expect(limit.take('10.0.0.1', 'L3', HOUR + 1)).toBe(600);
  });

  it('caps the reports about one lift from all addresses together; a refused try is not counted', () => {
    const limit = createReportLimit({ perAddress: 5, perLift: 3, windowMs: HOUR });
    for (let i = 0; i < 3; i++) expect(limit.take(`10.0.1.${i}`, 'L1', i)).toBe(0);
    expect(limit.take('10.0.1.9', 'L1', 10)).toBeGreaterThan(3_590);
    expect(limit.take('10.0.1.9', 'L2', 11)).toBe(0);
    expect(limit.take('10.0.1.9', 'L1', HOUR)).toBe(0);
  });
});
