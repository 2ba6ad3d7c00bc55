// The JSON checkpoint of the object representation (layout 1), kept unchanged as the oracle of the
// equality test (compact-state.test.ts): old checkpoints must load into the compact state unchanged.
import { Value } from '@sinclair/typebox/value';
import { lwError } from '@liftwatch/contract';
import type { Channel, Histogram } from './decay.js';
import { PREVIOUS_FEATURE_VERSION as FEATURE_VERSION } from '../../src/features/state-layout3.js';
import { FeatureStateJsonV1, STATE_VERSION_1 } from '../../src/features/state-json-v1.js';
import { LiftFeatureState, type FeatureStream } from './lift-state.js';

/** Version of the checkpoint layout and its schema: the serving reads these checkpoints (state-json-v1.ts), so both sides share one schema. */
export const STATE_VERSION = STATE_VERSION_1;
export const FeatureStateJson = FeatureStateJsonV1;
export type FeatureStateJson = FeatureStateJsonV1;

const enc = (x: number): number | null | 'Infinity' | '-Infinity' => (Number.isNaN(x) ? null : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : x);
const dec = (x: number | null | 'Infinity' | '-Infinity'): number => (x === null ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x);
const sums = (c: Channel) => ({ t0: enc(c.t0), lastTs: enc(c.lastTs), w: Array.from(c.w), s: Array.from(c.s) });
const hist = (h: Histogram) => ({ t0: enc(h.t0), lastTs: enc(h.lastTs), h: Array.from(h.h) });

export function stateToJson(st: LiftFeatureState): FeatureStateJson {
  const pair = (s: FeatureStream) => [enc(st.newest[s][0]), st.newest[s][1]] as [ReturnType<typeof enc>, number];
  return {
    stateVersion: STATE_VERSION, featureVersion: FEATURE_VERSION, liftId: st.liftId, firstTs: enc(st.firstTs),
    newest: { trip: pair('trip'), door: pair('door'), env: pair('env'), fault: pair('fault'), status: pair('status') },
    serviceMode: st.serviceMode, visitTs: enc(st.visitTs), atVisit: Array.from(st.atVisit, enc),
    windingMax: [enc(st.windingMax[0]), enc(st.windingMax[1]), enc(st.windingMax[2])],
    openCodes: [...st.openCodes], evidence: { trip: [...st.evidence.trip], door: [...st.evidence.door], env: [...st.evidence.env] }, skipped: st.skipped,
    door: sums(st.door), trip: sums(st.trip), env: sums(st.env), events: sums(st.events), closeHist: hist(st.closeHist), lockHist: hist(st.lockHist),
  };
}

/**
 * A state from its checkpoint. A checkpoint of another layout or feature version, or of the wrong
 * shape, is LW_ERR_FEATURE_STATE_INVALID: the caller starts that lift afresh.
 */
export function stateFromJson(raw: unknown): LiftFeatureState {
  const o = raw as Partial<FeatureStateJson> | null;
  if (o?.featureVersion !== undefined && o.featureVersion !== FEATURE_VERSION) {
    throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved feature state of ${String(o.liftId)} is of feature version ${o.featureVersion} but the running code is ${FEATURE_VERSION}; the lift's features start afresh from its next records`);
  }
  if (!Value.Check(FeatureStateJson, raw)) {
    const e = [...Value.Errors(FeatureStateJson, raw)][0];
    throw lwError('LW_ERR_FEATURE_STATE_INVALID', `a saved feature state does not match its schema at ${e?.path ?? '?'} (${e?.message ?? '?'}); the lift's features start afresh from its next records`);
  }
  const st = new LiftFeatureState(raw.liftId);
  const fill = (c: Channel, j: FeatureStateJson['door'], what: string) => {
    if (j.w.length !== c.w.length || j.s.length !== c.s.length) throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved ${what} sums of ${raw.liftId} hold ${j.w.length} values, the code ${c.w.length}; the lift's features start afresh`);
    c.w.set(j.w); c.s.set(j.s); c.t0 = dec(j.t0); c.lastTs = dec(j.lastTs);
  };
  const fillHist = (h: Histogram, j: FeatureStateJson['closeHist'], what: string) => {
    if (j.h.length !== h.h.length) throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved ${what} sketch of ${raw.liftId} holds ${j.h.length} bins, the code ${h.h.length}; the lift's features start afresh`);
    h.h.set(j.h); h.t0 = dec(j.t0); h.lastTs = dec(j.lastTs);
  };
  fill(st.door, raw.door, 'door'); fill(st.trip, raw.trip, 'trip'); fill(st.env, raw.env, 'env'); fill(st.events, raw.events, 'event');
  fillHist(st.closeHist, raw.closeHist, 'close-time'); fillHist(st.lockHist, raw.lockHist, 'lock-made');
  st.firstTs = dec(raw.firstTs);
  for (const s of ['trip', 'door', 'env', 'fault', 'status'] as const) st.newest[s] = [dec(raw.newest[s][0]), raw.newest[s][1]];
  st.serviceMode = raw.serviceMode;
  st.visitTs = dec(raw.visitTs);
  if (raw.atVisit.length !== st.atVisit.length) throw lwError('LW_ERR_FEATURE_STATE_INVALID', `the saved visit levels of ${raw.liftId} hold ${raw.atVisit.length} values, the code ${st.atVisit.length}; the lift's features start afresh`);
  st.atVisit.set(raw.atVisit.map(dec));
  st.windingMax = [dec(raw.windingMax[0]), dec(raw.windingMax[1]), dec(raw.windingMax[2])];
  for (const [code, ts] of raw.openCodes) st.openCodes.set(code, ts);
  for (const s of ['trip', 'door', 'env'] as const) st.evidence[s].push(...raw.evidence[s]);
  st.skipped = raw.skipped;
  return st;
}
