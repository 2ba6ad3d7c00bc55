import { better, calibrate, modelCandidates, settingsAt, type Calibrated, type ScoredLift } from '../train/calibrate.js';
import { FAMILY_NAMES, type Family } from '../train/families.js';
import type { LiftSeries } from '../train/replay.js';
import { episodesOf, judgeEpisodes, emptyOutcome, repairedFalseEpisodes, DEFAULT_HORIZON_MS, type LiftOutcome } from './episodes.js';
import { ORACLE_INPUTS, ORACLE_STATES, oracleIndex, type OracleState } from './oracle-state.js';

/**
 * The ceiling of prediction in the simulated world: an oracle per family that reads the simulator's
 * true component state (oracle-state.ts) instead of the records, put through the same hysteresis,
 * the same search of raise, clear and persistence on the validation lifts within the same
 * false-alert budget (train/calibrate.ts), and judged by the same episodes on the same held-out
 * lifts as the served predictors. What it misses no learner on the records can predict at that
 * budget; what it predicts and they do not is learnable in principle. Never served: the true state
 * exists only in the simulator.
 */

/** False-alert budgets the oracle is calibrated at, per 100 lift-months (its curve). */
export const ORACLE_BUDGETS: readonly number[] = [0.5, 0.7, 1, 2, 5];

/**
 * Raise thresholds tried besides the models' (upper quantiles of the scores): a fixed grid over the
 * oracle's range. A state's top decile can sit at one value (wear past the failure threshold that has
 * not failed yet, remaining life 0), where the quantiles leave a single raise; the oracle is searched
 * over more settings than the models, never fewer, so what it misses is not the search's doing.
 */
const ORACLE_RAISES: readonly number[] = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99];

/** The models' settings on these scores and the oracle's grid. */
export const oracleCandidates = (lifts: readonly ScoredLift[]) => [...modelCandidates(lifts), ...settingsAt(ORACLE_RAISES)];

/** One family's oracle at one budget: the true state that did better on the validation lifts, and its setting there. */
export interface OracleSetting {
  readonly budget: number;
  readonly state: OracleState;
  readonly calibration: Calibrated;
  /** Every state's calibration at this budget (what the choice was made from). */
  readonly byState: Readonly<Record<OracleState, Calibrated>>;
}

export interface OracleCalibration {
  readonly budgets: readonly number[];
  /** Per family, one setting per budget (in the order of `budgets`). */
  readonly settings: Record<Family, OracleSetting[]>;
  /** The validation lifts it was calibrated on. */
  readonly lifts: number;
  readonly liftYears: number;
}

/** Each lift's oracle scores of one family from one true state, with the family's failures: what calibration reads. */
export function oracleScored(series: readonly LiftSeries[], f: Family, state: OracleState): ScoredLift[] {
  const k = oracleIndex(f, state);
  return series.map((s) => {
    const scores = new Float32Array(s.times.length);
    for (let i = 0; i < scores.length; i++) scores[i] = s.oracle[i * ORACLE_INPUTS + k]!;
    return { from: s.from, to: s.to, times: s.times, scores, failures: s.failures.filter((x) => x.family === f).map((x) => x.ts), mix: s.mix };
  });
}

/**
 * Calibrate every family's oracle on the validation lifts at each budget, as the models are
 * (modelCandidates: raise at upper quantiles of the scores, and here also on a fixed grid; clear at
 * 30 % or 60 % of it, 0–48 h to raise and 24–72 h to clear, or never; the budget holding on each
 * validation mix), each true state
 * on its own; the state kept is the better by the same order (calibrate.ts `better`).
 */
export function calibrateOracle(series: readonly LiftSeries[], budgets: readonly number[] = ORACLE_BUDGETS, horizonMs = DEFAULT_HORIZON_MS): OracleCalibration {
  const settings = {} as Record<Family, OracleSetting[]>;
  for (const f of FAMILY_NAMES) {
    const scored = Object.fromEntries(ORACLE_STATES.map((st) => [st, oracleScored(series, f, st)])) as Record<OracleState, ScoredLift[]>;
    const candidates = Object.fromEntries(ORACLE_STATES.map((st) => [st, oracleCandidates(scored[st])])) as Record<OracleState, ReturnType<typeof oracleCandidates>>;
    settings[f] = budgets.map((budget) => {
      const byState = Object.fromEntries(ORACLE_STATES.map((st) => [st, calibrate(scored[st], candidates[st], { maxFalsePer100: budget, horizonMs })])) as Record<OracleState, Calibrated>;
      let state: OracleState = ORACLE_STATES[0];
      for (const st of ORACLE_STATES) if (better(byState[st], byState[state])) state = st;
      return { budget, state, calibration: byState[state], byState };
    });
  }
  const liftYears = series.reduce((t, s) => t + (s.to - s.from) / (365 * 86_400_000), 0);
  return { budgets, settings, lifts: series.length, liftYears };
}

/**
 * One evaluated lift's oracle outcomes per family, one per budget: its true-state scores from
 * `first` on, through each budget's calibrated setting, judged as the served predictors are.
 */
export function judgeOracle(s: LiftSeries, first: number, c: OracleCalibration, start: number, horizonMs: number): Record<Family, LiftOutcome[]> {
  const times = s.times.subarray(first);
  const out = {} as Record<Family, LiftOutcome[]>;
  for (const f of FAMILY_NAMES) {
    const fails = s.failures.filter((x) => x.family === f).map((x) => x.ts);
    const repairs = s.repairs.filter((x) => x.family === f).map((x) => x.ts);
    out[f] = c.settings[f].map((setting) => {
      const k = oracleIndex(f, setting.state);
      const scores = new Float32Array(times.length);
      for (let i = 0; i < scores.length; i++) scores[i] = s.oracle[(first + i) * ORACLE_INPUTS + k]!;
      const e = episodesOf(times, scores, setting.calibration.thresholds);
      const o = judgeEpisodes(e, fails, start, s.to, horizonMs, emptyOutcome());
      o.falseRepaired = repairedFalseEpisodes(e, fails, repairs, s.to, horizonMs);
      return o;
    });
  }
  return out;
}
