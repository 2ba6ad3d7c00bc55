import { FAULT_CODES } from '@liftwatch/contract';
import { addOneToChannel, addToChannel, addToHistogram, readChannel, type ChannelSpec } from './decay.js';
import {
  AT_VISIT, BLOCK_BYTES, DOOR, ENV, EVENT_GROUPS, EVENT_NAMES, EVIDENCE, EVIDENCE_STREAMS, H, HEADER_DOUBLES, K, LANDING_SLOTS, MAX_ENV_GAP_MS, newBlock, OPEN_SLOTS, SINK, SLOW_LOCK_MS, SPECS, STREAM_INDEX, THERMAL, TRIP,
  blockOf, clearBlock, type FeatureStream, type StateBlock,
} from './layout.js';

export { AT_VISIT, CLOSE_BINS, DOOR, ENV, EVENT_GROUPS, EVENT_NAMES, K, LANDING_SLOTS, LOCK_BINS, SLOW_LOCK_MS, TAUS, TRIP, type EventGroup, type FeatureStream } from './layout.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const GROUP_OF = new Map<string, number>(EVENT_NAMES.flatMap((g, i) => EVENT_GROUPS[g].map((c) => [c, i] as const)));

/** Winding temperature maxima are kept per 12-hour bucket (the current and the previous one). */
export const MAX_BUCKET_MS = 12 * HOUR;
/** Creep after stop above this counts as a creeping trip, mm. */
export const CREEP_MM = 0.5;
/** A raised record of an open code this long after its previous one is a new event, ms. */
export const REPEAT_GAP_MS = 10 * 60_000;
/** Fewest (decayed) records for a recent level: below, the level is unknown (NaN). */
export const MIN_RECENT = 3;

/** Streams the state reads; of `status` only the service mode (a maintenance visit starts with inspection). */
export const FEATURE_STREAMS: ReadonlySet<string> = new Set<FeatureStream>(['trip', 'door', 'env', 'fault', 'status']);
/** Service modes by number (the contract's, and `maintenance`); another string is −1, none 0. */
const MODES: readonly string[] = ['', 'outOfService', 'normal', 'inspection', 'fireRecall', 'firefighter', 'emergencyPower', 'earthquake', 'unknown', 'maintenance'];
const MODE_NUMBER = new Map(MODES.map((m, i) => [m, i]));
/** Service modes that mean a crew is at the lift (a visit starts when one begins). */
const VISIT_MODES: ReadonlySet<number> = new Set([MODE_NUMBER.get('inspection')!, MODE_NUMBER.get('maintenance')!]);
/** Fault codes by number (position in the code table + 1) for the open-code slots. */
const CODE_NUMBER = new Map(FAULT_CODES.map((c, i) => [c.code, i + 1]));

/** A record as the state reads it: the contract's fields, structurally (any of the four streams). */
export type AnyRecord = { readonly liftId?: string; readonly seq: number; readonly ts: number } & Readonly<Record<string, unknown>>;

/** The fields read, by name: direct property reads keep the per-record cost low (no keyed lookups). */
interface Fields {
  closeS?: unknown; openS?: unknown; floor?: unknown; obstructedClose?: unknown; doorMotorIMeanA?: unknown; lockMadeMs?: unknown; reopens?: unknown; result?: unknown;
  vibA95XMps2?: unknown; vibA95YMps2?: unknown; vibA95ZMps2?: unknown; vibMaxPkPkXMps2?: unknown; vibMaxPkPkYMps2?: unknown; vibKurtosisX?: unknown; vibKurtosisY?: unknown;
  stopErrMm?: unknown; relevels?: unknown; slipMm?: unknown; brakeDropMs?: unknown; brakeLiftMs?: unknown; creepAfterStopMm?: unknown;
  machineRoomTempC?: unknown; motorWindingTempC?: unknown; driveHeatsinkTempC?: unknown; code?: unknown; state?: unknown; serviceMode?: unknown;
}
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const maxOf = (a: number, b: number): number => (a !== a ? b : b !== b ? a : Math.max(a, b));

/** One record's metric values: shared by every state (single thread; filled and read within one add). */
const scratch = new Float64Array(16);

/**
 * One lift's streaming feature state: decayed sums per stream, two quantile sketches, event
 * counters, the open fault codes and a few record ids, all in one block (layout.ts, about
 * 2.4 KB). `add` is constant work per record and allocates nothing; nothing here keeps a
 * record. Records older than the newest of their stream (a replay, or late) are skipped and
 * counted, so a duplicate never counts twice.
 */
export class LiftFeatureState implements StateBlock {
  /** Open codes beyond the block's slots, or outside the code table (rare): created when needed. */
  overflow: Map<string, number> | undefined;
  /** The floats of the block's buffer (shared by the blocks of an arena's chunk); the sums and sketch bins start at `fo`. */
  readonly f: Float32Array;
  readonly fo: number;

  /** `d`: the header view of the lift's block (from an arena), fresh or filled from a checkpoint; a new block when omitted. */
  constructor(readonly liftId: string, readonly d: Float64Array = freshBlock()) {
    if (d.length !== HEADER_DOUBLES || d.buffer.byteLength - d.byteOffset < BLOCK_BYTES) {
      throw new RangeError(`a feature state block is ${HEADER_DOUBLES} doubles then its sums (${BLOCK_BYTES} bytes), not ${d.length} doubles`);
    }
    const b = blockOf(d);
    this.f = b.f;
    this.fo = b.fo;
  }

  /**
   * Add one record of `stream`, received at `rx` (ms, when known); false when it was skipped (not a
   * feature stream, replayed or late).
   */
  add(stream: string, r: AnyRecord, rx = NaN): boolean {
    const s = stream === 'door' || stream === 'trip' || stream === 'env' || stream === 'fault' || stream === 'status' ? stream : undefined;
    if (s === undefined) return false;
    const d = this.d;
    if (rx > d[H.lastRx]!) d[H.lastRx] = rx;
    const n = H.newest + 2 * STREAM_INDEX[s];
    const previous = d[n]!;
    if (r.ts < previous || (r.ts === previous && r.seq <= d[n + 1]!)) { d[H.skipped] = d[H.skipped]! + 1; return false; }
    d[n] = r.ts;
    d[n + 1] = r.seq;
    if (r.ts < d[H.firstTs]!) d[H.firstTs] = r.ts;
    if (s === 'door') this.addDoor(r);
    else if (s === 'trip') this.addTrip(r);
    else if (s === 'env') this.addEnv(r, previous);
    else if (s === 'fault') { this.addFault(r); return true; }
    else { this.addStatus(r); return true; }
    this.addEvidence(s === 'trip' ? 0 : s === 'door' ? 1 : 2, r);
    return true;
  }

  private addEvidence(i: number, r: AnyRecord): void {
    const d = this.d;
    const e = H.evidence + i * (2 + 2 * EVIDENCE);
    const slot = d[e + 1]!;
    d[e + 2 + 2 * slot] = r.seq;
    d[e + 3 + 2 * slot] = r.ts;
    d[e + 1] = (slot + 1) % EVIDENCE;
    if (d[e]! < EVIDENCE) d[e] = d[e]! + 1;
  }

  private addDoor(r: Fields & AnyRecord): void {
    const close = num(r.closeS);
    const lock = num(r.lockMadeMs);
    const v = scratch;
    v[DOOR.closeS] = close; v[DOOR.openS] = num(r.openS); v[DOOR.motorI] = num(r.doorMotorIMeanA); v[DOOR.lockMade] = lock;
    v[DOOR.reopens] = num(r.reopens); v[DOOR.trouble] = r.result === undefined ? NaN : r.result === 'ok' ? 0 : 1; v[DOOR.count] = 1;
    addToChannel(this, SPECS.door, r.ts, v);
    addToHistogram(this, SPECS.closeHist, r.ts, close);
    addToHistogram(this, SPECS.lockHist, r.ts, lock);
    const floor = num(r.floor);
    if (lock === lock && floor === floor) {
      addOneToChannel(this, SPECS.landingLock, r.ts, landingSlot(floor), lock);
      if (lock > SLOW_LOCK_MS) addOneToChannel(this, SPECS.landingSlowLock, r.ts, landingSlot(floor), 1);
    }
    if (typeof r.obstructedClose === 'boolean') addOneToChannel(this, SPECS.obstructed, r.ts, 0, r.obstructedClose ? 1 : 0);
  }

  private addTrip(r: Fields & AnyRecord): void {
    const creep = num(r.creepAfterStopMm);
    const v = scratch;
    v[TRIP.a95xy] = maxOf(num(r.vibA95XMps2), num(r.vibA95YMps2));
    v[TRIP.pkpkXy] = maxOf(num(r.vibMaxPkPkXMps2), num(r.vibMaxPkPkYMps2));
    v[TRIP.kurtosis] = maxOf(num(r.vibKurtosisX), num(r.vibKurtosisY));
    v[TRIP.stopErr] = Math.abs(num(r.stopErrMm)); v[TRIP.relevels] = num(r.relevels); v[TRIP.slip] = Math.abs(num(r.slipMm));
    v[TRIP.brakeDrop] = num(r.brakeDropMs); v[TRIP.brakeLift] = num(r.brakeLiftMs);
    v[TRIP.creep] = creep; v[TRIP.creepAny] = creep === creep ? (creep > CREEP_MM ? 1 : 0) : NaN; v[TRIP.count] = 1;
    addToChannel(this, SPECS.trip, r.ts, v);
    v[0] = num(r.vibA95ZMps2);
    addToChannel(this, SPECS.tripZ, r.ts, v);
    const e = num(r.stopErrMm);
    const load = num(r.loadPctStart) / 100;
    if (e === e && load === load) {
      v[SINK.loadTimesErr] = load * e; v[SINK.loadSquared] = load * load;
      addToChannel(this, SPECS.sinkUnderLoad, r.ts, v);
    }
    const heat = num(r.motorIRmsA) ** 2 * num(r.durationS);
    if (heat === heat) addOneToChannel(this, SPECS.thermal, r.ts, THERMAL.heatA2s, heat);
    this.addTripDay(r.ts);
  }

  /** Marks the trip's UTC day in the 32-day mask (the health score's coverage). */
  private addTripDay(ts: number): void {
    const d = this.d;
    const day = Math.floor(ts / DAY);
    const newest = d[H.tripDays]!;
    if (day > newest) {
      const shift = day - newest;
      d[H.tripDays + 1] = shift >= 32 ? 1 : ((d[H.tripDays + 1]! << shift) | 1) >>> 0;
      d[H.tripDays] = day;
    } else if (newest - day < 32) d[H.tripDays + 1] = (d[H.tripDays + 1]! | (1 << (newest - day))) >>> 0;
  }

  /** `previousTs`: the newest environment record's time before this one (−∞: none). */
  private addEnv(r: Fields & AnyRecord, previousTs: number): void {
    const room = num(r.machineRoomTempC);
    const winding = num(r.motorWindingTempC);
    const v = scratch;
    v[ENV.windingResidual] = winding - room; v[ENV.heatsinkResidual] = num(r.driveHeatsinkTempC) - room;
    addToChannel(this, SPECS.env, r.ts, v);
    const rise = v[ENV.windingResidual]!;
    if (rise === rise && previousTs > -Infinity) addOneToChannel(this, SPECS.thermal, r.ts, THERMAL.riseTimesS, rise * Math.min(r.ts - previousTs, MAX_ENV_GAP_MS) / 1000);
    if (winding === winding) {
      const d = this.d;
      const b = Math.floor(r.ts / MAX_BUCKET_MS);
      const cur = d[H.windingBucket]!;
      if (b === cur) d[H.windingMax] = maxOf(d[H.windingMax]!, winding);
      else {
        d[H.windingPrev] = b === cur + 1 ? d[H.windingMax]! : NaN;
        d[H.windingMax] = winding;
        d[H.windingBucket] = b;
      }
    }
  }

  private addStatus(r: Fields & AnyRecord): void {
    const d = this.d;
    const mode = typeof r.serviceMode === 'string' ? MODE_NUMBER.get(r.serviceMode) ?? -1 : 0;
    const was = d[H.serviceMode]!;
    if (mode === was) return;
    if (VISIT_MODES.has(mode) && !VISIT_MODES.has(was)) {
      d[H.visitTs] = r.ts;
      const level = (c: ChannelSpec, m: number) => { const { w, s } = readChannel(this, c, K.recent, m, r.ts); return w >= MIN_RECENT ? s / w : NaN; };
      d[H.atVisit + AT_VISIT.doorMotorI] = level(SPECS.door, DOOR.motorI);
      d[H.atVisit + AT_VISIT.doorClose] = level(SPECS.door, DOOR.closeS);
      d[H.atVisit + AT_VISIT.a95xy] = level(SPECS.trip, TRIP.a95xy);
      d[H.atVisit + AT_VISIT.brakeDrop] = level(SPECS.trip, TRIP.brakeDrop);
      d[H.atVisit + AT_VISIT.windingResidual] = level(SPECS.env, ENV.windingResidual);
    }
    d[H.serviceMode] = mode;
  }

  private addFault(r: Fields & AnyRecord): void {
    const code = typeof r.code === 'string' ? r.code : '';
    if (r.state === 'cleared') { this.closeCode(code); return; }
    if (r.state !== 'raised') return;
    const open = this.openSince(code);
    this.setOpen(code, r.ts);
    // an active fault is re-sent every 10–60 s: a repeat is the same event, unless it went quiet
    if (open !== undefined && r.ts - open < REPEAT_GAP_MS) return;
    const g = GROUP_OF.get(code);
    if (g === undefined) return;
    const v = scratch;
    v.fill(0, 0, EVENT_NAMES.length);
    v[g] = 1;
    addToChannel(this, SPECS.events, r.ts, v);
  }

  /** The slot of an open code in the block, or −1. */
  private slotOf(n: number | undefined): number {
    if (n === undefined) return -1;
    for (let i = 0; i < OPEN_SLOTS; i++) if (this.d[H.open + 2 * i] === n) return i;
    return -1;
  }

  private openSince(code: string): number | undefined {
    const i = this.slotOf(CODE_NUMBER.get(code));
    return i >= 0 ? this.d[H.open + 2 * i + 1] : this.overflow?.get(code);
  }

  private setOpen(code: string, ts: number): void {
    const n = CODE_NUMBER.get(code);
    let i = this.slotOf(n);
    if (i < 0 && n !== undefined && this.overflow?.has(code) !== true) i = this.slotOf(0);
    if (i < 0) { (this.overflow ??= new Map()).set(code, ts); return; }
    this.d[H.open + 2 * i] = n!;
    this.d[H.open + 2 * i + 1] = ts;
  }

  private closeCode(code: string): void {
    const i = this.slotOf(CODE_NUMBER.get(code));
    if (i >= 0) { this.d[H.open + 2 * i] = 0; this.d[H.open + 2 * i + 1] = 0; } else this.overflow?.delete(code);
  }

  // ---- Read side (scoring, checkpoints, tests): these allocate, the record path above does not ----

  /** Sets the remembered service mode (a checkpoint of the first layout names it). */
  setServiceMode(mode: string): void { this.d[H.serviceMode] = MODE_NUMBER.get(mode) ?? -1; }

  get firstTs(): number { return this.d[H.firstTs]!; }
  /** Receive time of the newest record handed to the state, ms (−∞: none with a receive time). */
  get lastRx(): number { return this.d[H.lastRx]!; }
  get skipped(): number { return this.d[H.skipped]!; }
  get visitTs(): number { return this.d[H.visitTs]!; }
  /** The latest service mode seen ('' none; 'other' for a string the state does not know). */
  get serviceMode(): string { const m = this.d[H.serviceMode]!; return m < 0 ? 'other' : MODES[m] ?? 'other'; }
  /** Newest (ts, seq) added per stream. */
  newest(stream: FeatureStream): [number, number] { const n = H.newest + 2 * STREAM_INDEX[stream]; return [this.d[n]!, this.d[n + 1]!]; }
  /** Time of the newest record of any stream (−∞ before the first). */
  newestTs(): number { let t = -Infinity; for (let i = 0; i < 5; i++) t = Math.max(t, this.d[H.newest + 2 * i]!); return t; }
  /** The newest record ids of a stream, oldest first: [seq, ts]. */
  evidence(stream: (typeof EVIDENCE_STREAMS)[number]): Array<[number, number]> {
    const e = H.evidence + EVIDENCE_STREAMS.indexOf(stream) * (2 + 2 * EVIDENCE);
    const count = this.d[e]!;
    const start = count < EVIDENCE ? 0 : this.d[e + 1]!;
    const out: Array<[number, number]> = [];
    for (let k = 0; k < count; k++) { const slot = (start + k) % EVIDENCE; out.push([this.d[e + 2 + 2 * slot]!, this.d[e + 3 + 2 * slot]!]); }
    return out;
  }
  /** Open fault codes and the time of their newest raised record. */
  openCodes(): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < OPEN_SLOTS; i++) {
      const n = this.d[H.open + 2 * i]!;
      if (n > 0) out.set(FAULT_CODES[n - 1]!.code, this.d[H.open + 2 * i + 1]!);
    }
    for (const [code, ts] of this.overflow ?? []) out.set(code, ts);
    return out;
  }
  /** Days with at least one trip among the `days` (≤ 32) UTC days up to the one of `at`. */
  tripDays(at: number, days: number): number {
    const shift = Math.floor(at / DAY) - this.d[H.tripDays]!;
    if (!(shift < days)) return 0;
    let mask = this.d[H.tripDays + 1]!;
    let n = 0;
    for (let i = 0; i + shift < days && i < 32; i++, mask = Math.floor(mask / 2)) n += mask % 2;
    return n;
  }
}

/** The landing slot of a floor: floors LANDING_SLOTS apart share one (basements count from the top slot down). */
export function landingSlot(floor: number): number {
  return ((Math.trunc(floor) % LANDING_SLOTS) + LANDING_SLOTS) % LANDING_SLOTS;
}

function freshBlock(): Float64Array {
  const d = newBlock();
  clearBlock(d);
  return d;
}
