import { describe, expect, it } from 'vitest';
import { decodeMessage, liftTopic, type LiftRecord, type RecordOf } from '@liftwatch/contract';
import { createLiftSim, sCurve } from '../src/index.js';

const START = Date.UTC(2026, 10, 2, 1, 0, 0); // 09:00 China time, a busy hour
const HOUR = 3_600_000;

function run(seed: number, ms: number, opts: { floors?: number } = {}): LiftRecord[] {
  const sim = createLiftSim({ liftId: 'SIM-T', seed, startMs: START, ...opts });
  const out: LiftRecord[] = [];
  for (let t = START; t <= START + ms; t += 1000) out.push(...sim.advanceTo(t));
  return out;
}

const of = <S extends LiftRecord['stream']>(records: LiftRecord[], stream: S) =>
  records.filter((r) => r.stream === stream).map((r) => r.record as RecordOf<S>);

describe('simulated lift', () => {
  it('is deterministic: the same seed gives the same bytes', () => {
    expect(JSON.stringify(run(7, HOUR))).toBe(JSON.stringify(run(7, HOUR)));
    expect(JSON.stringify(run(7, HOUR))).not.toBe(JSON.stringify(run(8, HOUR)));
  });

  it('emits only records that the contract accepts, with rising seq and time', () => {
    const records = run(3, 2 * HOUR);
    expect(records.length).toBeGreaterThan(500);
    let lastSeq = -1;
    let lastTs = 0;
    for (const r of records) {
      const decoded = decodeMessage(liftTopic('SIM-T', r.stream), Buffer.from(JSON.stringify(r.record)));
      expect(decoded.rejections, JSON.stringify(r.record)).toEqual([]);
      expect(r.record.seq).toBeGreaterThan(lastSeq);
      expect(r.record.ts).toBeGreaterThanOrEqual(lastTs);
      lastSeq = r.record.seq;
      lastTs = r.record.ts;
    }
  });

  it('keeps trips and door cycles inside the ranges of docs/simulator.md', () => {
    const records = run(11, 4 * HOUR, { floors: 18 });
    const trips = of(records, 'trip');
    const doors = of(records, 'door');
    expect(trips.length).toBeGreaterThan(20);
    expect(doors.length).toBeGreaterThanOrEqual(trips.length - 1);
    for (const t of trips) {
      expect(t.aMaxMps2).toBeGreaterThan(0.3);
      expect(t.aMaxMps2).toBeLessThanOrEqual(1.5);
      expect(t.dMaxMps2).toBeLessThanOrEqual(1.5);
      expect(t.jerkMaxMps3!).toBeLessThanOrEqual(2.5);
      expect(t.vMaxMps).toBeLessThanOrEqual(1.75 * 1.05); // speed accuracy 92–105 % of rated (GB/T 10058)
      expect(Math.abs(t.stopErrMm)).toBeLessThan(20);
      expect(t.vibA95ZMps2!).toBeLessThan(0.3);
      expect(t.distanceM).toBeCloseTo(Math.abs(t.toFloor - t.fromFloor) * 3, 1);
    }
    for (const d of doors) {
      expect(d.openS).toBeGreaterThan(1.5);
      expect(d.openS).toBeLessThan(4.0);
      expect(d.closeS).toBeGreaterThan(1.5);
      expect(d.closeS).toBeLessThan(4.0);
    }
    // Long trips reach rated speed; short ones do not.
    const long = trips.filter((t) => t.distanceM >= 15);
    const short = trips.filter((t) => t.distanceM <= 3);
    if (long.length) expect(Math.max(...long.map((t) => t.vMaxMps))).toBeGreaterThan(1.6);
    if (short.length) expect(Math.max(...short.map((t) => t.vMaxMps))).toBeLessThan(1.6);
  });

  it('reports status while moving every second, with a speed that matches the trip', () => {
    const records = run(5, HOUR, { floors: 18 });
    const moving = of(records, 'status').filter((s) => Math.abs(s.speedMps) > 0.05);
    expect(moving.length).toBeGreaterThan(30);
    for (const s of moving) {
      expect(s.carDoor).toBe('locked');
      expect(Math.abs(s.speedMps)).toBeLessThanOrEqual(1.75 * 1.05);
    }
  });
});

describe('S-curve', () => {
  it('covers the distance, respects the limits, and lowers the peak on short trips', () => {
    const long = sCurve(30, { vMps: 1.75, aMps2: 0.9, jMps3: 1.2 });
    const last = long[long.length - 1]!;
    expect(last.pos).toBe(30);
    expect(Math.max(...long.map((s) => s.v))).toBeCloseTo(1.75, 1);
    expect(Math.max(...long.map((s) => Math.abs(s.a)))).toBeLessThanOrEqual(0.9 + 1e-9);
    const short = sCurve(3, { vMps: 1.75, aMps2: 0.9, jMps3: 1.2 });
    expect(Math.max(...short.map((s) => s.v))).toBeLessThan(1.75);
    expect(Math.abs(short[short.length - 2]!.pos - 3)).toBeLessThan(0.01);
  });

  it('samples at a fixed rate to the end, landing on the target without a jump (as an encoder sees it)', () => {
    for (const d of [3, 7.3, 30.05]) {
      const samples = sCurve(d, { vMps: 1.75, aMps2: 0.8, jMps3: 1.2 });
      samples.forEach((s, i) => expect(s.t).toBeCloseTo(i * 0.01, 9));
      expect(samples[samples.length - 1]!.pos).toBeCloseTo(d, 9);
      for (let i = 1; i < samples.length; i++) {
        // Each step moves what the speeds around it say (trapezoid rule): no snap onto the target.
        const moved = samples[i]!.pos - samples[i - 1]!.pos;
        expect(Math.abs(moved - ((samples[i]!.v + samples[i - 1]!.v) / 2) * 0.01)).toBeLessThan(2e-5);
      }
    }
  });
});
