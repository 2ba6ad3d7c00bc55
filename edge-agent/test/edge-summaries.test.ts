import { describe, expect, it } from 'vitest';
import { validateRecord, type RecordStream } from '@liftwatch/contract';
import { createEdgeProcessor, rideVibration, summarizeDoor, summarizeTrip, type DoorRaw, type RecordDraft } from '../src/index.js';
import { door, FS, sine, T0, trip } from './raw-signals.js';


describe('trip summary from raw signals', () => {
  it('measures speed, acceleration, jerk, distance and stopping error of an S-curve, up and down', () => {
    for (const dir of [1, -1] as const) {
      const raw = trip(dir > 0 ? 3 : 33, 30, dir);
      const s = summarizeTrip(raw);
      const pos = raw.posM.samples;
      expect(s.distanceM).toBeCloseTo(Math.abs(pos[pos.length - 1]! - pos[0]!), 3);
      expect(s.durationS).toBeCloseTo((pos.length - 1) / FS, 2);
      expect(s.vMaxMps).toBeCloseTo(1.75, 1);
      expect(s.aMaxMps2).toBeGreaterThan(0.76);
      expect(s.aMaxMps2).toBeLessThan(0.82);
      expect(s.dMaxMps2).toBeGreaterThan(0.76);
      expect(s.dMaxMps2).toBeLessThan(0.82);
      expect(s.aA95Mps2).toBeGreaterThan(0.7);
      expect(s.aA95Mps2).toBeLessThanOrEqual(s.aMaxMps2);
      expect(s.jerkMaxMps3).toBeGreaterThan(1.0);
      expect(s.jerkMaxMps3).toBeLessThan(1.4);
      expect(s.stopErrMm).toBeCloseTo(4, 1);
      expect(s.motorIPeakA).toBeCloseTo(12 + 18 * 0.8, 0);
      expect(s.energyWh).toBeGreaterThan(0);
      expect(validateRecord('trip', 'L', { schemaVersion: 1, liftId: 'L', seq: 1, ts: T0, ...s }).ok).toBe(true);
    }
  });

  it('gives ISO 18738 peak-to-peak and A95 of a vibration, and a kurtosis that rises with impacts', () => {
    // A sine of amplitude A has every peak-to-peak value 2A.
    const r = rideVibration(sine(0.05, 5, 4).samples);
    expect(r.maxPkPk).toBeCloseTo(0.1, 3);
    expect(r.a95).toBeCloseTo(0.1, 3);
    const smoothRide = summarizeTrip(trip(3, 30, 1, { x: sine(0.03, 3, 20), z: sine(0.05, 5, 20) }));
    expect(smoothRide.vibKurtosisX).toBeCloseTo(1.5, 1);
    const bumps = sine(0.03, 3, 20);
    const withImpacts = { fsHz: bumps.fsHz, samples: bumps.samples.map((v, i) => (i % 512 === 100 ? v + 0.4 : v)) }; // a rail joint step every 2 s
    const rough = summarizeTrip(trip(3, 30, 1, { x: withImpacts }));
    expect(rough.vibKurtosisX!).toBeGreaterThan(5 * smoothRide.vibKurtosisX!);
    expect(rough.vibMaxPkPkXMps2!).toBeGreaterThan(0.4);
  });

  it('sends raw windows only for an anomalous trip or on request, never per sample', () => {
    const out: RecordDraft[] = [];
    const edge = createEdgeProcessor((d) => out.push(...d));
    edge.trip(trip(3, 30, 1, { z: sine(0.05, 5, 20) })); // A95 z 0.10: normal
    expect(out.map((d) => d.stream)).toEqual(['trip']);
    edge.trip(trip(3, 30, 1, { z: sine(0.15, 5, 20) })); // A95 z 0.30 > 0.20 (GB/T 10058)
    expect(out.map((d) => d.stream)).toEqual(['trip', 'trip', 'wave', 'wave']); // vibZ and motor current
    out.length = 0;
    expect(edge.sendWave()).toBe(2);
    const wave = out.find((d) => d.record['channel'] === 'vibZ')!;
    const samples = wave.record['samples'] as number[];
    const scale = wave.record['scale'] as number;
    expect(Math.max(...samples) * scale).toBeCloseTo(0.15, 3);
    for (const d of out) expect(validateRecord(d.stream as RecordStream, 'L', { schemaVersion: 1, liftId: 'L', seq: 1, ...d.record }).ok).toBe(true);
  });
});

describe('door-cycle summary from raw signals', () => {
  it('measures opening, dwell and closing times, lock delay and current', () => {
    const s = summarizeDoor(door({ openS: 2.6, dwellS: 3, closeS: 3.0, frictionA: 0.9 }));
    // 5 %–95 % of a raised-cosine move covers 0.713 of its time.
    expect(s.openS).toBeCloseTo(2.6 * 0.713, 1);
    expect(s.closeS).toBeCloseTo(3.0 * 0.713, 1);
    expect(s.dwellS).toBeGreaterThan(3);
    // Measured from the 5 % point of the close: the last 5 % of travel (about 0.43 s here) plus the 150 ms contact delay.
    expect(s.lockMadeMs).toBeGreaterThanOrEqual(150 + 400);
    expect(s.lockMadeMs).toBeLessThan(150 + 480);
    expect(s).toMatchObject({ reopens: 0, result: 'ok', curtainInterrupts: 0 });
    expect(validateRecord('door', 'L', { schemaVersion: 1, liftId: 'L', seq: 1, ts: T0, ...s }).ok).toBe(true);
  });

  it('shows door wear as a longer close and a higher motor current (domain §3 precursor)', () => {
    const healthy = summarizeDoor(door({ openS: 2.6, dwellS: 3, closeS: 3.0, frictionA: 0.9 }));
    const worn = summarizeDoor(door({ openS: 2.9, dwellS: 3, closeS: 4.2, frictionA: 1.6 }));
    expect(worn.closeS - healthy.closeS).toBeGreaterThan(0.8);
    expect(worn.doorMotorIMeanA! - healthy.doorMotorIMeanA!).toBeGreaterThan(0.6);
  });

  it('counts a reopen and a curtain interruption, and reports timeouts and a lock that is not made', () => {
    expect(summarizeDoor(door({ openS: 2.6, dwellS: 3, closeS: 3, frictionA: 1, reopenAt: 0.5 }))).toMatchObject({ reopens: 1, curtainInterrupts: 1, result: 'ok' });
    expect(summarizeDoor(door({ openS: 2.6, dwellS: 3, closeS: 3, frictionA: 1, stuckOpen: true })).result).toBe('timeoutClose');
    expect(summarizeDoor(door({ openS: 2.6, dwellS: 3, closeS: 3, frictionA: 1, lockMs: -1 })).result).toBe('lockFail');
    const neverOpens: DoorRaw = { startTs: T0, floor: 1, side: 'A', position: { fsHz: FS, samples: Array.from({ length: 500 }, (_, i) => Math.min(0.5, i / 400)) } };
    expect(summarizeDoor(neverOpens).result).toBe('timeoutOpen');
  });
});
