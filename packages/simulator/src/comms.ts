import { STREAMS, type LiftRecord, type TripRecord } from '@liftwatch/contract';
import type { CommsSpec } from './fault-plan.js';
import type { TruthRecord } from './ground-truth.js';
import { createRandom } from './prng.js';

const DAY_MS = 86_400_000;
const MG_PER_MPS2 = 1 / 0.00981; // 1 mg = 0.00981 m/s²
const VIB_FIELDS = ['vibA95XMps2', 'vibA95YMps2', 'vibA95ZMps2', 'vibMaxPkPkXMps2', 'vibMaxPkPkYMps2', 'vibMaxPkPkZMps2'] as const;

/**
 * Data and comms faults between the simulated lift and the platform (docs/simulator.md): what the platform receives differs from what the lift did, and the ground truth says how.
 * - offline bursts (terminal flapping): records made while offline arrive at reconnection, in order,
 *   with their own seq (the terminal's spool held them);
 * - loss: only periodic records (QoS 0 streams: status, env, device) are lost; events never are;
 * - duplicates (same seq), reordering (a record overtaken by the next);
 * - clock skew: `ts` drifts by `clockSkewMsPerDay`;
 * - a stuck winding-temperature sensor; vibration sent in mg while labelled m/s² (clamped to the
 *   contract's range, as a saturated sensor would be).
 */
export function createCommsChannel(spec: CommsSpec, x: { seed: number; startMs: number; liftId: string }) {
  const rnd = createRandom(x.seed ^ 0xc0ffee);
  const truth: TruthRecord[] = [];
  const held: LiftRecord[] = [];
  let swap: LiftRecord | undefined;
  let stuckValue: number | undefined;
  let mislabelNoted = false;
  const flapFrom = spec.flapEveryH !== undefined ? x.startMs + (spec.flapFromDay ?? 0) * DAY_MS : Number.POSITIVE_INFINITY;
  let window = { start: flapFrom, end: flapFrom + (spec.flapMin ?? 10) * 60_000 * rnd.uniform(0.5, 1.5) };
  let offline = false;
  const note = (ts: number, effect: Extract<TruthRecord, { type: 'comms' }>['effect'], seq?: number, detail?: string) => {
    const r: TruthRecord = { type: 'comms', liftId: x.liftId, ts, effect };
    if (seq !== undefined) r.seq = seq;
    if (detail !== undefined) r.detail = detail;
    truth.push(r);
  };
  if (spec.clockSkewMsPerDay) note(x.startMs, 'clockSkew', undefined, `${spec.clockSkewMsPerDay} ms/day`);

  function transform(r: LiftRecord): LiftRecord {
    const trueTs = r.record.ts;
    const record = { ...r.record } as Record<string, unknown> & LiftRecord['record'];
    if (spec.clockSkewMsPerDay) record.ts = Math.round(trueTs + spec.clockSkewMsPerDay * (trueTs - x.startMs) / DAY_MS);
    if (r.stream === 'env' && spec.stuckSensorFromDay !== undefined && trueTs >= x.startMs + spec.stuckSensorFromDay * DAY_MS) {
      if (stuckValue === undefined) { stuckValue = record.motorWindingTempC as number; note(trueTs, 'stuckSensor', r.record.seq, 'env.motorWindingTempC'); }
      record.motorWindingTempC = stuckValue;
    }
    if (r.stream === 'trip' && spec.unitMislabelFromDay !== undefined && trueTs >= x.startMs + spec.unitMislabelFromDay * DAY_MS) {
      if (!mislabelNoted) { mislabelNoted = true; note(trueTs, 'unitMislabel', r.record.seq, 'trip.vib* in mg, labelled m/s²'); }
      for (const f of VIB_FIELDS) {
        const v = (record as unknown as TripRecord)[f];
        if (v !== undefined) record[f] = Math.min(f.startsWith('vibA95') ? 20 : 50, Math.round(v * MG_PER_MPS2 * 10) / 10);
      }
    }
    return { stream: r.stream, record } as LiftRecord;
  }

  function deliver(r: LiftRecord, out: LiftRecord[]): void {
    const periodic = STREAMS[r.stream].kind === 'periodic' && STREAMS[r.stream].qos === 0;
    if (periodic && spec.lossPct && rnd.next() * 100 < spec.lossPct) { note(r.record.ts, 'lost', r.record.seq, r.stream); return; }
    if (spec.reorderPct && swap === undefined && rnd.next() * 100 < spec.reorderPct) { swap = r; note(r.record.ts, 'reordered', r.record.seq, r.stream); return; }
    out.push(r);
    if (spec.dupPct && rnd.next() * 100 < spec.dupPct) { out.push(r); note(r.record.ts, 'duplicated', r.record.seq, r.stream); }
    if (swap) { out.push(swap); swap = undefined; }
  }

  function advanceWindows(ts: number, out: LiftRecord[]): void {
    for (;;) {
      if (!offline && ts >= window.start) { offline = true; note(Math.round(window.start), 'offline'); }
      if (offline && ts >= window.end) {
        offline = false;
        note(Math.round(window.end), 'online', undefined, `${held.length} records delivered late`);
        for (const h of held.splice(0)) deliver(h, out);
        const start = window.end + rnd.exponential((spec.flapEveryH ?? 1) * 3_600_000);
        window = { start, end: start + (spec.flapMin ?? 10) * 60_000 * rnd.uniform(0.5, 1.5) };
        continue;
      }
      return;
    }
  }

  return {
    /** What reaches the platform of `records` (in the lift's order) by `nowMs`. */
    pass(records: readonly LiftRecord[], nowMs: number): LiftRecord[] {
      const out: LiftRecord[] = [];
      for (const r of records) {
        advanceWindows(r.record.ts, out);
        const t = transform(r);
        if (offline) held.push(t); else deliver(t, out);
      }
      advanceWindows(nowMs, out);
      return out;
    },
    drainTruth: (): TruthRecord[] => truth.splice(0),
  };
}
export type CommsChannel = ReturnType<typeof createCommsChannel>;

/** Signal strength of the terminal, dBm: it falls by 24 dB over the day before flapping starts (an antenna or cable going bad). */
export function signalDbm(spec: CommsSpec | undefined, startMs: number, t: number): number {
  const flapFrom = spec?.flapFromDay;
  if (flapFrom === undefined) return -72;
  const d = (t - startMs) / DAY_MS - (flapFrom - 1);
  return -72 - 24 * Math.min(1, Math.max(0, d));
}
