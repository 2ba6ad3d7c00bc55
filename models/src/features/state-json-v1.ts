import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { lwError } from '@liftwatch/contract';
import { setSums, type ChannelSpec, type HistogramSpec } from './decay.js';
import { EVIDENCE, EVIDENCE_STREAMS, H, newBlock, STREAM_INDEX } from './layout.js';
import { convertLayout3, LAYOUT3_SPECS, newLayout3Block, PREVIOUS_FEATURE_VERSION } from './state-layout3.js';
import { LiftFeatureState } from './lift-state.js';

/**
 * Checkpoints of the first layout (JSON, one object per lift, table `model_feature_state`), read so
 * that an upgraded node goes on from its lifts' states instead of starting them afresh (into a block
 * of the third layout, converted as its checkpoints are). The values
 * are the same (the sums to a 32-bit float's precision), so a state read here equals the one saved
 * (models/test/compact-state.test.ts).
 */
export const STATE_VERSION_1 = 1;

/** A number that may be ±∞ or NaN: JSON has none of them, so they were written as null or a string. */
const Num = Type.Union([Type.Number(), Type.Null(), Type.Literal('-Infinity'), Type.Literal('Infinity')]);
const Sums = Type.Object({ t0: Num, lastTs: Num, w: Type.Array(Type.Number()), s: Type.Array(Type.Number()) });
const Hist = Type.Object({ t0: Num, lastTs: Num, h: Type.Array(Type.Number()) });
const Pair = Type.Tuple([Num, Type.Number()]);
const Ids = Type.Array(Type.Tuple([Type.Number(), Type.Number()]));

export const FeatureStateJsonV1 = Type.Object({
  stateVersion: Type.Literal(STATE_VERSION_1),
  featureVersion: Type.String(),
  liftId: Type.String(),
  firstTs: Num,
  newest: Type.Object({ trip: Pair, door: Pair, env: Pair, fault: Pair, status: Pair }),
  serviceMode: Type.String(),
  visitTs: Num,
  atVisit: Type.Array(Num),
  windingMax: Type.Tuple([Num, Num, Num]),
  openCodes: Type.Array(Type.Tuple([Type.String(), Type.Number()])),
  evidence: Type.Object({ trip: Ids, door: Ids, env: Ids }),
  skipped: Type.Number(),
  door: Sums, trip: Sums, env: Sums, events: Sums,
  closeHist: Hist, lockHist: Hist,
}, { additionalProperties: false });
export type FeatureStateJsonV1 = Static<typeof FeatureStateJsonV1>;

const dec = (x: number | null | 'Infinity' | '-Infinity'): number => (x === null ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x);
const invalid = (liftId: string, what: string) => lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved feature state of ${liftId} ${what}; the lift's features start afresh from its next records`);

/** A state from a first-layout JSON checkpoint, written into `into` when given. */
export function stateFromJsonV1(raw: unknown, into?: Float64Array): LiftFeatureState {
  const o = raw as Partial<FeatureStateJsonV1> | null;
  if (o?.featureVersion !== undefined && o.featureVersion !== PREVIOUS_FEATURE_VERSION) {
    throw invalid(String(o.liftId), `is of feature version ${o.featureVersion} but the first layout was written by ${PREVIOUS_FEATURE_VERSION} only`);
  }
  if (!Value.Check(FeatureStateJsonV1, raw)) {
    const e = [...Value.Errors(FeatureStateJsonV1, raw)][0];
    throw invalid(String(o?.liftId), `does not match its schema at ${e?.path ?? '?'} (${e?.message ?? '?'})`);
  }
  const block = newLayout3Block();
  const d = block.d;
  const SPECS = LAYOUT3_SPECS.specs;
  const sums = (c: ChannelSpec, j: Static<typeof Sums>, what: string) => {
    const n = c.taus.length * c.metrics;
    if (j.w.length !== n || j.s.length !== n) throw invalid(raw.liftId, `holds ${j.w.length} ${what} sums, the code ${n}`);
    setSums(block, c, dec(j.t0), dec(j.lastTs), c.weights ? [...j.w, ...j.s] : j.s);
  };
  const hist = (h: HistogramSpec, j: Static<typeof Hist>, what: string) => {
    if (j.h.length !== h.taus.length * h.bins.count) throw invalid(raw.liftId, `holds ${j.h.length} ${what} bins, the code ${h.taus.length * h.bins.count}`);
    setSums(block, h, dec(j.t0), dec(j.lastTs), j.h);
  };
  sums(SPECS.door, raw.door, 'door'); sums(SPECS.trip, raw.trip, 'trip'); sums(SPECS.env, raw.env, 'env'); sums(SPECS.events, raw.events, 'event');
  hist(SPECS.closeHist, raw.closeHist, 'close-time'); hist(SPECS.lockHist, raw.lockHist, 'lock-made');
  d[H.firstTs] = dec(raw.firstTs);
  d[H.skipped] = raw.skipped;
  d[H.visitTs] = dec(raw.visitTs);
  for (const s of ['trip', 'door', 'env', 'fault', 'status'] as const) {
    d[H.newest + 2 * STREAM_INDEX[s]] = dec(raw.newest[s][0]);
    d[H.newest + 2 * STREAM_INDEX[s] + 1] = raw.newest[s][1];
  }
  if (raw.atVisit.length !== 5) throw invalid(raw.liftId, `holds ${raw.atVisit.length} visit levels, the code 5`);
  raw.atVisit.forEach((x, i) => { d[H.atVisit + i] = dec(x); });
  d[H.windingBucket] = dec(raw.windingMax[0]); d[H.windingMax] = dec(raw.windingMax[1]); d[H.windingPrev] = dec(raw.windingMax[2]);
  EVIDENCE_STREAMS.forEach((s, i) => {
    const ids = raw.evidence[s].slice(-EVIDENCE);
    const e = H.evidence + i * (2 + 2 * EVIDENCE);
    d[e] = ids.length; d[e + 1] = ids.length % EVIDENCE;
    ids.forEach(([seq, ts], k) => { d[e + 2 + 2 * k] = seq; d[e + 3 + 2 * k] = ts; });
  });
  const out = into ?? newBlock();
  convertLayout3(block, out);
  const st = new LiftFeatureState(raw.liftId, out);
  st.setServiceMode(raw.serviceMode);
  // the open codes keep their meaning in the map beside the block (the slots fill again as codes open)
  if (raw.openCodes.length > 0) st.overflow = new Map(raw.openCodes.map(([c, ts]) => [c, ts]));
  return st;
}
