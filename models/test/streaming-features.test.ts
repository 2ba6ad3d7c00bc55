import { describe, expect, it } from 'vitest';
import { createLiftSim } from '@liftwatch/simulator';
import { binOf, cascadeWeight, quantileOfBins } from '../src/features/decay.js';
import { FEATURE_NAMES, featureVector } from '../src/features/definition.js';
import { computeStats, coverage, MIN_BASELINE, MIN_RECENT, tripWeekMeans, type FeatureStats, type Level } from '../src/features/feature-stats.js';
import { CLOSE_BINS, CREEP_MM, EVENT_GROUPS, EVENT_NAMES, landingSlot, LiftFeatureState, LOCK_BINS, SLOW_LOCK_MS, MAX_BUCKET_MS, REPEAT_GAP_MS, TAUS, type AnyRecord } from '../src/features/lift-state.js';
import { loadState, saveState } from '../src/features/state-codec.js';
import { precursorsOf } from '../src/serving/precursors.js';
import { expectCloseStats } from './close-stats.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

type Row = { stream: string; record: AnyRecord };

/** 40 days of one simulated lift whose door wears and whose brake spring weakens, with faults. */
function simulatedRows(days: number): Row[] {
  const sim = createLiftSim({
    liftId: 'SF-1', seed: 7, startMs: START, fidelity: 'fast', floors: 10,
    faults: [
      { id: 'door', kind: 'doorFrictionWear', onsetDay: 10, law: { type: 'linear', failDays: 30 } },
      { id: 'brake', kind: 'brakeSpringLoss', onsetDay: 5, law: { type: 'linear', failDays: 60 } },
      { id: 'lock', kind: 'lockContactWear', floor: 3, onsetDay: 2, law: { type: 'linear', failDays: 30 } },
      { id: 'rope', kind: 'ropeStretch', onsetDay: 3, law: { type: 'linear', failDays: 40 } },
      { id: 'fan', kind: 'motorOverheat', onsetDay: 6, law: { type: 'linear', failDays: 80 } },
    ],
    maintenance: { everyDays: 10, restore: { doorOperator: 0.5, brake: 0.5 } },
  });
  // status records: the first and each change of service mode (the state reads nothing else of them)
  let mode: unknown;
  return (sim.advanceTo(START + days * DAY) as unknown as Row[]).filter((r) => {
    if (r.stream !== 'status') return ['trip', 'door', 'env', 'fault'].includes(r.stream);
    const changed = r.record['serviceMode'] !== mode;
    mode = r.record['serviceMode'];
    return changed;
  });
}

// ---- The reference: the same statistics from the whole list of records, by direct sums ----

const n = (r: AnyRecord, k: string) => (typeof r[k] === 'number' ? (r[k] as number) : NaN);
const mx = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));

/** Records up to `at`, each stream without replays (the first copy of a seq counts). */
function upTo(rows: readonly Row[], stream: string, at: number): AnyRecord[] {
  const seen = new Set<number>();
  return rows.filter((r) => r.stream === stream && r.record.ts <= at && !seen.has(r.record.seq) && seen.add(r.record.seq)).map((r) => r.record);
}

function levelOf(recs: readonly AnyRecord[], value: (r: AnyRecord) => number, at: number): Level {
  const kept = recs.map((r) => [at - r.ts, value(r)] as const).filter(([, x]) => !Number.isNaN(x));
  const direct = (weight: (age: number) => number, min: number) => {
    let w = 0; let s = 0;
    for (const [age, x] of kept) { w += weight(age); s += weight(age) * x; }
    return w >= min ? s / w : NaN;
  };
  return {
    r: direct((age) => Math.exp(-age / TAUS[0]!), MIN_RECENT),
    b: direct((age) => cascadeWeight(age, TAUS[1]!, TAUS[2]!), MIN_BASELINE),
    l: direct((age) => cascadeWeight(age, TAUS[3]!, TAUS[4]!), MIN_BASELINE),
  };
}

function p95Of(recs: readonly AnyRecord[], key: string, bins: typeof CLOSE_BINS, at: number): Level {
  const r = new Float64Array(bins.count); const b = new Float64Array(bins.count);
  for (const x of recs) {
    const v = n(x, key);
    if (Number.isNaN(v)) continue;
    r[binOf(bins, v)]! += Math.exp(-(at - x.ts) / TAUS[0]!);
    b[binOf(bins, v)]! += cascadeWeight(at - x.ts, TAUS[1]!, TAUS[2]!);
  }
  const sum = (a: Float64Array) => a.reduce((t, v) => t + v, 0);
  return { r: sum(r) >= MIN_RECENT ? quantileOfBins(bins, r, 0.95) : NaN, b: sum(b) >= MIN_BASELINE ? quantileOfBins(bins, b, 0.95) : NaN, l: NaN };
}

function perDayOf(recs: readonly AnyRecord[], at: number, first: number): Level {
  const T = at - first;
  // a rate is unknown until the window has covered 5 % of its weight
  const rc = 1 - Math.exp(-T / TAUS[0]!);
  const r = rc > 0.05 ? recs.reduce((t, x) => t + Math.exp(-(at - x.ts) / TAUS[0]!), 0) / TAUS[0]! / rc : NaN;
  const base = (a: number, b: number) => {
    const c = coverage(T, TAUS[a]!, TAUS[b]!);
    return c > 0.05 ? recs.reduce((t, x) => t + cascadeWeight(at - x.ts, TAUS[a]!, TAUS[b]!), 0) / TAUS[a]! / c : NaN;
  };
  return { r: r * DAY, b: base(1, 2) * DAY, l: base(3, 4) * DAY };
}

/** Fault events: a raised code counts once until cleared, unless its raised records go quiet for REPEAT_GAP_MS. */
function eventsOf(faults: readonly AnyRecord[], at: number): FeatureStats['events'] {
  const open = new Map<string, number>();
  const out = Object.fromEntries(EVENT_NAMES.map((g) => [g, { day: 0, week: 0 }])) as FeatureStats['events'];
  for (const f of faults) {
    const code = f['code'] as string;
    if (f['state'] === 'cleared') { open.delete(code); continue; }
    const prev = open.get(code);
    open.set(code, f.ts);
    if (prev !== undefined && f.ts - prev < REPEAT_GAP_MS) continue;
    const g = EVENT_NAMES.find((name) => (EVENT_GROUPS[name] as readonly string[]).includes(code));
    if (g === undefined) continue;
    out[g].day += Math.exp(-(at - f.ts) / DAY);
    out[g].week += Math.exp(-(at - f.ts) / (7 * DAY));
  }
  return out;
}

/** The latest visit (service mode entering inspection or maintenance) up to `at`, and the recent levels just before it. */
function visitOf(rows: readonly Row[], at: number): FeatureStats['visit'] {
  let mode = ''; let index = -1;
  rows.forEach((r, i) => {
    if (r.stream !== 'status' || r.record.ts > at) return;
    const m = r.record['serviceMode'] as string;
    if ((m === 'inspection' || m === 'maintenance') && mode !== 'inspection' && mode !== 'maintenance') index = i;
    mode = m;
  });
  if (index < 0) return { days: NaN, doorMotorI: NaN, doorClose: NaN, a95xy: NaN, brakeDrop: NaN, windingResidual: NaN };
  const before = rows.slice(0, index);
  const t = rows[index]!.record.ts;
  const level = (stream: string, v: (r: AnyRecord) => number) => levelOf(upTo(before, stream, t), v, t).r;
  return {
    days: (at - t) / DAY, doorMotorI: level('door', (d) => n(d, 'doorMotorIMeanA')), doorClose: level('door', (d) => n(d, 'closeS')),
    a95xy: level('trip', (x) => mx(n(x, 'vibA95XMps2'), n(x, 'vibA95YMps2'))), brakeDrop: level('trip', (x) => n(x, 'brakeDropMs')),
    windingResidual: level('env', (e) => n(e, 'motorWindingTempC') - n(e, 'machineRoomTempC')),
  };
}

/** The highest recent mean lock-made delay among the landings (floors LANDING_SLOTS apart counted together). */
function worstLandingOf(doors: readonly AnyRecord[], at: number): number {
  const slots = new Map<number, AnyRecord[]>();
  for (const d of doors) if (!Number.isNaN(n(d, 'floor'))) slots.set(landingSlot(n(d, 'floor')), [...(slots.get(landingSlot(n(d, 'floor'))) ?? []), d]);
  const levels = [...slots.values()].map((recs) => levelOf(recs, (d) => n(d, 'lockMadeMs'), at).r).filter((x) => !Number.isNaN(x));
  return levels.length > 0 ? Math.max(...levels) : NaN;
}

/** The most lock-makes slower than SLOW_LOCK_MS per day at one landing (decayed over a day). */
function slowLocksOf(doors: readonly AnyRecord[], at: number): number {
  const perSlot = new Map<number, number>();
  for (const d of doors) {
    if (Number.isNaN(n(d, 'floor')) || !(n(d, 'lockMadeMs') > SLOW_LOCK_MS)) continue;
    const slot = landingSlot(n(d, 'floor'));
    perSlot.set(slot, (perSlot.get(slot) ?? 0) + Math.exp(-(at - d.ts) / TAUS[0]!));
  }
  return (Math.max(0, ...perSlot.values()) / TAUS[0]!) * DAY;
}

/** Share of the week's door cycles (decayed, τ = 7 days) whose close was obstructed (NaN: fewer than MIN_RECENT). */
function obstructedWeekOf(doors: readonly AnyRecord[], at: number): number {
  let w = 0; let s = 0;
  for (const d of doors) {
    if (typeof d['obstructedClose'] !== 'boolean') continue;
    const g = Math.exp(-(at - d.ts) / (7 * DAY));
    w += g; s += d['obstructedClose'] ? g : 0;
  }
  return w >= MIN_RECENT ? s / w : NaN;
}

/** The sink at the rated load, −Σℓe / Σℓ² over the trips with a load (decayed with τ; NaN: Σℓ² below 2). */
function sinkOf(trips: readonly AnyRecord[], at: number, tau: number): number {
  let le = 0; let l2 = 0;
  for (const t of trips) {
    const e = n(t, 'stopErrMm'); const l = n(t, 'loadPctStart') / 100;
    if (Number.isNaN(e) || Number.isNaN(l)) continue;
    const g = Math.exp(-(at - t.ts) / tau);
    le += g * l * e; l2 += g * l * l;
  }
  return l2 >= 2 ? -le / l2 : NaN;
}

/**
 * The motor's thermal resistance, 1,000 × Σ rise·Δt / Σ I²t (decayed with τ; NaN: under 10^5 A²·s of
 * heat): each environment record's rise over the time since the one before (at most an hour), each
 * trip's heat.
 */
function thermalOf(envs: readonly AnyRecord[], trips: readonly AnyRecord[], at: number, tau: number): number {
  let rise = 0; let heat = 0;
  envs.forEach((e, i) => {
    const r = n(e, 'motorWindingTempC') - n(e, 'machineRoomTempC');
    if (i > 0 && !Number.isNaN(r)) rise += Math.exp(-(at - e.ts) / tau) * r * Math.min(e.ts - envs[i - 1]!.ts, 3_600_000) / 1000;
  });
  for (const t of trips) {
    const h = n(t, 'motorIRmsA') ** 2 * n(t, 'durationS');
    if (!Number.isNaN(h)) heat += Math.exp(-(at - t.ts) / tau) * h;
  }
  return heat >= 100_000 ? (1000 * rise) / heat : NaN;
}

/** The trip week means of tripWeekMeans, from the trip records directly. */
function referenceWeekMeans(rows: readonly Row[], at: number) {
  const trips = upTo(rows, 'trip', at);
  return { slip: weekOf(trips, (t) => Math.abs(n(t, 'slipMm')), at), stopErr: weekOf(trips, (t) => Math.abs(n(t, 'stopErrMm')), at), relevels: weekOf(trips, (t) => n(t, 'relevels'), at) };
}

/** A value's mean over the last week (decayed, τ = 7 days; NaN: fewer than MIN_RECENT records with it). */
function weekOf(recs: readonly AnyRecord[], value: (r: AnyRecord) => number, at: number): number {
  let w = 0; let s = 0;
  for (const r of recs) {
    const x = value(r);
    if (Number.isNaN(x)) continue;
    const g = Math.exp(-(at - r.ts) / (7 * DAY));
    w += g; s += g * x;
  }
  return w >= MIN_RECENT ? s / w : NaN;
}

/** The most lock-makes slower than SLOW_LOCK_MS at one landing over the last week (decayed, τ = 7 days): a count, not a rate. */
function slowLocksWeekOf(doors: readonly AnyRecord[], at: number): number {
  const perSlot = new Map<number, number>();
  for (const d of doors) {
    if (Number.isNaN(n(d, 'floor')) || !(n(d, 'lockMadeMs') > SLOW_LOCK_MS)) continue;
    const slot = landingSlot(n(d, 'floor'));
    perSlot.set(slot, (perSlot.get(slot) ?? 0) + Math.exp(-(at - d.ts) / (7 * DAY)));
  }
  return Math.max(0, ...perSlot.values());
}

function referenceStats(rows: readonly Row[], at: number): FeatureStats {
  const doors = upTo(rows, 'door', at); const trips = upTo(rows, 'trip', at); const envs = upTo(rows, 'env', at); const faults = upTo(rows, 'fault', at);
  const first = Math.min(...[doors, trips, envs, faults, upTo(rows, 'status', at)].map((l) => l[0]?.ts ?? Infinity));
  const T = at - first;
  const lv = (recs: readonly AnyRecord[], v: (r: AnyRecord) => number) => levelOf(recs, v, at);
  const bucket = Math.floor(at / MAX_BUCKET_MS);
  const hot = envs.filter((e) => !Number.isNaN(n(e, 'motorWindingTempC')) && Math.floor(e.ts / MAX_BUCKET_MS) >= bucket - 1).map((e) => n(e, 'motorWindingTempC'));
  const week = (recs: readonly AnyRecord[]) => recs.reduce((t, x) => t + Math.exp(-(at - x.ts) / (7 * DAY)), 0);
  const trouble = doors.filter((d) => d['result'] !== undefined);
  const troubleW = week(trouble);
  return {
    at, maturity: coverage(T, TAUS[1]!, TAUS[2]!),
    door: {
      close: lv(doors, (d) => n(d, 'closeS')), closeP95: p95Of(doors, 'closeS', CLOSE_BINS, at), open: lv(doors, (d) => n(d, 'openS')),
      motorI: lv(doors, (d) => n(d, 'doorMotorIMeanA')), lock: lv(doors, (d) => n(d, 'lockMadeMs')), lockP95: p95Of(doors, 'lockMadeMs', LOCK_BINS, at),
      reopens: lv(doors, (d) => n(d, 'reopens')),
      troubleShare7d: troubleW >= MIN_RECENT ? trouble.reduce((t, d) => t + (d['result'] === 'ok' ? 0 : Math.exp(-(at - d.ts) / (7 * DAY))), 0) / troubleW : NaN,
      perDay: perDayOf(doors, at, first),
      worstLandingLock: worstLandingOf(doors, at),
      slowLocksPerDay: slowLocksOf(doors, at),
      slowLocksWeek: slowLocksWeekOf(doors, at),
      obstructedWeek: obstructedWeekOf(doors, at),
      obstructed: { ...levelOf(doors, (d) => (typeof d['obstructedClose'] === 'boolean' ? (d['obstructedClose'] ? 1 : 0) : NaN), at), l: NaN },
    },
    trip: {
      a95xy: lv(trips, (t) => mx(n(t, 'vibA95XMps2'), n(t, 'vibA95YMps2'))), pkpkXy: lv(trips, (t) => mx(n(t, 'vibMaxPkPkXMps2'), n(t, 'vibMaxPkPkYMps2'))),
      kurtosis: lv(trips, (t) => mx(n(t, 'vibKurtosisX'), n(t, 'vibKurtosisY'))), stopErr: lv(trips, (t) => Math.abs(n(t, 'stopErrMm'))),
      relevels: lv(trips, (t) => n(t, 'relevels')), slip: lv(trips, (t) => Math.abs(n(t, 'slipMm'))), brakeDrop: lv(trips, (t) => n(t, 'brakeDropMs')),
      brakeLift: lv(trips, (t) => n(t, 'brakeLiftMs')), creep: lv(trips, (t) => n(t, 'creepAfterStopMm')),
      creepShare: lv(trips, (t) => (Number.isNaN(n(t, 'creepAfterStopMm')) ? NaN : n(t, 'creepAfterStopMm') > CREEP_MM ? 1 : 0)), perDay: perDayOf(trips, at, first),
      sink: { day: sinkOf(trips, at, DAY), week: sinkOf(trips, at, 7 * DAY) },
    },
    env: {
      windingResidual: lv(envs, (e) => n(e, 'motorWindingTempC') - n(e, 'machineRoomTempC')),
      heatsinkResidual: lv(envs, (e) => n(e, 'driveHeatsinkTempC') - n(e, 'machineRoomTempC')),
      windingMax12h: hot.length > 0 ? Math.max(...hot) : NaN,
      thermalResistance: { day: thermalOf(envs, trips, at, DAY), week: thermalOf(envs, trips, at, 7 * DAY), long: thermalOf(envs, trips, at, 90 * DAY) },
    },
    events: eventsOf(faults, at), visit: visitOf(rows, at), tripsWeek: week(trips), doorsWeek: week(doors),
  };
}

/** A state fed the records up to `at`. */
function stateUpTo(rows: readonly Row[], at: number): LiftFeatureState {
  const st = new LiftFeatureState('SF-1');
  for (const row of rows) if (row.record.ts <= at) st.add(row.stream, row.record);
  return st;
}

describe('streaming features', () => {
  const rows = simulatedRows(40);
  // replays (a terminal resending after a reconnect) must not count twice
  const replayed = rows.flatMap((r, i) => (i % 97 === 0 && i > 0 ? [r, rows[i - 1]!] : [r]));

  it('equal a batch computation over the same records, at several times', () => {
    const state = new LiftFeatureState('SF-1');
    const checks = [3, 12, 25, 39.5].map((d) => START + d * DAY);
    let next = 0;
    for (const row of replayed) {
      while (next < checks.length && row.record.ts > checks[next]!) {
        const at = checks[next++]!;
        const stream = computeStats(state, at);
        const batch = referenceStats(rows, at);
        expectCloseStats(stream, batch);
        const a = featureVector(stream); const b = featureVector(batch);
        FEATURE_NAMES.forEach((name, i) => expectCloseStats(a[i], b[i], name));
        expectCloseStats(tripWeekMeans(state, at), referenceWeekMeans(rows, at));
      }
      state.add(row.stream, row.record);
    }
    expect(next).toBe(checks.length);
    expect(state.skipped).toBeGreaterThan(0);
    expect(computeStats(state, checks.at(-1)!).visit.days).toBeLessThan(10); // visits every 10 days were seen
  }, 30_000);

  it('see the wear: door close time, lock-made tail and creep drift up against the lift itself', () => {
    const state = new LiftFeatureState('SF-1');
    for (const row of rows) state.add(row.stream, row.record);
    const s = computeStats(state, START + 40 * DAY);
    const f = featureVector(s);
    const v = (name: string) => f[FEATURE_NAMES.indexOf(name)]!;
    expect(v('doorMotorIDrift')).toBeGreaterThan(0.05);
    expect(v('brakeDropDrift')).toBeGreaterThan(0);
    // the stretched rope sinks the loaded car: at the rated load far more than the day's mean error shows
    expect(v('sinkAtRatedLoadDayMm')).toBeGreaterThan(3 * v('stopErrDayMm'));
    expect(v('sinkAtRatedLoadWeekMm')).toBeGreaterThan(20);
    // the clogging fan: the same heat warms the winding more than it did, whatever the day's traffic
    const early = featureVector(computeStats(stateUpTo(rows, START + 5 * DAY), START + 5 * DAY));
    expect(v('thermalResistanceDay')).toBeGreaterThan(2 * early[FEATURE_NAMES.indexOf('thermalResistanceDay')]!);
    expect(v('thermalResistanceDriftLong')).toBeGreaterThan(0.3);
    expect(v('thermalResistanceWeek')).toBeGreaterThan(early[FEATURE_NAMES.indexOf('thermalResistanceWeek')]!);
    expect(v('baselineMaturity')).toBeGreaterThan(0.5);
    expect([...f].every(Number.isFinite)).toBe(true);
  });

  it('see one landing lock wearing that the lift-wide lock-made level dilutes among the landings', () => {
    const state = new LiftFeatureState('SF-1');
    for (const row of rows) state.add(row.stream, row.record);
    const s = computeStats(state, START + 40 * DAY);
    const f = featureVector(s);
    const v = (name: string) => f[FEATURE_NAMES.indexOf(name)]!;
    // the lock at floor 3 wears from day 2 to fail on day 32: its landing's delay is several times the lift's own
    expect(v('worstLandingLockDrift')).toBeGreaterThan(1);
    expect(v('worstLandingLockDrift')).toBeGreaterThan(5 * v('lockMadeDriftLong'));
    expect(v('worstLandingLockSpread')).toBeGreaterThan(0.5);
    expect(v('slowLocksPerDayWorstLanding')).toBeGreaterThan(0);
    // and the alert's reason names it: that landing's level outside the lift's own band
    const landing = precursorsOf('doorSystem', s, { creepAlertMm: 5 }).find((p) => p.feature === 'worstLandingLockMadeMs');
    expect(landing).toMatchObject({ outside: true, unit: 'ms' });
    expect(landing!.value!).toBeGreaterThan(2 * landing!.baseline!);
  });

  it('survive a checkpoint: the state restored from its bytes gives the same features and goes on alike', () => {
    const a = new LiftFeatureState('SF-1');
    const half = rows.filter((r) => r.record.ts < START + 20 * DAY);
    for (const row of half) a.add(row.stream, row.record);
    const b = loadState('SF-1', saveState(a));
    for (const row of rows.slice(half.length)) { a.add(row.stream, row.record); b.add(row.stream, row.record); }
    const at = START + 40 * DAY;
    expect(featureVector(computeStats(b, at))).toEqual(featureVector(computeStats(a, at)));
    expect(saveState(b)).toEqual(saveState(a));
  });

  it('refuse a checkpoint of another feature version or size with a clear error', () => {
    const saved = saveState(new LiftFeatureState('SF-2'));
    expect(() => loadState('SF-2', { ...saved, layout: '1.0.0/2' })).toThrow(/feature state of SF-2 is of feature version 1\.0\.0 but the running code is/);
    expect(() => loadState('SF-2', { ...saved, block: saved.block.subarray(8) })).toThrow(/SF-2 holds \d+ bytes, the code \d+/);
  });
});
