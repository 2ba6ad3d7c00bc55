import { emptyOutcome, episodesOf, figures, judgeEpisodes, DEFAULT_HORIZON_MS, type LiftOutcome } from '../evaluate/episodes.js';
import type { HysteresisOptions } from '../serving/hysteresis.js';

const HOUR = 3_600_000;

/** One lift's scores of one family, with that family's failures: what thresholds are judged on. */
export interface ScoredLift {
  readonly from: number;
  readonly to: number;
  readonly times: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly failures: readonly number[];
}

/** What calibration aims at: most failures predicted ≥ 72 h ahead at no more false alerts than this. */
export interface CalibrationTarget {
  /** False alerts per 100 lift-months accepted. @defaultValue 1 */
  readonly maxFalsePer100?: number;
  /** The evaluation horizon (episodes.ts). @defaultValue 30 days */
  readonly horizonMs?: number;
}

export interface Calibrated {
  readonly thresholds: HysteresisOptions;
  readonly figures: ReturnType<typeof figures>;
  /** Whether the setting meets the false-alert target. */
  readonly withinTarget: boolean;
}

/** Figures at a setting and whether they meet the false-alert target: what settings and predictors are ranked by. */
export type Judged = Pick<Calibrated, 'figures' | 'withinTarget'>;

/** Pooled outcome of a setting over lifts. */
export function judgeAll(lifts: readonly ScoredLift[], h: HysteresisOptions, horizonMs = DEFAULT_HORIZON_MS): LiftOutcome {
  const o = emptyOutcome();
  for (const l of lifts) judgeEpisodes(episodesOf(l.times, l.scores, h), l.failures, l.times[0] ?? l.from, l.to, horizonMs, o);
  return o;
}

/**
 * The setting among `candidates` that predicts the most failures ≥ 72 h ahead with false alerts
 * within the target (ties: fewer false alerts, then more ≥ 24 h); when none is within the target,
 * the one with the fewest false alerts.
 */
export function calibrate(lifts: readonly ScoredLift[], candidates: readonly HysteresisOptions[], target: CalibrationTarget = {}): Calibrated {
  const max = target.maxFalsePer100 ?? 1;
  let best: Calibrated | undefined;
  for (const h of candidates) {
    const f = figures(judgeAll(lifts, h, target.horizonMs));
    const fa = Number.isNaN(f.falsePer100LiftMonths) ? 0 : f.falsePer100LiftMonths;
    const c: Calibrated = { thresholds: h, figures: f, withinTarget: fa <= max };
    if (best === undefined || better(c, best)) best = c;
  }
  return best!;
}

/** Whether setting a is preferred to b: within the target first, then more ≥ 72 h, fewer false alerts, more ≥ 24 h. */
export function better(a: Judged, b: Judged): boolean {
  if (a.withinTarget !== b.withinTarget) return a.withinTarget;
  const fa = (c: Judged) => (Number.isNaN(c.figures.falsePer100LiftMonths) ? 0 : c.figures.falsePer100LiftMonths);
  if (!a.withinTarget) return fa(a) < fa(b);
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
