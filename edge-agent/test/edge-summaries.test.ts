import { describe, expect, it } from 'vitest';
import { validateRecord, type RecordStream } from '@liftwatch/contract';
import { createEdgeProcessor, summarizeDoor, summarizeTrip, type DoorRaw, type RecordDraft } from '../src/index.js';
import { fault, simulatedWindows, T0 } from './sim-windows.js';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

describe('trip summary from the simulator\'s raw signals', () => {
  const { trips } = simulatedWindows();
  const long = trips.filter((t) => t.record.distanceM > 20 && t.record.creepAfterStopMm === 0);

  it('finds the speed, distance, duration and stopping error the simulator drove, up and down', () => {
    expect(long.some((t) => t.record.toFloor > t.record.fromFloor) && long.some((t) => t.record.toFloor < t.record.fromFloor)).toBe(true);
    for (const { raw, record } of long) {
      const s = summarizeTrip(raw);
      expect(s.distanceM).toBeCloseTo(record.distanceM, 1);
      expect(s.durationS).toBeCloseTo(record.durationS, 1);
      expect(s.vMaxMps).toBeCloseTo(record.vMaxMps, 1);
      expect(Math.abs(s.aMaxMps2 - record.aMaxMps2)).toBeLessThan(0.05);
      expect(Math.abs(s.jerkMaxMps3! - record.jerkMaxMps3!)).toBeLessThan(0.25);
      expect(Math.abs(s.stopErrMm! - record.stopErrMm!)).toBeLessThan(1);
      expect(s.motorIPeakA! / record.motorIPeakA!).toBeGreaterThan(0.9);
      expect(s.motorIPeakA! / record.motorIPeakA!).toBeLessThan(1.1);
      expect(Math.abs(s.energyWh!)).toBeGreaterThan(0);
      expect(s).toMatchObject({ fromFloor: record.fromFloor, toFloor: record.toFloor, relevels: record.relevels, brakeDropMs: record.brakeDropMs });
      expect(validateRecord('trip', 'L', { schemaVersion: 1, liftId: 'L', seq: 1, ts: T0, ...s }).ok).toBe(true);
    }
  });

  it('gives the same ISO 18738-1 figures as the simulator: one ride-quality module for both', () => {
    for (const { raw, record } of trips) {
      const s = summarizeTrip(raw);
      for (const f of ['vibA95XMps2', 'vibA95YMps2', 'vibA95ZMps2', 'vibMaxPkPkXMps2', 'vibMaxPkPkYMps2', 'vibMaxPkPkZMps2', 'vibKurtosisX', 'vibKurtosisY'] as const) {
        expect(s[f], f).toBe(record[f]);
      }
    }
  });

  it('a roller flat spot raises the horizontal peak-to-peak and the kurtosis the edge finds', () => {
    const worn = simulatedWindows({ faults: [fault('rollerFlatSpot', 1.2)] }).trips.map((t) => summarizeTrip(t.raw));
    const healthy = trips.map((t) => summarizeTrip(t.raw));
    expect(mean(worn.map((s) => s.vibKurtosisX!))).toBeGreaterThan(1.5 * mean(healthy.map((s) => s.vibKurtosisX!)));
    expect(mean(worn.map((s) => s.vibMaxPkPkXMps2!))).toBeGreaterThan(2 * mean(healthy.map((s) => s.vibMaxPkPkXMps2!)));
  });

  it('sends raw windows only for an anomalous trip or on request, never per sample', () => {
    const rough = simulatedWindows({ faults: [fault('rollerFlatSpot', 1.2)] }).trips.find((t) => t.record.vibA95XMps2! > 0.2)!;
    const smooth = trips.find((t) => t.record.vibA95XMps2! < 0.1 && t.record.vibA95ZMps2! < 0.1)!;
    const out: RecordDraft[] = [];
    const edge = createEdgeProcessor((d) => out.push(...d));
    edge.trip(smooth.raw);
    expect(out.map((d) => d.stream)).toEqual(['trip']);
    edge.trip(rough.raw); // horizontal A95 above 0.15 m/s² (GB/T 10058)
    expect(out.map((d) => d.stream)).toEqual(['trip', 'trip', 'wave', 'wave', 'wave', 'wave']); // vibX, vibY, vibZ, motor current
    out.length = 0;
    expect(edge.sendWave()).toBe(4);
    const wave = out.find((d) => d.record['channel'] === 'vibX')!;
    const samples = wave.record['samples'] as number[];
    const scale = wave.record['scale'] as number;
    expect(Math.max(...samples) * scale).toBeCloseTo(Math.max(...(rough.raw.vib!.x!.samples as number[])), 2);
    for (const d of out) expect(validateRecord(d.stream as RecordStream, 'L', { schemaVersion: 1, liftId: 'L', seq: 1, ...d.record }).ok).toBe(true);
  });
});

describe('door-cycle summary from the simulator\'s raw signals', () => {
  const { doors } = simulatedWindows();

  it('finds the opening, dwell and closing times, lock delay, current and result the simulator drove', () => {
    const plain = doors.filter((d) => d.record.reopens === 0);
    expect(plain.length).toBeGreaterThan(10);
    for (const { raw, record } of plain) {
      const s = summarizeDoor(raw);
      expect(Math.abs(s.openS - record.openS)).toBeLessThan(0.06);
      expect(Math.abs(s.closeS - record.closeS)).toBeLessThan(0.06);
      expect(Math.abs(s.dwellS - record.dwellS)).toBeLessThan(0.07);
      expect(Math.abs(s.lockMadeMs! - record.lockMadeMs!)).toBeLessThanOrEqual(10);
      expect(Math.abs(s.doorMotorIMeanA! - record.doorMotorIMeanA!)).toBeLessThan(0.04);
      expect(Math.abs(s.doorMotorIPeakA! - record.doorMotorIPeakA!)).toBeLessThan(0.02);
      expect(s).toMatchObject({ reopens: 0, result: 'ok', curtainInterrupts: 0 });
      expect(validateRecord('door', 'L', { schemaVersion: 1, liftId: 'L', seq: 1, ts: T0, ...s }).ok).toBe(true);
    }
  });

  it('shows door wear as a longer close and a higher motor current', () => {
    const worn = simulatedWindows({ faults: [fault('doorFrictionWear', 0.7)] }).doors.map((d) => summarizeDoor(d.raw));
    const healthy = doors.map((d) => summarizeDoor(d.raw));
    expect(mean(worn.map((s) => s.closeS)) - mean(healthy.map((s) => s.closeS))).toBeGreaterThan(0.1);
    expect(mean(worn.map((s) => s.doorMotorIMeanA!)) - mean(healthy.map((s) => s.doorMotorIMeanA!))).toBeGreaterThan(0.6);
  });

  it('counts reopens and curtain interruptions, and reports door-time protection and a lock that is not made', () => {
    const check = (windows: ReturnType<typeof simulatedWindows>['doors'], pick: (r: (typeof windows)[number]['record']) => boolean) => {
      const chosen = windows.filter((d) => pick(d.record));
      expect(chosen.length).toBeGreaterThan(0);
      for (const { raw, record } of chosen) expect(summarizeDoor(raw)).toMatchObject({ reopens: record.reopens, curtainInterrupts: record.curtainInterrupts, result: record.result });
    };
    check(simulatedWindows({ faults: [fault('curtainMisalign', 1)] }).doors, (r) => r.curtainInterrupts! > 0 && r.result === 'ok');
    check(simulatedWindows({ faults: [fault('doorFrictionWear', 1.3)] }).doors, (r) => r.result === 'timeoutClose');
    check(simulatedWindows({ faults: [fault('lockContactWear', 1.3)], minutes: 60 }).doors, (r) => r.result === 'lockFail');
    const neverOpens: DoorRaw = { startTs: T0, floor: 1, side: 'A', position: { fsHz: 100, samples: Array.from({ length: 500 }, (_, i) => Math.min(0.5, i / 400)) } };
    expect(summarizeDoor(neverOpens).result).toBe('timeoutOpen');
  });
});
