import { prng } from '../train/prng.js';
import { FAMILY_NAMES, type Family } from '../train/families.js';
import { addOutcome, emptyOutcome, figures, quantile, type LiftOutcome } from './episodes.js';
import type { EvaluatedLift } from './evaluate.js';

/** A figure and its 95 % bootstrap interval over lifts (NaN: not measurable, e.g. no failure). */
export interface Interval { readonly value: number; readonly low: number; readonly high: number }

export interface FamilySummary {
  readonly failures: number;
  readonly episodes: number;
  readonly falseEpisodes: number;
  /** False episodes during which a routine visit repaired a fault of the family (real wear, fixed before it failed). */
  readonly falseRepaired: number;
  readonly predicted72h: Interval;
  readonly predicted24h: Interval;
  readonly falsePer100: Interval;
  readonly medianLeadH: Interval;
  /** Lead times of predicted failures, h: 10th, 25th, 75th, 90th percentiles. */
  readonly leadH: { p10: number; p25: number; p75: number; p90: number };
  readonly alertTimePct: Interval;
}

/** The served predictor minus the rule on the same lifts: a paired difference, resampled with the same draws of lifts. */
export interface PairedDifference {
  /** Points of failures predicted ≥ 72 h ahead (positive: the served predictor predicted more). */
  readonly predicted72h: Interval;
  /** False alerts per 100 lift-months (negative: the served predictor raised fewer). */
  readonly falsePer100: Interval;
}

/** The served predictor's figures on the failures of one cause (the kinds of fault behind them). */
export interface CauseSummary {
  readonly family: Family;
  readonly cause: string;
  readonly failures: number;
  readonly predicted72h: Interval;
  readonly predicted24h: Interval;
  /** Median days from the fault's onset to the failure (NaN: the truth gave no onset). */
  readonly medianOnsetDays: number;
  /** Failures that came less than 72 h after their fault began (no predictor can warn of them that early). */
  readonly onsetUnder72h: number;
  /** Failures whose true wear 72 h before was under half of that at the failure (most of the fault's growth in its last three days). */
  readonly wearUnderHalf72h: number;
  /** Failures whose wear 72 h before is known (a sample that early and some wear at the failure). */
  readonly wearKnown: number;
}

export interface GradeSummary { readonly grade: string; readonly samples: number; readonly failed: number; readonly rate: Interval }

export interface Summary {
  readonly lifts: number;
  readonly model: Record<Family, FamilySummary>;
  readonly rule: Record<Family, FamilySummary>;
  /** The predictor each manifest serves (model, rule or model-or-rule). */
  readonly served: Record<Family, FamilySummary>;
  /** The oracle at each of its budgets (Evaluation.oracle), when the evaluation had one. */
  readonly oracle?: Record<Family, FamilySummary[]>;
  /** Per family, served minus rule, paired over the same lifts. */
  readonly servedVsRule: Record<Family, PairedDifference>;
  /** Per family and cause of failure, the served predictor (families in order, most failures first). */
  readonly byCause: CauseSummary[];
  readonly grades: GradeSummary[];
  /** A worse grade never has a lower failure rate (over the grades seen). */
  readonly monotone: boolean;
}

export interface BootstrapOptions {
  /** Resamples of the lifts. @defaultValue 1000 */
  readonly samples?: number;
  /** @defaultValue 1 */
  readonly seed?: number;
}

/**
 * The evaluation's figures with 95 % confidence intervals by the percentile bootstrap over lifts
 * (Efron & Tibshirani 1993, ch. 13): lifts are resampled with replacement, each figure recomputed
 * from the resampled lifts' pooled counts, and the 2.5th and 97.5th percentiles kept. Lifts, not
 * failures, are resampled because a lift's failures and alerts are not independent of each other.
 */
export function summarise(lifts: readonly EvaluatedLift[], o: BootstrapOptions = {}): Summary {
  const B = o.samples ?? 1000;
  const r = prng(o.seed ?? 1);
  const draws = Array.from({ length: B }, () => Array.from({ length: lifts.length }, () => Math.floor(r.next() * lifts.length)));
  const fam = (pick: (l: EvaluatedLift) => LiftOutcome) => summariseFamily(lifts.map(pick), draws);
  const model = Object.fromEntries(FAMILY_NAMES.map((f) => [f, fam((l) => l.model[f])])) as Record<Family, FamilySummary>;
  const rule = Object.fromEntries(FAMILY_NAMES.map((f) => [f, fam((l) => l.rule[f])])) as Record<Family, FamilySummary>;
  const served = Object.fromEntries(FAMILY_NAMES.map((f) => [f, fam((l) => l.served[f])])) as Record<Family, FamilySummary>;
  const servedVsRule = Object.fromEntries(FAMILY_NAMES.map((f) => [f, pairedDifference(lifts.map((l) => l.served[f]), lifts.map((l) => l.rule[f]), draws)])) as Record<Family, PairedDifference>;
  const byCause = FAMILY_NAMES.flatMap((f) => causesOf(f, lifts, draws));
  const budgets = lifts[0]?.oracle?.doorSystem.length ?? 0;
  const oracle = lifts.length > 0 && lifts.every((l) => l.oracle !== undefined)
    ? Object.fromEntries(FAMILY_NAMES.map((f) => [f, Array.from({ length: budgets }, (_, b) => fam((l) => l.oracle![f][b]!))])) as Record<Family, FamilySummary[]>
    : undefined;
  const grades = ['A', 'B', 'C', 'D', 'E'].map((g) => {
    const per = lifts.map((l) => { const s = l.grades.filter((x) => x.grade === g); return [s.length, s.filter((x) => x.failed30d).length] as const; });
    const rate = (idx: readonly number[]) => { let n = 0; let k = 0; for (const i of idx) { n += per[i]![0]; k += per[i]![1]; } return n === 0 ? NaN : (100 * k) / n; };
    const all = lifts.map((_, i) => i);
    return { grade: g, samples: per.reduce((t, p) => t + p[0], 0), failed: per.reduce((t, p) => t + p[1], 0), rate: interval(rate(all), draws.map(rate)) };
  });
  const rated = grades.filter((g) => g.samples > 0);
  const monotone = rated.every((g, i) => i === 0 || g.rate.value >= rated[i - 1]!.rate.value);
  return { lifts: lifts.length, model, rule, served, servedVsRule, byCause, ...(oracle !== undefined ? { oracle } : {}), grades, monotone };
}

function summariseFamily(outcomes: readonly LiftOutcome[], draws: readonly (readonly number[])[]): FamilySummary {
  const pool = (idx: Iterable<number>) => { const o = emptyOutcome(); for (const i of idx) addOutcome(o, outcomes[i]!); return o; };
  const all = pool(outcomes.keys());
  const f = figures(all);
  const boots = draws.map((d) => figures(pool(d)));
  const iv = (k: keyof ReturnType<typeof figures>) => interval(f[k], boots.map((b) => b[k]));
  return {
    failures: all.failures, episodes: all.episodes, falseEpisodes: all.falseEpisodes, falseRepaired: all.falseRepaired,
    predicted72h: iv('predicted72hPct'), predicted24h: iv('predicted24hPct'), falsePer100: iv('falsePer100LiftMonths'),
    medianLeadH: iv('medianLeadH'), alertTimePct: iv('alertTimePct'),
    leadH: { p10: quantile(all.leadHours, 0.1), p25: quantile(all.leadHours, 0.25), p75: quantile(all.leadHours, 0.75), p90: quantile(all.leadHours, 0.9) },
  };
}

/**
 * Served minus rule with the intervals of a paired bootstrap: each resample takes the same lifts for
 * both, so what the two share (the same failures, the same quiet lifts) cancels, and the interval
 * is that of the difference, narrower than the two intervals' overlap suggests.
 */
export function pairedDifference(a: readonly LiftOutcome[], b: readonly LiftOutcome[], draws: readonly (readonly number[])[]): PairedDifference {
  const pool = (o: readonly LiftOutcome[], idx: readonly number[]) => { const x = emptyOutcome(); for (const i of idx) addOutcome(x, o[i]!); return figures(x); };
  const diff = (idx: readonly number[]) => {
    const fa = pool(a, idx); const fb = pool(b, idx);
    return { p72: fa.predicted72hPct - fb.predicted72hPct, fals: fa.falsePer100LiftMonths - fb.falsePer100LiftMonths };
  };
  const all = diff([...a.keys()]);
  const boots = draws.map((d) => diff(d));
  return { predicted72h: interval(all.p72, boots.map((x) => x.p72)), falsePer100: interval(all.fals, boots.map((x) => x.fals)) };
}

/** The served predictor's figures per cause of a family's failures, with intervals over the same draws of lifts. */
function causesOf(f: Family, lifts: readonly EvaluatedLift[], draws: readonly (readonly number[])[]): CauseSummary[] {
  const causes = new Map<string, number>();
  for (const l of lifts) for (const c of l.counted[f]) causes.set(c.cause, (causes.get(c.cause) ?? 0) + 1);
  return [...causes].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([cause]) => {
    const per = lifts.map((l) => l.counted[f].filter((c) => c.cause === cause));
    const pct = (idx: Iterable<number>, hours: number) => {
      let n = 0; let k = 0;
      for (const i of idx) for (const c of per[i]!) { n++; if (c.servedLeadH >= hours) k++; }
      return n === 0 ? NaN : (100 * k) / n;
    };
    const all = per.flat();
    const onset = all.map((c) => c.onsetLeadH).filter((h) => !Number.isNaN(h));
    return {
      family: f, cause, failures: all.length,
      predicted72h: interval(pct(per.keys(), 72), draws.map((d) => pct(d, 72))),
      predicted24h: interval(pct(per.keys(), 24), draws.map((d) => pct(d, 24))),
      medianOnsetDays: quantile(onset, 0.5) / 24,
      onsetUnder72h: onset.filter((h) => h < 72).length,
      wearUnderHalf72h: all.filter((c) => c.wearShare72h < 0.5).length,
      wearKnown: all.filter((c) => !Number.isNaN(c.wearShare72h)).length,
    };
  });
}

/** The value and the 2.5th–97.5th percentiles of its resampled values (those that are measurable). */
export function interval(value: number, resampled: readonly number[]): Interval {
  const ok = resampled.filter((v) => !Number.isNaN(v));
  return { value, low: quantile(ok, 0.025), high: quantile(ok, 0.975) };
}
