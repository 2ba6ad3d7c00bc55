import { createHash } from 'node:crypto';
import { computeStats, type FeatureStats } from '../features/feature-stats.js';
import { K, SPECS, TRIP } from '../features/layout.js';
import { readChannel } from '../features/decay.js';
import type { LiftFeatureState } from '../features/lift-state.js';
import { capsOf, type HealthCap } from './caps.js';
import { alertsIn, s1Safety, s2Availability, s3Door, s4Ride, s5Machine, s6Maintenance, type ComponentScore, type HealthInput } from './components.js';
import { HEALTH_PARAMS, type HealthParams } from './params.js';
import { NO_EVENTS, type LiftEvents } from './platform-events.js';

export type { HealthCap } from './caps.js';
export type { ComponentScore } from './components.js';

const DAY = 86_400_000;

export interface HealthReason {
  readonly component: ComponentScore['id']; readonly pointsLost: number; readonly key: string; readonly params: Readonly<Record<string, string | number>>;
  readonly detail: string; readonly evidence: readonly string[];
}

/** A health score as published: every score carries its parameters' version and hash, its caps, contributions and evidence. */
export interface HealthScore {
  readonly liftId: string;
  readonly at: number;
  readonly paramsVersion: string;
  readonly paramsSha256: string;
  /** The lift's first record and `at`: the records the state holds (decayed; docs/model-features.md). */
  readonly inputsWindow: { readonly from: number; readonly to: number };
  /** Receive time of the newest record the lift's state held, ms: a recompute replays the records received up to it. */
  readonly recordsTo: number;
  /** H = min(H_raw, caps), 0–100, one decimal. */
  readonly score: number;
  readonly raw: number;
  /** A–E, or undefined before the lift has a recent level (a few hours of trips). */
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E' | undefined;
  /** The grade is given with a confidence below minConfidence: provisional. */
  readonly provisional: boolean;
  readonly confidence: number;
  /** The six components, each with its weight and the points it lost. */
  readonly components: ReadonlyArray<ComponentScore & { readonly weight: number; readonly pointsLost: number }>;
  readonly caps: readonly HealthCap[];
  /** The top three contributors by points lost, with evidence ids. */
  readonly reasons: readonly HealthReason[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const SHA = new Map<unknown, string>();
const sha = (p: HealthParams) => SHA.get(p) ?? SHA.set(p, createHash('sha256').update(JSON.stringify(p)).digest('hex')).get(p)!;

/**
 * The health score of one lift at `at` (at or after its newest record), from its streaming feature
 * state and the platform's alerts and visits: six weighted components, hard caps, a confidence and a
 * grade. Pure and deterministic: the same state, events and parameters give the same number, so a
 * replay of the stored records in the order they were received recomputes it (recompute.ts).
 */
export function computeHealth(state: LiftFeatureState, at: number, opts: { events?: LiftEvents; params?: HealthParams; stats?: FeatureStats } = {}): HealthScore {
  const p = opts.params ?? HEALTH_PARAMS;
  const x: HealthInput = { liftId: state.liftId, at, state, stats: opts.stats ?? computeStats(state, at), events: opts.events ?? NO_EVENTS };
  const components = [s1Safety(x, p), s2Availability(x, p), s3Door(x, p), s4Ride(x, p), s5Machine(x, p), s6Maintenance(x, p)];
  const raw = components.reduce((s, c) => s + (p.weights[c.id] * c.score) / 100, 0);
  const caps = capsOf(x, p, components);
  const score = round1(Math.min(raw, ...caps.map((c) => c.cap)));
  const confidence = confidenceOf(x, p);
  // Graded once the recent level holds a few trips, and kept through a quiet night or a gap in the
  // records once the baseline holds them: an idle lift with weeks behind it is not "insufficient data".
  const knownTrips = Math.max(readChannel(state, SPECS.trip, K.recent, TRIP.count, at).w, readChannel(state, SPECS.trip, K.baseA, TRIP.count, at).w);
  const grade = knownTrips < p.minRecentTrips ? undefined : (p.grades.find(([lo]) => score >= lo)?.[1] ?? 'E');
  const reasons = components
    .map((c) => ({ component: c.id, pointsLost: round1((p.weights[c.id] * (100 - c.score)) / 100), key: c.key, params: c.params, detail: c.detail, evidence: c.evidence.slice(0, 5) }))
    .filter((r) => r.pointsLost > 0)
    .sort((a, b) => b.pointsLost - a.pointsLost)
    .slice(0, 3);
  return {
    liftId: state.liftId, at, paramsVersion: p.version, paramsSha256: sha(p), inputsWindow: { from: Number.isFinite(state.firstTs) ? state.firstTs : at, to: at },
    recordsTo: state.lastRx, score, raw: round1(raw), grade, provisional: grade !== undefined && confidence < p.minConfidence,
    confidence: Math.round(confidence * 1000) / 1000, components: components.map((c) => ({ ...c, score: round1(c.score), weight: p.weights[c.id], pointsLost: round1((p.weights[c.id] * (100 - c.score)) / 100) })), caps, reasons,
  };
}

/**
 * C = coverage × sensor health × observation. Coverage: share of the UTC days observed (up to the last
 * 30) with trips; sensor health loses q01Penalty per data-quality alert (Q01) in 30 days; observation: days
 * observed / 30.
 */
function confidenceOf(x: HealthInput, p: HealthParams): number {
  const observed = Number.isFinite(x.state.firstTs) ? Math.max(0, (x.at - x.state.firstTs) / DAY) : 0;
  if (observed === 0) return 0;
  const days = Math.min(p.windowDays, Math.floor(x.at / DAY) - Math.floor(x.state.firstTs / DAY) + 1); // UTC days spanned
  const coverage = x.state.tripDays(x.at, days) / days;
  const q01 = alertsIn(x, p.windowDays, (a) => a.code === 'Q01').length;
  const sensor = Math.max(0, 1 - p.q01Penalty * q01);
  return coverage * sensor * Math.min(1, observed / p.windowDays);
}
