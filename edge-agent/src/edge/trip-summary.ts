import { kurtosis, RIDE_QUALITY_DIGITS, rideQuality, type TripRecord } from '@liftwatch/contract';
import type { TripRaw } from './raw.js';
import { derivative, maxAbs, quantile, rms, round, smooth } from './signal-math.js';

/** The fields of a `trip` record that the edge computes (the envelope is added by the agent). */
export type TripSummary = Omit<TripRecord, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>;

/** Smoothing before each derivative: 50 ms, enough against encoder quantisation, short against a jerk phase. */
const SMOOTH_S = 0.05;

/** Speed, acceleration and jerk along the direction of travel, from the position signal. */
function kinematics(raw: TripRaw) {
  const { fsHz, samples } = raw.posM;
  const dir = samples[samples.length - 1]! >= samples[0]! ? 1 : -1;
  const width = Math.max(1, Math.round(SMOOTH_S * fsHz)) | 1;
  const v = derivative(smooth(samples, width), fsHz).map((x) => x * dir);
  const a = derivative(smooth(v, width), fsHz);
  const j = derivative(smooth(a, width), fsHz);
  return { dir, v, a, j };
}

/**
 * A95 of the acceleration (ISO 18738-1 §6.1 form): the level that 95 % of the samples of the
 * acceleration region (where acceleration is at least 10 % of its peak, before peak speed) do not exceed.
 */
function accelerationA95(a: Float64Array, v: Float64Array, aMax: number): number {
  let vPeakAt = 0;
  for (let i = 0; i < v.length; i++) if (v[i]! > v[vPeakAt]!) vPeakAt = i;
  const region: number[] = [];
  for (let i = 0; i <= vPeakAt; i++) if (a[i]! >= 0.1 * aMax) region.push(a[i]!);
  return region.length === 0 ? 0 : quantile(region, 0.95);
}

/** One trip's summary from its raw signals. */
export function summarizeTrip(raw: TripRaw): TripSummary {
  const pos = raw.posM.samples;
  const n = pos.length;
  const { v, a, j } = kinematics(raw);
  let vMax = 0;
  let aMax = 0;
  let dMax = 0;
  for (let i = 0; i < n; i++) {
    vMax = Math.max(vMax, v[i]!);
    aMax = Math.max(aMax, a[i]!);
    dMax = Math.max(dMax, -a[i]!);
  }
  const summary: TripSummary = {
    fromFloor: raw.fromFloor,
    toFloor: raw.toFloor,
    startTs: raw.startTs,
    durationS: round((n - 1) / raw.posM.fsHz, 2),
    distanceM: round(Math.abs(pos[n - 1]! - pos[0]!), 3),
    vMaxMps: round(vMax, 3),
    aMaxMps2: round(aMax, 3),
    dMaxMps2: round(dMax, 3),
    aA95Mps2: round(accelerationA95(a, v, aMax), 3),
    jerkMaxMps3: round(maxAbs(j), 3),
    // Positive: the car stopped above the landing.
    stopErrMm: round((pos[n - 1]! - raw.targetPosM) * 1000, 1),
    relevels: raw.relevels ?? 0,
  };
  addVibration(summary, raw);
  if (raw.motorIA) {
    summary.motorIRmsA = round(rms(raw.motorIA.samples), 2);
    summary.motorIPeakA = round(maxAbs(raw.motorIA.samples), 2);
  }
  if (raw.powerW) {
    let joules = 0;
    for (let i = 0; i < raw.powerW.samples.length; i++) joules += raw.powerW.samples[i]! / raw.powerW.fsHz;
    summary.energyWh = round(joules / 3600, 3);
  }
  if (raw.brakeLiftMs !== undefined) summary.brakeLiftMs = raw.brakeLiftMs;
  if (raw.brakeDropMs !== undefined) summary.brakeDropMs = raw.brakeDropMs;
  if (raw.loadPctStart !== undefined) summary.loadPctStart = raw.loadPctStart;
  return summary;
}

function addVibration(summary: TripSummary, raw: TripRaw): void {
  const { x, y, z } = raw.vib ?? {};
  if (x) {
    const r = rideQuality(x.samples);
    summary.vibA95XMps2 = round(r.a95, RIDE_QUALITY_DIGITS);
    summary.vibMaxPkPkXMps2 = round(r.maxPkPk, RIDE_QUALITY_DIGITS);
    summary.vibKurtosisX = round(kurtosis(x.samples), 2);
  }
  if (y) {
    const r = rideQuality(y.samples);
    summary.vibA95YMps2 = round(r.a95, RIDE_QUALITY_DIGITS);
    summary.vibMaxPkPkYMps2 = round(r.maxPkPk, RIDE_QUALITY_DIGITS);
    summary.vibKurtosisY = round(kurtosis(y.samples), 2);
  }
  if (z) {
    const r = rideQuality(z.samples);
    summary.vibA95ZMps2 = round(r.a95, RIDE_QUALITY_DIGITS);
    summary.vibMaxPkPkZMps2 = round(r.maxPkPk, RIDE_QUALITY_DIGITS);
  }
}
