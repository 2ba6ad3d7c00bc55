import { describe, expect, it } from 'vitest';
import { huaweiCellCandidates, levelStats, readHuaweiColumn, simulatedVibrationLevels } from '../src/index.js';

describe('the Huawei elevator file, repaired and replayed through the ride-quality code', () => {
  const vibration = readHuaweiColumn('vibration');

  it('undoes the German-locale spreadsheet: dates and lost decimal points back to smooth readings', () => {
    expect(huaweiCellCandidates('18. Jan')).toEqual([18.01, 18.1]);
    expect(huaweiCellCandidates('Apr 13')).toEqual([4.13, 4.013]);
    expect(huaweiCellCandidates('99.988')).toEqual([99.988, 9.9988]);
    expect(vibration.length).toBe(112_001);
    let maxStep = 0;
    for (let i = 1; i < vibration.length; i++) maxStep = Math.max(maxStep, Math.abs(vibration[i]! - vibration[i - 1]!));
    expect(maxStep).toBeLessThanOrEqual(0.0031); // naïvely parsed it jumps by ~90
    expect(Math.min(...vibration)).toBeCloseTo(2.0, 3);
    expect(Math.max(...vibration)).toBeCloseTo(26.0, 3);
    expect(vibration.reduce((s, v) => s + v, 0) / vibration.length).toBeCloseTo(8.714, 2);
  });

  it('its vibration is smooth ramps without measurement noise; the simulator\'s trip levels scatter around their trend', () => {
    const file = levelStats(vibration, 240); // one minute at 4 Hz
    expect(file.dynamicRange).toBeCloseTo(7.3, 1);
    expect(file.relativeNoiseA95).toBeLessThan(1e-3);
    expect(file.incrementAutocorrelation).toBeGreaterThan(0.9);
    const sim = levelStats(simulatedVibrationLevels({ seed: 1, days: 20 }), 240); // 240 trips
    expect(sim.dynamicRange).toBeGreaterThan(3);
    expect(sim.relativeNoiseA95).toBeGreaterThan(0.1);
    expect(sim.incrementAutocorrelation).toBeLessThan(-0.3);
  }, 60_000);
});
