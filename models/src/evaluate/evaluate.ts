import { FEATURE_NAMES } from '../features/definition.js';
import type { LoadedModel, Registry } from '../registry/registry.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';
import { FAMILY_NAMES, MODEL_ID, type Family } from '../train/families.js';
import type { FleetSlice } from '../train/fleet-split.js';
import { replaySlice } from '../train/parallel-replay.js';
import type { LiftSeries } from '../train/replay.js';
import { servedPredictor } from '../registry/manifest.js';
import { eitherEpisodes, episodesOf, judgeEpisodes, judgedFrom, leadHours, emptyOutcome, repairedFalseEpisodes, DEFAULT_HORIZON_MS, type Episode, type LiftOutcome } from './episodes.js';
import { RULE_INPUTS, ruleScore } from './threshold-rules.js';
import { calibrateOracle, judgeOracle, ORACLE_BUDGETS, type OracleCalibration } from './oracle.js';
import { ORACLE_INPUTS, oracleIndex } from './oracle-state.js';
import { DEFAULT_FALSE_ALERT_BUDGET } from '../train/budget-choice.js';
import { validationSlice } from '../train/validation-slice.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Options of an evaluation run. */
export interface EvaluateOptions {
  /** Count failures and alerts only from this day of each lift's run on (a split by time: the features are warm from day 0). @defaultValue 0 */
  readonly fromDay?: number;
  /** Time between scores, ms (the platform scores at least this often). @defaultValue 6 h */
  readonly stepMs?: number;
  /** First score this long after a lift's first record, ms. @defaultValue 14 days */
  readonly warmupMs?: number;
  /** Health grades every this long; 0: none. @defaultValue 14 days */
  readonly healthStepMs?: number;
  /** @defaultValue 30 days (episodes.ts) */
  readonly horizonMs?: number;
  /** Worker threads simulating and replaying lifts. @defaultValue 1 */
  readonly workers?: number;
  /**
   * Calibrate an oracle per family on validation lifts (oracle.ts; by default those the manifests
   * name) and judge it on the evaluated lifts beside the served predictors, at each budget (false
   * alerts per 100 lift-months; the served budget of each manifest is added). @defaultValue none
   */
  readonly oracle?: { readonly validation?: FleetSlice; readonly budgets?: readonly number[] };
  readonly log?: (line: string) => void;
}

/** A failure the evaluation counted (within the scored time), as the report breaks the figures down. */
export interface CountedFailure {
  /** The kinds of the faults behind it (FailureLabel.cause). */
  readonly cause: string;
  /** Hours from the onset of its fault to the failure (NaN: unknown). */
  readonly onsetLeadH: number;
  /** Hours the served predictor's alert was open before it (NaN: not predicted). */
  readonly servedLeadH: number;
  /**
   * The family's true wear 72 h before the failure as a share of its wear just before it (the
   * simulator's health lines, never seen by a predictor; NaN: no sample that early, or no wear).
   */
  readonly wearShare72h: number;
}

/** One evaluated lift: its outcome per family for the model, the rule and the served predictor (the manifest's choice), and its graded health. */
export interface EvaluatedLift {
  readonly liftId: string;
  readonly mix: string;
  readonly seed: number;
  readonly model: Record<Family, LiftOutcome>;
  readonly rule: Record<Family, LiftOutcome>;
  /** What serving raises: the model, the rule or either, as each manifest chose on its validation lifts. */
  readonly served: Record<Family, LiftOutcome>;
  /** Per family, the oracle's outcome at each budget of `Evaluation.oracle` (when there is one). */
  readonly oracle?: Record<Family, LiftOutcome[]>;
  /** Per family, each counted failure: its cause, how long its fault had run, and how far ahead the served predictor warned. */
  readonly counted: Record<Family, CountedFailure[]>;
  /** Per grade sample: the grade and whether any family failed within the next 30 days. */
  readonly grades: ReadonlyArray<{ grade: string; failed30d: boolean }>;
  readonly records: number;
}

export interface Evaluation {
  readonly lifts: EvaluatedLift[];
  readonly models: Record<Family, { version: string; manifest: LoadedModel['manifest'] }>;
  /** The oracle calibrated on the validation lifts, and per family the budget its served predictor was held to (one of the oracle's budgets). */
  readonly oracle?: OracleCalibration & { readonly servedBudget: Record<Family, number> };
  readonly seconds: number;
  readonly liftYears: number;
  readonly records: number;
}

/**
 * The registry's latest model of each family and its calibrated rule baseline (both from the
 * manifest), run over the lifts of an evaluation slice as the platform would run them: streaming
 * features sampled every `stepMs`, one onnxruntime Run per family per lift, the manifest's
 * hysteresis, episodes judged against the functional failures of the ground truth.
 */
export async function evaluate(registry: Registry, slice: FleetSlice, o: EvaluateOptions = {}): Promise<Evaluation> {
  const t0 = performance.now();
  const loaded = {} as Record<Family, LoadedModel>;
  for (const f of FAMILY_NAMES) loaded[f] = await registry.load(MODEL_ID[f]);
  const oracle = o.oracle === undefined ? undefined : await oracleOn(o.oracle.validation ?? validationSlice(FAMILY_NAMES.map((f) => loaded[f].manifest)), o.oracle.budgets ?? ORACLE_BUDGETS, loaded, o);
  const lifts: EvaluatedLift[] = [];
  let liftYears = 0; let records = 0;
  try {
    for await (const s of replaySlice(slice, { stepMs: o.stepMs ?? 6 * HOUR, warmupMs: o.warmupMs ?? 14 * DAY, healthStepMs: o.healthStepMs ?? 14 * DAY }, o.workers)) {
      const e = await judgeLift(s, loaded, o, oracle);
      lifts.push(e);
      liftYears += (s.to - s.from) / (365 * DAY);
      records += s.records;
      if (lifts.length % 25 === 0) o.log?.(`evaluated ${lifts.length} lifts (${liftYears.toFixed(0)} lift-years)`);
    }
  } finally {
    for (const f of FAMILY_NAMES) await loaded[f].classifier.close();
  }
  const models = Object.fromEntries(FAMILY_NAMES.map((f) => [f, { version: loaded[f].version, manifest: loaded[f].manifest }])) as Evaluation['models'];
  return { lifts, models, ...(oracle !== undefined ? { oracle } : {}), seconds: (performance.now() - t0) / 1000, liftYears, records };
}

/** The oracle calibrated on the validation lifts (only their ground truth is replayed) at the budgets and at each family's served budget. */
async function oracleOn(validation: FleetSlice, budgets: readonly number[], loaded: Record<Family, LoadedModel>, o: EvaluateOptions): Promise<Evaluation['oracle']> {
  const servedBudget = Object.fromEntries(FAMILY_NAMES.map((f) => [f, loaded[f].manifest.serving?.budget ?? DEFAULT_FALSE_ALERT_BUDGET])) as Record<Family, number>;
  const all = [...new Set([...budgets, ...Object.values(servedBudget)])].sort((a, b) => a - b);
  const series: LiftSeries[] = [];
  for await (const s of replaySlice(validation, { features: false, stepMs: o.stepMs ?? 6 * HOUR, warmupMs: o.warmupMs ?? 14 * DAY }, o.workers)) series.push(s);
  const c = calibrateOracle(series, all, o.horizonMs ?? DEFAULT_HORIZON_MS);
  o.log?.(`oracle calibrated on ${series.length} validation lifts (${c.liftYears.toFixed(0)} lift-years)`);
  return { ...c, servedBudget };
}

async function judgeLift(s: LiftSeries, loaded: Record<Family, LoadedModel>, o: EvaluateOptions, oracle: Evaluation['oracle']): Promise<EvaluatedLift> {
  const from = s.from + (o.fromDay ?? 0) * DAY;
  let first = 0;
  while (first < s.times.length && s.times[first]! < from) first++;
  const times = s.times.subarray(first);
  const n = times.length;
  const F = FEATURE_NAMES.length;
  const horizon = o.horizonMs ?? DEFAULT_HORIZON_MS;
  const model = {} as Record<Family, LiftOutcome>;
  const rule = {} as Record<Family, LiftOutcome>;
  const served = {} as Record<Family, LiftOutcome>;
  const counted = {} as Record<Family, CountedFailure[]>;
  for (const f of FAMILY_NAMES) {
    const fails = s.failures.filter((x) => x.family === f).map((x) => x.ts);
    const repairs = s.repairs.filter((x) => x.family === f).map((x) => x.ts);
    const start = judgedFrom(times, from);
    const scores = n === 0 ? new Float32Array(0) : await loaded[f].classifier.run(s.x.subarray(first * F, (first + n) * F), n);
    const r = loaded[f].manifest.validation.rule;
    const ruleScores = new Float32Array(n);
    for (let i = 0; i < n; i++) ruleScores[i] = ruleScore(f, s.rules, (first + i) * RULE_INPUTS, r.scale);
    const byModel = episodesOf(times, scores, loaded[f].manifest.thresholds);
    const byRule = episodesOf(times, ruleScores, r.thresholds as HysteresisOptions);
    const p = servedPredictor(loaded[f].manifest);
    const judge = (e: Episode[]) => {
      const o = judgeEpisodes(e, fails, start, s.to, horizon, emptyOutcome());
      o.falseRepaired = repairedFalseEpisodes(e, fails, repairs, s.to, horizon);
      return o;
    };
    model[f] = judge(byModel);
    rule[f] = judge(byRule);
    const byServed = p === 'model' ? byModel : p === 'rule' ? byRule : eitherEpisodes(byModel, byRule);
    served[f] = judge(byServed);
    counted[f] = s.failures.filter((x) => x.family === f && x.ts >= start && x.ts <= s.to).map((x) => ({
      cause: x.cause, onsetLeadH: Number.isFinite(x.onsetTs) ? (x.ts - x.onsetTs) / HOUR : NaN, servedLeadH: leadHours(byServed, x.ts, horizon),
      wearShare72h: wearShare72h(s, f, x.ts),
    }));
  }
  const grades = s.grades.filter((g) => g.grade !== undefined && g.at >= from && g.at + 30 * DAY <= s.to)
    .map((g) => ({ grade: g.grade!, failed30d: s.failures.some((x) => x.ts > g.at && x.ts <= g.at + 30 * DAY) }));
  const byOracle = oracle === undefined ? undefined : judgeOracle(s, first, oracle, judgedFrom(times, from), horizon);
  return { liftId: s.liftId, mix: s.mix, seed: s.seed, model, rule, served, ...(byOracle !== undefined ? { oracle: byOracle } : {}), counted, grades, records: s.records };
}

/**
 * The family's true wear (the oracle's `health` state: the worst injected fault's severity) at the
 * last sample at least 72 h before `ts`, over that at the last sample before `ts`: how much of the
 * wear a failure came with was already there 72 h ahead. Under one half, the fault did most of its
 * growing in the last three days, where a warning 72 h ahead has little to go on.
 */
export function wearShare72h(s: LiftSeries, f: Family, ts: number): number {
  const k = oracleIndex(f, 'health');
  const last = (t: number) => { let lo = 0; let hi = s.times.length; while (lo < hi) { const mid = (lo + hi) >> 1; if (s.times[mid]! < t) lo = mid + 1; else hi = mid; } return lo - 1; };
  const i = last(ts - 72 * HOUR); const j = last(ts);
  if (i < 0 || j < 0) return NaN;
  const now = s.oracle[j * ORACLE_INPUTS + k]!; const before = s.oracle[i * ORACLE_INPUTS + k]!;
  return now > 0 ? before / now : NaN;
}
