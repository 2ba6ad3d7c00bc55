import { channelSum, histogramWeights, quantileOfBins, readChannelInto, type ChannelSpec, type HistogramSpec } from './decay.js';
import { AT_VISIT, DOOR, ENV, EVENT_NAMES, H, K, MIN_SINK_LOAD2, MIN_THERMAL_HEAT_A2S, SINK, SPECS, TAUS, THERMAL, TRIP, type EventGroup, type StateBlock } from './layout.js';
import { MAX_BUCKET_MS, MIN_RECENT, type LiftFeatureState } from './lift-state.js';

const DAY = 86_400_000;
/** Fewest (decayed) records for a baseline: below, the level is unknown (NaN). */
export const MIN_BASELINE = 10;
export { MIN_RECENT };
/** Event rates divide by at least this many (decayed) trips or door cycles, so a quiet week does not inflate them. */
export const MIN_RATE_BASE = 20;

/** A level read three ways: recent (one day), baseline (lagged ~4 weeks) and long reference (~4 months). NaN when unknown. */
export interface Level { readonly r: number; readonly b: number; readonly l: number }

/**
 * What the streaming state says about a lift at `at`: the named statistics the features, the
 * threshold rules and the alert reasons are computed from. Every value is per record (per trip,
 * per door cycle, per reading) or per day relative to the lift's own traffic, never a count over
 * the lift's history.
 */
export interface FeatureStats {
  readonly at: number;
  /** Share of the baseline filter's weight covered since the lift's first record, 0–1. */
  readonly maturity: number;
  readonly door: { close: Level; closeP95: Level; open: Level; motorI: Level; lock: Level; lockP95: Level; reopens: Level; troubleShare7d: number; perDay: Level;
    /** Recent mean lock-made delay of the landing slot where it is highest (NaN: no slot with MIN_RECENT records), ms. */
    worstLandingLock: number;
    /** Slow lock-makes (> SLOW_LOCK_MS) per day at the landing slot with the most, recent (one day). */
    slowLocksPerDay: number;
    /** Slow lock-makes over the last week (τ = 7 days, decayed) at the landing slot with the most. */
    slowLocksWeek: number;
    /** Share of door cycles whose close was obstructed over the last week (τ = 7 days; NaN: too few cycles). */
    obstructedWeek: number;
    /** Share of door cycles whose close was obstructed: recent (one day) and baseline (NaN: too few cycles); no long reference. */
    obstructed: Level };
  readonly trip: { a95xy: Level; pkpkXy: Level; kurtosis: Level; stopErr: Level; relevels: Level; slip: Level; brakeDrop: Level; brakeLift: Level; creep: Level; creepShare: Level; perDay: Level;
    /** The car's sink below the landing at the rated load (SINK), mm, over the day and the week (NaN: too little load seen). */
    sink: { readonly day: number; readonly week: number } };
  readonly env: { windingResidual: Level; heatsinkResidual: Level; windingMax12h: number;
    /** The motor's thermal resistance (THERMAL), °C per 1,000 A², over the day, the week and 90 days (NaN: too little heat seen). */
    thermalResistance: { readonly day: number; readonly week: number; readonly long: number } };
  /** Events (fault codes raised) in the last day and the last week, decayed counts. */
  readonly events: Record<EventGroup, { day: number; week: number }>;
  /** The latest maintenance visit: days since it began (NaN: none seen) and the recent levels at its start. */
  readonly visit: { readonly days: number; readonly doorMotorI: number; readonly doorClose: number; readonly a95xy: number; readonly brakeDrop: number; readonly windingResidual: number };
  /** Decayed trips and door cycles over the last week: the denominators of event rates. */
  readonly tripsWeek: number;
  readonly doorsWeek: number;
}

/** The statistics of a lift's state at `at` (≥ the newest record); the state is not changed. */
export function computeStats(st: LiftFeatureState, at: number): FeatureStats {
  const s: StateBlock = st;
  const T = at - st.firstTs;
  const lv = (c: ChannelSpec, m: number): Level => ({ r: mean(s, c, m, at), b: baseMean(s, c, m, at, K.baseA, K.baseB), l: baseMean(s, c, m, at, K.longA, K.longB) });
  const perDay = (c: ChannelSpec, m: number): Level => ({
    r: recentRate(s, c, m, at, T), b: baseRate(s, c, m, at, T, K.baseA, K.baseB), l: baseRate(s, c, m, at, T, K.longA, K.longB),
  });
  const d = SPECS.door; const t = SPECS.trip; const e = SPECS.env;
  const events = Object.fromEntries(EVENT_NAMES.map((g, i) => [g, { day: channelSum(s, SPECS.events, 0, i, at), week: channelSum(s, SPECS.events, 1, i, at) }])) as FeatureStats['events'];
  const bucket = Math.floor(at / MAX_BUCKET_MS);
  const cur = st.d[H.windingBucket]!; const max = st.d[H.windingMax]!; const prev = st.d[H.windingPrev]!;
  const windingMax12h = bucket === cur ? Math.max(max, Number.isNaN(prev) ? -Infinity : prev) : bucket === cur + 1 ? max : NaN;
  const visit = (k: number) => st.d[H.atVisit + k]!;
  return {
    at,
    maturity: Number.isFinite(T) && T > 0 ? coverage(T, TAUS[K.baseA]!, TAUS[K.baseB]!) : 0,
    door: {
      close: lv(d, DOOR.closeS), closeP95: histLevel(s, SPECS.closeHist, at), open: lv(d, DOOR.openS), motorI: lv(d, DOOR.motorI),
      lock: lv(d, DOOR.lockMade), lockP95: histLevel(s, SPECS.lockHist, at), reopens: lv(d, DOOR.reopens),
      troubleShare7d: weekMean(s, d, DOOR.trouble, at), perDay: perDay(d, DOOR.count), worstLandingLock: worstSlot(s, SPECS.landingLock, at),
      slowLocksPerDay: mostPerDay(s, SPECS.landingSlowLock, at),
      slowLocksWeek: mostSum(s, SPECS.landingSlowLock, K.baseA, at),
      obstructedWeek: weekMean(s, SPECS.obstructed, 0, at),
      obstructed: { r: mean(s, SPECS.obstructed, 0, at), b: baseMean(s, SPECS.obstructed, 0, at, K.baseA, K.baseB), l: NaN },
    },
    trip: {
      a95xy: lv(t, TRIP.a95xy), pkpkXy: lv(t, TRIP.pkpkXy), kurtosis: lv(t, TRIP.kurtosis), stopErr: lv(t, TRIP.stopErr), relevels: lv(t, TRIP.relevels),
      slip: lv(t, TRIP.slip), brakeDrop: lv(t, TRIP.brakeDrop), brakeLift: lv(t, TRIP.brakeLift), creep: lv(t, TRIP.creep), creepShare: lv(t, TRIP.creepAny),
      perDay: perDay(t, TRIP.count),
      sink: { day: sinkAt(s, K.recent, at), week: sinkAt(s, K.baseA, at) },
    },
    env: { windingResidual: lv(e, ENV.windingResidual), heatsinkResidual: lv(e, ENV.heatsinkResidual), windingMax12h: Number.isFinite(windingMax12h) ? windingMax12h : NaN,
      thermalResistance: { day: thermalAt(s, 0, at), week: thermalAt(s, 1, at), long: thermalAt(s, 2, at) } },
    events,
    visit: {
      days: (at - st.visitTs) / DAY, doorMotorI: visit(AT_VISIT.doorMotorI), doorClose: visit(AT_VISIT.doorClose),
      a95xy: visit(AT_VISIT.a95xy), brakeDrop: visit(AT_VISIT.brakeDrop), windingResidual: visit(AT_VISIT.windingResidual),
    },
    tripsWeek: readChannelInto(s, t, K.baseA, TRIP.count, at, PAIR_A).w,
    doorsWeek: readChannelInto(s, d, K.baseA, DOOR.count, at, PAIR_A).w,
  };
}

/** Mean |slip|, |stopping error| and re-levels per stop over the last week (τ = 7 days; NaN: too few trips). */
export interface TripWeekMeans { readonly slip: number; readonly stopErr: number; readonly relevels: number }

/**
 * The trip channel's week means at `at`, between the day and the lagged baseline: read by the
 * failure-by-failure looks (evaluate/family-misses-main.ts), not by scoring, so that scoring a lift
 * does not read what no feature uses (docs/model-evaluation.md, "the day against the week").
 */
export function tripWeekMeans(st: LiftFeatureState, at: number): TripWeekMeans {
  const t = SPECS.trip;
  return { slip: weekMean(st, t, TRIP.slip, at), stopErr: weekMean(st, t, TRIP.stopErr, at), relevels: weekMean(st, t, TRIP.relevels, at) };
}

/** Weights and sums being read: reused by every read (one thread, each read before the next), so that a scoring allocates none for them. */
const PAIR_A = { w: 0, s: 0 };
const PAIR_B = { w: 0, s: 0 };

function mean(d: StateBlock, c: ChannelSpec, m: number, at: number): number {
  const { w, s } = readChannelInto(d, c, K.recent, m, at, PAIR_A);
  return w >= MIN_RECENT ? s / w : NaN;
}

/** The highest recent mean among a channel's metrics that have MIN_RECENT records (NaN: none has). */
function worstSlot(d: StateBlock, c: ChannelSpec, at: number): number {
  let worst = NaN;
  for (let m = 0; m < c.metrics; m++) {
    const { w, s } = readChannelInto(d, c, K.recent, m, at, PAIR_A);
    if (w >= MIN_RECENT && !(s / w <= worst)) worst = s / w;
  }
  return worst;
}

/** The most records per day among a channel's metrics (sums of ones), over its recent time constant. */
function mostPerDay(d: StateBlock, c: ChannelSpec, at: number): number {
  let most = 0;
  for (let m = 0; m < c.metrics; m++) most = Math.max(most, channelSum(d, c, K.recent, m, at));
  return (most / c.taus[K.recent]!) * DAY;
}

/** The largest decayed sum among a channel's metrics (sums of ones: a count) for taus[k]. */
function mostSum(d: StateBlock, c: ChannelSpec, k: number, at: number): number {
  let most = 0;
  for (let m = 0; m < c.metrics; m++) most = Math.max(most, channelSum(d, c, k, m, at));
  return most;
}

/** −Σℓe / Σℓ² over taus[k] of the sink channel (the day: k = 0, the week: k = 1), mm; NaN below MIN_SINK_LOAD2. */
function sinkAt(d: StateBlock, k: number, at: number): number {
  const l2 = channelSum(d, SPECS.sinkUnderLoad, k, SINK.loadSquared, at);
  return l2 >= MIN_SINK_LOAD2 ? -channelSum(d, SPECS.sinkUnderLoad, k, SINK.loadTimesErr, at) / l2 : NaN;
}

/** 1,000 × Σ rise·Δt / Σ I²t over taus[k] of the thermal channel (day, week, 90 days), °C per 1,000 A²; NaN below MIN_THERMAL_HEAT_A2S. */
function thermalAt(d: StateBlock, k: number, at: number): number {
  const heat = channelSum(d, SPECS.thermal, k, THERMAL.heatA2s, at);
  return heat >= MIN_THERMAL_HEAT_A2S ? (1000 * channelSum(d, SPECS.thermal, k, THERMAL.riseTimesS, at)) / heat : NaN;
}

function weekMean(d: StateBlock, c: ChannelSpec, m: number, at: number): number {
  const { w, s } = readChannelInto(d, c, K.baseA, m, at, PAIR_A);
  return w >= MIN_RECENT ? s / w : NaN;
}

/** The two-stage baseline's weight and sum: g(Δ) = τa/(τa − τb)·(e^{−Δ/τa} − e^{−Δ/τb}) summed over the records (in PAIR_A, until the next read). */
function cascade(d: StateBlock, c: ChannelSpec, m: number, at: number, ka: number, kb: number): { w: number; s: number } {
  const a = readChannelInto(d, c, ka, m, at, PAIR_A);
  const b = readChannelInto(d, c, kb, m, at, PAIR_B);
  const g = c.taus[ka]! / (c.taus[ka]! - c.taus[kb]!);
  a.w = g * (a.w - b.w);
  a.s = g * (a.s - b.s);
  return a;
}

function baseMean(d: StateBlock, c: ChannelSpec, m: number, at: number, ka: number, kb: number): number {
  const { w, s } = cascade(d, c, m, at, ka, kb);
  return w >= MIN_BASELINE ? s / w : NaN;
}

/** Share of a two-stage filter's total weight that falls within T of now: ∫₀ᵀ g / ∫₀^∞ g. */
export function coverage(T: number, tauA: number, tauB: number): number {
  return (tauA * (1 - Math.exp(-T / tauA)) - tauB * (1 - Math.exp(-T / tauB))) / (tauA - tauB);
}

/** Records per day over the recent day, corrected for a lift seen for less than that. */
function recentRate(d: StateBlock, c: ChannelSpec, m: number, at: number, T: number): number {
  const tau = c.taus[K.recent]!;
  const cover = Number.isFinite(T) ? 1 - Math.exp(-Math.max(T, 0) / tau) : 0;
  return cover > 0.05 ? (readChannelInto(d, c, K.recent, m, at, PAIR_A).w / tau / cover) * DAY : NaN;
}

/** Records per day in the baseline (for a constant rate r per ms, the cascade's weight is r·τa·coverage). */
function baseRate(d: StateBlock, c: ChannelSpec, m: number, at: number, T: number, ka: number, kb: number): number {
  const cover = Number.isFinite(T) ? coverage(Math.max(T, 0), c.taus[ka]!, c.taus[kb]!) : 0;
  return cover > 0.05 ? (cascade(d, c, m, at, ka, kb).w / c.taus[ka]! / cover) * DAY : NaN;
}

/** Bin weights of one sketch being read: reused by every read (one thread, nothing kept), so that a scoring allocates none. */
const HIST_SCRATCH = (() => {
  const n = Math.max(SPECS.closeHist.bins.count, SPECS.lockHist.bins.count);
  return { r: new Float64Array(n), a: new Float64Array(n), b: new Float64Array(n), base: new Float64Array(n) };
})();

/** p95 of a sketch at `at`: recent level and baseline (the long reference is not kept for sketches: NaN). */
function histLevel(d: StateBlock, h: HistogramSpec, at: number): Level {
  const { r, a, b, base } = HIST_SCRATCH;
  histogramWeights(d, h, 0, at, r);
  histogramWeights(d, h, 1, at, a);
  histogramWeights(d, h, 2, at, b);
  const g = h.taus[1]! / (h.taus[1]! - h.taus[2]!);
  let rw = 0; let bw = 0;
  for (let i = 0; i < h.bins.count; i++) { base[i] = g * (a[i]! - b[i]!); rw += r[i]!; bw += base[i]!; }
  return { r: rw >= MIN_RECENT ? quantileOfBins(h.bins, r, 0.95) : NaN, b: bw >= MIN_BASELINE ? quantileOfBins(h.bins, base, 0.95) : NaN, l: NaN };
}
