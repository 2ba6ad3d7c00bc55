import { describe, expect, it } from 'vitest';
import { a95, peakToPeakValues as peakToPeak, type RecordOf, type LiftRecord } from '@liftwatch/contract';
import { createComponents, createLiftSim, createOnOffSchedule, createSeverityTrack, doorCycle, lawSeverity, synthesiseVibration, vibrationMetrics } from '../src/index.js';
import { createRandom } from '../src/prng.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 6, 1, 16, 0, 0); // local midnight (CST)
const of = <S extends LiftRecord['stream']>(records: LiftRecord[], stream: S) => records.filter((r) => r.stream === stream).map((r) => r.record as RecordOf<S>);
const pct = (values: number[], p: number) => { const s = [...values].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };

describe('degradation laws (docs/simulator.md)', () => {
  it('step, linear, exp and Weibull reach the failure threshold as documented', () => {
    expect(lawSeverity({ type: 'step' }, 0)).toBe(1);
    expect(lawSeverity({ type: 'step' }, -1)).toBe(0);
    expect(lawSeverity({ type: 'linear', failDays: 40 }, 10)).toBeCloseTo(0.25);
    expect(lawSeverity({ type: 'exp', failDays: 40, tauDays: 10 }, 40)).toBeCloseTo(1);
    expect(lawSeverity({ type: 'exp', failDays: 40, tauDays: 10 }, 20)).toBeLessThan(0.5 * lawSeverity({ type: 'linear', failDays: 40 }, 20)); // slow start
    expect(lawSeverity({ type: 'weibull', beta: 3, etaDays: 40 }, 40)).toBeCloseTo(1 - Math.exp(-1));
  });

  it('an intermittent fault switches on and off with the mean holding times, the same at every query', () => {
    const sched = createOnOffSchedule(5, 0, 30, 90);
    const probe = (s: typeof sched) => Array.from({ length: 20_000 }, (_, i) => s.isOn(i * 60_000));
    const a = probe(sched);
    expect(a).toEqual(probe(createOnOffSchedule(5, 0, 30, 90)));
    const onShare = a.filter(Boolean).length / a.length;
    expect(onShare).toBeGreaterThan(0.15);
    expect(onShare).toBeLessThan(0.35); // 30 / (30 + 90) = 0.25
  });

  it('maintenance removes part of the wear, which then grows at the law\'s rate; RUL follows', () => {
    const track = createSeverityTrack({ type: 'linear', failDays: 100 }, 0, 1.2, 1);
    expect(track.at(50 * DAY)).toBeCloseTo(0.5);
    expect(track.rulDays(50 * DAY)).toBeCloseTo(50, 1);
    track.repair(50 * DAY, 0.4);
    expect(track.at(50 * DAY)).toBeCloseTo(0.3);
    expect(track.at(60 * DAY)).toBeCloseTo(0.4);
    expect(track.rulDays(50 * DAY)).toBeCloseTo(70, 1);
    expect(track.at(500 * DAY)).toBeCloseTo(1.2); // the repaired part wears on to the cap
  });

  it('a repair sets the virtual age back, so an accelerating wear resumes slowly; a replaced part is new', () => {
    const law = { type: 'power', failDays: 100, exponent: 2 } as const;
    const track = createSeverityTrack(law, 0, 1.2, 1);
    expect(track.at(90 * DAY)).toBeCloseTo(0.81);
    track.repair(90 * DAY, 0.5); // virtual age 90 → 45 days
    expect(track.at(90 * DAY)).toBeCloseTo(0.2025);
    expect(track.at(100 * DAY)).toBeCloseTo(0.3025); // growing at the rate of age 45–55, not of age 90–100
    track.renew(100 * DAY);
    expect(track.at(100 * DAY)).toBe(0);
    expect(track.at(300 * DAY)).toBe(0);
  });
});

describe('door operator physics', () => {
  it('friction raises the current first, then stretches the close until door-time protection trips', () => {
    const rnd = createRandom(3);
    const base = { open: 2.6, close: 3.0 };
    const at = (frictionX: number) => {
      const p = { ...createComponents([], 0, 1, undefined).physical(0), doorFrictionX: frictionX };
      const cycles = Array.from({ length: 200 }, () => doorCycle(p, rnd, { floor: 2, boarding: 1, base, startTs: START, raw: false, envelope: { liftId: 'D', seq: 1, ts: START } }).fields);
      return { close: cycles.reduce((s, c) => s + c.closeS, 0) / 200, current: cycles.reduce((s, c) => s + c.doorMotorIMeanA!, 0) / 200, timeouts: cycles.filter((c) => c.result === 'timeoutClose').length };
    };
    const healthy = at(1); const worn = at(2.2); const failing = at(3.3);
    expect(worn.current / healthy.current).toBeGreaterThan(1.5);
    expect(worn.close / healthy.close).toBeLessThan(1.15);
    expect(worn.timeouts).toBe(0);
    expect(failing.timeouts).toBeGreaterThan(100);
  });

  it('raw door samples agree with the summary (5–95 % movement times, mean and peak current, lock delay)', () => {
    const p = createComponents([], 0, 1, undefined).physical(0);
    const c = doorCycle(p, createRandom(9), { floor: 4, boarding: 2, base: { open: 2.6, close: 3.0 }, startTs: START, raw: true, envelope: { liftId: 'D', seq: 1, ts: START } });
    const raw = c.raw!;
    const first = (from: number, test: (v: number) => boolean) => raw.position.findIndex((v, i) => i >= from && test(v));
    const open5 = first(0, (v) => v > 0.05);
    const open95 = first(open5, (v) => v >= 0.95);
    expect((open95 - open5) / 100).toBeCloseTo(c.fields.openS, 1);
    const openEnd = first(open95, (v) => v >= 0.9999);
    const moving = raw.currentA.slice(0, openEnd + 1);
    expect(moving.reduce((s, v) => s + v, 0) / moving.length).toBeCloseTo(c.fields.doorMotorIMeanA!, 1);
    expect(Math.max(...moving)).toBeCloseTo(c.fields.doorMotorIPeakA!, 1);
    const close95 = raw.position.findLastIndex((v) => v >= 0.95);
    const closed = first(close95, (v) => v <= 0.05);
    expect((closed - close95) / 100).toBeCloseTo(c.fields.closeS, 1);
    expect((raw.lock.indexOf(1) - closed) * 10).toBeCloseTo(c.fields.lockMadeMs!, -1);
  });
});

describe('car vibration (ISO 18738-1 style)', () => {
  it('peak-to-peak between zero crossings, A95 and max', () => {
    // a sine of amplitude 0.1 has peak-to-peak 0.2 between every pair of half waves
    const s = Array.from({ length: 1000 }, (_, i) => 0.1 * Math.sin(2 * Math.PI * 5 * i / 256 + 0.1));
    const pp = peakToPeak(s);
    expect(pp.length).toBeGreaterThan(30);
    expect(a95(pp)).toBeCloseTo(0.2, 2);
    expect(peakToPeak([1, 2, -3, -1, 4, -0.5])).toEqual(new Float64Array([5, 7, 4.5]));
  });

  it('a roller flat spot raises horizontal A95 and kurtosis; a rail step shows at each joint', () => {
    const base = createComponents([], 0, 1, undefined).physical(0);
    const m = (p: typeof base) => vibrationMetrics(synthesiseVibration(p, createRandom(4), { speedMps: 1.75, startPosM: 2, startOffsetS: 2, seconds: 4, fsHz: 256 }));
    const healthy = m(base);
    const flat = m({ ...base, rollerFlatMm: 1.5 });
    expect(healthy.a95X).toBeLessThan(0.15); // GB/T 10058 horizontal A95 ≤ 0.15 m/s²
    expect(flat.a95X).toBeGreaterThan(2 * healthy.a95X);
    expect(flat.kurtosisX).toBeGreaterThan(healthy.kurtosisX);
    expect(m({ ...base, railStepMm: 1.8 }).maxPkPkX).toBeGreaterThan(2 * healthy.maxPkPkX);
  });
});

describe('raw windows (option raw) agree with the trip summaries', () => {
  it('speed, duration, distance and vibration metrics are those of the samples', () => {
    const sim = createLiftSim({ liftId: 'RAW-1', seed: 8, startMs: START + 9 * 3_600_000, floors: 18, raw: true });
    const records = sim.advanceTo(START + 10 * 3_600_000);
    const raws = sim.drainRaw();
    const trips = of(records, 'trip');
    const tripRaws = raws.filter((r) => r.kind === 'trip');
    expect(tripRaws.length).toBe(trips.length);
    expect(raws.filter((r) => r.kind === 'door').length).toBe(of(records, 'door').length);
    for (const w of tripRaws.slice(0, 20)) {
      if (w.kind !== 'trip') continue;
      const t = trips.find((x) => x.seq === w.recordSeq)!;
      expect(Math.max(...w.speedMps.map(Math.abs))).toBeCloseTo(t.vMaxMps, 2);
      expect(Math.abs(w.posM[w.posM.length - 1]! - w.posM[0]!)).toBeCloseTo(t.distanceM, 1);
      expect((w.posM[w.posM.length - 1]! - w.targetPosM) * 1000).toBeCloseTo(t.stopErrMm, -1); // stopped off the landing by the stop error
      expect((w.speedMps.length - 1) / w.fsHz).toBeCloseTo(t.durationS, 1);
      const m = vibrationMetrics({ fsHz: w.vibration.fsHz, startOffsetS: 0, x: Float64Array.from(w.vibration.x), y: Float64Array.from(w.vibration.y), z: Float64Array.from(w.vibration.z) });
      expect(m.a95X).toBeCloseTo(t.vibA95XMps2!, 2);
      expect(m.maxPkPkZ).toBeCloseTo(t.vibMaxPkPkZMps2!, 2);
    }
  });
});

describe('healthy baseline distributions sit inside the documented ranges', () => {
  it('acceleration, jerk, speed, A95, door times and stop error over three days of three lifts', () => {
    const trips: RecordOf<'trip'>[] = [];
    const doors: RecordOf<'door'>[] = [];
    for (const seed of [1, 2, 3]) {
      const sim = createLiftSim({ liftId: `BASE-${seed}`, seed, startMs: START, floors: 18, fidelity: 'fast', statusIdleS: 300 });
      const r = sim.advanceTo(START + 3 * DAY);
      trips.push(...of(r, 'trip'));
      doors.push(...of(r, 'door'));
      expect(of(r, 'fault'), 'a healthy lift raises nothing').toEqual([]);
    }
    expect(trips.length).toBeGreaterThan(1000);
    for (const t of trips) {
      expect(t.aMaxMps2).toBeLessThanOrEqual(1.5); // max ≤ 1.5 m/s² (GB 50182-93)
      expect(t.dMaxMps2).toBeLessThanOrEqual(1.5);
      expect(t.jerkMaxMps3!).toBeLessThanOrEqual(2.0); // comfort ceiling about 2 m/s³
      expect(t.vMaxMps).toBeLessThanOrEqual(1.75 * 1.05); // speed accuracy 92–105 %
      expect(t.vibA95XMps2!).toBeLessThanOrEqual(0.15); // GB/T 10058: x, y A95 ≤ 0.15
      expect(t.vibA95YMps2!).toBeLessThanOrEqual(0.15);
      expect(t.vibA95ZMps2!).toBeLessThanOrEqual(0.2); // z A95 ≤ 0.20
    }
    const long = trips.filter((t) => t.distanceM >= 12);
    expect(pct(long.map((t) => t.vMaxMps), 0.05)).toBeGreaterThanOrEqual(1.75 * 0.92); // speed accuracy ≥ 92 % where rated speed is reached
    expect(pct(trips.map((t) => t.aMaxMps2), 0.5)).toBeGreaterThanOrEqual(0.5); // typical 0.6–1.0
    expect(pct(trips.map((t) => t.jerkMaxMps3!), 0.5)).toBeGreaterThanOrEqual(0.8); // typical 0.8–1.5
    expect(pct(trips.map((t) => Math.abs(t.stopErrMm)), 0.95)).toBeLessThanOrEqual(10); // stopping accuracy ±10 mm
    expect(trips.filter((t) => t.relevels > 0).length / trips.length).toBeLessThan(0.01);
    expect(pct(trips.map((t) => t.vibMaxPkPkZMps2!), 0.95)).toBeLessThanOrEqual(0.3); // z max pk-pk ≤ 0.30
    for (const d of doors) {
      expect(d.openS).toBeLessThanOrEqual(4.0); // GB/T 10058 Table 1, centre-opening 800–1000 mm ≤ 4.0 s
      expect(d.closeS).toBeLessThanOrEqual(4.0);
      expect(d.openS).toBeGreaterThan(1.5);
    }
    expect(pct(doors.map((d) => d.dwellS), 0.5)).toBeGreaterThanOrEqual(2); // dwell typically 2–5 s
    expect(pct(doors.map((d) => d.dwellS), 0.5)).toBeLessThanOrEqual(6);
  }, 60_000);
});
