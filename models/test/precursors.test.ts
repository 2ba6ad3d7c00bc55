import { describe, expect, it } from 'vitest';
import type { FeatureStats, Level } from '../src/features/feature-stats.js';
import { precursorsOf } from '../src/serving/precursors.js';

const flat = (v: number): Level => ({ r: v, b: v, l: v });

/** Statistics of a lift whose brake's day means are `drop` and `lift` ms against a sound 190 / 160 ms baseline. */
function brakeStats(drop: number, lift: number): FeatureStats {
  return { trip: { brakeDrop: { r: drop, b: 190, l: 190 }, brakeLift: { r: lift, b: 160, l: 160 }, creep: flat(0) } } as unknown as FeatureStats;
}

describe('the brake precursors against the lift\'s normal band', () => {
  const outside = (drop: number, lift: number) => Object.fromEntries(precursorsOf('brake', brakeStats(drop, lift), { creepAlertMm: 50 }).map((p) => [p.feature, p.outside]));

  it('leave a sound brake\'s day means (within 2 ms of its baseline) inside', () => {
    expect(outside(192, 158)).toEqual({ brakeDropMs: false, brakeLiftMs: false, creepMm: false });
  });

  it('show a brake 8 % slow to drop or 12 % slow to lift, as a worn lining is days before it fails its test', () => {
    expect(outside(206, 160)).toMatchObject({ brakeDropMs: true, brakeLiftMs: false });
    expect(outside(190, 180)).toMatchObject({ brakeDropMs: false, brakeLiftMs: true });
  });
});
