// The object representation of the streaming feature state as it was before the compact layout
// (one Float64Array block per lift): kept unchanged as the oracle of the equality test
// (compact-state.test.ts). Not used by the platform.
import { addToChannel, addToHistogram, createChannel, createHistogram, readChannel, type Bins, type Channel, type Histogram } from './decay.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

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
const GROUP_OF = new Map<string, number>(EVENT_NAMES.flatMap((g, i) => EVENT_GROUPS[g].map((c) => [c, i] as const)));

/** Quantile sketches: door close time 1–16 s (bins 9 % wide), lock-made time 20 ms–20 s (24 %). */
export const CLOSE_BINS: Bins = Object.freeze({ lo: 1, hi: 16, count: 32 });
export const LOCK_BINS: Bins = Object.freeze({ lo: 20, hi: 20_000, count: 32 });
/** Winding temperature maxima are kept per 12-hour bucket (the current and the previous one). */
export const MAX_BUCKET_MS = 12 * HOUR;
/** Creep after stop above this counts as a creeping trip, mm. */
export const CREEP_MM = 0.5;
/** A raised record of an open code this long after its previous one is a new event, ms. */
export const REPEAT_GAP_MS = 10 * 60_000;
/** Fewest (decayed) records for a recent level: below, the level is unknown (NaN). */
export const MIN_RECENT = 3;
/** Record ids kept per stream as the evidence an alert cites. */
const EVIDENCE = 5;

export type FeatureStream = 'trip' | 'door' | 'env' | 'fault' | 'status';
/** Streams the state reads; of `status` only the service mode (a maintenance visit starts with inspection). */
export const FEATURE_STREAMS: ReadonlySet<string> = new Set<FeatureStream>(['trip', 'door', 'env', 'fault', 'status']);
/** Service modes that mean a crew is at the lift (a visit starts when one begins). */
const VISIT_MODES: ReadonlySet<unknown> = new Set(['inspection', 'maintenance']);
/** Levels remembered at the start of each visit, to see what grew since the crew last looked. */
export const AT_VISIT = Object.freeze({ doorMotorI: 0, doorClose: 1, a95xy: 2, brakeDrop: 3, windingResidual: 4 });

/** A record as the state reads it: the contract's fields, structurally (any of the four streams). */
export type AnyRecord = { readonly liftId?: string; readonly seq: number; readonly ts: number } & Readonly<Record<string, unknown>>;

/** The fields read, by name: direct property reads keep the per-record cost low (no keyed lookups). */
interface Fields {
  closeS?: unknown; openS?: unknown; doorMotorIMeanA?: unknown; lockMadeMs?: unknown; reopens?: unknown; result?: unknown;
  vibA95XMps2?: unknown; vibA95YMps2?: unknown; vibMaxPkPkXMps2?: unknown; vibMaxPkPkYMps2?: unknown; vibKurtosisX?: unknown; vibKurtosisY?: unknown;
  stopErrMm?: unknown; relevels?: unknown; slipMm?: unknown; brakeDropMs?: unknown; brakeLiftMs?: unknown; creepAfterStopMm?: unknown;
  machineRoomTempC?: unknown; motorWindingTempC?: unknown; driveHeatsinkTempC?: unknown; code?: unknown; state?: unknown; serviceMode?: unknown;
}
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const maxOf = (a: number, b: number): number => (a !== a ? b : b !== b ? a : Math.max(a, b));

/**
 * One lift's streaming feature state: decayed sums per stream, two quantile sketches, event
 * counters, the open fault codes and a few record ids. `add` is constant work per record; nothing
 * here keeps a record. Records older than the newest of their stream (a replay, or late) are
 * skipped and counted, so a duplicate never counts twice.
 */
export class LiftFeatureState {
  readonly door: Channel = createChannel(TAUS, 7);
  readonly trip: Channel = createChannel(TAUS, 11);
  readonly env: Channel = createChannel(TAUS, 2);
  readonly events: Channel = createChannel(EVENT_TAUS, EVENT_NAMES.length);
  readonly closeHist: Histogram = createHistogram(HIST_TAUS, CLOSE_BINS);
  readonly lockHist: Histogram = createHistogram(HIST_TAUS, LOCK_BINS);
  /** Newest (ts, seq) added per stream: the dedup rule. */
  readonly newest: Record<FeatureStream, [number, number]> = { trip: [-Infinity, -1], door: [-Infinity, -1], env: [-Infinity, -1], fault: [-Infinity, -1], status: [-Infinity, -1] };
  /** The latest service mode seen, and when the latest visit began (NaN: none yet). */
  serviceMode = '';
  visitTs = NaN;
  /** Recent levels at the start of the latest visit, by AT_VISIT (NaN: unknown). */
  readonly atVisit = new Float64Array(5).fill(NaN);
  firstTs = Infinity;
  /** [bucket index, max in it, max in the bucket before] of the winding temperature, °C. */
  windingMax: [number, number, number] = [-Infinity, NaN, NaN];
  /** Open fault codes and the time of their newest raised record. */
  readonly openCodes = new Map<string, number>();
  /** The newest record ids per stream, oldest first: [seq, ts]. */
  readonly evidence: Record<'trip' | 'door' | 'env', Array<[number, number]>> = { trip: [], door: [], env: [] };
  skipped = 0;
  /** One record's metric values, reused (not state). */
  private readonly scratch = new Float64Array(16);

  constructor(readonly liftId: string) {}

  /** Add one record of `stream`; false when it was skipped (not a feature stream, replayed or late). */
  add(stream: string, r: AnyRecord): boolean {
    const s = stream === 'door' || stream === 'trip' || stream === 'env' || stream === 'fault' || stream === 'status' ? stream : undefined;
    if (s === undefined) return false;
    const newest = this.newest[s];
    if (r.ts < newest[0] || (r.ts === newest[0] && r.seq <= newest[1])) { this.skipped++; return false; }
    newest[0] = r.ts;
    newest[1] = r.seq;
    if (r.ts < this.firstTs) this.firstTs = r.ts;
    if (s === 'door') this.addDoor(r);
    else if (s === 'trip') this.addTrip(r);
    else if (s === 'env') this.addEnv(r);
    else if (s === 'fault') this.addFault(r);
    else { this.addStatus(r); return true; }
    if (s !== 'fault') {
      const ev = this.evidence[s];
      const slot = ev.length >= EVIDENCE ? ev.shift()! : [0, 0] as [number, number];
      slot[0] = r.seq; slot[1] = r.ts;
      ev.push(slot);
    }
    return true;
  }

  private addDoor(r: Fields & AnyRecord): void {
    const close = num(r.closeS);
    const lock = num(r.lockMadeMs);
    const v = this.scratch;
    v[DOOR.closeS] = close; v[DOOR.openS] = num(r.openS); v[DOOR.motorI] = num(r.doorMotorIMeanA); v[DOOR.lockMade] = lock;
    v[DOOR.reopens] = num(r.reopens); v[DOOR.trouble] = r.result === undefined ? NaN : r.result === 'ok' ? 0 : 1; v[DOOR.count] = 1;
    addToChannel(this.door, r.ts, v);
    addToHistogram(this.closeHist, r.ts, close);
    addToHistogram(this.lockHist, r.ts, lock);
  }

  private addTrip(r: Fields & AnyRecord): void {
    const creep = num(r.creepAfterStopMm);
    const v = this.scratch;
    v[TRIP.a95xy] = maxOf(num(r.vibA95XMps2), num(r.vibA95YMps2));
    v[TRIP.pkpkXy] = maxOf(num(r.vibMaxPkPkXMps2), num(r.vibMaxPkPkYMps2));
    v[TRIP.kurtosis] = maxOf(num(r.vibKurtosisX), num(r.vibKurtosisY));
    v[TRIP.stopErr] = Math.abs(num(r.stopErrMm)); v[TRIP.relevels] = num(r.relevels); v[TRIP.slip] = Math.abs(num(r.slipMm));
    v[TRIP.brakeDrop] = num(r.brakeDropMs); v[TRIP.brakeLift] = num(r.brakeLiftMs);
    v[TRIP.creep] = creep; v[TRIP.creepAny] = creep === creep ? (creep > CREEP_MM ? 1 : 0) : NaN; v[TRIP.count] = 1;
    addToChannel(this.trip, r.ts, v);
  }

  private addEnv(r: Fields & AnyRecord): void {
    const room = num(r.machineRoomTempC);
    const winding = num(r.motorWindingTempC);
    const v = this.scratch;
    v[ENV.windingResidual] = winding - room; v[ENV.heatsinkResidual] = num(r.driveHeatsinkTempC) - room;
    addToChannel(this.env, r.ts, v);
    if (winding === winding) {
      const b = Math.floor(r.ts / MAX_BUCKET_MS);
      const [cur, max] = this.windingMax;
      if (b === cur) this.windingMax[1] = maxOf(max, winding);
      else this.windingMax = [b, winding, b === cur + 1 ? max : NaN];
    }
  }

  private addStatus(r: Fields & AnyRecord): void {
    const mode = typeof r.serviceMode === 'string' ? r.serviceMode : '';
    if (mode === this.serviceMode) return;
    if (VISIT_MODES.has(mode) && !VISIT_MODES.has(this.serviceMode)) {
      this.visitTs = r.ts;
      const level = (c: Channel, m: number) => { const { w, s } = readChannel(c, K.recent, m, r.ts); return w >= MIN_RECENT ? s / w : NaN; };
      this.atVisit[AT_VISIT.doorMotorI] = level(this.door, DOOR.motorI);
      this.atVisit[AT_VISIT.doorClose] = level(this.door, DOOR.closeS);
      this.atVisit[AT_VISIT.a95xy] = level(this.trip, TRIP.a95xy);
      this.atVisit[AT_VISIT.brakeDrop] = level(this.trip, TRIP.brakeDrop);
      this.atVisit[AT_VISIT.windingResidual] = level(this.env, ENV.windingResidual);
    }
    this.serviceMode = mode;
  }

  private addFault(r: Fields & AnyRecord): void {
    const code = typeof r.code === 'string' ? r.code : '';
    if (r.state === 'cleared') { this.openCodes.delete(code); return; }
    if (r.state !== 'raised') return;
    const open = this.openCodes.get(code);
    this.openCodes.set(code, r.ts);
    // an active fault is re-sent every 10–60 s: a repeat is the same event, unless it went quiet
    if (open !== undefined && r.ts - open < REPEAT_GAP_MS) return;
    const g = GROUP_OF.get(code);
    if (g === undefined) return;
    const v = this.scratch;
    v.fill(0, 0, EVENT_NAMES.length);
    v[g] = 1;
    addToChannel(this.events, r.ts, v);
  }
}
