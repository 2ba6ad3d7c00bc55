import { kurtosis, rideQuality } from '@liftwatch/contract';
import type { PhysicalState } from './components.js';
import type { Random } from './prng.js';

/** Car vibration window (docs/simulator.md): x, y, z in m/s² at `fsHz`, kinematics removed. */
export interface VibrationWindow { fsHz: number; startOffsetS: number; x: Float64Array; y: Float64Array; z: Float64Array }

export interface VibrationMetrics {
  a95X: number; a95Y: number; a95Z: number;
  maxPkPkX: number; maxPkPkY: number; maxPkPkZ: number;
  kurtosisX: number; kurtosisY: number;
}

const RAIL_LENGTH_M = 5; // guide rail sections [M]
const ROLLER_D_M = 0.1; // roller guide shoes, 75–150 mm
const FRAME_HZ = 8; // car-frame horizontal resonance, 5–15 Hz [M]
const FRAME_ZETA = 0.08;

/**
 * Synthesises x, y, z over a stretch of the constant-speed region: roller harmonics at v/(πD)
 * with flat-spot impulses, position-locked rail-joint impulses every 5 m, machine bearing impulses,
 * speed-scaled broadband noise and the sensor floor, each horizontal axis through the car-frame
 * resonance (2nd order, f_n 8 Hz, ζ 0.08).
 */
export function synthesiseVibration(p: PhysicalState, rnd: Random, x: { speedMps: number; startPosM: number; startOffsetS: number; seconds: number; fsHz: number; noiseScale?: number }): VibrationWindow {
  const n = Math.max(16, Math.round(x.seconds * x.fsHz));
  const dt = 1 / x.fsHz;
  const v = Math.max(0.05, x.speedMps);
  const ns = x.noiseScale ?? 1; // broadband ride noise and sensor floor of this lift and sensor
  const vs = v / 1.75;
  const fRoller = v / (Math.PI * ROLLER_D_M);
  const bearingHz = 10.1; // BPFO of the sheave bearing at about 2.8 Hz shaft speed
  const out = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
  const w = 2 * Math.PI * FRAME_HZ;
  // Resonator state per horizontal axis (semi-implicit Euler of ẍ + 2ζωẋ + ω²x = ω²·u).
  let px = 0; let vx = 0; let py = 0; let vy = 0;
  const phase = rnd.uniform(0, 2 * Math.PI);
  let nextJoint = Math.ceil(x.startPosM / RAIL_LENGTH_M) * RAIL_LENGTH_M;
  let rollerAngle = rnd.uniform(0, 1);
  let sinceHit = 1_000;
  // Sines by rotation (one multiply-add per sample instead of Math.sin): roller order and shaft rate.
  const rot = (hz: number) => ({ c: Math.cos(2 * Math.PI * hz * dt), s: Math.sin(2 * Math.PI * hz * dt) });
  const rr = rot(fRoller);
  const rs = rot(2.8);
  let rc = Math.cos(phase); let rsn = Math.sin(phase);
  let sc = 1; let ss = 0;
  const c13 = Math.cos(1.3); const s13 = Math.sin(1.3);
  for (let i = 0; i < n; i++) {
    const t = i * dt;
    const pos = x.startPosM + v * t;
    let ux = 0.35 * vs * rsn + 0.55 * ns * vs * rnd.gauss();
    let uy = 0.3 * vs * (rsn * c13 + rc * s13) + 0.5 * ns * vs * rnd.gauss();
    rollerAngle += fRoller * dt;
    if (rollerAngle >= 1) { // the flat spot hits the rail once per revolution
      rollerAngle -= 1;
      ux += 20 * p.rollerFlatMm * vs;
      uy += 25 * p.rollerFlatMm * vs;
      sinceHit = 0;
    }
    if (pos >= nextJoint) {
      nextJoint += RAIL_LENGTH_M;
      ux += 40 * p.railStepMm * vs;
      uy += 30 * p.railStepMm * vs;
    }
    vx += (w * w * (ux - px) - 2 * FRAME_ZETA * w * vx) * dt; px += vx * dt;
    vy += (w * w * (uy - py) - 2 * FRAME_ZETA * w * vy) * dt; py += vy * dt;
    let ax = 0.028 * px + 0.005 * ns * rnd.gauss();
    if (sinceHit < 12 && p.rollerFlatMm > 0) { // the impact itself: a short 45 Hz ring-down at the sensor, so kurtosis rises
      ax += 0.9 * p.rollerFlatMm * vs * Math.exp(-sinceHit * dt / 0.012) * Math.sin(2 * Math.PI * 45 * sinceHit * dt + 0.8);
      sinceHit++;
    }
    out.x[i] = ax;
    out.y[i] = 0.028 * py + 0.005 * ns * rnd.gauss();
    const bearing = p.bearingDefect > 0 ? p.bearingDefect * Math.max(0, Math.sin(2 * Math.PI * bearingHz * t)) ** 12 * (1 + 0.5 * ss) : 0;
    out.z[i] = (0.018 * vs + 0.006) * ns * rnd.gauss() + 0.01 * vs * ss + bearing;
    const rc2 = rc * rr.c - rsn * rr.s; rsn = rsn * rr.c + rc * rr.s; rc = rc2;
    const sc2 = sc * rs.c - ss * rs.s; ss = ss * rs.c + sc * rs.s; sc = sc2;
  }
  return { fsHz: x.fsHz, startOffsetS: x.startOffsetS, ...out };
}

/** The trip's vibration fields from its window, so `trip.vib*` agrees with the raw samples (the contract's ride-quality code, as the edge agent computes them). */
export function vibrationMetrics(wnd: VibrationWindow): VibrationMetrics {
  const x = rideQuality(wnd.x); const y = rideQuality(wnd.y); const z = rideQuality(wnd.z);
  return {
    a95X: x.a95, a95Y: y.a95, a95Z: z.a95, maxPkPkX: x.maxPkPk, maxPkPkY: y.maxPkPk, maxPkPkZ: z.maxPkPk,
    kurtosisX: kurtosis(wnd.x), kurtosisY: kurtosis(wnd.y),
  };
}

/**
 * Accelerated time: metrics of windows synthesised for the same speed and wear state are reused.
 * Speed is quantised to 0.1 m/s and the vibration wear knobs to 4 % of their failure values; for
 * each such state 6 windows are synthesised once and each trip draws one of them, so every trip's
 * `vib*` still comes from a synthesised signal of its state (a lift-year in a second).
 */
export function createVibrationSampler(rnd: Random, noiseScale = 1) {
  const cache = new Map<number | string, VibrationMetrics[]>();
  const K = 6;
  return (p: PhysicalState, speedMps: number, startPosM: number): VibrationMetrics => {
    const vq = Math.max(1, Math.round(speedMps * 10));
    const fq = Math.round(p.rollerFlatMm / 0.08);
    const rq = Math.round((p.railStepMm - 0.3) / 0.06);
    const bq = Math.round(p.bearingDefect / 0.01);
    // One small integer for the usual states (no string to build and hash per trip), a string beyond.
    const key = vq < 256 && fq >= 0 && fq < 128 && rq >= 0 && rq < 128 && bq >= 0 && bq < 128 ? vq | (fq << 8) | (rq << 15) | (bq << 22) : `${vq}|${fq}|${rq}|${bq}`;
    let set = cache.get(key);
    if (!set) {
      const q: PhysicalState = { ...p, rollerFlatMm: fq * 0.08, railStepMm: 0.3 + rq * 0.06, bearingDefect: bq * 0.01 };
      set = [];
      for (let k = 0; k < K; k++) {
        const s = Math.ceil(startPosM / 5) * 5 - 0.25 * vq / 10 + k * 5;
        set.push(vibrationMetrics(synthesiseVibration(q, rnd, { speedMps: vq / 10, startPosM: s, startOffsetS: 0, seconds: 0.5, fsHz: 256, noiseScale })));
      }
      cache.set(key, set);
    }
    return set[rnd.int(0, K - 1)]!;
  };
}
