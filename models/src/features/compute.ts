import type { DoorRecord, TripRecord } from '@liftwatch/contract';
import { FEATURE_NAMES, FEATURE_WINDOWS } from './definition.js';
import { between, type LiftRecords } from './lift-records.js';
import { drift, mean, pick, quantile } from './stats.js';

/** A feature vector in FEATURE_NAMES order, plus the lift and the time it describes. */
export interface FeatureRow {
  readonly liftId: string;
  readonly at: number;
  readonly values: Float32Array;
}

interface Windows {
  recentTrips: readonly TripRecord[];
  baseTrips: readonly TripRecord[];
  recentDoors: readonly DoorRecord[];
  baseDoors: readonly DoorRecord[];
}

/**
 * The features of one lift at time `at` from its stored records: the same function serves
 * training (every day of a labelled history) and scoring (when new trip or door summaries arrive).
 */
export function computeFeatures(r: LiftRecords, at: number): FeatureRow {
  const w = FEATURE_WINDOWS;
  const win: Windows = {
    recentTrips: between(r.trips, at - w.recentMs, at),
    baseTrips: between(r.trips, at - w.baselineStartMs, at - w.baselineEndMs),
    recentDoors: between(r.doors, at - w.recentMs, at),
    baseDoors: between(r.doors, at - w.baselineStartMs, at - w.baselineEndMs),
  };
  const byName: Record<string, number> = { ...doorFeatures(win), ...rideFeatures(win), ...machineFeatures(r, win, at), ...eventFeatures(r, at) };
  const values = new Float32Array(FEATURE_NAMES.length);
  FEATURE_NAMES.forEach((n, i) => { values[i] = byName[n] ?? 0; });
  return { liftId: r.liftId, at, values };
}

/** Drift of a statistic of `key` between the recent and the baseline list. */
function driftOf<T>(recent: readonly T[], base: readonly T[], key: (x: T) => number | undefined, stat: (v: number[]) => number): number {
  const a = pick(recent, key);
  const b = pick(base, key);
  return drift(stat(a), stat(b), a.length > 0, b.length > 0);
}

const p50 = (v: number[]) => quantile(v, 0.5);
const p95 = (v: number[]) => quantile(v, 0.95);

function doorFeatures(w: Windows): Record<string, number> {
  const cycles = w.recentDoors.length;
  const reopens = w.recentDoors.reduce((t, d) => t + d.reopens, 0);
  return {
    doorCloseP50Drift: driftOf(w.recentDoors, w.baseDoors, (d) => d.closeS, p50),
    doorCloseP95Drift: driftOf(w.recentDoors, w.baseDoors, (d) => d.closeS, p95),
    doorReopenRatio: cycles === 0 ? 0 : reopens / cycles,
    doorMotorIDrift: driftOf(w.recentDoors, w.baseDoors, (d) => d.doorMotorIMeanA, mean),
    lockMadeP95Drift: driftOf(w.recentDoors, w.baseDoors, (d) => d.lockMadeMs, p95),
  };
}

function rideFeatures(w: Windows): Record<string, number> {
  const xy = (t: TripRecord) => (t.vibA95XMps2 === undefined && t.vibA95YMps2 === undefined ? undefined : Math.max(t.vibA95XMps2 ?? 0, t.vibA95YMps2 ?? 0));
  const kurt = (t: TripRecord) => (t.vibKurtosisX === undefined && t.vibKurtosisY === undefined ? undefined : Math.max(t.vibKurtosisX ?? 0, t.vibKurtosisY ?? 0));
  const stops = w.recentTrips.length;
  return {
    vibA95XYDrift: driftOf(w.recentTrips, w.baseTrips, xy, mean),
    vibKurtosis: mean(pick(w.recentTrips, kurt)),
    vibKurtosisDrift: driftOf(w.recentTrips, w.baseTrips, kurt, mean),
    stopErrP95Mm: quantile(w.recentTrips.map((t) => Math.abs(t.stopErrMm)), 0.95),
    relevelsPer100: stops === 0 ? 0 : (100 * w.recentTrips.reduce((s, t) => s + t.relevels, 0)) / stops,
  };
}

function machineFeatures(r: LiftRecords, w: Windows, at: number): Record<string, number> {
  const W = FEATURE_WINDOWS;
  const residual = (from: number, to: number) => pick(between(r.envs, from, to), (e) => (e.motorWindingTempC === undefined || e.machineRoomTempC === undefined ? undefined : e.motorWindingTempC - e.machineRoomTempC));
  const recentRes = residual(at - W.recentMs, at);
  const baseRes = residual(at - W.baselineStartMs, at - W.baselineEndMs);
  return {
    brakeDropDrift: driftOf(w.recentTrips, w.baseTrips, (t) => t.brakeDropMs, p50),
    brakeLiftDrift: driftOf(w.recentTrips, w.baseTrips, (t) => t.brakeLiftMs, p50),
    creepMaxMm: Math.max(0, ...pick(w.recentTrips, (t) => t.creepAfterStopMm)),
    slipAbsMeanMm: mean(pick(w.recentTrips, (t) => (t.slipMm === undefined ? undefined : Math.abs(t.slipMm)))),
    tempResidualC: recentRes.length > 0 && baseRes.length > 0 ? mean(recentRes) - mean(baseRes) : 0,
    tripsPerDay: (w.recentTrips.length * 86_400_000) / W.recentMs,
  };
}

function eventFeatures(r: LiftRecords, at: number): Record<string, number> {
  const recent = between(r.faults, at - FEATURE_WINDOWS.eventMs, at).filter((f) => f.state === 'raised');
  return {
    doorFaults7d: recent.filter((f) => f.code === 'E09').length,
    safetyChainOpens7d: recent.filter((f) => f.code === 'E07' || f.code === 'E08').length,
  };
}
