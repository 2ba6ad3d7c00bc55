import type { FleetLift } from '@liftwatch/simulator';
import { computeStats } from '../features/feature-stats.js';
import { FEATURE_NAMES, featureVector } from '../features/definition.js';
import { LiftFeatureState, type AnyRecord } from '../features/lift-state.js';
import { RULE_INPUTS, ruleInputs } from '../evaluate/threshold-rules.js';
import { createHealthSampler, type GradeSample } from '../evaluate/health-sampler.js';
import { createTruthState, ORACLE_INPUTS, type HealthLine } from '../evaluate/oracle-state.js';
import { familyOfId, type FailureLabel, type RepairLabel } from './families.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Options of replayLift. */
export interface ReplayOptions {
  /** Time between samples, ms. @defaultValue 6 h */
  readonly stepMs?: number;
  /** First sample this long after the lift's first record, ms. @defaultValue 14 days */
  readonly warmupMs?: number;
  /** Keep the rule inputs of each sample (evaluation and calibration). @defaultValue true */
  readonly rules?: boolean;
  /** Grade the health score every this many ms (evaluation); 0: never. @defaultValue 0 */
  readonly healthStepMs?: number;
  /**
   * Replay the records through the streaming features; false: only the ground truth is read (the
   * oracle's calibration needs the true state and the failures, and simulating is then most of the
   * cost). @defaultValue true
   */
  readonly features?: boolean;
}

/**
 * One simulated lift replayed record by record through the streaming features, as the platform
 * would see it: feature vectors (and rule inputs) sampled every `stepMs`, and the functional
 * failures of its ground truth. Only the samples are kept, never the records.
 */
export interface LiftSeries {
  readonly liftId: string;
  readonly mix: string;
  readonly seed: number;
  readonly index: number;
  /** First record and end of the run, ms. */
  readonly from: number;
  readonly to: number;
  readonly times: Float64Array;
  /** times.length × FEATURE_NAMES.length, row-major. */
  readonly x: Float32Array;
  /** times.length × RULE_INPUTS, row-major (empty when not asked for). */
  readonly rules: Float32Array;
  /** times.length × ORACLE_INPUTS, row-major: the oracle's scores from the ground truth's component health (evaluation/oracle-state.ts; never served). */
  readonly oracle: Float32Array;
  readonly failures: readonly FailureLabel[];
  /** Routine visits that repaired a fault, per family (why an alert with no failure after it was false). */
  readonly repairs: readonly RepairLabel[];
  /** Health grades at their times (when asked for). */
  readonly grades: readonly GradeSample[];
  /** Records replayed. */
  readonly records: number;
}

export function replayLift(lift: FleetLift, days: number, o: ReplayOptions = {}): LiftSeries {
  const stepMs = o.stepMs ?? 6 * HOUR;
  const warmupMs = o.warmupMs ?? 14 * DAY;
  const withFeatures = o.features ?? true;
  const withRules = withFeatures && (o.rules ?? true);
  const truth = createTruthState();
  const state = new LiftFeatureState(lift.liftId);
  const health = (o.healthStepMs ?? 0) > 0 ? createHealthSampler(lift.liftId, o.healthStepMs!) : undefined;
  const times: number[] = []; const xs: Float32Array[] = []; const rs: Float32Array[] = []; const os: Float32Array[] = [];
  const failures: FailureLabel[] = [];
  const repairs: RepairLabel[] = [];
  const onsets = new Map<string, { ts: number; kind: string }>();
  let from = NaN; let end = NaN; let next = NaN; let records = 0;
  const sample = (at: number) => {
    times.push(at); os.push(truth.scores(at));
    if (!withFeatures) return;
    const s = computeStats(state, at);
    xs.push(featureVector(s));
    if (withRules) rs.push(ruleInputs(s));
  };
  for (const e of lift.events()) {
    const ts = e.record.ts;
    if (Number.isNaN(from)) { from = ts; end = from + days * DAY; next = from + warmupMs; }
    while (ts > next && next <= end) { sample(next); health?.grade(next, state); next += stepMs; }
    if (e.stream === 'truth') {
      const t = e.record as { type: string; ts: number; family?: string; mode?: string; faultId?: string; faultIds?: string[]; kind?: string; visit?: string; repaired?: string[] };
      if (t.type === 'health') truth.add(e.record as unknown as HealthLine);
      if (t.type === 'maintenance' && t.visit === 'routine') addRepairs(repairs, t.ts, t.repaired ?? []);
      if (t.type === 'faultOnset' && t.faultId !== undefined && !onsets.has(t.faultId)) onsets.set(t.faultId, { ts: t.ts, kind: t.kind ?? '' });
      const family = t.type === 'functionalFailure' && t.family !== undefined ? familyOfId(t.family) : undefined;
      if (family !== undefined) failures.push(failureLabel(t.ts, family, t.mode ?? '', t.faultIds ?? [], onsets));
      continue;
    }
    if (!withFeatures) continue;
    if (state.add(e.stream, e.record as unknown as AnyRecord)) records++;
    health?.add(e.stream, e.record as unknown as AnyRecord);
  }
  while (next <= end) { sample(next); health?.grade(next, state); next += stepMs; }
  const F = FEATURE_NAMES.length;
  const x = new Float32Array(withFeatures ? times.length * F : 0);
  xs.forEach((v, i) => x.set(v, i * F));
  const rules = new Float32Array(withRules ? times.length * RULE_INPUTS : 0);
  rs.forEach((v, i) => rules.set(v, i * RULE_INPUTS));
  const oracle = new Float32Array(times.length * ORACLE_INPUTS);
  os.forEach((v, i) => oracle.set(v, i * ORACLE_INPUTS));
  return { liftId: lift.liftId, mix: lift.mix, seed: lift.seed, index: lift.index, from, to: end, times: Float64Array.from(times), x, rules, oracle, failures, repairs, grades: health?.grades ?? [], records };
}

/** The families of the faults a routine visit repaired (a fault id is its family's id and a number, e.g. drive-thermal-2), once each. */
function addRepairs(into: RepairLabel[], ts: number, faultIds: readonly string[]): void {
  for (const id of faultIds) {
    const family = familyOfId(id.replace(/-\d+$/, ''));
    if (family !== undefined && !into.some((r) => r.ts === ts && r.family === family)) into.push({ ts, family });
  }
}

/** A functional failure with the onset and kinds of the faults behind it (those whose onset the truth gave). */
function failureLabel(ts: number, family: FailureLabel['family'], mode: string, faultIds: readonly string[], onsets: ReadonlyMap<string, { ts: number; kind: string }>): FailureLabel {
  const known = faultIds.map((id) => onsets.get(id)).filter((o) => o !== undefined);
  const cause = [...new Set(known.map((o) => o.kind).filter((k) => k !== ''))].sort().join(' + ');
  return { ts, family, mode, onsetTs: known.length === faultIds.length && known.length > 0 ? Math.min(...known.map((o) => o.ts)) : NaN, cause };
}
