import { describe, expect, it } from 'vitest';
import { createLiftSim } from '@liftwatch/simulator';
import { FEATURE_NAMES, featuresAt, OVERHEAT_HORIZON_DAYS } from '../src/features/definition.js';
import { LiftFeatureState, type AnyRecord } from '../src/features/lift-state.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 5, 1);
const FORECAST = FEATURE_NAMES.indexOf('overheatDaysAtTrend');

/** A 16-floor lift in a warm machine room, its fan clogging from day 5 (or sound), replayed day by day: the forecast at each day's end and the first overheat trip. */
function forecastByDay(trafficScale: number, clogging: boolean, days: number) {
  const sim = createLiftSim({
    liftId: 'OF-1', seed: 3, startMs: START, fidelity: 'summary', floors: 16, trafficScale, ambient: { meanC: 30, dailyAmpC: 5 },
    faults: clogging ? [{ id: 'fan', kind: 'motorOverheat', onsetDay: 5, law: { type: 'linear', failDays: 40 } }] : [],
  });
  const state = new LiftFeatureState('OF-1');
  const forecast: number[] = [];
  let tripDay = NaN;
  for (let d = 1; d <= days && Number.isNaN(tripDay); d++) {
    for (const r of sim.advanceTo(START + d * DAY) as unknown as { stream: string; record: AnyRecord }[]) {
      if (r.stream === 'fault' && r.record['code'] === 'E17' && r.record['state'] === 'raised') tripDay = (r.record.ts - START) / DAY;
      state.add(r.stream, r.record);
    }
    forecast.push(featuresAt(state, START + d * DAY)[FORECAST]!);
  }
  return { forecast, tripDay };
}

describe('the overheat forecast (days to the trip at the thermal resistance\'s present rise)', () => {
  it('counts down to a busy lift\'s trip as its fan clogs, within days of the truth from a week ahead', () => {
    const { forecast, tripDay } = forecastByDay(3, true, 45);
    expect(tripDay).toBeGreaterThan(25);
    expect(tripDay).toBeLessThan(40);
    const before = (days: number) => forecast[Math.floor(tripDay - days) - 1]!; // the forecast at the end of that day
    expect(before(9)).toBeLessThan(20);
    expect(before(9)).toBeGreaterThan(4);
    expect(before(2)).toBeLessThan(9);
    expect(forecast.slice(0, 10)).toEqual(Array(10).fill(OVERHEAT_HORIZON_DAYS)); // before the fan's fault shows
  });

  it('stays far off on a quiet lift with the same clogging fan, which does not trip, and at its horizon on a sound busy lift', () => {
    const quiet = forecastByDay(0.5, true, 40);
    expect(quiet.tripDay).toBeNaN();
    expect(Math.min(...quiet.forecast)).toBeGreaterThan(30); // its resistance has more than quadrupled by day 40
    const sound = forecastByDay(3, false, 40);
    expect(sound.tripDay).toBeNaN();
    expect(sound.forecast.every((d) => d === OVERHEAT_HORIZON_DAYS)).toBe(true);
  });
});
