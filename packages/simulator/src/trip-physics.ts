import { CONTRACT_VERSION, RIDE_QUALITY_DIGITS, type TripRecord } from '@liftwatch/contract';
import type { PhysicalState } from './components.js';
import type { MotionPlan, MotionSample } from './motion.js';
import type { Random } from './prng.js';
import { synthesiseVibration, vibrationMetrics, type VibrationMetrics, type VibrationWindow } from './vibration.js';
import { round1, round2, round3 } from './round.js';

export type TripFields = Omit<TripRecord, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>;

/** Masses and drive of the default lift (docs/simulator.md). */
export const RATED_LOAD_KG = 1000;
const G = 9.81;
const CAR_KG = 1.2 * RATED_LOAD_KG;
const CWT_KG = CAR_KG + 0.45 * RATED_LOAD_KG; // balance factor K = 0.45
const M_ROT_EQ = 400; // sheave, motor and ropes referred to the car
const KT_NM_PER_A = 20; // gearless PMSM, 2:1 roping, R = 0.2 m
const SHEAVE_R_M = 0.2;
const ROPING = 2;
const I_MAGNETISING_A = 4;
const ETA = 0.85;
/** Brake holding force at the car: 1.6 × the imbalance at 125 % load (EN 81-20 5.9.2.2.2.1 asks the brake to stop 125 % load). */
const F_HOLD0_N = 1.6 * (CAR_KG + 1.25 * RATED_LOAD_KG - CWT_KG) * G;
/** Brake-force self-test: the brake must hold the imbalance of 125 % load (vendor 209/210 test). */
export const BRAKE_TEST_N = (CAR_KG + 1.25 * RATED_LOAD_KG - CWT_KG) * G;
const RIDE_FACTOR = 10 ** RIDE_QUALITY_DIGITS;
/** `round(x, RIDE_QUALITY_DIGITS)` with the factor fixed, small enough to be inlined. */
const roundRide = (x: number): number => Math.round(x * RIDE_FACTOR) / RIDE_FACTOR;

export interface TripContext {
  plan: MotionPlan; dir: 1 | -1; loadPct: number; rated: number; fromFloor: number; toFloor: number;
  startTs: number; floorHeightM: number; floors: number; relevelMm: number;
  /** The record's envelope: the trip record is built whole, in one object (no copy per record). */
  envelope: { liftId: string; seq: number; ts: number };
  /** Fast (accelerated time): vibration metrics from the sampler of synthesised windows; undefined: synthesise this trip's window. */
  vibrationSampler: ((p: PhysicalState, speedMps: number, startPosM: number) => VibrationMetrics) | undefined;
  /** Broadband ride noise and sensor floor of this lift's car and sensor, × the default. */
  vibrationNoiseScale: number;
}

export interface TripResult {
  fields: TripRecord;
  /** Winding heat of the trip, J (I_rms² R_w t). */
  heatJ: number;
  /** The stop ended outside the door zone: a levelling dropout the relevel could not fix, or a rope stretch beyond what levelling takes up. */
  outsideZone: boolean;
  /** What put it there. */
  outsideZoneCause: 'levelling' | 'ropes';
  levelDropout: boolean;
  /** The trip's synthesised window (full fidelity). */
  vibration: VibrationWindow | undefined;
}

/** Brake holding force for the wear state (docs/simulator.md)·(1 − s_spring)). */
export function brakeHoldN(p: PhysicalState): number {
  return F_HOLD0_N * (1 - 0.5 * p.brakeLiningWear) * (1 - p.brakeSpringLoss);
}

/** Out-of-balance force the brake must hold at a load, N (positive: the car side is heavier). */
export function imbalanceN(loadPct: number): number {
  return (CAR_KG + loadPct / 100 * RATED_LOAD_KG - CWT_KG) * G;
}

/**
 * One trip's physics (docs/simulator.md): drive force F = (m_c + m_L − m_cw)·g + m_eq·a + friction,
 * current I = F·R/(r·k_t), energy with η^±1, the brake, levelling (rope stretch ΔL with load),
 * traction slip (groove wear), and vibration metrics from a synthesised window.
 */
export function tripPhysics(p: PhysicalState, rnd: Random, c: TripContext): TripResult {
  const { plan, dir } = c;
  const loadKg = c.loadPct / 100 * RATED_LOAD_KG;
  const mEq = CAR_KG + CWT_KG + loadKg + M_ROT_EQ;
  const fStatic = dir * (CAR_KG + loadKg - CWT_KG) * G + 300 + 120 * p.rollerFlatMm; // guide friction
  const k = SHEAVE_R_M / ROPING / KT_NM_PER_A;
  // Phase integrals of the S-curve: accelerating, cruising, decelerating.
  const tAcc = 2 * plan.tj + plan.ta;
  const meanA = tAcc > 0 ? plan.vPk / tAcc : 0;
  const meanA2 = tAcc > 0 ? plan.aPk * plan.aPk * (plan.ta + (2 * plan.tj) / 3) / tAcc : 0;
  const varI = k * k * mEq * mEq * Math.max(0, meanA2 - meanA * meanA);
  const i2Acc = (Math.abs(k * (fStatic + mEq * meanA)) + I_MAGNETISING_A) ** 2 + varI;
  const i2Dec = (Math.abs(k * (fStatic - mEq * meanA)) + I_MAGNETISING_A) ** 2 + varI;
  const i2 = i2Acc * tAcc + (Math.abs(k * fStatic) + I_MAGNETISING_A) ** 2 * plan.tc + i2Dec * tAcc;
  const duration = Math.max(plan.durationS, 0.01);
  const iRms = Math.sqrt(i2 / duration);
  const iPeak = Math.max(Math.abs(k * (fStatic + mEq * plan.aPk)), Math.abs(k * (fStatic - mEq * plan.aPk))) + I_MAGNETISING_A; // accelerating or braking, whichever pulls harder
  const dAcc = plan.rampM;
  const dCruise = plan.vPk * plan.tc;
  const energyWh = wh(fStatic * dAcc + 0.5 * mEq * plan.vPk ** 2) + wh(fStatic * dCruise) + wh(fStatic * dAcc - 0.5 * mEq * plan.vPk ** 2);

  // Brake: spring loss slows the drop, lining wear (air gap) slows the lift; creep if it cannot hold.
  const brakeLiftMs = rnd.normal(160 * (1 + 0.5 * p.brakeLiningWear), 8);
  const brakeDropMs = rnd.normal(190 * (1 + 0.7 * p.brakeSpringLoss + 0.2 * p.brakeLiningWear), 10);
  const margin = brakeHoldN(p) / Math.max(1, Math.abs(imbalanceN(c.loadPct)));
  let creep = 0;
  if (margin < 1) creep = 100 + 1_100 * Math.min(1, 1 - margin) * rnd.uniform(0.8, 1.2); // the UCM device stops it within 1.2 m (EN 81-20 5.6.7.5)
  else if (margin < 1.3) creep = 4 * (1.3 - margin) / 0.3 * rnd.uniform(0.5, 1.5);

  // Levelling: rope stretch grows with load and rope length below the sheave (ΔL = m·g·L/(n·E·A));
  // an elongated rope past its limit also leaves a step the levelling no longer takes up.
  const ropeLenM = (c.floors - c.toFloor) * c.floorHeightM + 5;
  const bias = -(loadKg / RATED_LOAD_KG) * (ropeLenM / 30) * (2 + 110 * p.ropeStretch) - 1_360 * Math.max(0, p.ropeStretch - 0.5) ** 2 * (0.5 + loadKg / RATED_LOAD_KG);
  let stopErr = rnd.normal(bias, 3.5);
  const levelDropout = rnd.next() < p.levelDropoutProb;
  if (levelDropout) stopErr += (rnd.next() < 0.5 ? -1 : 1) * rnd.uniform(60, 320);
  const relevels = Math.abs(stopErr) > c.relevelMm ? (Math.abs(stopErr) > 150 ? 2 : 1) : 0;
  const ropeStep = !levelDropout && Math.abs(stopErr) > 200;
  const outsideZone = ropeStep || (levelDropout && Math.abs(stopErr) > 200 && rnd.next() < 0.5);
  // Traction: groove wear lowers μ; slip grows with load and acceleration (T1/T2 ≤ e^{μα}).
  const slip = rnd.normal(0, 0.4) + (p.grooveWear > 0 ? dir * p.grooveWear ** 3 * rnd.lognormal(14, 0.6) * (1 + c.loadPct / 100) * (plan.aPk / 0.8) : 0);

  // Vibration over the constant-speed region (full), or drawn from the fast sampler of synthesised windows.
  const cruiseStartM = plan.rampM + (c.fromFloor - 1) * c.floorHeightM;
  let vibration: VibrationWindow | undefined;
  let m: VibrationMetrics;
  if (c.vibrationSampler) m = c.vibrationSampler(p, plan.vPk, cruiseStartM);
  else {
    vibration = synthesiseVibration(p, rnd, { speedMps: plan.vPk, startPosM: cruiseStartM, startOffsetS: 2 * plan.tj + plan.ta, seconds: Math.min(2, Math.max(1, plan.tc)), fsHz: 256, noiseScale: c.vibrationNoiseScale });
    m = vibrationMetrics(vibration);
  }
  const fields: TripRecord = {
    schemaVersion: CONTRACT_VERSION, liftId: c.envelope.liftId, seq: c.envelope.seq, ts: c.envelope.ts,
    fromFloor: c.fromFloor, toFloor: c.toFloor, startTs: Math.round(c.startTs), durationS: round2(duration), distanceM: round2(plan.vPk * plan.tc + 2 * plan.rampM),
    vMaxMps: round3(plan.vPk), aMaxMps2: round3(plan.aPk), dMaxMps2: round3(plan.aPk), aA95Mps2: round3(plan.aPk * 0.95), jerkMaxMps3: round2(plan.j),
    vibA95XMps2: roundRide(m.a95X), vibA95YMps2: roundRide(m.a95Y), vibA95ZMps2: roundRide(m.a95Z),
    vibMaxPkPkXMps2: roundRide(m.maxPkPkX), vibMaxPkPkYMps2: roundRide(m.maxPkPkY), vibMaxPkPkZMps2: roundRide(m.maxPkPkZ),
    vibKurtosisX: round2(m.kurtosisX), vibKurtosisY: round2(m.kurtosisY),
    stopErrMm: round1(stopErr), relevels, slipMm: round2(slip),
    brakeLiftMs: Math.round(brakeLiftMs), brakeDropMs: Math.round(brakeDropMs), creepAfterStopMm: Math.round(creep),
    motorIRmsA: round1(iRms), motorIPeakA: round1(iPeak), energyWh: round2(energyWh), loadPctStart: round1(c.loadPct), startFailures: 0,
  };
  return { fields, heatJ: i2 * WINDING_OHM, outsideZone, outsideZoneCause: ropeStep ? 'ropes' : 'levelling', levelDropout, vibration };
}

export const WINDING_OHM = 2.0;

/**
 * Drive current and electrical power along a trip's motion samples (the same force balance as
 * `tripPhysics`): F = F_static + m_eq·a along the travel, I = |F·R/(r·k_t)| + I_mag,
 * P = F·v/η drawn, or F·v·η returned while regenerating (negative).
 */
export function driveSignals(samples: readonly MotionSample[], dir: 1 | -1, loadPct: number, p: PhysicalState): { currentA: number[]; powerW: number[] } {
  const loadKg = loadPct / 100 * RATED_LOAD_KG;
  const mEq = CAR_KG + CWT_KG + loadKg + M_ROT_EQ;
  const fStatic = dir * (CAR_KG + loadKg - CWT_KG) * G + 300 + 120 * p.rollerFlatMm;
  const k = SHEAVE_R_M / ROPING / KT_NM_PER_A;
  const currentA: number[] = [];
  const powerW: number[] = [];
  for (const s of samples) {
    const f = s.v > 0 || s.a !== 0 ? fStatic + mEq * s.a : 0;
    currentA.push(f === 0 ? 0 : Math.abs(k * f) + I_MAGNETISING_A);
    const mech = f * s.v;
    powerW.push(mech > 0 ? mech / ETA : mech * ETA);
  }
  return { currentA, powerW };
}

/** Joules at the car to Wh drawn from (or, negative, returned to) the mains, with η^±1. */
function wh(j: number): number {
  return (j > 0 ? j / ETA : j * ETA) / 3600;
}
