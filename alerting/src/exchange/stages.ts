import { lwError, type AlertState, type RescueCheck, type RescueStages } from '@liftwatch/contract';

/** What a rescue is timed against: the arrival limit and the targets of the 1-3-5 preset, in minutes. */
export interface RescueLimits {
  /** Crew on site within this many minutes of the alarm (TSG T5001-2009, unverified: docs/standards.md#rescue-the-30-minute-arrival-rule). @defaultValue 30 */
  readonly arrivalMin: number;
  /** Dispatched, on site and released within these many minutes (the 1-3-5 preset); null: not timed against it. @defaultValue [1, 3, 5] */
  readonly targetsMin: readonly [number, number, number] | null;
}
export const DEFAULT_RESCUE_LIMITS: RescueLimits = { arrivalMin: 30, targetsMin: [1, 3, 5] };

/** Stage times a rescue-line call reported (null: not reported by this call). */
export interface CallStages { receivedAt: number; dispatchedAt: number | null; onSiteAt: number | null; releasedAt: number | null; falseAlarmAt: number | null }

const earliest = (...times: Array<number | null | undefined>): number | null => {
  const known = times.filter((t): t is number => typeof t === 'number');
  return known.length === 0 ? null : Math.min(...known);
};

/**
 * The stages of one entrapment: the alarm is the earlier of the alert's opening and the first call;
 * each later stage is the earliest time anyone reported it, a call or the alert's own transitions
 * (acknowledged = dispatched, on site, resolved = released).
 */
export function rescueStages(alert: { openedAt: number; state: AlertState }, audit: ReadonlyArray<{ action: string; at: number }>, calls: readonly CallStages[]): RescueStages {
  const first = (action: string) => audit.find((l) => l.action === action)?.at ?? null;
  return {
    alarmAt: earliest(alert.openedAt, ...calls.map((c) => c.receivedAt))!,
    dispatchedAt: earliest(first('acknowledged'), ...calls.map((c) => c.dispatchedAt)),
    onSiteAt: earliest(first('onSite'), ...calls.map((c) => c.onSiteAt)),
    releasedAt: earliest(first('resolved'), ...calls.map((c) => c.releasedAt)),
    falseAlarm: alert.state === 'falseAlarm' || calls.some((c) => c.falseAlarmAt !== null),
  };
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/**
 * Each rule the rescue is timed against, to the minute (one decimal): met when the stage came
 * within the limit, failed when it came later or has not come and the limit has passed, null while
 * it may still come in time. A false alarm has nothing left to wait for.
 */
export function rescueChecks(stages: RescueStages, limits: RescueLimits, now: number): RescueCheck[] {
  const check = (rule: string, stage: RescueCheck['stage'], at: number | null, limitMin: number): RescueCheck => {
    if (at !== null) {
      const took = Math.max(0, at - stages.alarmAt);
      return { rule, stage, limitMin, minutes: minutes(took), met: took <= limitMin * 60_000 };
    }
    const late = !stages.falseAlarm && now - stages.alarmAt > limitMin * 60_000;
    return { rule, stage, limitMin, minutes: null, met: late ? false : null };
  };
  const checks = [check('arrival', 'onSite', stages.onSiteAt, limits.arrivalMin)];
  if (limits.targetsMin) {
    const [respond, onSite, release] = limits.targetsMin;
    checks.push(check('1-3-5 response', 'dispatched', stages.dispatchedAt, respond), check('1-3-5 on site', 'onSite', stages.onSiteAt, onSite), check('1-3-5 release', 'released', stages.releasedAt, release));
  }
  return checks;
}

/** "1,3,5" → [1, 3, 5]; "" → null (a setting's text). Throws with the value when it is not three increasing numbers. */
export function parseTargets(text: string): RescueLimits['targetsMin'] {
  if (text.trim() === '') return null;
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n <= 0) || !(parts[0]! <= parts[1]! && parts[1]! <= parts[2]!)) {
    throw lwError('LW_ERR_CONFIG_INVALID', `rescue targets ${JSON.stringify(text)} are not three increasing minutes: give e.g. "1,3,5" (respond, on site, released), or an empty text for none`);
  }
  return [parts[0]!, parts[1]!, parts[2]!];
}
