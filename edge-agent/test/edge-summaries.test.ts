import { describe, expect, it } from 'vitest';
import { validateRecord, type RecordStream } from '@liftwatch/contract';
import { createEdgeProcessor, rideVibration, summarizeDoor, summarizeTrip, type DoorRaw, type RecordDraft, type TripRaw } from '../src/index.js';

const T0 = 1_764_400_000_000;
const FS = 100;

/**
 * A jerk-limited trip (+j, 0, -j, cruise, -j, 0, +j), integrated at 10 kHz and sampled like an encoder
 * at 100 Hz. (The simulator's sCurve clamps the speed at 0 before the end of the last jerk phase and then
 * snaps the position onto the target, which an encoder would never see; reported to its owner.)
 */
function jerkLimited(distanceM: number, vMps: number, aMps2: number, jMps3: number): Array<{ pos: number; v: number; a: number }> {
  const tj = aMps2 / jMps3;
  const ta = vMps / aMps2 - tj;
  const tc = (distanceM - vMps * (2 * tj + ta)) / vMps;
  const phases: Array<[number, number]> = [[tj, jMps3], [ta, 0], [tj, -jMps3], [tc, 0], [tj, -jMps3], [ta, 0], [tj, jMps3]];
  const out = [{ pos: 0, v: 0, a: 0 }];
  const dt = 1e-4;
  let [pos, v, a, t, next] = [0, 0, 0, 0, 1 / FS];
  for (const [duration, j] of phases) {
    for (let k = 0; k < Math.round(duration / dt); k++) {
      a += j * dt;
      v += a * dt;
      pos += v * dt;
      t += dt;
      if (t >= next - dt / 2) { out.push({ pos, v, a }); next += 1 / FS; }
    }
  }
  return out;
}

function trip(fromM: number, distanceM: number, dir: 1 | -1, vib?: TripRaw['vib']): TripRaw {
  const samples = jerkLimited(distanceM, 1.75, 0.8, 1.2);
  const pos = samples.map((s) => fromM + dir * s.pos);
  return {
    startTs: T0, fromFloor: 2, toFloor: dir > 0 ? 12 : 1, posM: { fsHz: FS, samples: pos },
    targetPosM: pos[pos.length - 1]! - 0.004, // the car stopped 4 mm above the landing
    motorIA: { fsHz: FS, samples: samples.map((s) => 12 + 18 * Math.abs(s.a)) },
    powerW: { fsHz: FS, samples: samples.map((s) => 6_000 * Math.abs(s.v)) },
    ...(vib ? { vib } : {}),
  };
}

const sine = (amp: number, hz: number, seconds: number, fs = 256) =>
  ({ fsHz: fs, samples: Array.from({ length: seconds * fs }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / fs + 0.1)) });

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

/** A door operator: raised-cosine moves, a motor current of friction plus acceleration, a lock contact. */
function door(o: { openS: number; dwellS: number; closeS: number; frictionA: number; reopenAt?: number; lockMs?: number; stuckOpen?: boolean }): DoorRaw {
  const pos: number[] = [];
  const cur: number[] = [];
  const move = (from: number, to: number, seconds: number) => {
    const n = Math.round(seconds * FS);
    for (let i = 1; i <= n; i++) {
      const u = i / n;
      pos.push(from + (to - from) * (1 - Math.cos(Math.PI * u)) / 2);
      cur.push(o.frictionA + 0.8 * Math.abs(Math.cos(Math.PI * u)));
    }
  };
  const hold = (at: number, seconds: number) => {
    for (let i = 0; i < Math.round(seconds * FS); i++) { pos.push(at); cur.push(0.2); }
  };
  hold(0, 0.2);
  move(0, 1, o.openS);
  hold(1, o.dwellS);
  if (o.stuckOpen) hold(1, 5);
  else {
    if (o.reopenAt !== undefined) {
      move(1, o.reopenAt, o.closeS * (1 - o.reopenAt));
      move(o.reopenAt, 1, 0.8);
      hold(1, 1);
    }
    move(1, 0, o.closeS);
  }
  const closedAt = pos.length;
  hold(o.stuckOpen ? 1 : 0, 0.5);
  const lockAt = closedAt + Math.round(((o.lockMs ?? 150) / 1000) * FS);
  const lock = pos.map((_, i) => (o.lockMs === -1 || i < lockAt ? 0 : 1));
  const curtain = pos.map(() => 0);
  if (o.reopenAt !== undefined) for (let i = 0; i < 20; i++) curtain[closedAt - Math.round(o.closeS * FS) - 150 + i] = 1;
  return { startTs: T0, floor: 3, side: 'A', position: { fsHz: FS, samples: pos }, motorIA: cur, lock, curtain };
}

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
