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

export interface GradeSummary { readonly grade: string; readonly samples: number; readonly failed: number; readonly rate: Interval }

export interface Summary {
  readonly lifts: number;
  readonly model: Record<Family, FamilySummary>;
  readonly rule: Record<Family, FamilySummary>;
  /** The predictor each manifest serves (model, rule or model-or-rule). */
  readonly served: Record<Family, FamilySummary>;
  /** The oracle at each of its budgets (Evaluation.oracle), when the evaluation had one. */
  readonly oracle?: Record<Family, FamilySummary[]>;
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
  return { lifts: lifts.length, model, rule, served, ...(oracle !== undefined ? { oracle } : {}), grades, monotone };
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

/** The value and the 2.5th–97.5th percentiles of its resampled values (those that are measurable). */
export function interval(value: number, resampled: readonly number[]): Interval {
  const ok = resampled.filter((v) => !Number.isNaN(v));
  return { value, low: quantile(ok, 0.025), high: quantile(ok, 0.975) };
}
