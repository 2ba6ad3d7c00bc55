import type { HysteresisOptions } from '../serving/hysteresis.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** An alert episode: from its raise to its clear (undefined: still open when the data ends). */
export interface Episode { readonly raise: number; readonly clear: number | undefined }

/** What one lift contributes to one family's figures: sums, so that lifts can be resampled. */
export interface LiftOutcome {
  failures: number;
  predicted: number;
  predicted24h: number;
  predicted72h: number;
  /** Lead time of each predicted failure, h. */
  leadHours: number[];
  episodes: number;
  falseEpisodes: number;
  /** False episodes during which a routine visit repaired a fault of the family: a right warning of wear that maintenance fixed before it failed. */
  falseRepaired: number;
  /** Scored time, in 30-day months. */
  months: number;
  /** Time in alert, ms. */
  alertMs: number;
}

/** How far ahead of a failure an alert may be raised and still count for it (and not as false). @defaultValue 30 days */
export const DEFAULT_HORIZON_MS = 30 * DAY;

export const emptyOutcome = (): LiftOutcome => ({ failures: 0, predicted: 0, predicted24h: 0, predicted72h: 0, leadHours: [], episodes: 0, falseEpisodes: 0, falseRepaired: 0, months: 0, alertMs: 0 });

/**
 * The alert episodes a score series gives through the serving's hysteresis (serving/hysteresis.ts,
 * the same rule written out for speed: calibration runs it thousands of times), scores at `times`.
 */
export function episodesOf(times: ArrayLike<number>, scores: ArrayLike<number>, h: HysteresisOptions): Episode[] {
  const out: Array<{ raise: number; clear: number | undefined }> = [];
  const clearMs = h.clearMinDurationMs ?? h.minDurationMs;
  let active = false;
  let since = NaN;
  for (let i = 0; i < times.length; i++) {
    const ts = times[i]!; const s = scores[i]!;
    const toward = active ? s < h.clear : s >= h.raise;
    if (!toward) { since = NaN; continue; }
    if (Number.isNaN(since)) since = ts;
    if (ts - since < (active ? clearMs : h.minDurationMs)) continue;
    active = !active;
    since = NaN;
    if (active) out.push({ raise: ts, clear: undefined });
    else out.at(-1)!.clear = ts;
  }
  return out;
}

/**
 * The episodes of an alert raised while either of two predictors holds its own alert (each through
 * its own hysteresis) and cleared when both have cleared: overlapping or touching episodes become
 * one, raised at the earlier raise. This is what a crew sees of a model-or-rule predictor: one
 * alert per lift and code.
 */
export function eitherEpisodes(a: readonly Episode[], b: readonly Episode[]): Episode[] {
  const all = [...a, ...b].sort((x, y) => x.raise - y.raise);
  const out: Array<{ raise: number; clear: number | undefined }> = [];
  for (const e of all) {
    const last = out.at(-1);
    if (last !== undefined && (last.clear === undefined || e.raise <= last.clear)) {
      if (last.clear !== undefined) last.clear = e.clear === undefined ? undefined : Math.max(last.clear, e.clear);
      continue;
    }
    out.push({ raise: e.raise, clear: e.clear });
  }
  return out;
}

/**
 * Where a lift's judging starts: its first scored time, or `from` (the start of its judged span)
 * when it was never scored. A lift is not judged while it warms up, since nothing could warn of a
 * failure before its first scoring; but a lift that was never scored is judged over the whole span,
 * so that its months count and a failure on it is a miss. Calibration, the choice between model
 * versions and the evaluation judge from here alike.
 */
export function judgedFrom(times: ArrayLike<number>, from: number): number {
  return times.length > 0 ? times[0]! : from;
}

/**
 * Judge one lift's episodes of one family against its failures of that family, over the scored
 * time [from, to]:
 * - a failure is predicted when an alert raised before it, and within `horizonMs` of it, was still
 *   open at the failure; its lead time is from that raise (an alert that stays open across a
 *   corrective visit goes on warning of the same component, until the horizon). Failures before
 *   `from` are not counted.
 * - an episode is true when a failure of the family comes while it is open and within
 *   `horizonMs` of its raise; otherwise it is a false alert (a raise too early counts as false,
 *   whatever follows, and a cleared alert predicts nothing).
 */
export function judgeEpisodes(episodes: readonly Episode[], failureTs: readonly number[], from: number, to: number, horizonMs = DEFAULT_HORIZON_MS, into: LiftOutcome = emptyOutcome()): LiftOutcome {
  const fails = [...failureTs].sort((a, b) => a - b);
  into.months += Math.max(0, to - from) / (30 * DAY);
  for (const f of fails) {
    if (f < from || f > to) continue;
    into.failures++;
    const lead = leadHours(episodes, f, horizonMs);
    if (Number.isNaN(lead)) continue;
    into.predicted++;
    into.leadHours.push(lead);
    if (lead >= 24) into.predicted24h++;
    if (lead >= 72) into.predicted72h++;
  }
  for (const e of episodes) {
    into.episodes++;
    into.alertMs += (e.clear ?? to) - e.raise;
    if (isFalse(e, fails, horizonMs)) into.falseEpisodes++;
  }
  return into;
}

/**
 * How far ahead an alert warned of a failure at `failureTs`, h: from the earliest raise, before the
 * failure and within `horizonMs` of it, of an episode still open at the failure; NaN: not predicted.
 */
export function leadHours(episodes: readonly Episode[], failureTs: number, horizonMs = DEFAULT_HORIZON_MS): number {
  let raise = Infinity;
  for (const e of episodes) {
    if (e.raise < failureTs && failureTs - e.raise <= horizonMs && (e.clear === undefined || e.clear >= failureTs)) raise = Math.min(raise, e.raise);
  }
  return raise === Infinity ? NaN : (failureTs - raise) / HOUR;
}

const isFalse = (e: Episode, fails: readonly number[], horizonMs: number): boolean => {
  const until = Math.min(e.clear ?? Infinity, e.raise + horizonMs);
  return !fails.some((f) => f > e.raise && f <= until);
};

/**
 * How many of the false episodes (judgeEpisodes) had a routine visit repair a fault of their family
 * while they were open (`repairTs`: the visits' times, from the ground truth): the warning was of
 * real wear, and no failure followed because maintenance fixed the part first. The evaluation
 * still counts them false, as a crew would; this says why they were.
 */
export function repairedFalseEpisodes(episodes: readonly Episode[], failureTs: readonly number[], repairTs: readonly number[], to: number, horizonMs = DEFAULT_HORIZON_MS): number {
  return episodes.filter((e) => isFalse(e, failureTs, horizonMs) && repairTs.some((r) => r >= e.raise && r <= (e.clear ?? to))).length;
}

/** Add one outcome into another (pooled figures). */
export function addOutcome(into: LiftOutcome, o: LiftOutcome): LiftOutcome {
  into.failures += o.failures; into.predicted += o.predicted; into.predicted24h += o.predicted24h; into.predicted72h += o.predicted72h;
  for (const l of o.leadHours) into.leadHours.push(l);
  into.episodes += o.episodes; into.falseEpisodes += o.falseEpisodes; into.falseRepaired += o.falseRepaired; into.months += o.months; into.alertMs += o.alertMs;
  return into;
}

/** The headline figures of pooled outcomes. */
export function figures(o: LiftOutcome) {
  return {
    failures: o.failures,
    predicted72hPct: o.failures === 0 ? NaN : (100 * o.predicted72h) / o.failures,
    predicted24hPct: o.failures === 0 ? NaN : (100 * o.predicted24h) / o.failures,
    falsePer100LiftMonths: o.months === 0 ? NaN : (100 * o.falseEpisodes) / o.months,
    medianLeadH: quantile(o.leadHours, 0.5),
    alertTimePct: o.months === 0 ? NaN : (100 * o.alertMs) / (o.months * 30 * DAY),
  };
}

export function quantile(v: readonly number[], q: number): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}
