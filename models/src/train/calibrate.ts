import { addOutcome, emptyOutcome, episodesOf, figures, judgeEpisodes, judgedFrom, DEFAULT_HORIZON_MS, type Episode, type LiftOutcome } from '../evaluate/episodes.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';

const HOUR = 3_600_000;

/** One lift's scores of one family, with that family's failures: what thresholds are judged on. */
export interface ScoredLift {
  readonly from: number;
  readonly to: number;
  readonly times: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly failures: readonly number[];
  /** The validation mix the lift comes from: the false-alert budget holds on each mix. @defaultValue one mix */
  readonly mix?: string;
}

/** What calibration aims at: most failures predicted ≥ 72 h ahead at no more false alerts than this. */
export interface CalibrationTarget {
  /** False alerts per 100 lift-months accepted. @defaultValue 1 */
  readonly maxFalsePer100?: number;
  /** The evaluation horizon (episodes.ts). @defaultValue 30 days */
  readonly horizonMs?: number;
}

export type Figures = ReturnType<typeof figures>;

export interface Calibrated {
  readonly thresholds: HysteresisOptions;
  /** Pooled over every validation lift. */
  readonly figures: Figures;
  /** Whether the setting meets the false-alert target on every validation mix. */
  readonly withinTarget: boolean;
  /** False alerts per 100 lift-months on the mix with the most. */
  readonly worstFalsePer100?: number;
  /** Figures on each validation mix. */
  readonly byMix?: Readonly<Record<string, Figures>>;
}

/** Figures at a setting and whether they meet the false-alert target: what settings and predictors are ranked by. */
export type Judged = Pick<Calibrated, 'figures' | 'withinTarget' | 'worstFalsePer100' | 'byMix'>;

/** False alerts per 100 lift-months, 0 when not measurable. */
const falseOf = (f: Figures) => (Number.isNaN(f.falsePer100LiftMonths) ? 0 : f.falsePer100LiftMonths);

/**
 * Judge one setting from each lift's episodes: figures pooled over all lifts (recall), and false
 * alerts mix by mix; within the target only when every mix keeps within `maxFalsePer100`, so a
 * setting cannot buy its recall with false alerts on one kind of fleet that a quieter mix hides.
 */
export function judgeByMix(lifts: readonly ScoredLift[], episodes: (l: ScoredLift, i: number) => Episode[], maxFalsePer100: number, horizonMs = DEFAULT_HORIZON_MS): Judged {
  const perMix = new Map<string, LiftOutcome>();
  lifts.forEach((l, i) => {
    const key = l.mix ?? '';
    const o = perMix.get(key) ?? emptyOutcome();
    judgeEpisodes(episodes(l, i), l.failures, judgedFrom(l.times, l.from), l.to, horizonMs, o);
    perMix.set(key, o);
  });
  const pooled = emptyOutcome();
  for (const o of perMix.values()) addOutcome(pooled, o);
  const byMix = Object.fromEntries([...perMix].map(([m, o]) => [m, figures(o)]));
  const worst = Math.max(0, ...Object.values(byMix).map(falseOf));
  return { figures: figures(pooled), withinTarget: worst <= maxFalsePer100, worstFalsePer100: worst, byMix };
}

/** A setting judged on the lifts: pooled figures, and within the target on every mix. */
export function judgeSetting(lifts: readonly ScoredLift[], h: HysteresisOptions, target: CalibrationTarget = {}): Calibrated {
  return { thresholds: h, ...judgeByMix(lifts, (l) => episodesOf(l.times, l.scores, h), target.maxFalsePer100 ?? 1, target.horizonMs) };
}

/** Pooled outcome of a setting over lifts. */
export function judgeAll(lifts: readonly ScoredLift[], h: HysteresisOptions, horizonMs = DEFAULT_HORIZON_MS): LiftOutcome {
  const o = emptyOutcome();
  for (const l of lifts) judgeEpisodes(episodesOf(l.times, l.scores, h), l.failures, judgedFrom(l.times, l.from), l.to, horizonMs, o);
  return o;
}

/**
 * The setting among `candidates` that predicts the most failures ≥ 72 h ahead (pooled) with false
 * alerts within the target on every mix (ties: fewer false alerts, then more ≥ 24 h); when none is
 * within the target, the one with the fewest false alerts on its worst mix.
 */
export function calibrate(lifts: readonly ScoredLift[], candidates: readonly HysteresisOptions[], target: CalibrationTarget = {}): Calibrated {
  let best: Calibrated | undefined;
  for (const h of candidates) {
    const c = judgeSetting(lifts, h, target);
    if (best === undefined || better(c, best)) best = c;
  }
  return best!;
}

/** Whether setting a is preferred to b: within the target on every mix first, then more ≥ 72 h pooled, fewer false alerts, more ≥ 24 h. */
export function better(a: Judged, b: Judged): boolean {
  if (a.withinTarget !== b.withinTarget) return a.withinTarget;
  const fa = (c: Judged) => falseOf(c.figures);
  const worst = (c: Judged) => c.worstFalsePer100 ?? fa(c);
  if (!a.withinTarget) return worst(a) !== worst(b) ? worst(a) < worst(b) : fa(a) < fa(b);
  const hit = (c: Judged) => (Number.isNaN(c.figures.predicted72hPct) ? 0 : c.figures.predicted72hPct);
  if (hit(a) !== hit(b)) return hit(a) > hit(b);
  if (fa(a) !== fa(b)) return fa(a) < fa(b);
  return (a.figures.predicted24hPct || 0) > (b.figures.predicted24hPct || 0);
}

/** Persistence settings tried: hours the raise condition must hold, and the clear condition. */
const PERSIST_H: ReadonlyArray<readonly [number, number]> = [[0, 24], [12, 24], [24, 48], [48, 72]];

/** Candidate model settings: raise thresholds at upper quantiles of the validation scores, a lower clear, persistence. */
export function modelCandidates(lifts: readonly ScoredLift[]): HysteresisOptions[] {
  const all: number[] = [];
  for (const l of lifts) for (let i = 0; i < l.scores.length; i += 3) all.push(l.scores[i]!);
  all.sort((a, b) => a - b);
  const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))] ?? 0.5;
  const raises = [...new Set([0.9, 0.95, 0.97, 0.98, 0.99, 0.993, 0.995, 0.997, 0.998, 0.999, 0.9995, 0.9998].map(q))].filter((r) => r > 0);
  return settingsAt(raises);
}

/** Settings at these raise thresholds: a clear at 30 % or 60 % of the raise, each persistence, and never raising. */
export function settingsAt(raises: readonly number[]): HysteresisOptions[] {
  const settings = raises.flatMap((raise) => [0.3, 0.6].flatMap((k) => PERSIST_H.map(([on, off]) => ({ raise, clear: raise * k, minDurationMs: on * HOUR, clearMinDurationMs: off * HOUR }))));
  // never raising is a setting too: what a model that cannot tell its family's failures apart should do
  return [...settings, { raise: 1.01, clear: 0.5, minDurationMs: 0, clearMinDurationMs: 0 }];
}

/** A rule may also wait three days: a limit crossed that long is rarely noise. */
const RULE_PERSIST_H: ReadonlyArray<readonly [number, number]> = [...PERSIST_H, [72, 72]];

/** Rule settings: the rule fires at score ≥ 1 (threshold-rules.ts ruleScore); only persistence varies here, the scale outside. */
export function ruleCandidates(): HysteresisOptions[] {
  return RULE_PERSIST_H.map(([on, off]) => ({ raise: 1, clear: 0.999_999, minDurationMs: on * HOUR, clearMinDurationMs: off * HOUR }));
}

/** Scales of the rule limits tried in calibration. */
export const RULE_SCALES: readonly number[] = [0.5, 0.7, 0.85, 1, 1.2, 1.5, 2, 3, 4];
