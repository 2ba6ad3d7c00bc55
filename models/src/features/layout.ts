import { channelSize, histogramSize, type Bins, type ChannelSpec, type HistogramSpec } from './decay.js';

const DAY = 86_400_000;

/**
 * Time constants of the decayed sums, ms: index 0 is the recent level (one day), 1–2 the lagged
 * baseline (a two-stage filter of 7 and 21 days, mean delay 28 days), 3–4 the long reference
 * (30 and 90 days). Event rates use index 1 (seven days). Part of the feature version.
 */
export const TAUS: readonly number[] = Object.freeze([1 * DAY, 7 * DAY, 21 * DAY, 30 * DAY, 90 * DAY]);
export const K = Object.freeze({ recent: 0, baseA: 1, baseB: 2, longA: 3, longB: 4 });
/** The fault histograms keep the recent level and the baseline only. */
const HIST_TAUS: readonly number[] = Object.freeze([TAUS[0]!, TAUS[1]!, TAUS[2]!]);
const EVENT_TAUS: readonly number[] = Object.freeze([1 * DAY, 7 * DAY]);

/** Metrics of each stream's channel, by index. `count` is 1 for every record. */
export const DOOR = Object.freeze({ closeS: 0, openS: 1, motorI: 2, lockMade: 3, reopens: 4, trouble: 5, count: 6 });
export const TRIP = Object.freeze({ a95xy: 0, pkpkXy: 1, kurtosis: 2, stopErr: 3, relevels: 4, slip: 5, brakeDrop: 6, brakeLift: 7, creep: 8, creepAny: 9, count: 10 });
export const ENV = Object.freeze({ windingResidual: 0, heatsinkResidual: 1 });
/** Fault code groups counted when raised (a repeat of an open code is not a new event). */
export const EVENT_GROUPS = Object.freeze({
  doorProtection: ['E09'], lock: ['E08'], safetyChain: ['E07'], ride: ['D03'], position: ['E10', 'E06'], brake: ['E16', 'E02'], overheat: ['E17'],
} as const);
export type EventGroup = keyof typeof EVENT_GROUPS;
export const EVENT_NAMES = Object.freeze(Object.keys(EVENT_GROUPS) as EventGroup[]);

/**
 * Quantile sketches: door close time 1–8 s (bins 9 % wide; a close that reaches 8 s has met the
 * door-time protection, and longer ones count in the last bin), lock-made time 74 ms–5.5 s (24 %
 * wide; past 3 s the lock is reported as not made, E08; a healthy contact makes in 100–300 ms, so
 * the p95 read from it is never in the first bin). Their bins are bins 0–23 and 6–25 of the
 * previous layout's (1–16 s and 20 ms–20 s in 32 each), so an older checkpoint converts exactly
 * (what lay outside counts in the first or last bin, as a value outside the range always did).
 */
export const CLOSE_BINS: Bins = Object.freeze({ lo: 1, hi: 8, count: 24 });
export const LOCK_BINS: Bins = Object.freeze({ lo: 20 * 1000 ** (6 / 32), hi: 20 * 1000 ** (26 / 32), count: 20 });
/**
 * Landing slots of the lock-made delay: a landing's lock wears alone (its contact, at its floor),
 * and a lift-wide level dilutes it among all landings. Floor f counts in slot f mod LANDING_SLOTS,
 * so up to 12 landings each have their own and a taller shaft shares a slot between two or more.
 */
export const LANDING_SLOTS = 12;
/**
 * A lock made later than this after the door closed is slow, ms: a healthy contact makes in
 * 100–300 ms; past 3 s the controller reports the lock as not made (E08), so slow locks are the
 * tail that precedes a lock fault at that landing. In the simulator a lock-make is lognormal, median
 * 150 ms × (1 + 3·wear) and log-spread 0.25 + 0.5·wear at the worn landing (door-operator.ts): a
 * sound lock passes 1 s about once in 10^14 makes, a lock at wear 0.3, 0.5 and 0.7 in about 0.1 %,
 * 2.5 % and 10 % of them (and 3 s, a lock fault, in 2·10^-9, 2·10^-5 and 10^-3): a week's count over
 * 1 s climbs from none to tens over the wear where the fault's odds rise sixty-fold, while a count
 * over 2 s would be 0–1 a week at wear 0.5.
 */
export const SLOW_LOCK_MS = 1_000;
/**
 * The car's sink under load: a rope stretches in proportion to the load and to its length below the
 * sheave (ΔL = m·g·L/(n·E·A)), so a loaded car stops below the landing by its load times the
 * rope's compliance, the more the longer and the more stretched the rope. Each trip with a known
 * load adds ℓ·e and ℓ² (ℓ the load as a share of the rated load, e the signed stopping error in mm,
 * negative below the landing); −Σℓe / Σℓ² is the least-squares sink at the rated load, through the
 * origin. The stopping error's own scatter is as often above as below, and so is a levelling
 * sensor's dropout, so neither biases it; it does not depend on how loaded the lift's passengers
 * are. Averaged over the landings the lift serves, its rope steps (200 mm at the lowest landing,
 * fully loaded) at a sink near 100 mm whatever the building's height, where the day's mean
 * |stopping error| that a 40-landing tower steps at is a third of a 10-landing building's.
 */
export const SINK = Object.freeze({ loadTimesErr: 0, loadSquared: 1 });
/** Fewest (decayed) Σℓ² for a sink: two trips at the rated load, or eight at half of it. */
export const MIN_SINK_LOAD2 = 2;
/**
 * The motor's thermal resistance: the winding runs above the machine-room air by its heat times the
 * resistance from the winding to the air (C·dθ/dt = P − (θ − θ_air)/R_th), so over a day, many of
 * the winding's time constants (30 min to a few hours), the mean rise is R_th times the mean heat.
 * Each environment record adds its rise times the time since the one before (°C·s, at most
 * MAX_ENV_GAP_MS of it), each trip its heat I²_rms·t (A²·s, the winding's resistance left out);
 * their ratio is R_th in °C per A² (× 1,000 in the features), whatever the traffic, the load or the
 * weather. A clogged fan or dusty windings raise it: the same duty runs hotter until the drive trips.
 */
export const THERMAL = Object.freeze({ riseTimesS: 0, heatA2s: 1 });
/** Longest time one environment record's rise stands for, ms: past it the terminal was silent (a gap). */
export const MAX_ENV_GAP_MS = 3_600_000;
/** Fewest (decayed) A²·s of heat for a resistance: about a dozen 10-second trips at 30 A. */
export const MIN_THERMAL_HEAT_A2S = 100_000;
/** Levels remembered at the start of each visit, to see what grew since the crew last looked. */
export const AT_VISIT = Object.freeze({ doorMotorI: 0, doorClose: 1, a95xy: 2, brakeDrop: 3, windingResidual: 4 });

export type FeatureStream = 'trip' | 'door' | 'env' | 'fault' | 'status';
export const STREAM_INDEX: Readonly<Record<FeatureStream, number>> = Object.freeze({ trip: 0, door: 1, env: 2, fault: 3, status: 4 });
/** Streams whose newest record ids are kept as evidence, in block order. */
export const EVIDENCE_STREAMS = Object.freeze(['trip', 'door', 'env'] as const);
/** Record ids kept per stream as the evidence an alert cites. */
export const EVIDENCE = 5;
/** Open fault codes kept in the block; more open at once go to a map beside it. */
export const OPEN_SLOTS = 8;

/**
 * One lift's state is one block of bytes (its own, or a slice of a shared arena), laid out here: a
 * header of doubles (times and seqs below 2^53 are exact, counters, evidence ids, and each channel's
 * reference time and newest time), then the decayed sums and sketch bins as 32-bit floats (half the
 * memory: a city's 150,000 states are about 350 MB instead of 600). A checkpoint is the block's bytes.
 */
export const H = (() => {
  const evidence = 22;
  const open = evidence + EVIDENCE_STREAMS.length * (2 + 2 * EVIDENCE);
  const tripDays = open + 2 * OPEN_SLOTS;
  return Object.freeze({
    firstTs: 0, skipped: 1, visitTs: 2, serviceMode: 3,
    /** Winding temperature maxima per 12-hour bucket: bucket index, max in it, max in the bucket before. */
    windingBucket: 4, windingMax: 5, windingPrev: 6,
    /** Newest (ts, seq) per stream, STREAM_INDEX order: the dedup rule. */
    newest: 7,
    atVisit: 17,
    /** Per evidence stream: [count, next slot], then EVIDENCE × (seq, ts). */
    evidence,
    /** OPEN_SLOTS × (code number + 1, ts of its newest raised record); 0: free. */
    open,
    /** Days with trips: the newest day (UTC day index) and a 32-bit mask of it and the 31 before. */
    tripDays,
    /** Receive time of the newest record handed to the state (added or skipped), ms: what a recompute replays up to. */
    lastRx: tripDays + 2,
    size: tripDays + 3,
  });
})();

/**
 * The sketches' bins and the landing slots of a layout: this one's, or an older one being converted.
 * `slowLockWeek`: the slow lock-makes per landing slot keep a week (τ = 7 days) beside the day.
 * `sinkUnderLoad`: the sums of the stopping error's regression on the car's load (from the sixth layout).
 * `thermal`: the winding's rise and the motor's heat (from the seventh layout).
 */
export interface LayoutShape { readonly close: Bins; readonly lock: Bins; readonly landings: number; readonly slowLockWeek?: boolean; readonly sinkUnderLoad?: boolean; readonly thermal?: boolean }

/** Where each channel and sketch of a layout sits: two times among the header doubles, sums among the floats. */
export function layoutOf(shape: LayoutShape) {
  let at = H.size;
  let sums = 0;
  const channel = (taus: readonly number[], metrics: number, weights = true): ChannelSpec => {
    const c = Object.freeze({ taus, metrics, at, sums, weights });
    at += 2;
    sums += channelSize(taus.length, metrics, weights);
    return c;
  };
  const histogram = (taus: readonly number[], bins: Bins): HistogramSpec => {
    const h = Object.freeze({ taus, bins, at, sums });
    at += 2;
    sums += histogramSize(taus.length, bins);
    return h;
  };
  const specs = {
    door: channel(TAUS, 7),
    trip: channel(TAUS, 11),
    env: channel(TAUS, 2),
    /** Only the sums of events are read (rates divide by trips or door cycles). */
    events: channel(EVENT_TAUS, EVENT_NAMES.length, false),
    /** Vertical A95 for the health score's ride limit: the recent level only. */
    tripZ: channel([TAUS[0]!], 1),
    closeHist: histogram(HIST_TAUS, shape.close),
    lockHist: histogram(HIST_TAUS, shape.lock),
    /** Lock-made delay per landing slot: the recent level only (read against the lift's own baseline). */
    ...(shape.landings > 0 ? {
      landingLock: channel([TAUS[0]!], shape.landings),
      /**
       * Slow lock-makes per landing slot (sums only: each is a count, its cycles are landingLock's
       * weights): the day and, from the fifth layout, the week. A worn lock makes a few a day, too
       * noisy to place it on its steep tail; a week's count is about seven times the day's.
       */
      landingSlowLock: channel(shape.slowLockWeek === true ? [TAUS[0]!, TAUS[1]!] : [TAUS[0]!], shape.landings, false),
      /** Door cycles whose close was obstructed (sill debris, a jammed close): the recent level and the baseline. */
      obstructed: channel(HIST_TAUS, 1),
    } : {}),
    /**
     * The stopping error against the car's load (SINK), sums only over the day and the week: last,
     * so that the channels before it keep their places.
     */
    ...(shape.sinkUnderLoad === true ? { sinkUnderLoad: channel([TAUS[0]!, TAUS[1]!], 2, false) } : {}),
    /** The winding's rise and the motor's heat (THERMAL), sums only over the day, the week and 90 days: after the sink, for the same reason. */
    ...(shape.thermal === true ? { thermal: channel([TAUS[0]!, TAUS[1]!, TAUS[4]!], 2, false) } : {}),
  };
  // the sums start on an 8-byte boundary and end on one: blocks of an arena stay aligned for the doubles
  return { specs: Object.freeze(specs), doubles: at, floats: sums + (sums % 2) };
}

function channels() {
  const built = layoutOf({ close: CLOSE_BINS, lock: LOCK_BINS, landings: LANDING_SLOTS, slowLockWeek: true, sinkUnderLoad: true, thermal: true });
  const { landingLock, landingSlowLock, obstructed, sinkUnderLoad, thermal } = built.specs;
  if (landingLock === undefined || landingSlowLock === undefined || obstructed === undefined || sinkUnderLoad === undefined || thermal === undefined) {
    throw new RangeError('this layout keeps landing slots, the sink under load and the motor\'s heat');
  }
  return { ...built, specs: Object.freeze({ ...built.specs, landingLock, landingSlowLock, obstructed, sinkUnderLoad, thermal }) };
}

const built = channels();
/** Where each channel and sketch sits in a block: its two times at `at` among the doubles, its sums at `sums` among the floats. */
export const SPECS = built.specs;
/** Doubles of a block's header (the view `d`). */
export const HEADER_DOUBLES = built.doubles;
/** 32-bit floats of a block's sums (the view `f`, right after the header). */
export const SUM_FLOATS = built.floats;
/** Bytes of one lift's state (its block; the object around it adds about 200 B). */
export const BLOCK_BYTES = HEADER_DOUBLES * 8 + SUM_FLOATS * 4;
/** Changes whenever the layout does: a checkpoint of another layout is converted or refused. */
export const LAYOUT_VERSION = 7;

/**
 * A lift's block as the record path and the readers see it: its header doubles (`d`, the lift's own
 * view), and the floats of its whole buffer (`f`, one view shared by every block of an arena's chunk)
 * with its sums from `f[fo]`.
 */
export interface StateBlock {
  readonly d: Float64Array;
  readonly f: Float32Array;
  readonly fo: number;
}

/** The float views of buffers, one per buffer: a lift adds no view of its own for its sums. */
const FLOATS = new WeakMap<ArrayBufferLike, Float32Array>();

/** The block whose header view is `d`: the shared float view of its buffer and where its sums start in it. */
export function blockOf(d: Float64Array): StateBlock {
  let f = FLOATS.get(d.buffer);
  if (f === undefined) { f = new Float32Array(d.buffer, 0, Math.floor(d.buffer.byteLength / 4)); FLOATS.set(d.buffer, f); }
  return { d, f, fo: (d.byteOffset + HEADER_DOUBLES * 8) / 4 };
}

/** The bytes of the block whose header view is `d`. */
export function bytesOf(d: Float64Array): Uint8Array {
  return new Uint8Array(d.buffer, d.byteOffset, BLOCK_BYTES);
}

/** A header view over a new block of its own (not from an arena). */
export function newBlock(): Float64Array {
  return new Float64Array(new ArrayBuffer(BLOCK_BYTES), 0, HEADER_DOUBLES);
}

/** A fresh block, laid out once: clearing a block copies it (no allocation but a view, one memcpy). */
const FRESH = (() => {
  const d = newBlock();
  d[H.firstTs] = Infinity;
  d[H.visitTs] = NaN;
  d[H.windingBucket] = -Infinity;
  d[H.windingMax] = NaN;
  d[H.windingPrev] = NaN;
  for (let i = 0; i < 5; i++) { d[H.newest + 2 * i] = -Infinity; d[H.newest + 2 * i + 1] = -1; }
  d.fill(NaN, H.atVisit, H.atVisit + 5);
  d[H.tripDays] = -Infinity;
  d[H.lastRx] = -Infinity;
  for (const s of Object.values(SPECS)) { d[s.at] = NaN; d[s.at + 1] = -Infinity; }
  return bytesOf(d);
})();

/** A fresh block (whose header view is `d`): no record yet. */
export function clearBlock(d: Float64Array): void {
  bytesOf(d).set(FRESH);
}
